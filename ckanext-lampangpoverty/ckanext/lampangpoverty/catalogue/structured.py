"""The schema.org JSON-LD block of dataset pages (ckanext-dcat's ``structured_data`` helper)
with its RDF profile classes looked up once per process: ckanext-dcat looks them up among the
entry points of every installed distribution on each page view. Profiles are code, so they
never change while a process runs."""
from __future__ import annotations

import functools
from typing import Any

import simplejson as json

import ckan.plugins.toolkit as tk


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
    """What ckanext-dcat's ``structured_data`` helper returns, for the same input."""
    names = profiles or tk.config.get("ckanext.dcat.structured_data.profiles") or ["schemaorg"]
    if isinstance(names, str):
        names = names.split()
    serializer = _serializer_class()(profiles=names)
    output = serializer.serialize_dataset(dataset_dict, _format="jsonld")
    try:
        return json.dumps(json.loads(output), sort_keys=True, indent=4,
                          separators=(",", ": "), cls=json.JSONEncoderForHTML)
    except ValueError:  # not JSON: given as it is, as ckanext-dcat does
        return output
