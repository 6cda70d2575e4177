"""CKAN's validation loop (``dictization_functions._validate``) doing the same work once:
CKAN's flattens the schema three times, builds the full schema twice, sorts its keys four
times and, for each data key the schema does not name, compares it with every schema key
(quadratic in a record's size). Same steps in the same order, same results; ``install``
puts it in place of CKAN's (in the reindex's workers, where it runs twice per record)."""
from __future__ import annotations

import copy
from typing import Any

import ckan
import ckan.lib.navl.dictization_functions as df
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey, Schema


def _full_schema(schema: Schema, combinations: set[FlattenKey]) -> dict[FlattenKey, Any]:
    """``make_full_schema`` for key combinations already found."""
    full: dict[FlattenKey, Any] = {}
    for combination in combinations:
        sub_schema: Any = schema
        for key in combination[::2]:
            sub_schema = sub_schema[key]
        for key, value in sub_schema.items():
            if isinstance(value, list):
                full[(*combination, key)] = value
    return full


def _augment(data: FlattenDataDict, flattened: dict[FlattenKey, Any],
             combinations: set[FlattenKey], full: dict[FlattenKey, Any]) -> FlattenDataDict:
    """``augment_data``: unknown keys to ``__extras`` or ``__junk``, missing ones marked."""
    prefixes = {key[:i] for key in flattened for i in range(len(key) + 1)}
    new_data = copy.copy(data)
    junk: dict[FlattenKey, Any] = {}
    extras_keys: FlattenDataDict = {}
    for key, value in data.items():
        if key in full:
            continue
        if key[::2] in prefixes and data[key] != []:
            raise df.DataError("Only lists of dicts can be placed against "
                               f"subschema {key}, not {type(data[key])}")
        if key[:-1] in combinations:
            extras_keys.setdefault((*key[:-1], "__extras"), {})[key[-1]] = value
        else:
            junk[key] = value
        new_data.pop(key)
    if junk:
        new_data[("__junk",)] = junk
    new_data.update(extras_keys)
    for key in full:
        if key not in new_data and not key[-1].startswith("__"):
            new_data[key] = df.missing
    return new_data


def _order_key(key: FlattenKey) -> tuple[Any, ...]:
    """``flattened_order_key`` (length first, then the key), built faster."""
    return (len(key), *key)


def _run(keys: list[FlattenKey], full: dict[FlattenKey, Any], data: FlattenDataDict,
         errors: FlattenErrorDict, context: Context) -> None:
    for key in keys:
        for converter in full[key]:
            try:
                df.convert(converter, key, data, errors, context)
            except df.StopOnError:
                break


def validate_flat(data: FlattenDataDict, schema: Schema, context: Context
                  ) -> tuple[FlattenDataDict, FlattenErrorDict]:
    """``dictization_functions._validate``, with the same signature and results."""
    flattened = df.flatten_schema(schema)
    combinations = df.get_all_key_combinations(data, flattened)
    full = _full_schema(schema, combinations)
    converted = _augment(data, flattened, combinations, full)
    errors: FlattenErrorDict = {key: [] for key in full}
    ordered = sorted(full, key=_order_key)
    _run([k for k in ordered if k[-1] == "__before"], full, converted, errors, context)
    _run([k for k in ordered if not k[-1].startswith("__")], full, converted, errors, context)
    _run([k for k in ordered if k[-1] == "__extras"], full, converted, errors, context)
    _run([k for k in reversed(ordered) if k[-1] == "__after"], full, converted, errors, context)
    if ("__junk",) in full:
        _run([("__junk",)], full, converted, errors, context)
    return converted, errors


# The CKAN release whose loop this one was checked against (tests/logic/test_navl_fast.py);
# any other keeps CKAN's own loop rather than trust a copy of code that may have changed.
CHECKED_AGAINST = "2.12."


def install() -> bool:
    """CKAN's ``validate`` calls this module's loop from now on (idempotent); False, and
    CKAN's loop kept, on a CKAN release other than the one it was checked against."""
    if not ckan.__version__.startswith(CHECKED_AGAINST):
        return False
    df._validate = validate_flat
    return True
