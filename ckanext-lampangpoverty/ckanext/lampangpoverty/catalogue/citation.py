"""How to cite a record and reach it by machine: its permalink, an APA-style reference and a
BibTeX entry, its DCAT forms, and API calls for the record and its DataStore tables."""
from __future__ import annotations

import json
import re
from typing import Any

import ckan.plugins.toolkit as tk

from ..lib.clock import utcnow
from .labels import current_lang


def _year(pkg: dict[str, Any]) -> int:
    for key in ("data_updated", "metadata_modified", "metadata_created"):
        value = str(pkg.get(key) or "")
        if re.match(r"\d{4}-", value):
            return int(value[:4])
    return utcnow().year


def _bibtex_text(value: str) -> str:
    """Text inside a BibTeX brace group: braces and backslashes escaped, one line."""
    out = re.sub(r"\s+", " ", value).replace("\\", "\\textbackslash{}")
    return out.replace("{", "\\{").replace("}", "\\}")


def citation(pkg: dict[str, Any]) -> dict[str, Any]:
    site = tk.config["ckan.site_url"].rstrip("/")
    portal = tk.config.get("ckan.site_title") or site
    permalink = f"{site}/dataset/{pkg['id']}"
    author = (pkg.get("organization") or {}).get("title") or pkg.get("author") or portal
    year = _year(pkg)
    shown_year = year + 543 if current_lang() == "th" else year
    title = pkg.get("title") or pkg["name"]
    kind = tk._("Data set")  # outside the f-string, where Babel's extraction finds it
    apa = f"{author}. ({shown_year}). {title} [{kind}]. {portal}. {permalink}"
    key = re.sub(r"[^A-Za-z0-9_-]", "", pkg["name"]) or pkg["id"]
    bibtex = "\n".join([
        f"@misc{{{key},",
        f"  author = {{{{{_bibtex_text(author)}}}}},",
        f"  title = {{{_bibtex_text(title)}}},",
        f"  year = {{{year}}},",
        f"  publisher = {{{_bibtex_text(portal)}}},",
        f"  howpublished = {{\\url{{{permalink}}}}},",
        "  note = {Dataset}",
        "}"])
    return {"permalink": permalink, "apa": apa, "bibtex": bibtex,
            "dcat": [(fmt, f"{site}/dataset/{pkg['name']}.{fmt}")
                     for fmt in ("rdf", "ttl", "jsonld")]}


def api_examples(pkg: dict[str, Any]) -> dict[str, Any]:
    """curl and Python calls for the record and, per DataStore table, its rows."""
    site = tk.config["ckan.site_url"].rstrip("/")
    show = f"{site}/api/3/action/package_show?id={pkg['name']}"
    tables = [r for r in pkg.get("resources") or [] if r.get("datastore_active")]
    calls = [{"label": None, "curl": f"curl '{show}'",
              "python": "import requests\n"
                        f"record = requests.get({json.dumps(show)}).json()['result']"}]
    for res in tables[:3]:
        url = f"{site}/api/3/action/datastore_search?resource_id={res['id']}&limit=5"
        calls.append({"label": res.get("name") or res["id"], "curl": f"curl '{url}'",
                      "python": "import requests\n"
                                f"rows = requests.get({json.dumps(url)}).json()"
                                "['result']['records']"})
    docs = {"package_show": f"{site}/api/3/action/help_show?name=package_show",
            "datastore_search": f"{site}/api/3/action/help_show?name=datastore_search"}
    return {"calls": calls, "docs": docs, "has_tables": bool(tables)}
