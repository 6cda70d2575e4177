"""The schema.org JSON-LD block of dataset pages (ckanext-dcat's ``structured_data`` helper)
with its RDF profile classes looked up once per process: ckanext-dcat looks them up among the
entry points of every installed distribution on each page view. Profiles are code, so they
never change while a process runs."""
from __future__ import annotations

import functools
import hashlib
from typing import Any

import simplejson as json

import ckan.plugins.toolkit as tk

from .labels import current_lang


@functools.cache
def _serializer_class() -> type:
    # Imported on first use: importing ckanext-dcat's profiles while the plugins load reads
    # the scheming schemas before our validators are registered.
    from ckanext.dcat.processors import RDFSerializer

    @functools.cache
    def profiles(names: tuple[str, ...]) -> tuple[type, ...]:
        # RDFProcessor._load_profiles reads nothing of the instance.
        return tuple(RDFSerializer._load_profiles(RDFSerializer.__new__(RDFSerializer),
                                                  list(names)))

    class Serializer(RDFSerializer):
        def _load_profiles(self, profile_names: list[str]) -> list[type]:
            return list(profiles(tuple(profile_names)))

    return Serializer


def structured_data(dataset_dict: dict[str, Any], profiles: list[str] | None = None) -> str:
    """What ckanext-dcat's ``structured_data`` helper returns, for the same input; worked
    out once per process for the same record as shown (every field, its quality included)
    in the same language: building and serializing the RDF graph was a tenth of a dataset
    page. The key is a digest of the whole input, so an edited record (or a changed label
    or score in it) is a new key, and an answer is only ever given back for the very
    dict a reader was already shown."""
    names = profiles or tk.config.get("ckanext.dcat.structured_data.profiles") or ["schemaorg"]
    if isinstance(names, str):
        names = names.split()
    shown = json.dumps(dataset_dict, sort_keys=True, default=str)
    key = (hashlib.sha256(shown.encode()).hexdigest(), tuple(names), current_lang())
    found = _made.get(key)
    if found is None:
        found = _made[key] = _serialize(dataset_dict, names)
        while len(_made) > MADE:
            _made.pop(next(iter(_made)))
    return found


# The JSON-LD blocks made last (oldest first): a dict as a small first-in first-out store.
MADE = 256
_made: dict[tuple[str, tuple[str, ...], str], str] = {}


def _serialize(dataset_dict: dict[str, Any], names: list[str]) -> str:
    serializer = _serializer_class()(profiles=names)
    output = serializer.serialize_dataset(dataset_dict, _format="jsonld")
    try:
        return json.dumps(json.loads(output), sort_keys=True, indent=4,
                          separators=(",", ": "), cls=json.JSONEncoderForHTML)
    except ValueError:  # not JSON: given as it is, as ckanext-dcat does
        return output
