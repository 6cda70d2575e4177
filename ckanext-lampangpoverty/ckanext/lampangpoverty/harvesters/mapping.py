"""A partner's record mapped into one of our types, field by field, without loss.

- A value that fits a field of ours (after reading it as agencies write it: B.E. or C.E.
  years, dd/mm/yyyy dates, numbers with separators, labels instead of codes, licence titles
  or URLs, format URIs) is stored in that field.
- An optional value that cannot be read leaves the field empty, is kept as the extra
  ``original_<field>`` and adds a warning to the job report; only a required field left
  empty refuses the record (CKAN's validation says which).
- A source field that has no field of ours (GD-Catalog's ``data_support``, a DCAT
  ``provenance``...) is kept as an extra under its own name.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..catalogue import areas, filetypes, licences
from ..lib import values
from ..lib.lists import as_list
from ..logic.validators import tag_name_ok
from .checks import choices, is_multiple, schema_fields, target_type
from .labels import N_, message

# Keys of a CKAN package (and of ckanext-dcat's parse) that are the source's bookkeeping,
# not metadata to keep.
SKIP = {"id", "name", "type", "state", "private", "owner_org", "organization", "groups",
        "metadata_created", "metadata_modified", "creator_user_id", "revision_id",
        "num_tags", "num_resources", "relationships_as_object", "relationships_as_subject",
        "tracking_summary", "isopen", "license_title", "license_url", "extras", "resources",
        "tags", "tag_string", "harvest", "harvest_object_id", "harvest_source_id",
        "harvest_source_title", "harvest_url", "guid", "spatial_harvester", "dataset_type",
        "license_id", "license", "license_id_other", "title", "notes", "url", "title_translated",
        "notes_translated"}
CORE_TEXT = ("version", "author", "author_email")
# Keys of a CKAN package itself: an extra may not share them.
PACKAGE_KEYS = {"id", "name", "title", "notes", "url", "version", "author", "author_email",
                "maintainer", "maintainer_email", "license_id", "type", "owner_org", "private",
                "state", "metadata_created", "metadata_modified", "creator_user_id", "tags",
                "resources", "groups", "extras", "relationships_as_object",
                "relationships_as_subject", "organization"}
RESOURCE_SKIP = {"id", "package_id", "position", "created", "metadata_modified", "state",
                 "cache_url", "cache_last_updated", "datastore_active", "url_type",
                 "tracking_summary", "revision_id", "last_modified", "resource_type",
                 "mimetype_inner", "has_views", "on_same_domain", "uri", "distribution_ref"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PREFIXES = re.compile(r"^(จังหวัด|จ\.|อำเภอ|อ\.|ตำบล|ต\.|changwat|province of|province|"
                       r"amphoe|district|tambon|subdistrict)\s*", re.IGNORECASE)


def _norm(text: object) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


def _text(value: object) -> str:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _short(value: object) -> str:
    text = _text(value)
    return text if len(text) <= 80 else text[:77] + "…"


class Target:
    """The type a source's records become: its fields and, once per gather, the values
    each field allows with their labels (choice lists can come from the database)."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.type = target_type(config)
        self.fields = schema_fields(self.type)
        self._lookups: dict[str, dict[str, str] | None] = {}

    def lookup(self, name: str) -> dict[str, str] | None:
        """Normalised value or label -> allowed value; None when the field takes any."""
        if name not in self._lookups:
            field_ = self.fields[name]
            allowed = choices(field_)
            if allowed is None:
                self._lookups[name] = None
            else:
                table: dict[str, str] = {}
                from ckanext.scheming.helpers import scheming_field_choices

                for choice in scheming_field_choices(field_) or []:
                    label = choice.get("label")
                    for text in (label.values() if isinstance(label, dict) else [label]):
                        if text:
                            table.setdefault(_norm(text), str(choice["value"]))
                table.update({_norm(v): v for v in allowed})
                self._lookups[name] = table
        return self._lookups[name]

    @cached_property
    def area_names(self) -> dict[str, str]:
        """Thai and English names of Lampang's areas (without "อำเภอ", "Amphoe"...) ->
        code; a name two areas share is left out."""
        seen: dict[str, set[str]] = {}
        for code, area in areas.areas().items():
            for name in (area.name_th, area.name_en):
                if name:
                    seen.setdefault(_norm(_PREFIXES.sub("", name)), set()).add(code)
        return {name: codes.pop() for name, codes in seen.items() if len(codes) == 1}

    def kind(self, name: str) -> str:
        field_ = self.fields[name]
        validators = f"{field_.get('validators') or ''} {field_.get('preset') or ''}"
        if "area_codes" in validators or field_.get("preset") == "lampang_areas":
            return "areas"
        if self.lookup(name) is not None:
            return "multiple" if is_multiple(field_) else "choice"
        for marker, kind in (("isodate", "date"), ("thai_date", "date"),
                             ("buddhist_year", "year"), ("non_negative_number", "number"),
                             ("int_validator", "integer"), ("email_validator", "email"),
                             ("boolean_validator", "boolean")):
            if marker in validators:
                return kind
        return "text"


@dataclass
class Mapper:
    """Maps one record; collects its warnings and the extras that keep what did not fit."""

    target: Target
    base_url: str | None = None
    warnings: list[dict] = field(default_factory=list)
    extras: dict[str, str] = field(default_factory=dict)

    def keep(self, key: str, value: object) -> None:
        """Keep a source value as an extra (prefixed when the name is a field of ours)."""
        if values.is_empty(value):
            return
        if key in self.target.fields or key in PACKAGE_KEYS:
            key = f"original_{key}"
        self.extras[key] = _text(value)

    def refuse(self, name: str, value: object, reason: dict) -> None:
        self.keep(f"original_{name}", value)
        self.warnings.append(message(
            N_("%(field)s: \"%(value)s\" was not used (%(reason)s); the original is kept as "
               "the extra original_%(field)s"), field=name, value=_short(value), reason=reason))

    def value(self, name: str, raw: object) -> Any:
        """The value for our field ``name``, or None (empty, or refused with a warning)."""
        if values.is_empty(raw):
            return None
        try:
            return self._convert(name, raw)
        except values.Unreadable as e:
            self.refuse(name, raw, message(e.message, value=_short(e.value)))
            return None

    def _convert(self, name: str, raw: object) -> Any:
        kind = self.target.kind(name)
        if kind in ("choice", "multiple", "areas"):
            return self._choose(name, raw, kind)
        if isinstance(raw, (list, dict)):
            raw = ", ".join(map(str, raw)) if isinstance(raw, list) else _text(raw)
        if kind == "date":
            return values.date(raw)
        if kind == "year":
            return values.year_be(raw)
        if kind in ("number", "integer"):
            number = values.number(raw)
            if number is not None and kind == "integer":
                if not re.match(r"^\+?\d+(\.0+)?$", number):
                    raise values.Unreadable(N_("%(value)s is not a whole number"), raw)
                return int(float(number))
            return number
        if kind == "email":
            text = str(raw).strip().removeprefix("mailto:")
            if not _EMAIL.match(text):
                raise values.Unreadable(N_("%(value)s is not an e-mail address"), raw)
            return text
        if kind == "boolean":
            return str(raw).strip().lower() in ("true", "1", "yes", "ใช่")
        return str(raw).strip()

    def _choose(self, name: str, raw: object, kind: str) -> Any:
        try:
            items = as_list(raw) if kind != "choice" else [str(raw).strip()]
        except ValueError:
            items = [str(raw)]
        found: list[str] = []
        wrong: list[str] = []
        for item in items:
            match = self._area(item) if kind == "areas" else (
                self.target.lookup(name) or {}).get(_norm(item))
            (found if match else wrong).append(match or item)
        if wrong:
            self.refuse(name, wrong if kind != "choice" else wrong[0],
                        message(N_("not an area of Lampang province")) if kind == "areas"
                        else message(N_("not one of the field's values")))
        if kind == "choice":
            return found[0] if found else None
        return list(dict.fromkeys(found)) or None

    def _area(self, item: str) -> str | None:
        if re.fullmatch(r"\d{2,6}", item.strip()):
            try:
                return areas.resolve(item.strip())
            except ValueError:
                return None
        return self.target.area_names.get(_norm(_PREFIXES.sub("", item.strip())))

    # Parts every source has --------------------------------------------------------------
    def tags(self, raw: Any) -> list[dict[str, str]]:
        kept: dict[str, str] = {}
        dropped = []
        for tag in raw if isinstance(raw, list) else as_list(raw):
            name = re.sub(r"\s+", " ", str(tag.get("name") if isinstance(tag, dict) else tag)
                          ).strip()
            if not name:
                continue
            if 2 <= len(name) <= 100 and tag_name_ok(name):
                kept.setdefault(name.casefold(), name)
            else:
                dropped.append(name)
        if dropped:
            self.refuse("tags", dropped, message(N_("tags are 2 to 100 letters, digits, spaces "
                                                    "or - _ . ( ) / & + ' :")))
        return [{"name": name} for name in kept.values()]

    def licence(self, raw: dict[str, Any]) -> str | None:
        """The licence id from the source's id, title or URL; GD-Catalog's "อื่นๆ" (other)
        is read from ``license_id_other``."""
        given = [raw.get(k) for k in ("license_id", "license_title", "license_url", "license")]
        other = raw.get("license_id_other")
        if other:
            self.keep("license_id_other", other)
            given.insert(0, other)
        for value in given:
            found = licences.license_id(value) if isinstance(value, str) else None
            if found:
                return found
        shown = next((v for v in given if isinstance(v, str) and v.strip()
                      and v.strip() not in ("อื่นๆ", "other")), None)
        if shown:
            self.refuse("license_id", shown, message(N_("not a licence this catalogue knows")))
        return None

    def resource(self, raw: dict[str, Any]) -> dict[str, Any] | None:
        link = raw.get("url") or raw.get("download_url") or raw.get("access_url")
        try:
            url = values.url(link, self.base_url)
        except values.Unreadable as e:
            self.refuse("resources", {"name": raw.get("name"), "url": link},
                        message(e.message, value=_short(e.value)))
            return None
        if url is None:
            return None
        resource: dict[str, Any] = {
            "url": url, "name": str(raw.get("name") or url.rstrip("/").rsplit("/", 1)[-1]),
            "description": str(raw.get("description") or "")}
        given = raw.get("format") or raw.get("mimetype") or ""
        label = filetypes.label(given) or filetypes.label(raw.get("mimetype"))
        if label is None and given and not re.match(r"^https?://", str(given)):
            label = str(given).strip()
        resource["format"] = label or ""
        for key in ("mimetype", "size", "license"):
            self._resource_field(resource, key, raw.get(key))
        for key, value in raw.items():
            if key not in resource and key not in RESOURCE_SKIP and key not in (
                    "access_url", "download_url", "mimetype", "size", "license",
                    "format") and not values.is_empty(value):
                resource[key] = _text(value)
        return resource

    def _resource_field(self, resource: dict[str, Any], key: str, value: Any) -> None:
        if values.is_empty(value):
            return
        if key == "size":
            try:
                number = values.number(value)
            except values.Unreadable:
                number = None
            if number is not None and re.match(r"^\d+(\.0+)?$", number):
                resource["size"] = int(float(number))
            else:
                resource["original_size"] = _text(value)
        elif key == "license":
            found = licences.license_id(str(value))
            resource["license" if found else "original_license"] = found or _text(value)
        elif key == "mimetype":
            text = str(value).strip()
            if "/media-types/" in text:
                text = text.split("/media-types/", 1)[1]
            resource["mimetype"] = text


def build(raw: dict[str, Any], config: dict[str, Any], target: Target, *,
          fallbacks: dict[str, Any] | None = None,
          base_url: str | None = None) -> tuple[dict[str, Any], list[dict]]:
    """``raw`` (a CKAN package dict, or ckanext-dcat's parse of a DCAT dataset) as a package
    of our type, and the warnings of what could not be used."""
    mapper = Mapper(target, base_url=base_url)
    flat = {e.get("key"): e.get("value") for e in raw.get("extras") or []
            if isinstance(e, dict) and e.get("key")}
    flat.update({k: v for k, v in raw.items() if k not in SKIP})
    package: dict[str, Any] = {"type": target.type}
    for name in ("title", "notes"):
        if not values.is_empty(raw.get(name)):
            package[name] = str(raw[name]).strip()
    for name in target.fields:
        if name in ("owner_org", "name", "id", "title", "notes", "tag_string", "license_id"):
            continue
        if name in flat:
            converted = mapper.value(name, flat.pop(name))
            if converted not in (None, "", []):
                package[name] = converted
    for name in CORE_TEXT:
        if name in flat and name not in target.fields and not values.is_empty(flat[name]):
            package[name] = str(flat.pop(name)).strip()
    if raw.get("url"):
        try:
            package["url"] = values.url(raw["url"], base_url)
        except values.Unreadable:
            mapper.keep("source_url", raw["url"])
    tags = mapper.tags(raw.get("tags") or [])
    if tags:
        package["tags"] = tags
    license_id = mapper.licence(raw)
    if license_id:
        package["license_id"] = license_id
    resources = [r for r in (mapper.resource(r) for r in raw.get("resources") or []
                             if isinstance(r, dict)) if r]
    if resources:
        package["resources"] = resources
    for key, value in flat.items():
        mapper.keep(str(key), value)
    for name, value in {**(fallbacks or {}), **config.get("defaults", {})}.items():
        if package.get(name) in (None, "", []):
            package[name] = value
    if mapper.extras:
        package["extras"] = [{"key": k, "value": v} for k, v in sorted(mapper.extras.items())]
    return package, mapper.warnings
