"""File formats both ways: the labels our resources carry ("CSV", "XLSX") read from what
partners send (EU file-type URIs, IANA media types, file extensions, GD-Catalog's
``data_format`` values); and each label written out as the EU file-type concept and the
IANA media type that DCAT-AP expects."""
from __future__ import annotations

import re

EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
IANA = "https://www.iana.org/assignments/media-types/"

# label -> (EU file-type code, IANA media type)
FORMATS: dict[str, tuple[str, str | None]] = {
    "CSV": ("CSV", "text/csv"),
    "XLSX": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "XLS": ("XLS", "application/vnd.ms-excel"),
    "ODS": ("ODS", "application/vnd.oasis.opendocument.spreadsheet"),
    "JSON": ("JSON", "application/json"),
    "GeoJSON": ("GEOJSON", "application/geo+json"),
    "XML": ("XML", "application/xml"),
    "PDF": ("PDF", "application/pdf"),
    "DOC": ("DOC", "application/msword"),
    "DOCX": ("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "HTML": ("HTML", "text/html"),
    "TXT": ("TXT", "text/plain"),
    "ZIP": ("ZIP", "application/zip"),
    "RDF": ("RDF", "application/rdf+xml"),
    "RDF/XML": ("RDF_XML", "application/rdf+xml"),
    "Turtle": ("RDF_TURTLE", "text/turtle"),
    "JSON-LD": ("JSON_LD", "application/ld+json"),
    "SHP": ("SHP", None),
    "KML": ("KML", "application/vnd.google-earth.kml+xml"),
    "GML": ("GML", "application/gml+xml"),
    "GeoTIFF": ("TIFF", "image/tiff"),
    "JPEG": ("JPEG", "image/jpeg"),
    "PNG": ("PNG", "image/png"),
    "API": ("JSON", "application/json"),
}
_ALIASES = {
    "xlsx": "XLSX", "excel": "XLSX", "ms excel": "XLSX", "xls": "XLS", "csv": "CSV",
    "text/csv": "CSV", "json": "JSON", "geojson": "GeoJSON", "xml": "XML", "pdf": "PDF",
    "doc/docx": "DOCX", "docx": "DOCX", "doc": "DOC", "html": "HTML", "htm": "HTML",
    "text": "TXT", "txt": "TXT", "zip": "ZIP", "rdf": "RDF", "rdf_xml": "RDF/XML",
    "rdf/xml": "RDF/XML", "rdf_turtle": "Turtle", "ttl": "Turtle", "turtle": "Turtle",
    "json_ld": "JSON-LD", "jsonld": "JSON-LD", "json-ld": "JSON-LD", "shapefile": "SHP",
    "shp": "SHP", "kml": "KML", "gml": "GML", "geotiff": "GeoTIFF", "tiff": "GeoTIFF",
    "jpeg": "JPEG", "jpg": "JPEG", "png": "PNG", "ods": "ODS", "api": "API",
}
_BY_MEDIA_TYPE = {media: label for label, (_code, media) in FORMATS.items()
                  if media and label not in ("API", "RDF")}
_BY_EU_CODE = {code.lower(): label for label, (code, _media) in FORMATS.items()
               if label != "API"}


def label(value: object) -> str | None:
    """Our format label for what a partner wrote, None when it names no format we know."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    lowered = text.lower().rstrip("/")
    if lowered.startswith(EU_FILE_TYPE.lower()):
        return _BY_EU_CODE.get(lowered.rsplit("/", 1)[-1])
    if "iana.org/assignments/media-types/" in lowered:
        lowered = lowered.split("/media-types/", 1)[1]
    if lowered in _BY_MEDIA_TYPE:
        return _BY_MEDIA_TYPE[lowered]
    lowered = re.sub(r"^\.", "", lowered)
    if lowered in _ALIASES:
        return _ALIASES[lowered]
    for known in FORMATS:
        if known.lower() == lowered:
            return known
    return None


def eu_uri(label_: str | None) -> str | None:
    found = FORMATS.get(label_ or "") or FORMATS.get(_ALIASES.get((label_ or "").lower(), ""))
    return EU_FILE_TYPE + found[0] if found else None


def media_type(label_: str | None) -> str | None:
    found = FORMATS.get(label_ or "") or FORMATS.get(_ALIASES.get((label_ or "").lower(), ""))
    return found[1] if found else None
