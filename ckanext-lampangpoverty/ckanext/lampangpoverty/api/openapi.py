"""The OpenAPI 3.1 document of our actions (``lampangpoverty_*``), built from their Sphinx
docstrings (``:param:``, ``:type:``, ``:returns:``) and the examples below, kept in the
repository as ``api/openapi.json`` (``ckan lampangpoverty openapi`` writes it again; a test
checks it is current), served at ``/api/lampangpoverty/openapi.json``; and what the API guide
shows beside it (the facet table)."""
from __future__ import annotations

import inspect
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk

DOCUMENT = Path(__file__).with_name("openapi.json")
PREFIX = "lampangpoverty_"
TYPES = {"string": "string", "int": "integer", "integer": "integer", "bool": "boolean",
         "boolean": "boolean", "list": "array", "dictionary": "object", "dict": "object",
         "object": "object"}

# One call of each action, as a client sends it (GET parameters or POST body).
EXAMPLES: dict[str, dict[str, Any]] = {
    "lampangpoverty_access_request_create": {"id": "bmn-lampang-2568", "purpose": "วิจัย",
                                             "institution": "มหาวิทยาลัยราชภัฏลำปาง"},
    "lampangpoverty_access_request_decide": {"request_id": "3f0c…", "decision": "approve",
                                             "expires": "2027-01-31", "max_downloads": 3},
    "lampangpoverty_access_request_list": {"id": "bmn-lampang-2568"},
    "lampangpoverty_access_request_queue": {},
    "lampangpoverty_area_gaps": {"level": "tambon", "limit": 10},
    "lampangpoverty_area_indicators_load": {"resource_id": "9b1e…"},
    "lampangpoverty_area_indicators_show": {"resource_id": "9b1e…"},
    "lampangpoverty_area_list": {"level": "amphoe"},
    "lampangpoverty_area_profile": {"id": "5208"},
    "lampangpoverty_changes": {"since": "2026-11-01T00:00:00+07:00", "limit": 100},
    "lampangpoverty_disclosure_summary": {"id": "bmn-lampang-2568"},
    "lampangpoverty_download_log_list": {"id": "bmn-lampang-2568"},
    "lampangpoverty_harvest_job_summary": {"id": "a41d…"},
    "lampangpoverty_microdata_roles_update": {"microdata_id": "c2aa…",
                                              "roles": {"age": "quasi_identifier"}},
    "lampangpoverty_microdata_show": {"microdata_id": "c2aa…"},
    "lampangpoverty_microdata_upload": {"id": "bmn-lampang-2568", "upload": "(file)"},
    "lampangpoverty_programme_match": {"area_code": "520801", "dimensions": ["health"]},
    "lampangpoverty_quality_check": {"id": "bmn-lampang-2568"},
    "lampangpoverty_quality_league": {},
    "lampangpoverty_quality_organization_show": {"id": "lampang-pao"},
    "lampangpoverty_quality_show": {"id": "bmn-lampang-2568"},
    "lampangpoverty_terms_accept": {"id": "bmn-lampang-2568"},
    "lampangpoverty_user_download_list": {},
}

# Facets of package_search: (facet name, the record field it comes from, value type, labels)
FACETS: list[tuple[str, str, str, str]] = [
    ("dataset_type", "type", "poverty-dataset | agency-resource | policy-proposal",
     "dataset_type_label"),
    ("vocab_district", "area_codes (their amphoe)", "DOPA code, 4 digits",
     "lampangpoverty_area_list"),
    ("vocab_tambon", "area_codes (tambon)", "DOPA code, 6 digits", "lampangpoverty_area_list"),
    ("vocab_livelihood_capitals", "livelihood_capitals", "vocabulary term",
     "livelihood_capitals_label"),
    ("vocab_tpmap_dimensions", "tpmap_dimensions", "vocabulary term",
     "tpmap_dimensions_label"),
    ("vocab_target_groups", "target_groups", "vocabulary term", "target_groups_label"),
    ("vocab_programme_kind", "programme_kind", "vocabulary term", "programme_kind_label"),
    ("vocab_strategy_issues", "strategy_issues", "vocabulary term", "strategy_issues_label"),
    ("vocab_access_level", "access_level", "open | registered | licensed | ...",
     "access_level_label"),
    ("vocab_poverty_source", "poverty_source", "choice", "poverty_source_label"),
    ("vocab_proposal_status", "proposal_status", "choice", "proposal_status_label"),
    ("vocab_programme_status", "programme_status", "choice", "programme_status_label"),
    ("vocab_sector", "organization (its sector)", "choice", "organization_show: sector"),
    ("vocab_year", "reference_period_start, publication_date or open_date",
     "year of the Common Era", "-"),
    ("organization", "organization.name", "name", "organization.title"),
    ("res_format", "resources[].format", "format", "-"),
    ("freshness", "lampangpoverty_quality_show: freshness", "choice",
     "lampangpoverty_quality_show"),
    ("quality_band", "lampangpoverty_quality_show: score", "choice",
     "lampangpoverty_quality_show"),
]


def _actions() -> dict[str, Callable[..., Any]]:
    from ..logic import action

    return {name: getattr(action, name) for name in action.__all__ if name.startswith(PREFIX)}


def _docstring(function: Callable[..., Any]) -> dict[str, Any]:
    text = inspect.getdoc(function) or ""
    summary, _, rest = text.partition("\n\n")
    fields = re.split(r"^:", rest, flags=re.M)
    params: dict[str, dict[str, str]] = {}
    returns = ""
    description = fields[0].strip()
    for item in fields[1:]:
        head, _, body = item.partition(":")
        body = " ".join(body.split())
        words = head.split()
        if words[:1] == ["param"] and len(words) == 2:
            params.setdefault(words[1], {})["description"] = body
        elif words[:1] == ["type"] and len(words) == 2:
            params.setdefault(words[1], {})["type"] = body
        elif words[:1] == ["returns"]:
            returns = body
    return {"summary": " ".join(summary.split()), "description": description,
            "params": params, "returns": returns}


def _schema_of(type_text: str) -> dict[str, Any]:
    words = re.findall(r"[a-z]+", type_text.lower())
    return {"type": next((TYPES[w] for w in words if w in TYPES), "string")}


def _operation(name: str, function: Callable[..., Any]) -> dict[str, Any]:
    doc = _docstring(function)
    get = bool(getattr(function, "side_effect_free", False))
    params = doc["params"]
    example = EXAMPLES.get(name, {})
    operation: dict[str, Any] = {
        "operationId": name, "summary": doc["summary"],
        "description": doc["description"] + ("\n\nReturns: " + doc["returns"]
                                             if doc["returns"] else ""),
        "responses": {
            "200": {"description": doc["returns"] or "success",
                    "content": {"application/json": {"schema": {
                        "$ref": "#/components/schemas/Success"}}}},
            **{code: {"$ref": f"#/components/responses/{ref}"}
               for code, ref in (("400", "BadRequest"), ("403", "Forbidden"),
                                 ("404", "NotFound"), ("409", "Invalid"),
                                 ("429", "TooMany"))}},
    }
    if get:
        operation["parameters"] = [
            {"name": p, "in": "query", "description": spec.get("description", ""),
             "schema": _schema_of(spec.get("type", "")),
             **({"example": example[p]} if p in example else {})}
            for p, spec in params.items()]
    else:
        operation["requestBody"] = {"content": {"application/json": {
            "schema": {"type": "object", "properties": {
                p: {**_schema_of(spec.get("type", "")),
                    "description": spec.get("description", "")}
                for p, spec in params.items()}},
            "example": example}}}
        operation["security"] = [{"token": []}]
    return {"get" if get else "post": operation}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": {
        "$ref": "#/components/schemas/Error"}}}}


def build() -> dict[str, Any]:
    """The document (only our actions: CKAN's own are described in CKAN's documentation)."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Lampang Poverty Open Data Platform API", "version": "1",
                 "description": "CKAN action API (/api/3/action/<name>) of the platform's own "
                                "actions. The guide: /api-guide (Thai), /en/api-guide."},
        "servers": [{"url": "/api/3/action"}],
        "paths": {f"/{name}": _operation(name, fn) for name, fn in sorted(_actions().items())},
        "components": {
            "securitySchemes": {"token": {"type": "apiKey", "in": "header",
                                          "name": "Authorization"}},
            "schemas": {
                "Success": {"type": "object", "required": ["success", "result"],
                            "properties": {"success": {"const": True}, "result": {},
                                           "help": {"type": "string"}}},
                "Error": {"type": "object", "required": ["success", "error"], "properties": {
                    "success": {"const": False},
                    "error": {"type": "object", "description": "__type, and either message "
                              "or the parameter names with their messages (in the language "
                              "of Accept-Language, Thai by default)",
                              "properties": {"__type": {"type": "string"},
                                             "message": {"type": "string"}},
                              "additionalProperties": {"type": "array",
                                                       "items": {"type": "string"}}}}},
            },
            "responses": {
                "BadRequest": _error("a malformed parameter or Authorization header"),
                "Forbidden": _error("the caller may not do this"),
                "NotFound": _error("no such record"),
                "Invalid": _error("a parameter was refused: its name and why"),
                "TooMany": _error("over the rate limit (Retry-After says when to retry)"),
            },
        },
        "x-facets": [dict(zip(("facet", "source", "values", "labels"), row, strict=True))
                     for row in FACETS],
    }


def text() -> str:
    return json.dumps(build(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def write() -> Path:
    DOCUMENT.write_text(text(), encoding="utf-8")
    return DOCUMENT


def guide_vars() -> dict[str, Any]:
    """What the guide page shows: the actions (name, method, summary), the facet table and
    the Python example."""
    document = build()
    actions = [{"name": path.lstrip("/"), "method": method.upper(),
                "summary": operation["summary"]}
               for path, item in document["paths"].items()
               for method, operation in item.items()]
    example = Path(__file__).with_name("example_client.py").read_text(encoding="utf-8")
    return {"actions": actions, "facets": FACETS, "example": example,
            "rate_limit": tk.config["ckanext.lampangpoverty.api.rate_limit"],
            "rows_max": tk.config["ckan.search.rows_max"]}
