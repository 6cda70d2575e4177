"""The catalogue's types: a dataset is one of the three scheming types, or a harvest source
(validated by ckanext-harvest's own schema). CKAN stores any other ``type`` without any
schema, and such a record broke the home page, organisation pages and search for everybody."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Action, Context, DataDict

from ...api.records import strip_derived
from ...catalogue.types import DATASET_TYPES, HARVEST_SOURCE

ALLOWED = (*DATASET_TYPES, HARVEST_SOURCE)


def _check_type(dataset_type: Any) -> None:
    if dataset_type not in ALLOWED:
        raise tk.ValidationError({"type": [
            tk._("Unknown dataset type %(type)s; use one of: %(types)s")
            % {"type": dataset_type if dataset_type else "-",
               "types": ", ".join(DATASET_TYPES)}]})


@tk.chained_action
def package_create(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    _check_type(data_dict.get("type"))
    return next_action(context, strip_derived(data_dict, data_dict.get("type")))


@tk.chained_action
def package_update(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    """A type given must be one of ours; without one CKAN keeps the record's own. What the
    API adds to a record it shows (labels, C.E. twins) is dropped: a record read from the
    API saves back as it is."""
    dataset_type = data_dict.get("type")
    if "type" in data_dict:
        _check_type(dataset_type)
    else:
        pkg = model.Package.get(data_dict.get("id") or data_dict.get("name") or "")
        if pkg is not None:
            _check_type(pkg.type)
            dataset_type = pkg.type
    return next_action(context, strip_derived(data_dict, dataset_type))
