"""Validators of fields that name other things (Lampang areas, vocabulary terms, partner
organisations, poverty datasets), stored as JSON lists; registered with the others through
``logic/validators.py``."""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey, Validator

from ..catalogue import areas
from ..catalogue.types import POVERTY_DATASET
from ..lib.lists import as_list


def _list_field(key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict,
                resolve: Callable[[str], str]) -> None:
    """A list field (a list, a JSON list or comma-separated text) stored as a JSON list of
    what ``resolve`` makes of each item; ``resolve`` raises tk.Invalid to refuse an item."""
    value = data.get(key)
    if value is tk.missing or value is None:
        return
    try:
        items = as_list(value)
    except ValueError:
        errors[key].append(tk._("Not a valid list"))
        return
    kept = []
    for item in items:
        try:
            stored = resolve(item)
        except tk.Invalid as e:
            errors[key].append(e.error)
            continue
        if stored not in kept:
            kept.append(stored)
    data[key] = json.dumps(kept)


def _current_area(code: str) -> str:
    try:
        return areas.resolve(code)
    except areas.UnknownAreaCode as e:
        if e.current:
            raise tk.Invalid(tk._("%(code)s is not a current area code of Lampang; use "
                                  "%(current)s") % {"code": code, "current": e.current}) from e
        raise tk.Invalid(tk._("%s is not an area code of Lampang province") % code) from e


def lampangpoverty_area_codes(key: FlattenKey, data: FlattenDataDict,
                              errors: FlattenErrorDict, context: Context) -> None:
    """DOPA codes of Lampang areas; old codes become current ones, unknown codes are refused
    with the current code named where one exists. Stored as a JSON list."""
    _list_field(key, data, errors, _current_area)


def lampangpoverty_area_code(value: Any, context: Context) -> Any:
    """One DOPA code of Lampang (an old code becomes the current one)."""
    return _current_area(str(value))


def lampangpoverty_vocabulary_terms(vocabulary: str) -> Validator:
    """A list (or comma-separated text) of terms of a controlled vocabulary."""
    from ..catalogue.vocabulary import terms

    def validator(value: Any, context: Context) -> Any:
        try:
            items = as_list(value)
        except ValueError as e:
            raise tk.Invalid(tk._("Not a valid list")) from e
        known = set(terms(vocabulary))
        unknown = [item for item in items if item not in known]
        if unknown:
            raise tk.Invalid(tk._("%(values)s: not in the list; use %(known)s") % {
                "values": ", ".join(unknown), "known": ", ".join(sorted(known))})
        return items

    return validator


def _organization(name: str) -> str:
    group = model.Group.get(name)
    if group is None or not group.is_organization or group.state != "active":
        raise tk.Invalid(tk._("No partner organisation named %s") % name)
    return group.name


def lampangpoverty_organizations(key: FlattenKey, data: FlattenDataDict,
                                 errors: FlattenErrorDict, context: Context) -> None:
    """Names (or ids) of existing partner organisations, stored as a JSON list of names."""
    _list_field(key, data, errors, _organization)


def _poverty_dataset(name: str) -> str:
    pkg = model.Package.get(name)
    if pkg is None or pkg.state != "active":
        raise tk.Invalid(tk._("No dataset named %s") % name)
    if pkg.type != POVERTY_DATASET:
        raise tk.Invalid(tk._("%s is not a poverty dataset") % name)
    return pkg.name


def lampangpoverty_evidence_datasets(key: FlattenKey, data: FlattenDataDict,
                                     errors: FlattenErrorDict, context: Context) -> None:
    """Names (or ids) of existing poverty datasets, stored as a JSON list of names."""
    _list_field(key, data, errors, _poverty_dataset)
