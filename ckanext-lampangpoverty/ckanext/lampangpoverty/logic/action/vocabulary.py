"""Core actions that change controlled vocabularies, chained to tell every worker that the
cached terms and labels (catalogue/vocabulary.py) must be read again."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict

from ...catalogue import vocabulary


def _then_changed(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    try:
        return next_action(context, data_dict)
    finally:
        # Also after a failure: an action may have written part of its change before it
        # failed, and a needless rebuild costs one query.
        vocabulary.changed()


@tk.chained_action
def tag_create(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    return _then_changed(next_action, context, data_dict)


@tk.chained_action
def tag_delete(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    return _then_changed(next_action, context, data_dict)


@tk.chained_action
def term_translation_update(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    return _then_changed(next_action, context, data_dict)


@tk.chained_action
def term_translation_update_many(next_action: Action, context: Context,
                                 data_dict: DataDict) -> Any:
    return _then_changed(next_action, context, data_dict)


@tk.chained_action
def vocabulary_create(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    return _then_changed(next_action, context, data_dict)


@tk.chained_action
def vocabulary_update(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    return _then_changed(next_action, context, data_dict)


@tk.chained_action
def vocabulary_delete(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    return _then_changed(next_action, context, data_dict)
