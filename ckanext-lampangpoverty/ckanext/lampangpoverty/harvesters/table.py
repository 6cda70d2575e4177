"""``lampangpoverty_table``: a CSV, XLSX or JSON table at a URL.

Mode ``records`` (the default): each row becomes a record (``agency-resource`` programmes,
or area-aggregate ``poverty-dataset`` records); the config maps our fields to columns and
names the key column that gives each row its identity. The whole table is checked before
anything is planned: a ragged row, a row without key, two rows with one key, or a column
holding household identifiers ends the job as failed and changes nothing.

Mode ``microdata``: the table is household or person data. It becomes one private
``poverty-dataset`` (fields from ``dataset``) whose table is handed to the disclosure gate,
exactly like an upload: nothing of it is public until a release passes.

Tables are read as agencies export them (:py:mod:`.tables`: title rows, two-row merged
headers, blank lines, notes and totals) and their cells as agencies write them: B.E. dates
(15/03/2568, 15 มี.ค. 2568), years in B.E. or C.E., amounts with thousands separators and
currency signs, "-" for empty. A cell that cannot be read without guessing (1.234,56) is
left out with a warning naming its row and column, never changed.

Config (JSON)::

    {"mode": "records", "type": "agency-resource", "format": "csv",
     "key": "รหัสโครงการ",
     "fields": {"title": "ชื่อโครงการ", "area_codes": "อำเภอ", "budget_baht": "งบประมาณ"},
     "defaults": {"programme_kind": "livelihood", "programme_status": "open"},
     "header_row": 3, "header_rows": 2, "skip_rows": [5], "footer_rows": 2,
     "totals": "^รวม",
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
from ..lib import values
from . import base, checks, http, tables
from .labels import N_, message
from .mapping import Target

FORMATS = ("csv", "xlsx", "json")
MODES = ("records", "microdata")
# Fields meant to carry an agency's contact details: names and phones are expected there.
CONTACT_FIELDS = ("maintainer", "maintainer_email", "contact_phone", "how_to_apply")
# A household table's record: what the config's "dataset" does not say. The areas are not
# among them: the config says which areas the table covers.
MICRODATA_FALLBACKS = {"access_level": "licensed", "unit_of_observation": "household",
                       "poverty_source": "bmn", "data_type": "ข้อมูลระเบียน", "notes": ""}


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
    fields = checks.schema_fields(checks.target_type(config))
    unknown = sorted(set(value) - set(fields))
    if unknown:
        raise ValueError(tk._("not fields of %(type)s: %(fields)s")
                         % {"type": checks.target_type(config),
                            "fields": ", ".join(unknown)})
    if "title" not in value:
        raise ValueError(tk._("title must be mapped to a column"))
    return value


def _check_dataset(value: Any, config: dict) -> dict:
    if not isinstance(value, dict) or not value.get("title"):
        raise ValueError(tk._("must be an object of poverty-dataset fields with a title"))
    return checks.check_values(value, POVERTY_DATASET)


def _check_rows(value: Any, config: dict) -> list[int]:
    if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in value):
        raise ValueError(tk._("must be a list of row numbers (counted from 1)"))
    return value


def _check_count(value: Any, config: dict) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(tk._("must be a whole number of 0 or more"))
    return value


def _check_pattern(value: Any, config: dict) -> str:
    import re

    try:
        re.compile(checks.check_text(value, config))
    except re.error as e:
        raise ValueError(tk._("is not a valid regular expression (%s)") % e) from e
    return value


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
    checks: ClassVar[dict[str, checks.Check]] = {
        "mode": _check_choice(MODES), "format": _check_choice(FORMATS),
        "key": checks.check_text, "fields": _check_fields, "records_path": checks.check_text,
        "dataset": _check_dataset, "roles": _check_roles, "recodes": _check_recodes,
        "household_column": checks.check_text, "header_row": checks.check_positive_int,
        "header_rows": checks.check_positive_int, "skip_rows": _check_rows,
        "footer_rows": _check_count, "totals": _check_pattern}

    def validate_config(self, config: str | None) -> str:
        if not config or not config.strip():
            config = "{}"
        data = checks.parse(config, {**checks.COMMON_CHECKS, **self.checks})
        needed = ("dataset",) if data.get("mode") == "microdata" else ("key", "fields")
        missing = [key for key in needed if key not in data]
        if missing:
            word = tk._("missing")  # outside the f-string, where Babel's extraction finds it
            raise ValueError("; ".join(f"{key}: {word}" for key in missing))
        if data.get("mode") == "microdata":
            fields = set(data["dataset"]) | set(MICRODATA_FALLBACKS)
            checks.check_required({"type": POVERTY_DATASET, "defaults": {}}, fields)
        else:
            checks.check_required(data, {"title", "notes", *data["fields"]})
        return config

    def gather(self, harvest_job) -> list[str] | None:
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
            kind = config.get("format") or _guess(body, name)
            read = tables.read(tables.grid(body, name, kind, config), name, config)
            records = self._records(read, config, name)
        except (table.TableError, ValueError) as e:
            self._save_gather_error(str(e), harvest_job)
            return None
        if not records:
            self._save_gather_error(tk._("%s has no rows; nothing was withdrawn") % name,
                                    harvest_job)
            return None
        return self.plan(harvest_job, records)

    def _records(self, read: tables.Table, config: dict, name: str) -> dict[str, dict]:
        df, key, fields = read.frame, config["key"], config["fields"]
        missing = sorted({key, *fields.values()} - set(df.columns))
        if missing:
            raise ValueError(tk._("%(file)s: no column %(columns)s (the header reads: "
                                  "%(header)s)") % {"file": name, "columns": ", ".join(missing),
                                                    "header": ", ".join(df.columns)})
        _refuse_identifiers(df, config, name, read.lines)
        records: dict[str, dict] = {}
        first_row: dict[str, int] = {}
        target = Target(config)
        for number, row in zip(read.lines, df.to_dict("records"), strict=True):
            guid = str(row.get(key) or "").strip()
            if not guid and tables.is_total(row, key):
                continue
            if not guid:
                raise ValueError(tk._("%(file)s, row %(row)s, column %(column)s: the key is "
                                      "empty") % {"file": name, "row": number, "column": key})
            if guid in records:
                raise ValueError(tk._("%(file)s, rows %(first)s and %(row)s: the key %(key)s "
                                      "appears twice") % {"file": name, "first": first_row[guid],
                                                          "row": number, "key": guid})
            first_row[guid] = number
            raw = {field: row.get(column) for field, column in fields.items()}
            planned = self.map(raw, config, target)
            planned["warnings"] = [_located(w, name, number, fields)
                                   for w in planned["warnings"]]
            package = planned["package"]
            package["title"] = raw.get("title") or guid
            package.setdefault("notes", package["title"])
            package["name"] = guid
            records[guid] = planned
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
        for field, value in {**MICRODATA_FALLBACKS,
                             "notes": config["dataset"]["title"]}.items():
            package.setdefault(field, value)
        return self.plan(harvest_job, {"microdata": {"package": package, "warnings": []}})

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


def _guess(body: bytes, name: str) -> str:
    if body[:2] == b"PK":
        return "xlsx"
    if body.lstrip()[:1] in (b"[", b"{") or name.lower().endswith(".json"):
        return "json"
    return "csv"


def _located(warning: dict, name: str, row: int, fields: dict[str, str]) -> dict:
    """A record's warning with the cell it is about: file, row and column."""
    field = (warning.get("params") or {}).get("field")
    if field in fields:
        return message(N_("%(file)s, row %(row)s, column %(column)s: %(warning)s"),
                       file=name, row=row, column=fields[str(field)], warning=warning)
    return message(N_("%(file)s, row %(row)s: %(warning)s"), file=name, row=row,
                   warning=warning)


def _reads_as_value(cell: str) -> bool:
    """A date or a number: never a house address or a phone number, whatever it looks like
    (15/03/2568 is not house number 15/03)."""
    if values.looks_like_date(cell):
        return True
    for reader in (values.date, values.number):
        try:
            if reader(cell) is not None:
                return True
        except values.Unreadable:
            continue
    return False


def _refuse_identifiers(df: pd.DataFrame, config: dict, name: str, lines: list[int]) -> None:
    """Household identifiers never become catalogue records: national IDs anywhere in the
    table, or any identifier in a column mapped to a non-contact field, fail the job."""
    published = {column for field, column in config["fields"].items()
                 if field not in CONTACT_FIELDS}
    for finding in detect.find_identifiers(df):
        if finding.kind != "thai_id" and finding.column not in published:
            continue
        rows = finding.rows if finding.kind == "thai_id" else [
            r for r in finding.rows if not _reads_as_value(str(df[finding.column].iloc[r - 1]))]
        if rows:
            raise ValueError(
                tk._("%(file)s, row %(row)s, column %(column)s: holds %(kind)s (%(count)s "
                     "cells); household tables are harvested with \"mode\": \"microdata\"")
                % {"file": name, "row": lines[rows[0] - 1], "column": finding.column,
                   "kind": finding.kind, "count": len(rows)})
