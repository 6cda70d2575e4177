"""Lampang administrative areas (DOPA geocodes) as a controlled vocabulary.

Everything comes from the ``geothai`` package: province 52, its 13 amphoe and their current
tambon, with Thai and English names. Old codes are looked up in ``geothai.abolished``: one that
geothai links to a single current Lampang code resolves to that code, any other code is refused
with :class:`UnknownAreaCode`. Messages are plain English; callers translate if they need to.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import geothai
from geothai.abolished import abolished_areas

__all__ = [
    "PILOT_DISTRICTS",
    "PROVINCE_CODE",
    "Area",
    "UnknownAreaCode",
    "amphoe_of",
    "areas",
    "choices",
    "label",
    "old_codes",
    "resolve",
]

PROVINCE_CODE = "52"
PILOT_DISTRICTS = ("5201", "5205", "5208", "5210", "5213")

_LEVELS = ("province", "amphoe", "tambon")
_CODE = re.compile(r"\d{2}|\d{4}|\d{6}")


@dataclass(frozen=True)
class Area:
    """One area of Lampang. ``pilot`` is true for a pilot amphoe and for its tambon."""

    code: str
    level: str  # "province" | "amphoe" | "tambon"
    name_th: str
    name_en: str
    parent: str | None
    pilot: bool


class UnknownAreaCode(ValueError):
    """A code that is not a current area of Lampang province.

    ``current`` is the code to use instead when geothai knows a single one; ``candidates`` lists
    every current code geothai names for an old code (more than one when the area was split).
    """

    def __init__(self, code: str, current: str | None = None,
                 candidates: tuple[str, ...] = ()) -> None:
        self.code = code
        self.current = current
        self.candidates = candidates or ((current,) if current else ())
        super().__init__(_message(code, current, self.candidates))


def _message(code: str, current: str | None, candidates: tuple[str, ...]) -> str:
    shown = code or "An empty code"
    if current:
        if current in areas():
            return (f"{shown} is not a current area code of Lampang province; "
                    f"use {current} ({_describe(current)})")
        return (f"{shown} is no longer in use; its area is now {current}, "
                "which is not in Lampang province")
    if candidates:
        return (f"{shown} is not a current area code of Lampang province; its area was split, "
                f"use one of {', '.join(candidates)}")
    if code in old_codes():
        return (f"{shown} is an old area code of Lampang province and no current code "
                "is known for it")
    elsewhere = _province_of(code)
    if elsewhere:
        return f"{shown} is not an area code of Lampang province (it is in {elsewhere})"
    return f"{shown} is not an area code of Lampang province"


def _describe(code: str) -> str:
    """English name of a current Lampang code, with its amphoe for a tambon."""
    area = areas()[code]
    if area.level == "tambon" and area.parent:
        return f"{area.name_en}, {areas()[area.parent].name_en}"
    return area.name_en


def _province_of(code: str) -> str | None:
    """``"<name> province"`` for a current code of another province, else ``None``."""
    found = {2: geothai.province, 4: geothai.district, 6: geothai.subdistrict}.get(len(code))
    if found is None or not code.isdigit() or found(code) is None:
        return None
    province = geothai.province(code[:2])
    return f"{province.name_en} province" if province else None


@cache
def areas() -> dict[str, Area]:
    """Every current area of Lampang, keyed and ordered by code (so each amphoe is followed by
    its tambon). The dict is shared between calls: do not modify it."""
    province = geothai.province(PROVINCE_CODE)
    if province is None:
        raise RuntimeError(f"geothai {geothai.DATA_VERSION} has no province {PROVINCE_CODE}")
    found = {PROVINCE_CODE: Area(PROVINCE_CODE, "province", province.name_th, province.name_en,
                                 None, False)}
    for district in geothai.districts(PROVINCE_CODE):
        pilot = district.code in PILOT_DISTRICTS
        found[district.code] = Area(district.code, "amphoe", district.name_th, district.name_en,
                                    PROVINCE_CODE, pilot)
        for sub in geothai.subdistricts(district.code):
            found[sub.code] = Area(sub.code, "tambon", sub.name_th, sub.name_en, district.code,
                                   pilot)
    return dict(sorted(found.items()))


@cache
def _abolished() -> dict[str, tuple[str, ...]]:
    """Every code geothai lists as abolished, with the current codes that took its place."""
    return {a.code: a.successors for a in abolished_areas()}


@cache
def old_codes() -> dict[str, tuple[str, ...]]:
    """The old (abolished) codes of Lampang that geothai knows, ordered by code, each with the
    current codes that took its place (empty when geothai knows none). Shared: do not modify."""
    return {code: successors for code, successors in sorted(_abolished().items())
            if code.startswith(PROVINCE_CODE)}


def resolve(code: str) -> str:
    """The current Lampang code for ``code``.

    A current code is returned as it is (without surrounding whitespace). An old code that
    geothai links to exactly one current Lampang code is replaced by it. Anything else, including
    any code outside province 52, raises :class:`UnknownAreaCode`. geothai's link comes from a
    Royal Gazette notice or, for codes DOPA dropped in 2006, from the one current tambon of the
    province with the same Thai name (``Abolished.successors_basis`` "notice" or "name").
    """
    text = code.strip()
    current = areas()
    if text in current:
        return text
    successors = _abolished().get(text) if _CODE.fullmatch(text) else None
    if successors:
        if len(successors) == 1 and successors[0] in current:
            return successors[0]
        if text.startswith(PROVINCE_CODE) or any(s in current for s in successors):
            single = successors[0] if len(successors) == 1 else None
            raise UnknownAreaCode(text, single, successors)
    raise UnknownAreaCode(text)


def amphoe_of(code: str) -> str | None:
    """The amphoe code of a tambon, the code itself for an amphoe, ``None`` for the province.

    Old codes are resolved first; unknown codes raise :class:`UnknownAreaCode`.
    """
    area = areas()[resolve(code)]
    if area.level == "province":
        return None
    return area.code if area.level == "amphoe" else area.parent


def label(code: str, lang: str) -> str:
    """The name of an area: Thai for ``"th"``, otherwise English (Thai when there is none).

    Old codes are resolved first; unknown codes raise :class:`UnknownAreaCode`.
    """
    area = areas()[resolve(code)]
    if _lang(lang) == "th":
        return area.name_th
    return area.name_en or area.name_th


def _lang(lang: str) -> str:
    return re.split(r"[_-]", lang.strip().lower(), maxsplit=1)[0]


def _choice_label(area: Area) -> dict[str, str]:
    if area.level == "province":
        return {"en": f"{area.name_en} province", "th": f"จังหวัด{area.name_th}"}
    if area.level == "amphoe":
        return {"en": f"{area.name_en} district", "th": f"อำเภอ{area.name_th}"}
    amphoe = areas()[area.parent or ""]
    return {"en": f"{area.name_en} ({amphoe.name_en})",
            "th": f"{area.name_th} ({amphoe.name_th})"}


def choices() -> list[dict[str, Any]]:
    """Choices for ckanext-scheming: the province, then the amphoe, then the tambon, each in code
    order. Tambon labels name their amphoe, so a tambon such as แม่เมาะ is not taken for the
    amphoe of the same name, and is easy to place."""
    return [{"value": area.code, "label": _choice_label(area)}
            for level in _LEVELS
            for area in areas().values() if area.level == level]
