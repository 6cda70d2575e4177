"""URL names for records whose title is Thai.

CKAN's form makes a record's URL name from its title in the browser, keeping only Latin
letters and digits: a Thai title "สำรวจความยากจน อำเภองาว 2569" became the URL ``2569``, and the
next record of that year collided with it. A record saved without a URL name (the form leaves
it empty for a Thai title, see assets/js/thai-slug.js; an API call may leave it out) gets one
made of what reads in Latin script: the Latin words of the title, or else the record's type,
the English names of its areas and the years in its title, made unique with a number.
"""
from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey

from . import areas

THAI = re.compile(r"[\u0e00-\u0e7f]")
_LATIN_WORD = re.compile(r"[a-z0-9]+")
# CKAN's name_validator allows 2 to 100 characters; room is kept for a "-NN" suffix.
MAX_LENGTH = 90
AREAS_IN_NAME = 2


def _words(text: str) -> list[str]:
    # NFKD: "Café" reads "cafe", full-width Latin letters read as Latin letters
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", text)
                    if not unicodedata.combining(ch))
    return _LATIN_WORD.findall(plain.lower())


def _area_words(codes: list[str]) -> list[str]:
    known = areas.areas()
    words: list[str] = []
    for code in codes[:AREAS_IN_NAME]:
        area = known.get(str(code))
        if area is not None:
            words.extend(_words(area.name_en))
    return words


def base_name(title: str, dataset_type: str, area_codes: list[str]) -> str:
    """The URL name a title reads as in Latin script, before it is made unique.

    A title without Thai script keeps its own words; a Thai title is named by its type, its
    first areas and its Latin words (years, acronyms), so that the name says what it is.
    """
    words = _words(title)
    if THAI.search(title) or len(words) < 2:
        words = _words(dataset_type) + _area_words(area_codes) + words
    name = "-".join(words)[:MAX_LENGTH].strip("-")
    return name or "record"


def unique_name(base: str, own_id: str | None = None) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever no other record holds."""
    taken = {
        name for (name,) in model.Session.query(model.Package.name)
        .filter(model.Package.name.like(f"{base}%"))
        .filter(model.Package.id != (own_id or ""))
    }
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _area_codes(data: FlattenDataDict) -> list[str]:
    value: Any = data.get(("area_codes",))
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = [part.strip() for part in value.split(",")]
    return [str(code) for code in value] if isinstance(value, list) else []


def lampangpoverty_name_from_title(key: FlattenKey, data: FlattenDataDict,
                                   errors: FlattenErrorDict, context: Context) -> None:
    """Fill an empty URL name from the title (see the module's docstring); a name given is
    kept as it is and checked by CKAN's name validators that follow."""
    if data.get(key) not in (None, "", tk.missing):
        return
    title = data.get(("title",))
    if not isinstance(title, str) or not title.strip():
        return  # not_empty names the missing URL
    dataset_type = str(data.get(("type",)) or "dataset")
    package = context.get("package")
    data[key] = unique_name(base_name(title, dataset_type, _area_codes(data)),
                            package.id if package is not None else None)
