"""What our DCAT output adds to ckanext-dcat's DCAT-AP 3 serialization so that it meets every
DCAT-AP 3.0.0 shape (mandatory, recommended, ranges, controlled vocabularies): formats,
media types, languages, frequencies, themes and places as concepts of the EU vocabularies
(typed, with their scheme), licences as licence documents, contact points as vcard:Kind,
the catalogue's publisher, the reference period as the temporal coverage, and a
distribution for a record that has no file (its page on the portal).

Only what a record says is published; where a recommended value is derived (the theme
from the record's type, Thailand as the place of every Lampang record), the derivation
holds for every record of the platform.
"""
from __future__ import annotations

import re
from typing import Any

from rdflib import BNode, Graph, Literal, Node, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD, Namespace

import ckan.plugins.toolkit as tk

from . import filetypes, licences
from .types import POLICY_PROPOSAL

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
EU = "http://publications.europa.eu/resource/authority/"
ADMS_PUBLISHER_TYPE = "http://purl.org/adms/publishertype/"
ADMS_LICENCE_TYPE = "http://purl.org/adms/licencetype/"
THAILAND = URIRef(EU + "country/THA")
LANGUAGES = {"th": "THA", "en": "ENG"}
# dct:accrualPeriodicity from GD-Catalog's update_frequency_unit.
FREQUENCIES = {"ปี": "ANNUAL", "ครึ่งปี": "ANNUAL_2", "ไตรมาส": "QUARTERLY", "เดือน": "MONTHLY",
               "สัปดาห์": "WEEKLY", "วัน": "DAILY", "วันทำการ": "DAILY", "ชั่วโมง": "HOURLY",
               "นาที": "CONT", "ตามเวลาจริง": "CONT",
               "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล": "NEVER", "ไม่ทราบ": "UNKNOWN",
               "อื่นๆ": "OTHER"}
# Partner sector -> ADMS publisher type.
PUBLISHER_TYPES = {"government": "RegionalAuthority", "state_enterprise": "Company",
                   "education": "Academia-ScientificOrganisation", "private": "Company",
                   "civil_society": "NonGovernmentalOrganisation"}
# EU data themes: poverty data and agency programmes are "Population and society", policy
# proposals "Government and public sector".
THEMES = {POLICY_PROPOSAL: "GOVE"}
GEOSPARQL = Namespace("http://www.opengis.net/ont/geosparql#")
# Thailand's extent and centre (WGS84), for the place every record is in.
THAILAND_BBOX = "POLYGON((97.34 5.61,105.64 5.61,105.64 20.46,97.34 20.46,97.34 5.61))"
THAILAND_CENTROID = "POINT(100.99 15.87)"
# English names of the concepts we use (every concept carries a skos:prefLabel).
LABELS = {
    "data-theme/SOCI": "Population and society", "data-theme/GOVE":
    "Government and public sector", "language/THA": "Thai", "language/ENG": "English",
    "country/THA": "Thailand", "planned-availability/STABLE": "stable",
    "frequency/ANNUAL": "annual", "frequency/ANNUAL_2": "semiannual",
    "frequency/QUARTERLY": "quarterly", "frequency/MONTHLY": "monthly",
    "frequency/WEEKLY": "weekly", "frequency/DAILY": "daily", "frequency/HOURLY": "hourly",
    "frequency/CONT": "continuous", "frequency/NEVER": "never",
    "frequency/UNKNOWN": "unknown", "frequency/OTHER": "other",
}
SCHEMES = {"data-theme": "Data theme", "language": "Language", "country": "Country",
           "planned-availability": "Planned availability", "frequency": "Frequency",
           "file-type": "File type"}


def concept(g: Graph, scheme: str, code: str, *types: URIRef, label: str | None = None
            ) -> URIRef:
    """An EU vocabulary concept, with its scheme and the classes the shapes ask for."""
    ref = URIRef(f"{EU}{scheme}/{code}")
    g.add((ref, RDF.type, SKOS.Concept))
    g.add((ref, SKOS.inScheme, concept_scheme(g, EU + scheme, SCHEMES[scheme])))
    for cls in types:
        g.add((ref, RDF.type, cls))
    _replace(g, ref, SKOS.prefLabel,
             Literal(label or LABELS.get(f"{scheme}/{code}", code), lang="en"))
    return ref


def concept_scheme(g: Graph, uri: str, title: str) -> URIRef:
    ref = URIRef(uri)
    g.add((ref, RDF.type, SKOS.ConceptScheme))
    _replace(g, ref, DCTERMS.title, Literal(title, lang="en"))
    return ref


def adms(g: Graph, base: str, code: str, title: str) -> URIRef:
    """A concept of an ADMS vocabulary (publisher and licence types)."""
    ref = URIRef(base + code)
    g.add((ref, RDF.type, SKOS.Concept))
    g.add((ref, SKOS.inScheme, concept_scheme(g, base + "1.0", title)))
    _replace(g, ref, SKOS.prefLabel, Literal(re.sub(r"(?<=[a-z])(?=[A-Z])", " ", code),
                                             lang="en"))
    return ref


def thailand(g: Graph) -> URIRef:
    place = concept(g, "country", "THA", DCTERMS.Location)
    _replace(g, place, DCAT.bbox, Literal(THAILAND_BBOX, datatype=GEOSPARQL.wktLiteral))
    _replace(g, place, DCAT.centroid,
             Literal(THAILAND_CENTROID, datatype=GEOSPARQL.wktLiteral))
    return place


def _replace(g: Graph, subject: Any, predicate: URIRef, *objects: Any) -> None:
    g.remove((subject, predicate, None))
    for obj in objects:
        g.add((subject, predicate, obj))


def licence_document(g: Graph, license_id: str | None) -> URIRef | None:
    uri = licences.document(license_id)
    if not uri:
        return None
    ref = URIRef(uri)
    g.add((ref, RDF.type, DCTERMS.LicenseDocument))
    _replace(g, ref, DCTERMS.title, Literal(licences.TITLES[license_id or ""], lang="en"))
    kind = "PublicDomain" if license_id in ("cc-zero", "odc-pddl") else "Attribution"
    _replace(g, ref, DCTERMS.type, adms(g, ADMS_LICENCE_TYPE, kind, "Licence type"))
    return ref


def agent(g: Graph, ref: Any, name: str | None, sector: str | None) -> None:
    g.add((ref, RDF.type, FOAF.Agent))
    if name and not list(g.objects(ref, FOAF.name)):
        g.add((ref, FOAF.name, Literal(name)))
    kind = PUBLISHER_TYPES.get(sector or "", "RegionalAuthority")
    _replace(g, ref, DCTERMS.type, adms(g, ADMS_PUBLISHER_TYPE, kind, "Publisher type"))


def _period(g: Graph, dataset_ref: URIRef, data: dict[str, Any]) -> None:
    """The reference period of poverty data, the application period of a programme, the
    publication date of a proposal."""
    start = (data.get("reference_period_start") or data.get("open_date")
             or data.get("publication_date"))
    end = data.get("reference_period_end") or data.get("close_date")
    if not start or list(g.objects(dataset_ref, DCTERMS.temporal)):
        return
    period = BNode()
    g.add((period, RDF.type, DCTERMS.PeriodOfTime))
    g.add((period, DCAT.startDate, Literal(str(start)[:10], datatype=XSD.date)))
    if end:
        g.add((period, DCAT.endDate, Literal(str(end)[:10], datatype=XSD.date)))
    g.add((dataset_ref, DCTERMS.temporal, period))


def _contact(g: Graph, dataset_ref: URIRef, data: dict[str, Any]) -> None:
    points: list[Node] = list(g.objects(dataset_ref, DCAT.contactPoint))
    if not points:
        point = BNode()
        g.add((dataset_ref, DCAT.contactPoint, point))
        g.add((point, RDF.type, VCARD.Organization))
        org = data.get("organization") or {}
        g.add((point, VCARD.fn, Literal(data.get("maintainer") or org.get("title")
                                        or tk.config.get("ckan.site_title"))))
        points = [point]
    for each in points:
        g.add((each, RDF.type, VCARD.Kind))


def _distribution(g: Graph, dist: Any, resource: dict[str, Any], data: dict[str, Any]) -> None:
    label = filetypes.label(resource.get("format")) or resource.get("format")
    uri = filetypes.eu_uri(label)
    g.remove((dist, DCTERMS.format, None))
    if uri:
        code = uri.rsplit("/", 1)[-1]
        g.add((dist, DCTERMS.format, concept(g, "file-type", code, DCTERMS.MediaTypeOrExtent,
                                             label=label)))
    media = resource.get("mimetype") or filetypes.media_type(label)
    g.remove((dist, DCAT.mediaType, None))
    if media and "/" in media:
        media = media.split("/media-types/")[-1]
        ref = URIRef(filetypes.IANA + media)
        g.add((dist, DCAT.mediaType, ref))
        g.add((ref, RDF.type, DCTERMS.MediaType))
        # The type's name as a label: readers that know media types by name (ckanext-dcat
        # reads a node's rdfs:label) find the format without knowing IANA's addresses.
        _replace(g, ref, RDFS.label, Literal(media))
    # DCAT-AP 3.0.0 contradicts itself on dcat:byteSize: its complete SHACL file
    # (dcat-ap-SHACL.ttl) requires xsd:nonNegativeInteger, its split mandatory shapes
    # (shapes.ttl) xsd:decimal. No value meets both, so the size (kept with the resource,
    # shown on its page) is not published in DCAT.
    g.remove((dist, DCAT.byteSize, None))
    for link in [*g.objects(dist, DCAT.accessURL), *g.objects(dist, DCAT.downloadURL)]:
        g.add((link, RDF.type, RDFS.Resource))
    if not list(g.objects(dist, DCTERMS.description)):
        g.add((dist, DCTERMS.description,
               Literal(resource.get("description") or resource.get("name") or data["title"])))
    document = licence_document(g, resource.get("license") or data.get("license_id"))
    _replace(g, dist, DCTERMS.license, *([document] if document else []))
    g.add((dist, DCATAP.availability,
           concept(g, "planned-availability", "STABLE")))


def _page_distribution(g: Graph, dataset_ref: URIRef, data: dict[str, Any]) -> None:
    """A record without files (an agency's programme) is published as its page."""
    page = URIRef(tk.url_for("dataset.read", id=data["name"], _external=True))
    dist = URIRef(f"{dataset_ref}#page")
    g.add((dataset_ref, DCAT.distribution, dist))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCAT.accessURL, page))
    g.add((dist, DCTERMS.title, Literal(data["title"])))
    _distribution(g, dist, {"format": "HTML", "description": tk._("The record's page on the "
                                                                  "portal"),
                            "license": data.get("license_id") or tk.config[
                                "ckanext.lampangpoverty.catalogue.metadata_licence"]}, data)


def dataset(g: Graph, dataset_ref: URIRef, data: dict[str, Any]) -> None:
    """Complete one dataset's graph."""
    resources = {str(r.get("uri") or r.get("id")): r for r in data.get("resources") or []}
    for dist in list(g.objects(dataset_ref, DCAT.distribution)):
        resource: dict[str, Any] = next(
            (r for key, r in resources.items() if str(dist).endswith(key)), {})
        _distribution(g, dist, resource, data)
    if not data.get("resources"):
        _page_distribution(g, dataset_ref, data)
    _contact(g, dataset_ref, data)
    _period(g, dataset_ref, data)
    org = data.get("organization") or {}
    for publisher in g.objects(dataset_ref, DCTERMS.publisher):
        agent(g, publisher, org.get("title"), _sector(org))
    _replace(g, dataset_ref, DCAT.theme,
             concept(g, "data-theme", THEMES.get(data.get("type", ""), "SOCI")))
    _replace(g, dataset_ref, DCTERMS.spatial, thailand(g))
    code = FREQUENCIES.get(data.get("update_frequency_unit") or "")
    if code:
        _replace(g, dataset_ref, DCTERMS.accrualPeriodicity,
                 concept(g, "frequency", code, DCTERMS.Frequency))
    _replace(g, dataset_ref, DCTERMS.language, *[
        concept(g, "language", LANGUAGES[lang], DCTERMS.LinguisticSystem)
        for lang in _languages(data)])
    if not list(g.objects(dataset_ref, DCAT.keyword)):
        g.add((dataset_ref, DCAT.keyword, Literal(data["title"])))


def _languages(data: dict[str, Any]) -> list[str]:
    names = {"ไทย": "th", "อังกฤษ": "en"}
    given = [names[v] for v in data.get("data_language") or [] if v in names]
    return given or ["th"]


def _sector(org: dict[str, Any]) -> str | None:
    from ckan import model

    group = model.Group.get(org.get("id") or "") if org else None
    return group.extras.get("sector") if group is not None else None  # type: ignore[attr-defined]


def catalogue(g: Graph, catalog_ref: URIRef, modified: str | None, issued: str | None) -> None:
    """Complete the catalogue's own description."""
    site = tk.config.get("ckan.site_url")
    publisher = URIRef(f"{site}/#publisher")
    _replace(g, catalog_ref, DCTERMS.publisher, publisher)
    agent(g, publisher, tk.config.get("ckan.site_title"), "government")
    _replace(g, catalog_ref, DCTERMS.language, *[
        concept(g, "language", code, DCTERMS.LinguisticSystem) for code in LANGUAGES.values()])
    for homepage in g.objects(catalog_ref, FOAF.homepage):
        g.add((homepage, RDF.type, FOAF.Document))
    if issued and not list(g.objects(catalog_ref, DCTERMS.issued)):
        g.add((catalog_ref, DCTERMS.issued, Literal(issued[:10], datatype=XSD.date)))
    if modified and not list(g.objects(catalog_ref, DCTERMS.modified)):
        g.add((catalog_ref, DCTERMS.modified, Literal(modified[:10], datatype=XSD.date)))
    document = licence_document(
        g, tk.config["ckanext.lampangpoverty.catalogue.metadata_licence"])
    _replace(g, catalog_ref, DCTERMS.license, *([document] if document else []))
    _replace(g, catalog_ref, DCTERMS.spatial, thailand(g))
    _replace(g, catalog_ref, DCAT.themeTaxonomy,
             concept_scheme(g, EU + "data-theme", SCHEMES["data-theme"]))
