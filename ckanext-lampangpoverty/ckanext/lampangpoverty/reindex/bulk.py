"""What ``package_show`` gives the indexer, for a whole batch of records read in a few
queries: CKAN's ``package_dictize`` makes six queries per record (resources, tags, groups,
organisation, relationships both ways); here each is one query for the batch, and the rows go
through the same dictization functions, so the dictionaries, and the documents CKAN's indexer
builds from them, are the same as CKAN's own."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import false, select

import ckan.lib.dictization as d
import ckan.logic as logic
import ckan.plugins as p
from ckan import model
from ckan.lib.dictization import model_dictize
from ckan.lib.plugins import lookup_package_plugin, plugin_validate
from ckan.types import Context

from ..logic import show_schema


class BatchRows:
    """The rows ``package_dictize`` reads for each record of a batch, read once for all."""

    def __init__(self, packages: Iterable[model.Package]) -> None:
        self.packages = {pkg.id: pkg for pkg in packages}
        ids = list(self.packages)
        session = model.Session
        res = model.resource_table
        self.resources: dict[str, list[Any]] = defaultdict(list)
        for row in session.execute(select(res).where(res.c["package_id"].in_(ids))):
            self.resources[row.package_id].append(row)

        tag, pkg_tag = model.tag_table, model.package_tag_table
        self.tags: dict[str, list[dict[str, Any]]] = defaultdict(list)
        query = select(tag, pkg_tag.c["state"], pkg_tag.c["package_id"].label("_of")).join(
            pkg_tag, tag.c["id"] == pkg_tag.c["tag_id"]).where(pkg_tag.c["package_id"].in_(ids))
        for row in session.execute(query):
            # package_dictize selects the tag and the link's state, nothing else
            tag_dict = d.table_dictize(row, {})
            del tag_dict["_of"]
            self.tags[row._of].append(tag_dict)

        group, member = model.group_table, model.member_table
        # Records in a group (not an organisation) are rare: those few are dictized with
        # CKAN's own query; the others are known to have none.
        self.in_groups = set(session.scalars(select(member.c["table_id"]).join(
            group, group.c["id"] == member.c["group_id"]).where(
            member.c["table_id"].in_(ids), member.c["state"] == "active",
            group.c["is_organization"] == false())))
        orgs = {pkg.owner_org for pkg in self.packages.values() if pkg.owner_org}
        self.organizations = {row.id: row for row in session.execute(
            select(group).where(group.c["id"].in_(orgs), group.c["state"] == "active"))}
        rel = model.package_relationship_table
        self.related = {*session.scalars(select(rel.c["subject_package_id"]).where(
            rel.c["subject_package_id"].in_(ids))), *session.scalars(
            select(rel.c["object_package_id"]).where(rel.c["object_package_id"].in_(ids)))}


def _groups(pkg: model.Package, context: Context) -> list[dict[str, Any]]:
    member, group = model.member_table, model.group_table
    q = select(group, member.c["capacity"]).join(
        member, group.c["id"] == member.c["group_id"]).where(
        member.c["table_id"] == pkg.id, member.c["state"] == "active",
        group.c["is_organization"] == false())
    rows = cast("list[model.Group]", model.Session.execute(q).all())
    return model_dictize.group_list_dictize(rows, context, with_package_counts=False)


def _relationships(pkg_id: str, column: str, context: Context) -> list[dict[str, Any]]:
    rel = model.package_relationship_table
    rows = model.Session.execute(select(rel).where(rel.c[column] == pkg_id))
    return d.obj_list_dictize(rows, context)  # type: ignore[arg-type]


def package_dictize(pkg: model.Package, rows: BatchRows, context: Context) -> dict[str, Any]:
    """``model_dictize.package_dictize(pkg, context)`` (without plugin data), from ``rows``."""
    result = d.table_dictize(pkg, context)
    if result.get("title"):
        result["title"] = result["title"].strip()
    result.pop("plugin_data", None)
    result["resources"] = model_dictize.resource_list_dictize(rows.resources[pkg.id], context)
    result["num_resources"] = len(result["resources"])

    active = context.get("active", True)
    tags = [dict(t) for t in rows.tags[pkg.id] if not active or t["state"] == "active"]
    result["tags"] = sorted(tags, key=lambda x: x["name"])
    result["num_tags"] = len(result["tags"])
    for tag_dict in result["tags"]:
        tag_dict["display_name"] = tag_dict["name"]
    result["extras"] = [{"key": k, "value": v} for k, v in (result["extras"] or {}).items()]

    context["with_capacity"] = False
    result["groups"] = _groups(pkg, context) if pkg.id in rows.in_groups else []
    org = rows.organizations.get(pkg.owner_org) if pkg.owner_org else None
    organizations = d.obj_list_dictize([org] if org is not None else [], context)
    if organizations:
        result["organization"] = organizations[0]
        del result["organization"]["extras"]
    else:
        result["organization"] = None
    related = pkg.id in rows.related
    result["relationships_as_subject"] = (
        _relationships(pkg.id, "subject_package_id", context) if related else [])
    result["relationships_as_object"] = (
        _relationships(pkg.id, "object_package_id", context) if related else [])

    result["isopen"] = pkg.isopen()
    result["type"] = pkg.type or "dataset"
    if pkg.license and pkg.license.url:
        result["license_url"] = pkg.license.url
        result["license_title"] = pkg.license.title.split("::")[-1]
    elif pkg.license:
        result["license_title"] = pkg.license.title
    else:
        result["license_title"] = pkg.license_id
    result["metadata_modified"] = pkg.metadata_modified.isoformat()
    result["metadata_created"] = (pkg.metadata_created.isoformat()
                                  if pkg.metadata_created else None)
    return result


def package_show(pkg: model.Package, rows: BatchRows, context: Context) -> dict[str, Any]:
    """What ``package_show`` with ``use_cache=False, validate=False`` returns (CKAN's indexing
    asks for that), without its per-record queries: the same plugin hooks, in its order."""
    pkg_dict = package_dictize(pkg, rows, context)
    for item in p.PluginImplementations(p.IPackageController):
        item.read(pkg)
    for resource_item in p.PluginImplementations(p.IResourceController):
        for resource_dict in pkg_dict["resources"]:
            resource_item.before_resource_show(resource_dict)
    return pkg_dict


def show_both_schemas(pkg: model.Package, rows: BatchRows
                      ) -> tuple[dict[str, Any], dict[str, Any]]:
    """``logic.package_show_default_and_custom_schemas`` for a record of the batch: the record
    as the default show schema and as its type's schema give it, after_dataset_show applied
    to the latter. Both schemas stripped of what only adds errors (both passes' errors are
    thrown away, as CKAN's own function does)."""
    context = cast(Context, {"model": model, "session": model.Session, "ignore_auth": True,
                             "use_cache": False, "validate": False, "package": pkg})
    pkg_dictized = package_show(pkg, rows, context)
    default_schema, default_stripped = show_schema.default_show()
    with_default, _errors = plugin_validate(object(), context, pkg_dictized, default_stripped,
                                            "package_show")
    package_plugin = lookup_package_plugin(pkg_dictized["type"])
    custom_schema = package_plugin.show_package_schema()
    if custom_schema == default_schema:
        with_custom = with_default
    else:
        with_custom, _errors = plugin_validate(package_plugin, context, pkg_dictized,
                                               show_schema.stripped(custom_schema),
                                               "package_show")
    logic.apply_after_dataset_show_plugins(context, with_custom)
    return with_default, with_custom
