"""Controlled vocabularies as data: CKAN tag vocabularies whose terms carry Thai and English
labels as term translations. Seeded from ``schemas/vocabularies.yaml``; afterwards a sysadmin
edits them through CKAN's own API (``tag_create``, ``tag_delete``,
``term_translation_update``) without a deploy."""
from __future__ import annotations

import copy
import importlib
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context

from ..lib import stamped
from ..lib.site import site_user

LANGS = ("th", "en")
# The stamp that every change to a vocabulary, its terms or their labels bumps (the chained
# core actions in logic/action/vocabulary.py).
STAMP = "vocabulary"


def seed_file() -> Path:
    # schemas/ is installed as the package ckanext.lampangpoverty.schemas (setup.py).
    schemas = importlib.import_module("ckanext.lampangpoverty.schemas")
    return Path(str(schemas.__file__)).with_name("vocabularies.yaml")


def load_seed() -> dict[str, dict[str, dict[str, str]]]:
    with seed_file().open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def changed() -> None:
    """Tell every worker that vocabularies, terms or labels changed."""
    stamped.bump(STAMP)


def terms(name: str) -> list[str]:
    return list(stamped.get(STAMP, f"terms:{name}", lambda: _terms(name)))


def _terms(name: str) -> tuple[str, ...]:
    vocab = model.Vocabulary.get(name)
    if vocab is None:
        return ()
    return tuple(sorted(tag.name for tag in vocab.tags))


def labels(names: list[str]) -> dict[str, dict[str, str]]:
    """{term: {lang: label}} for the given terms, from CKAN's term translations."""
    if not names:
        return {}
    found = stamped.get(STAMP, "labels", _all_labels)
    return {n: dict(found.get(n, {})) for n in names}


def _all_labels() -> dict[str, dict[str, str]]:
    """Every term translation into our languages (a few hundred rows), as
    ``term_translation_show`` would give them."""
    table = model.term_translation_table
    rows = model.Session.execute(sa.select(table.c.term, table.c.lang_code,
                                           table.c.term_translation)
                                 .where(table.c.lang_code.in_(LANGS)))
    out: dict[str, dict[str, str]] = {}
    for term, lang, label in rows:
        out.setdefault(term, {})[lang] = label
    return out


def choices(name: str) -> list[dict[str, Any]]:
    """Scheming choices of a vocabulary: [{value, label: {en, th}}], ordered by English label."""
    return copy.deepcopy(stamped.get(STAMP, f"choices:{name}", lambda: _choices(name)))


def _choices(name: str) -> list[dict[str, Any]]:
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
