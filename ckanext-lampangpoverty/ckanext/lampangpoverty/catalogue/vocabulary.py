"""Controlled vocabularies as data: CKAN tag vocabularies whose terms carry Thai and English
labels as term translations. Seeded from ``schemas/vocabularies.yaml``; afterwards a sysadmin
edits them through CKAN's own API (``tag_create``, ``tag_delete``,
``term_translation_update``) without a deploy."""
from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import yaml

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context

from ..lib.site import site_user

LANGS = ("th", "en")


def seed_file() -> Path:
    # schemas/ is installed as the package ckanext.lampangpoverty.schemas (setup.py).
    schemas = importlib.import_module("ckanext.lampangpoverty.schemas")
    return Path(str(schemas.__file__)).with_name("vocabularies.yaml")


def load_seed() -> dict[str, dict[str, dict[str, str]]]:
    with seed_file().open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def terms(name: str) -> list[str]:
    vocab = model.Vocabulary.get(name)
    if vocab is None:
        return []
    return sorted(tag.name for tag in vocab.tags)


def labels(names: list[str]) -> dict[str, dict[str, str]]:
    """{term: {lang: label}} for the given terms, from CKAN's term translations."""
    if not names:
        return {}
    rows = tk.get_action("term_translation_show")(
        {"ignore_auth": True}, {"terms": names, "lang_codes": list(LANGS)})
    out: dict[str, dict[str, str]] = {n: {} for n in names}
    for row in rows:
        out[row["term"]][row["lang_code"]] = row["term_translation"]
    return out


def choices(name: str) -> list[dict[str, Any]]:
    """Scheming choices of a vocabulary: [{value, label: {en, th}}], ordered by English label."""
    names = terms(name)
    found = labels(names)
    items = [{"value": n, "label": {lang: found[n].get(lang, n) for lang in LANGS}} for n in names]
    return sorted(items, key=lambda c: c["label"]["en"].lower())


def seed() -> dict[str, int]:
    """Create the vocabularies, terms and labels of the seed file that are missing."""
    context: Context = {"ignore_auth": True, "user": site_user()}
    counts = {"vocabularies": 0, "terms": 0, "labels": 0}
    for name, entries in load_seed().items():
        try:
            vocab = tk.get_action("vocabulary_show")(context.copy(), {"id": name})
        except tk.ObjectNotFound:
            vocab = tk.get_action("vocabulary_create")(context.copy(), {"name": name, "tags": []})
            counts["vocabularies"] += 1
        existing = {t["name"] for t in vocab["tags"]}
        for term in entries:
            if term not in existing:
                tk.get_action("tag_create")(context.copy(),
                                            {"name": term, "vocabulary_id": vocab["id"]})
                counts["terms"] += 1
        have = labels(list(entries))
        missing = [{"term": term, "term_translation": label, "lang_code": lang}
                   for term, by_lang in entries.items()
                   for lang, label in by_lang.items() if lang not in have[term]]
        if missing:
            tk.get_action("term_translation_update_many")(context.copy(), {"data": missing})
            counts["labels"] += len(missing)
    return counts
