"""How the catalogue names things for a reader: the reader's language, our dataset types in
words, area names, and the labels of a scheming field's choices."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.scheming.helpers import (
    scheming_field_by_name,
    scheming_field_choices,
    scheming_get_dataset_schema,
    scheming_get_organization_schema,
    scheming_language_text,
)

from . import areas
from .types import AGENCY_RESOURCE, POLICY_PROPOSAL, POVERTY_DATASET


def current_lang() -> str:
    """The language of the request, or the site's default language outside a request."""
    from flask import has_request_context

    if has_request_context():
        return tk.h.lang() or tk.config["ckan.locale_default"]
    return tk.config["ckan.locale_default"]


def type_labels() -> dict[str, tuple[str, str]]:
    """Our dataset types as (singular, plural) in the reader's language."""
    return {
        POVERTY_DATASET: (tk._("poverty dataset"), tk._("poverty datasets")),
        AGENCY_RESOURCE: (tk._("agency programme"), tk._("agency programmes")),
        POLICY_PROPOSAL: (tk._("policy proposal"), tk._("policy proposals")),
    }


def area_label(code: str, lang: str | None = None) -> str:
    """The name of an area in ``lang`` (the reader's language by default); an unknown code
    is shown as it is."""
    try:
        return areas.label(code, lang or current_lang())
    except areas.UnknownAreaCode:
        return code


def field_choices(dataset_type: str, field_name: str,
                  organization: bool = False) -> list[dict[str, Any]] | None:
    """The choices of a scheming field (``choices`` or ``choices_helper``), or None when the
    field has none."""
    if organization:
        schema = scheming_get_organization_schema(dataset_type) or {}
        fields = schema.get("fields", [])
    else:
        schema = scheming_get_dataset_schema(dataset_type) or {}
        fields = schema.get("dataset_fields", [])
    field = scheming_field_by_name(fields, field_name)
    return scheming_field_choices(field) if field else None


def choice_labels(dataset_type: str, field_name: str, lang: str,
                  organization: bool = False) -> dict[str, str]:
    """value -> label in ``lang`` of a scheming field's choices."""
    return {str(c["value"]): scheming_language_text(c.get("label", c["value"]), lang)
            for c in field_choices(dataset_type, field_name, organization) or []}
