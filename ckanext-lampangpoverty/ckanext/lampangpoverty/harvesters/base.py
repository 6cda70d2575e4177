"""What every Lampang harvester shares.

- The source config is a JSON object checked key by key on save (one error per key).
- A gather hands :py:meth:`RecordHarvester.plan` every record of the source, mapped into our
  type; each record is new, changed, unchanged (settled at once, never queued) or, when the
  gather was complete and not empty, withdrawn because the source no longer lists it.
- The import keeps one record per source identifier: the record's id is derived from the
  source and the identifier (uuid5), so a second harvest, a second fetch consumer or a rerun
  after a crash can only update that record, never create another.
- Withdrawal is CKAN's soft delete: the record leaves the site and the search index but stays
  in the database with its history (sysadmins still open it); it is restored if the source
  lists it again.
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
import uuid
from collections.abc import Callable
from typing import Any, ClassVar

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.search import SearchIndexError
from ckan.logic import index_update_package
from ckan.types import Context
from ckanext.harvest.harvesters.base import HarvesterBase
from ckanext.harvest.model import HarvestObject
from ckanext.scheming.helpers import scheming_field_choices, scheming_get_dataset_schema

from ..catalogue import areas
from ..catalogue.types import DATASET_TYPES, POVERTY_DATASET
from ..lib.lists import stored_list

log = logging.getLogger(__name__)

NAMESPACE = uuid.UUID("5d3c6f4e-52a0-4e0b-9b0c-6c616d70616e")
HOUSEHOLD_UNITS = ("person", "household")
MIN_RECORDS_FOR_SHARE = 10     # below this, any share of a source may be withdrawn

Check = Callable[[Any, dict], Any]


def record_id(source_id: str, guid: str) -> str:
    """The id of the record a source identifier becomes: the same on every run."""
    return str(uuid.uuid5(NAMESPACE, f"{source_id}\n{guid}"))


def digest(package: dict) -> str:
    return hashlib.sha256(json.dumps(package, sort_keys=True, ensure_ascii=False,
                                     default=str).encode()).hexdigest()


def schema_fields(dataset_type: str) -> dict[str, dict[str, Any]]:
    schema = scheming_get_dataset_schema(dataset_type) or {}
    return {f["field_name"]: f for f in schema.get("dataset_fields", [])}


def _allowed(field: dict[str, Any], item: str) -> bool:
    """Whether one value is among a field's choices (``choices`` or ``choices_helper``);
    an area field also takes old codes, which its validator turns into current ones."""
    if field.get("choices_helper") == "lampangpoverty_area_choices":
        try:
            areas.resolve(item)
        except areas.UnknownAreaCode:
            return False
        return True
    choices = scheming_field_choices(field)
    return choices is None or item in {str(c["value"]) for c in choices}


def refused_values(field: dict[str, Any], value: Any) -> list[str]:
    """The values of ``value`` (one value, or a list of them) that ``field`` does not allow."""
    items = stored_list(value) if isinstance(value, (list, tuple)) else [str(value)]
    return [item for item in items if not _allowed(field, item)]


def target_type(config: dict[str, Any]) -> str:
    """The dataset type a source's records become."""
    return config.get("type", POVERTY_DATASET)


# Checks of the keys every source config may hold.
def check_type(value: Any, config: dict) -> str:
    if value not in DATASET_TYPES:
        raise ValueError(tk._("must be one of %s") % ", ".join(DATASET_TYPES))
    return value


def check_defaults(value: Any, config: dict) -> dict:
    if not isinstance(value, dict):
        raise ValueError(tk._("must be an object of field names and values"))
    fields = schema_fields(target_type(config))
    unknown = sorted(set(value) - set(fields))
    if unknown:
        raise ValueError(tk._("not fields of %(type)s: %(fields)s")
                         % {"type": target_type(config),
                            "fields": ", ".join(unknown)})
    for name, default in value.items():
        refused = refused_values(fields[name], default)
        if refused:
            raise ValueError(tk._("%(field)s: %(value)s is not an allowed value")
                             % {"field": name, "value": ", ".join(refused)})
    return value


def check_bool(value: Any, config: dict) -> bool:
    if not isinstance(value, bool):
        raise ValueError(tk._("must be true or false"))
    return value


def check_strings(value: Any, config: dict) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ValueError(tk._("must be a list of names"))
    return value


def check_text(value: Any, config: dict) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(tk._("must be a non-empty text"))
    return value


COMMON_CHECKS: dict[str, Check] = {
    "type": check_type,
    "defaults": check_defaults,
    "private": check_bool,
}


class RecordHarvester(HarvesterBase):
    """A harvester whose records become records of our catalogue types."""

    kind = ""                     # lampangpoverty_<kind>
    title = ""
    description = ""
    checks: ClassVar[dict[str, Check]] = {}   # the harvester's own config keys and checks

    def info(self) -> dict[str, str]:
        # Shown as given on ckanext-harvest's source form: translated here.
        return {"name": f"lampangpoverty_{self.kind}", "title": tk._(self.title),
                "description": tk._(self.description)}

    # Config --------------------------------------------------------------------------------
    def validate_config(self, config: str | None) -> str:
        if not config or not config.strip():
            config = "{}"
        try:
            data = json.loads(config)
        except ValueError as e:
            raise ValueError(tk._("The configuration is not valid JSON: %s") % e) from e
        if not isinstance(data, dict):
            raise ValueError(tk._("The configuration must be a JSON object"))
        checks = {**COMMON_CHECKS, **self.checks}
        errors = {}
        for key in data:
            if key not in checks:
                errors[key] = tk._("unknown key (known: %s)") % ", ".join(sorted(checks))
        for key, check in checks.items():
            if key in data and key not in errors:
                try:
                    check(data[key], data)
                except ValueError as e:
                    errors[key] = str(e)
        if errors:
            raise ValueError("; ".join(f"{key}: {message}" for key, message in errors.items()))
        return config

    @staticmethod
    def source_config(source) -> dict:
        return json.loads(source.config or "{}")

    # Mapping -------------------------------------------------------------------------------
    @staticmethod
    def to_package(raw: dict, config: dict, fallbacks: dict | None = None) -> dict:
        """Map a source record (top-level keys or CKAN extras) into our type: fields of the
        schema only, values outside a field's choices left out, then the source config's
        defaults and the harvester's fallbacks for what is still missing."""
        dataset_type = target_type(config)
        extras = {e.get("key"): e.get("value") for e in raw.get("extras") or []
                  if isinstance(e, dict)}
        package: dict[str, Any] = {"type": dataset_type}
        for name, field in schema_fields(dataset_type).items():
            if name in ("owner_org", "name", "id"):
                continue
            value = raw.get(name, extras.get(name))
            if value in (None, "", []) or refused_values(field, value):
                continue
            package[name] = value
        if raw.get("tags") and "tag_string" not in package:
            package["tags"] = [{"name": t["name"] if isinstance(t, dict) else str(t)}
                               for t in raw["tags"]]
        if raw.get("license_id"):
            package["license_id"] = raw["license_id"]
        resources = [{"url": r["url"], "name": r.get("name") or r["url"],
                      "description": r.get("description") or "",
                      "format": r.get("format") or ""}
                     for r in raw.get("resources") or []
                     if isinstance(r, dict) and re.match(r"https?://", str(r.get("url") or ""))]
        if resources:
            package["resources"] = resources
        for name, value in {**(fallbacks or {}), **config.get("defaults", {})}.items():
            if package.get(name) in (None, "", []):
                package[name] = value
        return package

    # Gather --------------------------------------------------------------------------------
    @staticmethod
    def current(source_id: str) -> dict[str, tuple[HarvestObject, bool]]:
        """The source's records as last imported: guid -> (current harvest object, whether
        its record is active, i.e. neither withdrawn nor deleted by hand)."""
        objects = {o.guid: o for o in model.Session.query(HarvestObject)
                   .filter(HarvestObject.harvest_source_id == source_id)
                   .filter(HarvestObject.current == sa.true())}
        ids = [o.package_id for o in objects.values() if o.package_id]
        active = {pid for pid, in model.Session.query(model.Package.id)
                  .filter(model.Package.id.in_(ids)).filter(model.Package.state == "active")}
        return {guid: (o, o.package_id in active) for guid, o in objects.items()}

    def plan(self, job, records: dict[str, dict], unchanged: set[str] | frozenset = frozenset(),
             listed: set[str] | None = None, current: dict | None = None) -> list[str] | None:
        """Create this job's harvest objects. ``records``: guid -> our package dict, for
        what the gather read in full; ``unchanged``: guids the gather found unchanged
        without reading them (settled at once); ``listed``: every guid the source lists
        (default: both); ``current``: :py:meth:`current`, when the gather already read it.
        Returns the ids to queue: new and changed records, and the
        withdrawals of active records the source no longer lists; None (the job failed,
        nothing changed) when the source dropped more than ``max_withdraw_share`` of them."""
        source = job.source
        current = current if current is not None else self.current(source.id)
        listed = listed if listed is not None else set(records) | set(unchanged)
        gone = [guid for guid, (previous, active) in current.items()
                if active and listed and guid not in listed]
        active_count = sum(1 for _previous, active in current.values() if active)
        share = tk.config["ckanext.lampangpoverty.harvest.max_withdraw_share"]
        if active_count >= MIN_RECORDS_FOR_SHARE and len(gone) > share * active_count:
            # A source that suddenly lists far fewer records was most likely cut short.
            message = tk._("The source no longer lists %(gone)s of its %(count)s records (more "
                           "than %(share)s%%); it looks truncated, so nothing was changed. If "
                           "the records really are gone, raise "
                           "ckanext.lampangpoverty.harvest.max_withdraw_share.") % {
                "gone": len(gone), "count": active_count, "share": int(share * 100)}
            self._save_gather_error(message, job)
            return None
        queued, settled = [], []

        def settle(guid: str, previous, digest_value: str | None) -> None:
            settled.append(HarvestObject(
                guid=guid, job=job, source=source, package_id=previous.package_id,
                state="COMPLETE", report_status="not modified",
                content=json.dumps({"digest": digest_value})))

        for guid in unchanged:
            previous, _active = current[guid]
            settle(guid, previous, _digest_of(previous))
        for guid, package in records.items():
            content = {"digest": digest(package), "package": package}
            previous, active = current.get(guid, (None, False))
            if active and _digest_of(previous) == content["digest"]:
                settle(guid, previous, content["digest"])
                continue
            queued.append(HarvestObject(guid=guid, job=job, source=source,
                                        content=json.dumps(content, ensure_ascii=False)))
        queued += [HarvestObject(guid=guid, job=job, source=source,
                                 content=json.dumps({"withdraw": True})) for guid in gone]
        model.Session.add_all(settled + queued)
        model.Session.commit()
        log.info("harvest job %s: %d to import or withdraw, %d unchanged",
                 job.id, len(queued), len(settled))
        return [o.id for o in queued]

    # Fetch and import ----------------------------------------------------------------------
    def fetch_stage(self, harvest_object) -> bool:
        return True     # every harvester fetches in its gather

    def import_stage(self, harvest_object) -> bool | str:
        obj = harvest_object
        content = json.loads(obj.content or "{}")
        source = obj.source
        package_id = record_id(source.id, obj.guid)
        # One import per record at a time, across consumers (ckanext-harvest may hand one
        # object to two consumers when it resubmits a message another just took): the
        # second waits here, then finds the record and updates it.
        model.Session.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(:id))"),
                              {"id": package_id})
        previous = (model.Session.query(HarvestObject)
                    .filter(HarvestObject.harvest_source_id == source.id)
                    .filter(HarvestObject.guid == obj.guid)
                    .filter(HarvestObject.current == sa.true())
                    .filter(HarvestObject.id != obj.id).all())
        for other in previous:
            other.current = False
        existing = model.Package.get(package_id)
        context: Context = {"user": self._get_user_name(), "ignore_auth": True,
                            "return_id_only": True}
        try:
            if content.get("withdraw"):
                self._withdraw(obj, package_id, existing, context)
                return True
            config = self.source_config(source)
            self._save(obj, content["package"], package_id, existing, config, context)
        except tk.ValidationError as e:
            model.Session.rollback()
            self._save_object_error(_summary(e), obj, "Import")
            return False
        except SearchIndexError as e:
            model.Session.rollback()
            self._save_object_error(
                tk._("The search index did not accept the record (%s); it is imported again "
                     "on the next run") % str(e)[:200], obj, "Import")
            return False
        problem = self.after_import(package_id, config, obj)
        if problem:
            obj.current = False       # not settled: the next run imports it again
            model.Session.commit()
            self._save_object_error(problem, obj, "Import")
            return False
        return True

    def _withdraw(self, obj: HarvestObject, package_id: str, existing: model.Package | None,
                  context: Context) -> None:
        obj.current = False
        if existing is not None:
            obj.package_id = package_id
        model.Session.flush()
        if existing is not None and existing.state == "active":
            tk.get_action("package_delete")(context, {"id": package_id})
        model.Session.commit()

    def _save(self, obj: HarvestObject, package: dict[str, Any], package_id: str,
              existing: model.Package | None, config: dict[str, Any], context: Context) -> None:
        source_package = model.Package.get(obj.source.id)
        if source_package is None:
            raise tk.ObjectNotFound(tk._("Harvest source not found"))
        data = {**package, "id": package_id, "owner_org": source_package.owner_org}
        data = self.prepare(data, config, existing)
        obj.current, obj.package_id = True, package_id
        # The record is indexed inside package_create/update: link the harvest object first
        # so that the index carries the harvest source (as ckanext-dcat does).
        model.Session.execute(sa.text("SET CONSTRAINTS harvest_object_package_id_fkey DEFERRED"))
        model.Session.flush()
        # Saved without CKAN's own index-and-commit; indexed below without a Solr commit
        # per record (Solr's soft commit, config/solr/solrconfig.xml, makes it searchable
        # within a second), then committed: a record the index refuses is never committed.
        context = {**context, "defer_commit": True}
        if existing is None:
            data["name"] = self._gen_new_name(
                f"{source_package.name}-{data.get('name') or obj.guid}")
            tk.get_action("package_create")(context, data)
        else:
            data["name"] = existing.name
            data["state"] = "active"      # restores a withdrawn record
            _keep_resource_ids(data, existing)
            tk.get_action("package_update")(context, data)
        index_update_package({"ignore_auth": True}, package_id, defer_commit=True)
        model.repo.commit()

    def prepare(self, data: dict, config: dict, existing) -> dict:
        """Last changes before the record is saved. A household-level record arrives
        private; once it exists, its organisation decides (the publication gate lets it go
        public only with a passing release), and later runs keep that choice."""
        if data.get("unit_of_observation") in HOUSEHOLD_UNITS or config.get("mode") == "microdata":
            data["private"] = existing.private if existing is not None else True
        else:
            data["private"] = bool(config.get("private"))
        return data

    def after_import(self, package_id: str, config: dict, harvest_object) -> str | None:
        """Work after the record is saved (a household table handed to the gate). Returns
        why it failed, or None."""
        return None


def content_of(obj) -> dict:
    try:
        return json.loads(obj.content or "{}")
    except ValueError:
        return {}


def _digest_of(obj) -> str | None:
    return content_of(obj).get("digest")


def _keep_resource_ids(data: dict, existing) -> None:
    """Keep the ids of resources whose URL did not change, so links to them survive."""
    by_url = {r.url: r.id for r in existing.resources}
    for resource in data.get("resources") or []:
        if resource.get("url") in by_url:
            resource["id"] = by_url.pop(resource["url"])


def _summary(error: tk.ValidationError) -> str:
    parts = []
    for field, messages in (error.error_dict or {}).items():
        if isinstance(messages, list):
            text = "; ".join(m if isinstance(m, str) else json.dumps(m, ensure_ascii=False)
                             for m in messages)
        else:
            text = json.dumps(messages, ensure_ascii=False)
        parts.append(f"{field}: {text}")
    return "; ".join(parts) or str(error)
