"""Agency programmes as the matching sees them, read from the search index: the index
carries, for each programme, every tambon it serves (a province- or district-wide programme
serves all of theirs), its capacity and dates, so that matching reads thousands of programmes
in one query without opening a dataset. Only public programmes count: profiles and matches
are public figures, the same for everyone.

The list is kept in memory and read again from the index when a cheap query on the
database (count, last change and privacy of the programmes) says it changed; a change of the
last seconds is read from the index every time, since the index may trail the database by
its soft commit."""
from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ckan import model
from ckan.lib.search import query_for
from ckan.lib.search.query import solr_literal

from ..catalogue import areas
from ..catalogue.types import AGENCY_RESOURCE
from ..lib.clock import utcnow
from ..lib.lists import stored_list
from .figures import tambons_of

OPEN_STATUSES = ("open", "ongoing")
FIELDS = ("id", "name", "title", "organization", "vocab_programme_status",
          "vocab_tpmap_dimensions", "vocab_target_groups", "vocab_livelihood_capitals",
          "vocab_programme_kind", "vocab_area_codes", "vocab_capacity",
          "vocab_capacity_unit", "vocab_open_date", "vocab_close_date")
DETAIL_FIELDS = ("id", "validated_data_dict")


def _one(doc: dict[str, Any], name: str) -> str | None:
    values = doc.get(name) or []
    return values[0] if values else None


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


@dataclass
class Programme:
    id: str
    name: str
    title: str
    organization: str
    status: str
    dimensions: frozenset[str]
    groups: frozenset[str]
    capitals: frozenset[str]
    kind: str
    area_codes: tuple[str, ...]
    served: frozenset[str]
    served_key: str
    capacity: int | None
    capacity_unit: str
    open_date: datetime.date | None
    close_date: datetime.date | None

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Programme:
        codes = tuple(doc.get("vocab_area_codes") or [])
        capacity = _one(doc, "vocab_capacity")
        return cls(
            id=doc["id"], name=doc["name"], title=doc.get("title") or doc["name"],
            organization=doc.get("organization") or "",
            status=_one(doc, "vocab_programme_status") or "",
            dimensions=frozenset(doc.get("vocab_tpmap_dimensions") or []),
            groups=frozenset(doc.get("vocab_target_groups") or []),
            capitals=frozenset(doc.get("vocab_livelihood_capitals") or []),
            kind=_one(doc, "vocab_programme_kind") or "",
            area_codes=codes, served=_served(codes), served_key=",".join(sorted(codes)),
            capacity=int(capacity) if capacity and capacity.isdigit() else None,
            capacity_unit=_one(doc, "vocab_capacity_unit") or "households",
            open_date=_date(_one(doc, "vocab_open_date")),
            close_date=_date(_one(doc, "vocab_close_date")))

    def is_open(self, today: datetime.date) -> bool:
        """Taking part now: open or ongoing, and not past its closing date."""
        if self.status not in OPEN_STATUSES:
            return False
        return self.close_date is None or self.close_date >= today

    def scope(self, code: str) -> str:
        """How closely the programme targets area ``code``: ``tambon`` when it names it (or,
        for an amphoe, some of its tambon), ``district`` when it names the district,
        ``province`` when it serves the whole province."""
        if areas.PROVINCE_CODE in self.area_codes:
            return "province"
        inside = tambons_of(code)
        if any(c in inside and len(c) == 6 for c in self.area_codes):
            return "tambon"
        return "district"


def _served(codes: tuple[str, ...]) -> frozenset[str]:
    """Every tambon the (current) codes cover; the index also holds it, for filtering, but
    reading it back for thousands of province-wide programmes costs more than this."""
    if len(codes) == 1:
        return tambons_of(codes[0]) if codes[0] in areas.areas() else frozenset()
    return frozenset().union(*(tambons_of(c) for c in codes if c in areas.areas()))


_CACHE: dict[str, Any] = {"version": None, "programmes": []}
SETTLE = datetime.timedelta(seconds=5)


def _version() -> tuple[Any, ...]:
    pkg = model.Package
    return tuple(model.Session.execute(
        sa.select(sa.func.count(), sa.func.max(pkg.metadata_modified),
                  sa.func.count().filter(pkg.private.is_(True)))
        .where(pkg.type == AGENCY_RESOURCE, pkg.state == "active")).one())


def _from_index(count: int) -> list[Programme]:
    result = query_for(model.Package).run(
        {"q": "*:*", "fq": f"+dataset_type:{AGENCY_RESOURCE}", "fl": ",".join(FIELDS),
         "rows": count + 50, "facet": "false"}, permission_labels=["public"])
    return [Programme.from_doc(doc) for doc in result["results"]]


def public_programmes() -> list[Programme]:
    """Every public programme, from memory unless the catalogue's programmes changed."""
    version = _version()
    if _CACHE["version"] == version:
        return _CACHE["programmes"]
    found = _from_index(version[0] or 0)
    settled = version[1] is None or utcnow() - version[1] > SETTLE
    if settled:
        _CACHE["programmes"], _CACHE["version"] = found, version
    return found


def query(area_code: str | None = None, open_only: bool = False) -> list[Programme]:
    """Public programmes serving ``area_code`` (every one when None or the province)."""
    found = public_programmes()
    if area_code and area_code != areas.PROVINCE_CODE:
        inside = tambons_of(area_code)
        found = [p for p in found if not p.served.isdisjoint(inside)]
    if open_only:
        found = [p for p in found if p.status in OPEN_STATUSES]
    return found


def details(ids: list[str]) -> dict[str, dict[str, Any]]:
    """The full records of a few programmes (for what a page or an answer shows)."""
    if not ids:
        return {}
    result = query_for(model.Package).run(
        {"q": "*:*", "fq": f"+id:({' OR '.join(solr_literal(i) for i in ids)})",
         "fl": ",".join(DETAIL_FIELDS), "rows": len(ids), "facet": "false"},
        permission_labels=["public"])
    return {doc["id"]: json.loads(doc["validated_data_dict"]) for doc in result["results"]}


def served_tambons(codes: list[str]) -> set[str]:
    """Every current tambon an area list covers (old codes resolved, unknown ones left out)."""
    found: set[str] = set()
    for code in codes:
        try:
            found |= tambons_of(areas.resolve(code))
        except areas.UnknownAreaCode:
            continue
    return found


def index_fields(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """What matching reads from the index, added to a programme's index document."""
    if pkg_dict.get("type") != AGENCY_RESOURCE:
        return pkg_dict
    data = json.loads(pkg_dict.get("validated_data_dict") or "{}") or pkg_dict
    codes = []
    for code in stored_list(data.get("area_codes")):
        try:
            codes.append(areas.resolve(code))
        except areas.UnknownAreaCode:
            continue
    tambons = served_tambons(codes)
    pkg_dict["vocab_area_codes"] = sorted(set(codes))
    pkg_dict["vocab_served_tambon"] = sorted(tambons)
    pkg_dict["vocab_served_district"] = sorted({areas.amphoe_of(t) or "" for t in tambons})
    for field in ("capacity", "capacity_unit", "open_date", "close_date"):
        value = data.get(field)
        if value not in (None, ""):
            pkg_dict[f"vocab_{field}"] = [str(value)[:10] if "date" in field else str(value)]
    return pkg_dict
