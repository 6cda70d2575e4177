"""How the catalogue names things for a reader: the reader's language, our dataset types in
words, area names, and the labels of a scheming field's choices."""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import ckan.plugins.toolkit as tk
from ckanext.scheming.helpers import (
    scheming_field_by_name,
    scheming_field_choices,
    scheming_get_dataset_schema,
    scheming_get_organization_schema,
    scheming_language_text,
)

from ..lib import stamped
from . import areas, vocabulary
from .types import AGENCY_RESOURCE, POLICY_PROPOSAL, POVERTY_DATASET

Words = TypeVar("Words", bound=dict)


def per_language(build: Callable[[], Words]) -> Callable[[], Words]:
    """``build`` (a dict of translated words, depending on nothing but the language they are
    translated into) made once per language in a worker instead of on every call: a search
    page asks for the same words for each of its results. The key is the locale gettext
    translates into (which a ``force_locale`` block changes too); outside a request the words
    are built each time. Each call gets its own copy."""
    made: dict[str, Words] = {}

    @functools.wraps(build)
    def words() -> Words:
        from flask import has_request_context
        from flask_babel import get_locale

        if not has_request_context():
            return build()
        locale = str(get_locale())
        if locale not in made:
            made[locale] = build()
        return made[locale].copy()  # type: ignore[return-value]
    return words


def current_lang() -> str:
    """The language of the request, or the site's default language outside a request."""
    from flask import has_request_context

    if has_request_context():
        return tk.h.lang() or tk.config["ckan.locale_default"]
    return tk.config["ckan.locale_default"]


@per_language
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


# Choices that change only with the code (a schema's own list, the area file) or with the
# vocabulary (whose writes bump its stamp); any other helper's choices are read each time.
_STEADY_HELPERS = (None, "lampangpoverty_vocabulary_choices", "lampangpoverty_area_choices")


def choice_labels_by_language(dataset_type: str, field_name: str,
                              langs: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """value -> {language: label} of a scheming dataset field's choices. Made once per worker
    and made again when the vocabulary changes (an API answer labels every coded field of
    every record); shared between callers, so not to be changed by them."""
    fields = (scheming_get_dataset_schema(dataset_type) or {}).get("dataset_fields", [])
    field = scheming_field_by_name(fields, field_name)

    def build() -> dict[str, dict[str, str]]:
        return {str(c["value"]): {lang: scheming_language_text(c.get("label", c["value"]), lang)
                                  for lang in langs}
                for c in (scheming_field_choices(field) if field else None) or []}

    if field and field.get("choices_helper") not in _STEADY_HELPERS:
        return build()
    return stamped.get(vocabulary.STAMP,
                       f"choice-labels:{dataset_type}:{field_name}:{','.join(langs)}", build)


def choice_labels(dataset_type: str, field_name: str, lang: str,
                  organization: bool = False) -> dict[str, str]:
    """value -> label in ``lang`` of a scheming field's choices."""
    return {str(c["value"]): scheming_language_text(c.get("label", c["value"]), lang)
            for c in field_choices(dataset_type, field_name, organization) or []}


@per_language
def _access_levels() -> dict[str, str]:
    # The label's name only ("Public"), not its explanation after the colon.
    return {value: label.split(":")[0] for value, label in
            choice_labels(POVERTY_DATASET, "access_level", current_lang()).items()}


def result_badges(package: dict[str, Any]) -> list[dict[str, str]]:
    """A search result's badges (text and Bootstrap class): its type in words and, for a
    poverty dataset, who may get its data. From words made once per language: a page has
    twenty results."""
    badges = []
    labels = type_labels().get(package.get("type") or "")
    if labels:
        badges.append({"text": labels[0][:1].upper() + labels[0][1:],
                       "class": "text-bg-light border"})
    level = package.get("access_level")
    if level and package.get("type") == POVERTY_DATASET:
        badges.append({"text": _access_levels().get(level, level),
                       "class": "text-bg-success" if level == "public" else "text-bg-warning"})
    return badges
