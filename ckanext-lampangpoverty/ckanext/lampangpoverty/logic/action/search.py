"""Core read actions that said more than the caller may see: free tags and resource formats
of private datasets (tag list, show, search, autocomplete; format autocomplete), and search
errors that echoed the internal filter query (site id, permission labels)."""
from __future__ import annotations

import logging
import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.search import SearchError
from ckan.types import Action, Context, DataDict

from ...api import query, records

log = logging.getLogger(__name__)


def _visible(context: Context, field: str) -> set[str]:
    """Values of ``field`` (``tags``, ``res_format``) on the datasets the caller may see,
    from the search index with the caller's permission labels."""
    result = tk.get_action("package_search")(
        {"user": context.get("user") or ""},
        {"rows": 0, "include_private": True, "include_drafts": False,
         "facet.field": [field], "facet.limit": -1, "facet.mincount": 1})
    return set(result["facets"].get(field, {}))


def _free_tags_only(data_dict: DataDict) -> bool:
    return not data_dict.get("vocabulary_id")


@tk.side_effect_free
@tk.chained_action
def tag_list(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    tags = next_action(context, data_dict)
    if not _free_tags_only(data_dict):
        return tags  # a controlled vocabulary's terms are public definitions
    seen = _visible(context, "tags")
    return [t for t in tags if (t["name"] if isinstance(t, dict) else t) in seen]


@tk.side_effect_free
@tk.chained_action
def tag_show(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    """A free tag used only on datasets the caller may not see answers as a missing one."""
    tag = next_action(context, data_dict)
    if _free_tags_only(data_dict) and not tag.get("vocabulary_id") and tag["name"] not in (
            _visible(context, "tags")):
        raise tk.ObjectNotFound  # as CKAN answers for a missing tag, word for word
    return tag


@tk.side_effect_free
@tk.chained_action
def tag_search(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    found = next_action(context, data_dict)
    if not _free_tags_only(data_dict):
        return found
    seen = _visible(context, "tags")
    results = [t for t in found["results"] if t["name"] in seen]
    return {"count": len(results), "results": results}


@tk.side_effect_free
@tk.chained_action
def tag_autocomplete(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    names = next_action(context, data_dict)
    if not _free_tags_only(data_dict):
        return names
    seen = _visible(context, "tags")
    return [name for name in names if name in seen]


@tk.side_effect_free
@tk.chained_action
def format_autocomplete(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    seen = {f.lower() for f in _visible(context, "res_format")}
    return [f for f in next_action(context, data_dict) if f in seen]


_PARAM = re.compile(r"param '([\w.]+)'")
_PARAMS = ("q", "fq", "sort", "fl", "facet.field")


def _param_of(error: SearchError, data_dict: DataDict) -> str:
    """Which of the caller's parameters the error is about (``q`` when it cannot tell)."""
    text = str(error)
    named = _PARAM.search(text)
    if named:
        return named.group(1)
    return next((p for p in _PARAMS[1:] if data_dict.get(p) and str(data_dict[p]) in text),
                "q")


@tk.side_effect_free
@tk.chained_action
def package_search(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    """Strict parameters through the API (``api/query.py``): unknown fields and sort keys,
    too many rows and malformed filters are refused naming the parameter; a search Solr
    cannot run is refused for every caller;
    the query CKAN built (with the site id and the caller's permission labels) goes to the
    log only. Called through the API, the records come as ``package_show`` gives them
    there (``api/records.py``)."""
    api = bool(context.get("api_version"))
    if api:
        # Pages and CKAN's own callers are left as they are (the front page sorts by
        # "view_recent", a key Solr does not have); programs are told what is wrong.
        query.check(data_dict)
    try:
        result = next_action(context, data_dict)
    except SearchError as e:
        log.info("search refused: %s", e)
        raise query.QueryError({_param_of(e, data_dict): [
            tk._("The search could not be understood; check its syntax")]}) from None
    if api and isinstance(result.get("results"), list):
        seen: dict[Any, Any] = {}
        result["results"] = [records.machine_record(r, seen) if isinstance(r, dict) else r
                             for r in result["results"]]
    return result


@tk.side_effect_free
@tk.chained_action
def package_show(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    """Called through the API, a record comes machine-friendly (``api/records.py``)."""
    result = next_action(context, data_dict)
    if context.get("api_version") and isinstance(result, dict):
        return records.machine_record(dict(result))
    return result
