"""What the catalogue adds to the search index (facet fields, the derived spatial extent) and
how facets are titled and labelled in the reader's language."""
from __future__ import annotations

import contextlib
import datetime
import json
from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ..lib.lists import stored_list
from ..quality import index as quality_index
from ..quality import labels as quality_labels
from . import areas, spatial, vocabulary
from .labels import area_label, choice_labels, current_lang, type_labels
from .types import POVERTY_DATASET

# Vocabulary fields of the schemas, indexed as vocab_<field> and labelled from the vocabulary.
VOCABULARY_FIELDS = {
    "livelihood_capitals": "livelihood_capitals",
    "tpmap_dimensions": "tpmap_dimensions",
    "target_groups": "target_groups",
    "programme_kind": "programme_kinds",
    "strategy_issues": "strategy_issues",
}
# Fields indexed as they are (single choices and the proposal-to-evidence links).
PLAIN_FIELDS = ("access_level", "poverty_source", "proposal_status", "programme_status",
                "evidence_datasets")
# Dates that give a record its year facet, in order of preference.
YEAR_FIELDS = ("reference_period_start", "publication_date", "open_date")


def facet_titles() -> dict[str, str]:
    """Facet field -> title, in display order (titles are translated at request time)."""
    return {
        "dataset_type": tk._("Type"),
        "vocab_district": tk._("District"),
        "vocab_tambon": tk._("Tambon"),
        "vocab_livelihood_capitals": tk._("Livelihood capital"),
        "vocab_tpmap_dimensions": tk._("TPMAP dimension"),
        "vocab_target_groups": tk._("Target group"),
        "vocab_programme_kind": tk._("Kind of support"),
        "organization": tk._("Organisation"),
        "vocab_sector": tk._("Sector"),
        "vocab_access_level": tk._("Access level"),
        "res_format": tk._("Format"),
        "vocab_year": tk._("Year"),
        "freshness": tk._("Freshness"),
        "quality_band": tk._("Quality score"),
    }


def _year(pkg_dict: dict[str, Any]) -> int | None:
    for field in YEAR_FIELDS:
        value = pkg_dict.get(field)
        if value:
            try:
                return datetime.date.fromisoformat(str(value)[:10]).year
            except ValueError:
                continue
    if pkg_dict.get("fiscal_year"):
        try:
            return int(pkg_dict["fiscal_year"]) - 543
        except ValueError:
            return None
    return None


# Sectors read in advance for a batch of records (``ckan lampangpoverty reindex`` reads every
# organisation's in one query instead of one query per record); None outside such a batch.
_known_sectors: dict[str, str | None] | None = None


@contextlib.contextmanager
def sectors_read_ahead() -> Iterator[None]:
    """Within the block, organisation sectors come from one query made at its start."""
    global _known_sectors
    table = model.group_table.c
    rows = model.Session.query(table.id, table.name, table.extras).filter(
        table.is_organization.is_(True))
    found = [(id_, name, (extras or {}).get("sector")) for id_, name, extras in rows]
    # As Group.get finds them: by id first, then by name.
    _known_sectors = {name: sector for _id, name, sector in found}
    _known_sectors.update((id_, sector) for id_, _name, sector in found)
    try:
        yield
    finally:
        _known_sectors = None


def _sector(owner_org: str | None) -> str | None:
    if owner_org and _known_sectors is not None and owner_org in _known_sectors:
        return _known_sectors[owner_org]
    org = model.Group.get(owner_org) if owner_org else None
    return org.extras.get("sector") if org else None  # type: ignore[attr-defined]


def area_names(codes: set[str | None]) -> list[str]:
    """The Thai and English names of the areas a record serves (its tambons and their
    districts), for the catch-all ``text`` field only (not stored, not a facet), so that
    searching "งาว", "อำเภองาว" or "Ngao" finds every record serving Ngao, whichever level
    it names. Thai names are also indexed with their prefix (อำเภอ, ตำบล): Thai writes it
    without a space, and the tokenizer keeps it in the phrase."""
    found = areas.areas()
    names: set[str] = set()
    for code in filter(None, codes):
        area = found[code]
        prefix = "อำเภอ" if area.level == "amphoe" else "ตำบล"
        names.update(n for n in (area.name_th, prefix + area.name_th, area.name_en) if n)
    return sorted(names)


def index_fields(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """Add the facet fields and, unless the record has an explicit extent, the extent of its
    areas (as ``spatial``, which ckanext-spatial indexes after us)."""
    data = json.loads(pkg_dict.get("validated_data_dict") or "{}") or pkg_dict
    codes = stored_list(data.get("area_codes"))
    districts, tambons = set(), set()
    for code in codes:
        try:
            current = areas.resolve(code)
        except areas.UnknownAreaCode:
            continue
        level = areas.areas()[current].level
        if level == "tambon":
            tambons.add(current)
            districts.add(areas.amphoe_of(current))
        elif level == "amphoe":
            districts.add(current)
    pkg_dict["vocab_district"] = sorted(districts)
    pkg_dict["vocab_tambon"] = sorted(tambons)
    text = pkg_dict.get("text") or []
    pkg_dict["text"] = [*(text if isinstance(text, list) else [text]),
                        *area_names(districts | tambons)]

    for field in (*VOCABULARY_FIELDS, *PLAIN_FIELDS):
        values = stored_list(data.get(field))
        if values:
            pkg_dict[f"vocab_{field}"] = values
    sector = _sector(data.get("owner_org"))
    if sector:
        pkg_dict["vocab_sector"] = [sector]
    year = _year(data)
    if year:
        pkg_dict["vocab_year"] = [str(year)]

    if codes and not (pkg_dict.get("spatial") or pkg_dict.get("extras_spatial")):
        derived = spatial.extent(codes)
        if derived:
            # ckanext-spatial looks for extras_spatial and reads spatial.
            pkg_dict["spatial"] = pkg_dict["extras_spatial"] = derived
    return quality_index.index_fields(pkg_dict)


def label_facets(search_results: dict[str, Any]) -> dict[str, Any]:
    """Give each facet item a display name in the reader's language."""
    facets = search_results.get("search_facets") or {}
    if not facets:
        return search_results
    lang = current_lang()
    static = {
        "dataset_type": {t: many[:1].upper() + many[1:]
                         for t, (_one, many) in type_labels().items()},
        "vocab_sector": choice_labels("organization", "sector", lang, organization=True),
        "vocab_access_level": choice_labels(POVERTY_DATASET, "access_level", lang),
        "freshness": quality_labels.freshness(),
        "quality_band": quality_labels.bands(),
    }
    for field, facet in facets.items():
        items = facet.get("items", [])
        names = [i["name"] for i in items]
        if field in static:
            names_to_label = static[field]
        elif field in ("vocab_district", "vocab_tambon"):
            names_to_label = {n: area_label(n, lang) for n in names}
        elif field.removeprefix("vocab_") in VOCABULARY_FIELDS:
            found = vocabulary.labels(names)
            names_to_label = {n: found[n].get(lang) or found[n].get("en") or n for n in names}
        elif field == "vocab_year":
            names_to_label = {n: str(int(n) + 543) if lang == "th" else n for n in names}
        else:
            continue
        for item in items:
            item["display_name"] = names_to_label.get(item["name"], item["display_name"])
    return search_results

