"""The import stage every Lampang harvester shares: one record per source identifier, field
tolerance, one record per remote dataset across sources, withdrawal.

- The record's id is derived from the source and the identifier (uuid5), so a second
  harvest, a second fetch consumer or a rerun after a crash can only update that record.
- An optional field CKAN's validation refuses is left empty, its value kept as the extra
  ``original_<field>``, and a warning put on the job report; only a required field refuses
  the record.
- A remote dataset another source already brought in (same portal address and id, same
  DCAT URI) is not imported twice: this source's job says which record it is.
- Withdrawal is CKAN's soft delete; the record is restored if the source lists it again.
"""
from __future__ import annotations

import json
import logging
import uuid
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.search import SearchIndexError
from ckan.logic import index_update_package
from ckan.types import Context
from ckanext.harvest.model import HarvestObject, HarvestObjectExtra

from . import identity
from .checks import required_fields
from .labels import N_, message

log = logging.getLogger(__name__)

NAMESPACE = uuid.UUID("5d3c6f4e-52a0-4e0b-9b0c-6c616d70616e")
WARNINGS = "warnings"          # harvest object extra: the record's warnings (JSON list)
MAX_RETRIES = 3


def record_id(source_id: str, guid: str) -> str:
    """The id of the record a source identifier becomes: the same on every run."""
    return str(uuid.uuid5(NAMESPACE, f"{source_id}\n{guid}"))


def content_of(obj) -> dict:
    try:
        return json.loads(obj.content or "{}")
    except ValueError:
        return {}


class ImportStage:
    """Mixed into :py:class:`~.base.RecordHarvester`."""

    # Set by the fetch consumer's batch (batch.py) while it imports one record: the ids
    # to index once nothing else of the record can fail.
    index_later: list[str] | None = None

    if TYPE_CHECKING:     # provided by RecordHarvester and ckanext-harvest's HarvesterBase
        def source_config(self, source: Any) -> dict: ...
        def prepare(self, data: dict, config: dict, existing: Any) -> dict: ...
        def after_import(self, package_id: str, config: dict, obj: Any) -> str | None: ...
        def _save_object_error(self, message: str, obj: Any, stage: str = ...) -> None: ...
        def _get_user_name(self) -> str: ...
        def _gen_new_name(self, title: str) -> str: ...

    def import_stage(self, harvest_object) -> bool | str:
        obj = harvest_object
        content = content_of(obj)
        source_id = obj.source.id
        package_id = record_id(source_id, obj.guid)
        warnings = list(content.get("warnings") or [])
        if content.get("withdraw"):
            self._lock(package_id)
            self._withdraw(obj, package_id)
            return True
        config = self.source_config(obj.source)
        package = content["package"]
        for _attempt in range(MAX_RETRIES + 1):
            try:
                linked = self._import_once(obj, package, package_id, config,
                                           content.get("identities") or [])
                break
            except tk.ValidationError as e:
                model.Session.rollback()       # CKAN rolled back too: start again clean
                package, dropped = tolerate(package, e.error_dict or {}, config)
                if not dropped:
                    self._save_object_error(_summary(e), obj, "Import")
                    return False
                warnings += dropped
            except SearchIndexError as e:
                model.Session.rollback()
                self._save_object_error(index_refused(e), obj, "Import")
                return False
        else:
            self._save_object_error(tk._("The record could not be saved"), obj, "Import")
            return False
        if linked:
            warnings.append(linked)
            _store_warnings(obj, warnings)
            return "unchanged"
        _store_warnings(obj, warnings)
        problem = self.after_import(package_id, config, obj)
        if problem:
            obj.current = False       # not settled: the next run imports it again
            model.Session.commit()
            self._save_object_error(problem, obj, "Import")
            return False
        return True

    @staticmethod
    def _lock(package_id: str) -> None:
        # One import per record at a time, across consumers (ckanext-harvest may hand one
        # object to two consumers when it resubmits a message another just took): the
        # second waits here, then finds the record and updates it.
        model.Session.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(:id))"),
                              {"id": package_id})

    @staticmethod
    def _settle_previous(obj: HarvestObject) -> None:
        for other in (model.Session.query(HarvestObject)
                      .filter(HarvestObject.harvest_source_id == obj.source.id)
                      .filter(HarvestObject.guid == obj.guid)
                      .filter(HarvestObject.current == sa.true())
                      .filter(HarvestObject.id != obj.id)):
            other.current = False

    def _withdraw(self, obj: HarvestObject, package_id: str) -> None:
        self._settle_previous(obj)
        existing = model.Package.get(package_id)
        obj.current, obj.report_status = False, "deleted"
        if existing is not None:
            obj.package_id = package_id
        model.Session.flush()
        if existing is not None and existing.state == "active":
            tk.get_action("package_delete")(self._context(), {"id": package_id})
        model.Session.commit()

    def _context(self) -> Context:
        return {"user": self._get_user_name(), "ignore_auth": True, "return_id_only": True}

    def _import_once(self, obj: HarvestObject, package: dict[str, Any], package_id: str,
                     config: dict[str, Any], identities: list[str]) -> dict | None:
        """Save the record (or, for a remote dataset another source brought in first, link
        to it: returns the message saying so)."""
        self._lock(package_id)
        existing = model.Package.get(package_id)
        if existing is None and identities:
            identity.lock(identities)
            other = identity.find_other(obj.source.id, identities)
            if other is not None:
                obj.current = False
                model.Session.commit()
                return identity.linked_message(other)
        self._settle_previous(obj)
        self._save(obj, package, package_id, existing, config)
        identity.remember(obj, identities)
        model.repo.commit()
        return None

    def _save(self, obj: HarvestObject, package: dict[str, Any], package_id: str,
              existing: model.Package | None, config: dict[str, Any]) -> None:
        source_package = model.Package.get(obj.source.id)
        if source_package is None:
            raise tk.ObjectNotFound(tk._("Harvest source not found"))
        data = {**package, "id": package_id, "owner_org": source_package.owner_org}
        data = self.prepare(data, config, existing)
        obj.current, obj.package_id = True, package_id
        # ckanext-harvest marks the object COMPLETE in one commit and sets its report status
        # in the next: a job finished between the two counts the record nowhere. Set here,
        # the status is committed with the record.
        obj.report_status = "added" if existing is None else "updated"
        # The record is indexed inside package_create/update: link the harvest object first
        # so that the index carries the harvest source (as ckanext-dcat does).
        model.Session.execute(sa.text("SET CONSTRAINTS harvest_object_package_id_fkey DEFERRED"))
        model.Session.flush()
        # Saved without CKAN's own index-and-commit; indexed below without a Solr commit
        # per record (Solr's soft commit, config/solr/solrconfig.xml, makes it searchable
        # within a second), then committed: a record the index refuses is never committed.
        context: Context = {**self._context(), "defer_commit": True}
        if existing is None:
            data["name"] = self._gen_new_name(
                f"{source_package.name}-{data.get('name') or obj.guid}")
            tk.get_action("package_create")(context, data)
        else:
            data["name"] = existing.name
            data["state"] = "active"      # restores a withdrawn record
            _keep_resource_ids(data, existing)
            tk.get_action("package_update")(context, data)
        if self.index_later is not None:
            self.index_later.append(package_id)     # the batch indexes it last (batch.py)
        else:
            index_update_package({"ignore_auth": True}, package_id, defer_commit=True)


def index_refused(error: Exception) -> str:
    return tk._("The search index did not accept the record (%s); it is imported again on "
                "the next run") % str(error)[:200]


def tolerate(package: dict[str, Any], errors: dict[str, Any],
             config: dict[str, Any]) -> tuple[dict[str, Any], list[dict]]:
    """The package without the optional values CKAN's validation refused, and a warning for
    each; nothing dropped when a required field is among the errors (the record is
    refused)."""
    from .checks import target_type

    required = set(required_fields(target_type(config))) | {"title", "name"}
    if set(errors) & required:
        return package, []
    package = json.loads(json.dumps(package))
    extras = {e["key"]: e["value"] for e in package.get("extras") or []}
    warnings: list[dict] = []
    for key, messages in errors.items():
        if key == "tags" and isinstance(messages, list):
            bad = {i for i, m in enumerate(messages) if m}
            dropped = [t.get("name") for i, t in enumerate(package.get("tags") or []) if i in bad]
            package["tags"] = [t for i, t in enumerate(package.get("tags") or [])
                               if i not in bad]
            extras["original_tags"] = json.dumps(dropped, ensure_ascii=False)
        elif key == "resources" and isinstance(messages, list):
            package["resources"] = _tolerate_resources(package.get("resources") or [],
                                                       messages)
        elif key == "extras" and isinstance(messages, list):
            refused = {e["key"] for i, e in enumerate(package.get("extras") or [])
                       if i < len(messages) and messages[i]}
            extras = {k: v for k, v in extras.items() if k not in refused}
        elif key in package:
            extras[f"original_{key}"] = _as_text(package.pop(key))
        else:
            continue
        warnings.append(message(N_("%(field)s: %(reason)s; the value was left out and the "
                                   "original kept as an extra"),
                                field=key, reason=_text(messages)))
    package["extras"] = [{"key": k, "value": v} for k, v in sorted(extras.items())]
    return package, warnings


def _tolerate_resources(resources: list[dict], messages: list) -> list[dict]:
    kept = []
    for resource, problem in zip(resources, messages + [{}] * len(resources), strict=False):
        if not problem:
            kept.append(resource)
        elif "url" not in problem:
            for key in problem:
                resource[f"original_{key}"] = _as_text(resource.pop(key, ""))
            kept.append(resource)
    return kept


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _text(messages: Any) -> str:
    if isinstance(messages, list):
        return "; ".join(_text(m) for m in messages if m)
    if isinstance(messages, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in messages.items() if v)
    return str(messages)


def _store_warnings(obj: HarvestObject, warnings: list[dict]) -> None:
    if warnings:
        model.Session.add(HarvestObjectExtra(object=obj, key=WARNINGS,
                                             value=json.dumps(warnings, ensure_ascii=False)))
    model.Session.commit()


def _keep_resource_ids(data: dict, existing) -> None:
    """Keep the ids of resources whose URL did not change, so links to them survive."""
    by_url = {r.url: r.id for r in existing.resources}
    for resource in data.get("resources") or []:
        if resource.get("url") in by_url:
            resource["id"] = by_url.pop(resource["url"])


def _summary(error: tk.ValidationError) -> str:
    parts = []
    for key, messages in (error.error_dict or {}).items():
        parts.append(f"{key}: {_text(messages)}")
    return "; ".join(parts) or str(error)
