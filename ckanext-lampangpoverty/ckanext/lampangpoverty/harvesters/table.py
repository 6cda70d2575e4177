"""``lampangpoverty_table``: a CSV, XLSX or JSON table at a URL.

Mode ``records`` (the default): each row becomes a record (``agency-resource`` programmes,
or area-aggregate ``poverty-dataset`` records); the config maps our fields to columns and
names the key column that gives each row its identity. The whole table is checked before
anything is planned: a ragged row, a row without key, two rows with one key, or a column
holding household identifiers ends the job as failed and changes nothing.

Mode ``microdata``: the table is household or person data. It becomes one private
``poverty-dataset`` (fields from ``dataset``) whose table is handed to the disclosure gate,
exactly like an upload: nothing of it is public until a release passes.

Config (JSON)::

    {"mode": "records", "type": "agency-resource", "format": "csv",
     "key": "รหัสโครงการ",
     "fields": {"title": "ชื่อโครงการ", "area_codes": "อำเภอ", "budget_baht": "งบประมาณ"},
     "defaults": {"programme_kind": "livelihood", "programme_status": "open"},
     "records_path": "result.records"}                   # JSON only: where the rows are

    {"mode": "microdata", "dataset": {"title": "...", "notes": "...", ...},
     "roles": {"เลขบัตรประชาชน": "direct_identifier", ...}, "recodes": {...},
     "household_column": "รหัสบ้าน"}
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd

import ckan.plugins.toolkit as tk

from ..catalogue.types import POVERTY_DATASET
from ..disclosure import detect, roles, table
from ..gate import submission
from . import base, http
from .labels import N_

FORMATS = ("csv", "xlsx", "json")
MODES = ("records", "microdata")
# Fields meant to carry an agency's contact details: names and phones are expected there.
CONTACT_FIELDS = ("maintainer", "maintainer_email", "contact_phone", "how_to_apply")


def _check_choice(options):
    def check(value: Any, config: dict) -> str:
        if value not in options:
            raise ValueError(tk._("must be one of %s") % ", ".join(options))
        return value
    return check


def _check_fields(value: Any, config: dict) -> dict:
    if not isinstance(value, dict) or not value or not all(
            isinstance(c, str) and c for c in value.values()):
        raise ValueError(tk._("must map field names to column names"))
    fields = base.schema_fields(base.target_type(config))
    unknown = sorted(set(value) - set(fields))
    if unknown:
        raise ValueError(tk._("not fields of %(type)s: %(fields)s")
                         % {"type": base.target_type(config),
                            "fields": ", ".join(unknown)})
    if "title" not in value:
        raise ValueError(tk._("title must be mapped to a column"))
    return value


def _check_dataset(value: Any, config: dict) -> dict:
    if not isinstance(value, dict) or not value.get("title"):
        raise ValueError(tk._("must be an object of poverty-dataset fields with a title"))
    return base.check_defaults(value, {"type": POVERTY_DATASET})


def _check_roles(value: Any, config: dict) -> dict:
    errors = [e for e in roles.check(value) if e.field == "roles"]
    if errors:
        raise ValueError("; ".join(e.text() for e in errors))
    return value


def _check_recodes(value: Any, config: dict) -> dict:
    """Recodes name methods that fit their column's role, and levels of its hierarchy."""
    errors = [e for e in roles.check(config.get("roles") or {}, value) if e.field == "recodes"]
    if errors:
        raise ValueError("; ".join(e.text() for e in errors))
    return value


class TableHarvester(base.RecordHarvester):
    kind = "table"
    title = N_("Partner table (CSV, XLSX, JSON)")
    description = N_("A table at a URL: each row becomes a record, or a household table "
                     "is handed to the disclosure gate.")
    checks: ClassVar[dict[str, base.Check]] = {
        "mode": _check_choice(MODES), "format": _check_choice(FORMATS),
        "key": base.check_text, "fields": _check_fields, "records_path": base.check_text,
        "dataset": _check_dataset, "roles": _check_roles, "recodes": _check_recodes,
        "household_column": base.check_text}

    def validate_config(self, config: str | None) -> str:
        config = super().validate_config(config)
        data = json.loads(config)
        needed = ("dataset",) if data.get("mode") == "microdata" else ("key", "fields")
        missing = [key for key in needed if key not in data]
        if missing:
            raise ValueError("; ".join(f"{key}: {tk._('missing')}" for key in missing))
        return config

    def gather_stage(self, harvest_job) -> list[str] | None:
        source = harvest_job.source
        config = self.source_config(source)
        try:
            body = http.fetch(source.url, http.Policy.from_config())
        except http.FetchError as e:
            self._save_gather_error(tk._("The table could not be fetched: %s") % e, harvest_job)
            return None
        name = Path(source.url.split("?")[0]).name or "table"
        if config.get("mode") == "microdata":
            return self._gather_microdata(harvest_job, config, body, name)
        try:
            records = self._records(_frame(body, name, config), config, name)
        except (table.TableError, ValueError) as e:
            self._save_gather_error(str(e), harvest_job)
            return None
        if not records:
            self._save_gather_error(tk._("%s has no rows; nothing was withdrawn") % name,
                                    harvest_job)
            return None
        return self.plan(harvest_job, records)

    def _records(self, df: pd.DataFrame, config: dict, name: str) -> dict[str, dict]:
        key, fields = config["key"], config["fields"]
        missing = sorted({key, *fields.values()} - set(df.columns))
        if missing:
            raise ValueError(tk._("%(file)s: no column %(columns)s") %
                             {"file": name, "columns": ", ".join(missing)})
        _refuse_identifiers(df, config, name)
        records: dict[str, dict] = {}
        first_row: dict[str, int] = {}
        for number, row in enumerate(df.to_dict("records"), start=2):
            guid = str(row.get(key) or "").strip()
            if not guid:
                raise ValueError(tk._("%(file)s, row %(row)s, column %(column)s: the key is "
                                      "empty") % {"file": name, "row": number, "column": key})
            if guid in records:
                raise ValueError(tk._("%(file)s, rows %(first)s and %(row)s: the key %(key)s "
                                      "appears twice") % {"file": name, "first": first_row[guid],
                                                          "row": number, "key": guid})
            first_row[guid] = number
            raw = {field: row.get(column) for field, column in fields.items()}
            package = self.to_package(raw, config)
            package["title"] = raw.get("title") or guid
            package.setdefault("notes", package["title"])
            package["name"] = guid
            records[guid] = package
        return records

    def _gather_microdata(self, harvest_job, config: dict, body: bytes,
                          name: str) -> list[str] | None:
        try:
            df = table.read_bytes(body, name)
            roles = config.get("roles")
            if roles:
                table.check_roles(df, roles, name)
        except table.TableError as e:
            self._save_gather_error(str(e), harvest_job)
            return None
        path = submission.store_bytes(body, name)
        package = {**config["dataset"], "type": POVERTY_DATASET,
                   "_table": {"path": str(path), "filename": name, "size": len(body)}}
        fallbacks = {"notes": config["dataset"]["title"], "access_level": "licensed",
                     "unit_of_observation": "household", "poverty_source": "bmn",
                     "data_type": "ข้อมูลระเบียน", "area_codes": ["52"]}
        for field, value in fallbacks.items():
            package.setdefault(field, value)
        return self.plan(harvest_job, {"microdata": package})

    def prepare(self, data: dict, config: dict, existing) -> dict:
        data.pop("_table", None)
        return super().prepare(data, config, existing)

    def after_import(self, package_id: str, config: dict, harvest_object) -> str | None:
        if config.get("mode") != "microdata":
            return None
        stored = json.loads(harvest_object.content)["package"]["_table"]
        submission.submit(
            package_id, Path(stored["path"]), stored["filename"], stored["size"],
            config.get("roles"),
            {"recodes": config.get("recodes") or {},
             "household_column": config.get("household_column")},
            self._get_user_name())
        return None


def _frame(body: bytes, name: str, config: dict) -> pd.DataFrame:
    """The table as text columns ("" for empty); every problem names file, row, column."""
    kind = config.get("format") or _guess(body, name)
    if kind == "json":
        try:
            data = json.loads(body)
        except ValueError as e:
            raise ValueError(tk._("%(file)s is not JSON (%(error)s)")
                             % {"file": name, "error": e}) from e
        for part in (config.get("records_path") or "").split("."):
            if part:
                if not isinstance(data, dict) or part not in data:
                    raise ValueError(tk._("%(file)s: no %(path)s in the JSON") %
                                     {"file": name, "path": config["records_path"]})
                data = data[part]
        if not isinstance(data, list):
            raise ValueError(tk._("%s: the rows are not a JSON list") % name)
        for number, row in enumerate(data, start=1):
            if not isinstance(row, dict):
                raise ValueError(tk._("%(file)s, row %(row)s: not a JSON object")
                                 % {"file": name, "row": number})
        df = pd.DataFrame([{k: None if v is None else str(v) for k, v in row.items()}
                           for row in data], dtype="string")
    else:
        df = table.read_xlsx(body, name) if kind == "xlsx" else table.read_csv(body, name)
    return df.fillna("")


def _guess(body: bytes, name: str) -> str:
    if body[:2] == b"PK":
        return "xlsx"
    if body.lstrip()[:1] in (b"[", b"{") or name.lower().endswith(".json"):
        return "json"
    return "csv"


def _refuse_identifiers(df: pd.DataFrame, config: dict, name: str) -> None:
    """Household identifiers never become catalogue records: national IDs anywhere in the
    table, or any identifier in a column mapped to a non-contact field, fail the job."""
    published = {column for field, column in config["fields"].items()
                 if field not in CONTACT_FIELDS}
    for finding in detect.find_identifiers(df):
        if finding.kind == "thai_id" or finding.column in published:
            raise ValueError(
                tk._("%(file)s, row %(row)s, column %(column)s: holds %(kind)s (%(count)s "
                     "cells); household tables are harvested with \"mode\": \"microdata\"")
                % {"file": name, "row": finding.rows[0] + 1, "column": finding.column,
                   "kind": finding.kind, "count": finding.count})
