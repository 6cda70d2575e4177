"""The one list of column roles and recode methods of the gate, with their names and help text
(message ids, translated when shown), and the check of an editor's choice of roles, recodes
and levels: detection, proposals, the form, the API and the harvester all take them from here.
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Collection
from typing import Any

from .hierarchy import KINDS, LEVELS, SUPPRESSED_LEVEL
from .numeric import METHODS as NUMERIC_METHODS
from .table import _, _translated

ROLES = ("direct_identifier", "household_key", "quasi_identifier", "sensitive", "other")

LABELS = {
    "direct_identifier": _("Remove (direct identifier or key)"),
    "household_key": _("Keep as household pseudonym"),
    "quasi_identifier": _("Quasi-identifier (recode)"),
    "sensitive": _("Sensitive (protect)"),
    "other": _("Publish as it is"),
}
HELP = {
    "direct_identifier": _("Names, national IDs, phones, addresses, coordinates, record and "
                           "household codes, free text: removed from the release."),
    "household_key": _("The column that groups persons into households, published only as "
                       "random pseudonyms (H001, H002, ...) that reveal nothing of the codes. "
                       "Analysts can then group members, but whoever knows a household's "
                       "composition (area, size, sex and age of its members) may find it: the "
                       "gate keeps each household's composition risk within the household "
                       "risk threshold, unlinking the few households it must."),
    "quasi_identifier": _("Something others may know about a person (area, sex, age, "
                          "household size): recoded along its hierarchy, so that every "
                          "combination is shared by at least k records."),
    "sensitive": _("What the data are for (income, disability, illness, welfare): each group "
                   "of records must hold at least l different values; numbers are never "
                   "published exactly by default."),
    "other": _("Published exactly as it is: only for columns that nobody could use to find a "
               "person."),
}

# Recode methods by role (the first is the default). A quasi-identifier's method names its
# hierarchy; a sensitive column's how its numbers are coded (keep: categories as they are).
SENSITIVE_METHODS = (*NUMERIC_METHODS, "keep")
METHODS: dict[str, tuple[str, ...]] = {
    "direct_identifier": ("drop",), "household_key": ("pseudonym",),
    "quasi_identifier": KINDS, "sensitive": SENSITIVE_METHODS, "other": ("keep",)}
METHOD_LABELS = {
    "age": _("age: exact, 5, 10, 20-year bands"),
    "area": _("area code: tambon, amphoe, province"),
    "household_size": _("household size: exact, capped at 6+, groups"),
    "date": _("date: exact, month, year"),
    "numeric": _("number: exact, 2 significant digits, 10 or 4 bands"),
    "categorical": _("categories: exact, rare ones merged"),
    "bands": _("bands between the bottom and top cuts"),
    "round": _("rounded to 2 significant digits between the cuts"),
    "topcode": _("exact between the cuts (only the extremes coded)"),
    "keep": _("published as it is"),
    "drop": _("removed"),
    "pseudonym": _("random household pseudonyms"),
}
METHOD_HELP = {
    "bands": _("Values below the bottom percentile and from the top percentile up are coded "
               "as ranges (outliers included); in between, a few bands. The safe default."),
    "round": _("Extremes coded as ranges; in between, values rounded to 2 significant digits."),
    "topcode": _("Extremes coded as ranges; in between, exact values are published (the "
                 "release is flagged amber)."),
    "keep": _("Published as they are: for categories such as yes/no. Numbers kept exact are "
              "flagged amber."),
}
# Compatibility: the first gate's method names, read as the hierarchy they started.
LEGACY_METHODS = {"age_band": "quasi_identifier", "tambon_to_amphoe": "quasi_identifier",
                  "cap": "quasi_identifier", "income_band": "sensitive"}
_SPEC_KEYS = {"quasi_identifier": {"method", "level", "min_level", "max_level", "width", "top",
                                   "at"},
              "sensitive": {"method", "bottom", "top", "bands"}}


def label(name: str) -> str:
    """A role, method or level name in the current language."""
    message = LABELS.get(name) or METHOD_LABELS.get(name) or name
    return _translated(message)


def level_names(kind: str) -> list[str]:
    """Every level a quasi-identifier of ``kind`` may be published at (message ids)."""
    return [*LEVELS[kind], SUPPRESSED_LEVEL]


@dataclasses.dataclass
class SettingError:
    """A refused choice: ``field`` is roles, recodes or household_column."""
    field: str
    message: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)

    def text(self) -> str:
        return _translated(self.message) % self.params


def _level_error(column: str, kind: str, name: str, value: Any) -> SettingError | None:
    names = level_names(kind)
    if isinstance(value, bool):
        ok = False
    elif isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        number = int(value)
        ok = 0 <= number < len(names) or (kind == "age" and number in (5, 10, 20))
    else:
        ok = value in names
    if ok:
        return None
    return SettingError("recodes", _("column %(column)s: %(name)s %(value)s is not a level of "
                                     "the %(kind)s hierarchy (one of: %(levels)s)"),
                        {"column": column, "name": name, "value": value, "kind": kind,
                         "levels": ", ".join(names)})


def _percentile(column: str, spec: dict, name: str) -> SettingError | None:
    value = spec.get(name)
    try:
        ok = isinstance(value, int | float | str) and not isinstance(value, bool) \
            and math.isfinite(float(value)) and 0 <= float(value) <= 100
    except ValueError:
        ok = False
    if ok:
        return None
    return SettingError("recodes", _("column %(column)s: %(name)s must be a percentile from 0 "
                                     "to 100, not %(value)s"),
                        {"column": column, "name": name, "value": value})


def check_recode(column: str, role: str, spec: Any) -> list[SettingError]:
    """What is wrong with one column's recode for its role (nothing: an empty list)."""
    if not isinstance(spec, dict):
        return [SettingError("recodes", _("column %(column)s: a recode must be an object "
                                          "such as {\"method\": ...}"), {"column": column})]
    method = spec.get("method")
    allowed = METHODS[role]
    if method is None and role in ("quasi_identifier", "sensitive"):
        method = allowed[0] if role == "sensitive" else None
    elif method not in allowed and LEGACY_METHODS.get(str(method)) != role:
        return [SettingError("recodes", _("column %(column)s: method %(method)s does not fit "
                                          "the role %(role)s (one of: %(methods)s)"),
                             {"column": column, "method": method, "role": role,
                              "methods": ", ".join(allowed)})]
    unknown = sorted(set(spec) - _SPEC_KEYS.get(role, {"method"}))
    if unknown:
        return [SettingError("recodes", _("column %(column)s: unknown setting %(name)s"),
                             {"column": column, "name": ", ".join(map(str, unknown))})]
    errors: list[SettingError | None] = []
    if role == "quasi_identifier" and method is None and {"level", "min_level",
                                                          "max_level"} & set(spec):
        errors.append(SettingError("recodes", _("column %(column)s: a level needs the method "
                                                "(hierarchy) it belongs to"), {"column": column}))
    if role == "quasi_identifier" and method in KINDS:
        errors += [_level_error(column, method, name, spec[name])
                   for name in ("level", "min_level", "max_level") if name in spec]
    if role == "sensitive":
        errors += [_percentile(column, spec, name) for name in ("bottom", "top") if name in spec]
        if "bands" in spec and not (isinstance(spec["bands"], int)
                                    and not isinstance(spec["bands"], bool)
                                    and 2 <= spec["bands"] <= 100):
            errors.append(SettingError("recodes", _("column %(column)s: bands must be a whole "
                                                    "number from 2 to 100, not %(value)s"),
                                       {"column": column, "value": spec["bands"]}))
        if not any(errors) and "bottom" in spec and "top" in spec and \
                float(spec["bottom"]) >= float(spec["top"]):
            errors.append(SettingError("recodes", _("column %(column)s: the bottom percentile "
                                                    "must be below the top one"),
                                       {"column": column}))
    return [e for e in errors if e is not None]


def check(roles: Any, recodes: Any = None, columns: Collection[str] | None = None,
          household: Any = None) -> list[SettingError]:
    """Every reason the choice of roles, recodes and household column cannot be used:
    unknown roles, columns the table does not have, methods that do not fit a column's role,
    levels its hierarchy does not have, percentiles out of range."""
    if not isinstance(roles, dict) or not all(isinstance(r, str) for r in roles.values()):
        return [SettingError("roles", _("roles must map each column to one of: %(roles)s"),
                             {"roles": ", ".join(ROLES)})]
    errors = []
    bad = sorted({r for r in roles.values() if r not in ROLES})
    if bad:
        errors.append(SettingError("roles", _("unknown role %(role)s (one of: %(roles)s)"),
                                   {"role": ", ".join(bad), "roles": ", ".join(ROLES)}))
    kept = [c for c, r in roles.items() if r == "household_key"]
    if len(kept) > 1:
        errors.append(SettingError("roles", _("only one column can be kept as the household "
                                              "key, not %(columns)s"),
                                   {"columns": ", ".join(kept)}))
    for name, given in (("roles", roles), ("recodes", recodes or {})):
        missing = [c for c in given if columns is not None and c not in columns]
        if missing:
            errors.append(SettingError(name, _("column %(column)s: the table has no such "
                                               "column"), {"column": ", ".join(missing)}))
    if household and columns is not None and household not in columns:
        errors.append(SettingError("household_column", _("column %(column)s: the table has "
                                                         "no such column"),
                                   {"column": household}))
    if not isinstance(recodes or {}, dict):
        return [*errors, SettingError("recodes", _("recodes must map columns to objects"))]
    for column, spec in (recodes or {}).items():
        role = roles.get(column)
        if role in ROLES and (columns is None or column in columns):
            errors += check_recode(column, role, spec)
    return errors
