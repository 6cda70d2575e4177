"""Show schemas stripped of what can only add errors: ``package_show`` and indexing (CKAN's
``package_show_default_and_custom_schemas`` and our reindex) throw the errors of a show
validation away, so a validator that never changes the data costs time and gives nothing.
What remains changes the data exactly as the full schemas do. ``install`` makes scheming's
types (all of ours) give the stripped schema to every caller of ``package_show``."""
from __future__ import annotations

import functools
from typing import Any

from ckan.lib.navl.dictization_functions import StopOnError, missing
from ckan.lib.navl.validators import not_empty
from ckan.logic.schema import default_show_package_schema
from ckan.logic.validators import package_name_validator
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey, Schema


def _not_empty(key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict,
               context: Context) -> None:
    """``not_empty`` without its translated message (a gettext lookup per missing value: the
    message is thrown away); it still stops the key's other validators, as ``not_empty``
    does, so what they would have made of the value is unchanged."""
    value = data.get(key)
    if value in (False, 0, 0.0):  # as not_empty: these are values, not missing ones
        return
    if not value or value is missing:
        errors[key].append("Missing value")
        raise StopOnError


# package_name_validator queries the database for another record of the same name (one query
# per record) and only ever adds an error; not_empty's only cost is its message.
_ERRORS_ONLY: dict[Any, Any] = {package_name_validator: None, not_empty: _not_empty}


def stripped(schema: Schema) -> Schema:
    """A new copy of ``schema`` (a show schema) without what only adds errors: a copy, as
    scheming writes its fields into the schema it validates with."""
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if isinstance(value, dict):
            out[key] = stripped(value)
        elif isinstance(value, list):
            out[key] = [_ERRORS_ONLY.get(v, v) for v in value
                        if _ERRORS_ONLY.get(v, v) is not None]
        else:
            out[key] = value
    return out


@functools.cache
def default_show() -> tuple[Schema, Schema]:
    """CKAN's default show schema, and the same stripped, for indexing's first pass (read
    only: both are shared by every record of the process)."""
    schema = default_show_package_schema()
    return schema, stripped(schema)


def install() -> None:
    """Scheming's dataset types show with the stripped schema (idempotent)."""
    from ckanext.scheming.plugins import SchemingDatasetsPlugin

    original = SchemingDatasetsPlugin.show_package_schema
    if getattr(original, "_lampangpoverty_stripped", False):
        return

    def show_package_schema(self: Any) -> Schema:
        return stripped(original(self))

    show_package_schema._lampangpoverty_stripped = True  # type: ignore[attr-defined]
    SchemingDatasetsPlugin.show_package_schema = show_package_schema
