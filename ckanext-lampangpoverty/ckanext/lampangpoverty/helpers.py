"""Template helpers (``h.lampangpoverty_*``); the ``*_choices`` ones feed scheming fields
through ``choices_helper``. Each hands over to the concern that knows the answer."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context

from .catalogue import areas, citation, labels_facets, spatial, structured, vocabulary
from .catalogue.labels import area_label, current_lang, result_badges, type_labels
from .catalogue.text import points as text_points
from .catalogue.types import POLICY_PROPOSAL
from .disclosure import roles as gate_roles
from .gate import access
from .l10n import dates, errors
from .l10n import items as resource_table
from .lib.markup import script_json
from .lib.permissions import is_owner_admin
from .model import Download, Microdata, MicrodataStatus
from .targeting.page_helpers import (
    lampangpoverty_baht,
    lampangpoverty_district_outlines,
    lampangpoverty_home,
    lampangpoverty_home_map,
    lampangpoverty_indicator_label,
    lampangpoverty_map_tiles,
    lampangpoverty_percent,
    lampangpoverty_programme_summary,
    lampangpoverty_term_labels,
    lampangpoverty_unit_label,
    lampangpoverty_year_label,
)

__all__ = [
    "format_resource_items",
    "humanize_entity_type",
    "lampangpoverty_access_queue_count",
    "lampangpoverty_api_examples",
    "lampangpoverty_area_choices",
    "lampangpoverty_area_freshness",
    "lampangpoverty_area_label",
    "lampangpoverty_baht",
    "lampangpoverty_citation",
    "lampangpoverty_citing_proposals",
    "lampangpoverty_contact_email",
    "lampangpoverty_dataset_titles",
    "lampangpoverty_date_input",
    "lampangpoverty_district_outlines",
    "lampangpoverty_download_count",
    "lampangpoverty_error_text",
    "lampangpoverty_extent",
    "lampangpoverty_facet_sidebar",
    "lampangpoverty_field_labels",
    "lampangpoverty_format_date",
    "lampangpoverty_gate_label",
    "lampangpoverty_harvest_info",
    "lampangpoverty_harvest_job_summary",
    "lampangpoverty_home",
    "lampangpoverty_home_map",
    "lampangpoverty_indicator_label",
    "lampangpoverty_json",
    "lampangpoverty_map_tiles",
    "lampangpoverty_number",
    "lampangpoverty_organization_choices",
    "lampangpoverty_percent",
    "lampangpoverty_points",
    "lampangpoverty_programme_summary",
    "lampangpoverty_quality_badges",
    "lampangpoverty_quality_labels",
    "lampangpoverty_release_access",
    "lampangpoverty_release_summary",
    "lampangpoverty_resource_quality",
    "lampangpoverty_result_badges",
    "lampangpoverty_status_colour",
    "lampangpoverty_table_schema_choices",
    "lampangpoverty_term_labels",
    "lampangpoverty_unit_label",
    "lampangpoverty_url_without",
    "lampangpoverty_vocabulary_choices",
    "lampangpoverty_year_label",
    "render_datetime",
    "structured_data",
]


@tk.chained_helper
def humanize_entity_type(next_helper: Callable[..., str], entity_type: str, object_type: str,
                         purpose: str) -> str:
    """Page titles, buttons and breadcrumbs name our types in words, in Thai or English
    (CKAN derives them from the machine name, untranslated)."""
    labels = type_labels().get(object_type) if entity_type == "package" else None
    if labels is None:
        return next_helper(entity_type, object_type, purpose)
    one, many = labels
    phrases = {
        "add link": tk._("Add {one}"),
        "breadcrumb": "{Many}",
        "content tab": "{Many}",
        "create label": tk._("Create {one}"),
        "create title": tk._("Create {one}"),
        "edit label": tk._("Edit {one}"),
        "facet label": "{Many}",
        "form label": "{One}",
        "main nav": "{Many}",
        "page title": "{Many}",
        "save label": tk._("Save {one}"),
        "search placeholder": tk._("Search {many}..."),
        "update label": tk._("Update {one}"),
        "view label": tk._("View {one}"),
        "no any objects": tk._("There are no {many} yet."),
    }
    phrase = phrases.get(purpose, "{One}")
    return phrase.format(one=one, many=many, One=one[:1].upper() + one[1:],
                         Many=many[:1].upper() + many[1:])


@tk.chained_helper
def structured_data(next_helper: Callable[..., str], dataset_dict: dict[str, Any],
                    profiles: list[str] | None = None) -> str:
    """ckanext-dcat's JSON-LD block of a dataset page, without looking its RDF profiles up
    again on every view."""
    return structured.structured_data(dataset_dict, profiles)


def lampangpoverty_area_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    return areas.choices()


def lampangpoverty_area_label(code: str) -> str:
    return area_label(code)


def lampangpoverty_vocabulary_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    return vocabulary.choices(field["vocabulary"])


def lampangpoverty_organization_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    orgs = (model.Session.query(model.Group)
            .filter(model.Group.is_organization.is_(True), model.Group.state == "active")
            .order_by(model.Group.title))
    return [{"value": g.name, "label": g.title or g.name} for g in orgs]


def lampangpoverty_format_date(value: Any, with_time: bool = False) -> str:
    """THE way every page shows a date or timestamp (a date, a datetime in naive UTC, or an
    ISO string): Buddhist Era with Thai month names in Thai (28 พฤศจิกายน 2569 เวลา 14:05 น.),
    Common Era in English, times in Bangkok (``ckan.display_timezone``)."""
    return dates.display(value, current_lang(), str(tk.h.get_display_timezone()), with_time)


@tk.chained_helper
def render_datetime(next_helper: Callable[..., str], datetime_: Any,
                    date_format: str | None = None, with_hours: bool = False,
                    with_seconds: bool = False) -> str:
    """Core's, harvest's and scheming's templates show dates as ours do (one calendar per
    language, Bangkok time).

    Those templates also put an ISO time with its zone (``%z``) in ``data-datetime`` for
    CKAN's main.js, which rewrites the text in the *browser's* zone and calendar (UTC on a
    server's browser, C.E. on a Thai page); an empty attribute is what main.js leaves alone,
    so every page keeps the text rendered here."""
    if date_format and "%z" in date_format:
        return ""
    return lampangpoverty_format_date(datetime_, with_hours or with_seconds)


@tk.chained_helper
def format_resource_items(next_helper: Callable[..., Any],
                          items: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """The resource page's table without CKAN's bookkeeping, labelled in the reader's
    language, dates as on every page."""
    zone = str(tk.h.get_display_timezone())
    return resource_table.resource_items(items, current_lang(), zone)


def lampangpoverty_date_input(value: Any) -> str:
    """A stored date as the date inputs show it for editing (dd/mm/yyyy, B.E. in Thai)."""
    return dates.form_value(value, current_lang())


def lampangpoverty_error_text(code: Any, name: str | None, content: Any) -> dict[str, Any]:
    return errors.error_text(code, name, content)


def lampangpoverty_result_badges(package: dict[str, Any]) -> list[dict[str, str]]:
    """What a search result says about a record before its title is opened: its type and,
    for a poverty dataset, who may get its data (text and Bootstrap badge class)."""
    return result_badges(package)


def lampangpoverty_facet_sidebar(titles: dict[str, str],
                                 search_facets: dict[str, Any]) -> list[dict[str, Any]]:
    """Every facet of a search page with its items' labels, counts and links."""
    return labels_facets.sidebar(titles, search_facets)


def lampangpoverty_url_without(keys: list[str]) -> str:
    """The current page's URL without the given query parameters (``remove_url_param``)."""
    return labels_facets.url_without(list(keys))


def lampangpoverty_extent(codes: list[str]) -> str | None:
    """GeoJSON extent of the given area codes (for the map widgets)."""
    return spatial.extent(list(codes)) if codes else None


def lampangpoverty_citing_proposals(dataset_name: str) -> list[dict[str, Any]]:
    """Policy proposals whose evidence includes this dataset (public ones, from the index)."""
    result = tk.get_action("package_search")({}, {
        "fq": f'+dataset_type:{POLICY_PROPOSAL} +vocab_evidence_datasets:"{dataset_name}"',
        "rows": 100, "sort": "metadata_modified desc"})
    return result["results"]


def lampangpoverty_gate_label(name: str | None) -> str:
    """A column role or recode method of the disclosure gate in words, in the current
    language (the raw option name when it is neither)."""
    return gate_roles.label(name) if name else ""


def lampangpoverty_release_summary(package_id: str) -> dict[str, Any] | None:
    try:
        return tk.get_action("lampangpoverty_disclosure_summary")(
            {"user": tk.current_user.name}, {"id": package_id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return None


def lampangpoverty_release_access(pkg: dict[str, Any]) -> dict[str, Any]:
    """What the current user may do with the dataset's release."""
    user = model.User.get(tk.current_user.name) if tk.current_user.is_authenticated else None
    package = model.Package.get(pkg["id"])
    if package is None:
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    release = Microdata.latest(package.id, status=MicrodataStatus.PASSED)
    latest = Microdata.latest(package.id)
    context: Context = {"user": user.name if user else ""}
    requests = []
    if user:
        requests = tk.get_action("lampangpoverty_access_request_list")(context.copy(),
                                                                       {"id": package.id})
    mine = [r for r in requests if user and r["user"] == user.name]
    return {"level": access.access_level(package), "user": user,
            "mine_pending": next((r for r in mine if r["status"] == "pending"), None),
            "mine_usable": next((r for r in mine if r["usable"]), None),
            "release_id": release.id if release else None,
            "decision": access.decide(user, package),
            "is_admin": bool(user) and is_owner_admin(context["user"], package),
            "requests": requests, "latest": latest.id if latest else None}


def lampangpoverty_access_queue_count() -> int:
    """How many access requests wait for the current user's decision (0 when none or when
    they administer no organisation)."""
    if not tk.current_user.is_authenticated:
        return 0
    return len(tk.get_action("lampangpoverty_access_request_queue")(
        {"user": tk.current_user.name}, {}))


def lampangpoverty_harvest_info(package_id: str) -> dict[str, Any] | None:
    """The harvest source and last harvest time of a harvested record (None otherwise)."""
    from .harvesters import schedule

    return schedule.harvest_info(package_id)


def lampangpoverty_harvest_job_summary(job_id: str) -> dict[str, Any]:
    """Our summary of a harvest job, for the job page (which checked access already)."""
    from .harvesters import schedule

    return schedule.job_summary(job_id)


def lampangpoverty_json(data: Any) -> Markup:
    """JSON to put inside a ``<script type="application/json">``."""
    return script_json(data)


def lampangpoverty_number(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}"


def lampangpoverty_citation(pkg: dict[str, Any]) -> dict[str, Any]:
    """Permalink, APA-style reference, BibTeX and DCAT links of a record."""
    return citation.citation(pkg)


def lampangpoverty_api_examples(pkg: dict[str, Any]) -> dict[str, Any]:
    """curl and Python calls for a record and its DataStore tables."""
    return citation.api_examples(pkg)


def lampangpoverty_download_count(package_id: str) -> int:
    """Release downloads logged for a dataset."""
    return model.Session.query(Download).filter(Download.package_id == package_id).count()


def lampangpoverty_points(text: str | None) -> list[str]:
    """A recommendation text as a list of points."""
    return text_points(text)


def lampangpoverty_dataset_titles(names: list[str]) -> dict[str, str]:
    """name (or id) -> title of the records the current user may see (others are left
    out): one search with the user's permission labels, not a package_show per record."""
    wanted = list(dict.fromkeys(str(n) for n in names or [] if n))
    if not wanted:
        return {}
    quoted = " OR ".join('"{}"'.format(n.replace("\\", "\\\\").replace('"', '\\"'))
                         for n in wanted)
    found = tk.get_action("package_search")({"user": tk.current_user.name}, {
        "fq": f"+(name:({quoted}) OR id:({quoted}))", "fl": "id,name,title",
        "rows": 10 * len(wanted), "sort": "metadata_modified desc",
        "include_private": True, "include_drafts": True})["results"]
    titles: dict[str, str] = {}
    for record in found:        # the newest first, should the index hold an old copy too
        for key in (record.get("name"), record.get("id")):
            titles.setdefault(key, record.get("title") or record["name"])
    return {n: titles[n] for n in wanted if n in titles}


def lampangpoverty_contact_email() -> str:
    """Where the About page sends questions about the platform: its mail address."""
    return tk.config.get("smtp.mail_from") or ""


def lampangpoverty_table_schema_choices() -> list[dict[str, str]]:
    """The Table Schemas shipped with the platform (a resource's ``schema`` may name one)."""
    from .quality import tableschema

    # The schema files carry one bilingual title; the form names them in the reader's
    # language (a schema of a future release without a label here keeps its title).
    labels = {"area_indicators": tk._("Lampang area indicators"),
              "bmn_household_table": tk._("BMN-style household and person table")}
    return [{**c, "label": labels.get(c["value"], c["label"])} for c in tableschema.choices()]


def lampangpoverty_quality_badges(quality: dict[str, Any] | None) -> list[dict[str, str]]:
    """Badges (text, colour, title) of a record's quality (package_show's ``quality``)."""
    from .quality import present

    return present.badges(quality)


def lampangpoverty_quality_labels() -> Any:
    from .quality import present

    return present.Words()


def lampangpoverty_field_labels(dataset_type: str, names: list[str]) -> list[str]:
    from .quality import present

    return present.field_labels(dataset_type, names)


def lampangpoverty_status_colour(status: str) -> str:
    from .quality import present

    return present.colour(status)


def lampangpoverty_resource_quality(resource_id: str) -> dict[str, Any] | None:
    """A resource's last validation and link check, for its page."""
    from .quality import present

    return present.resource_quality(resource_id)


def lampangpoverty_area_freshness(code: str) -> list[dict[str, Any]]:
    """Freshness counts of the public records covering an area (area profiles)."""
    from .quality import present

    return present.area_freshness(code)
