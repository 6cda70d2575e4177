"""Controlled vocabularies as data: CKAN tag vocabularies whose terms carry Thai and English
labels as term translations. Seeded from ``schemas/vocabularies.yaml``; afterwards a sysadmin
edits them through CKAN's own API (``tag_create``, ``tag_delete``,
``term_translation_update``) without a deploy."""
from __future__ import annotations

import copy
import importlib
import uuid
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml

from ckan import model

from ..lib import stamped

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
    """Create the vocabularies, terms and labels of the seed file that are missing, in one
    transaction; what exists (a sysadmin's label included) is kept. A few dozen rows: written
    with one statement per table rather than an action per term, which made every fresh
    database (and every test's) seconds slower."""
    entries = load_seed()
    counts = {"vocabularies": 0, "terms": 0, "labels": 0}
    vocabs = _vocabularies(list(entries), counts)
    have_terms = set(model.Session.execute(
        sa.select(model.tag_table.c.vocabulary_id, model.tag_table.c.name)
        .where(model.tag_table.c.vocabulary_id.in_([v.id for v in vocabs.values()]))).all())
    new_tags = [{"id": str(uuid.uuid4()), "name": term, "vocabulary_id": vocabs[name].id}
                for name, terms_ in entries.items() for term in terms_
                if (vocabs[name].id, term) not in have_terms]
    if new_tags:
        model.Session.execute(model.tag_table.insert(), new_tags)
    table = model.term_translation_table
    have_labels = set(model.Session.execute(sa.select(table.c.term, table.c.lang_code)).all())
    new_labels = [{"term": term, "lang_code": lang, "term_translation": label}
                  for terms_ in entries.values() for term, by_lang in terms_.items()
                  for lang, label in by_lang.items() if (term, lang) not in have_labels]
    if new_labels:
        model.Session.execute(table.insert(), new_labels)
    model.Session.commit()
    counts.update(terms=len(new_tags), labels=len(new_labels))
    if any(counts.values()):
        changed()
    return counts


def _vocabularies(names: list[str], counts: dict[str, int]) -> dict[str, model.Vocabulary]:
    """The vocabularies of ``names``, those missing created (and counted)."""
    found = {v.name: v for v in model.Session.query(model.Vocabulary)
             .filter(model.Vocabulary.name.in_(names))}
    for name in names:
        if name not in found:
            found[name] = model.Vocabulary(name)
            model.Session.add(found[name])
            counts["vocabularies"] += 1
    model.Session.flush()
    return found
