"""Licences both ways: what partners write (CKAN licence ids, GD-Catalog's titles, licence
URLs of Creative Commons, Open Data Commons and the EU licence vocabulary, short names such
as "CC BY 4.0") read into CKAN's licence ids; and each id written out as the licence document
DCAT-AP expects (``dct:license``), so that what we publish reads back as the same id."""
from __future__ import annotations

import re

# CKAN licence id -> the document published for it (Creative Commons and Open Data
# Commons' own pages, which other portals' registries also know) and the EU licence
# vocabulary's concept where it has one.
DOCUMENTS: dict[str, str] = {
    "cc-by": "https://creativecommons.org/licenses/by/4.0/",
    "cc-by-sa": "https://creativecommons.org/licenses/by-sa/4.0/",
    "cc-zero": "https://creativecommons.org/publicdomain/zero/1.0/",
    "cc-nc": "https://creativecommons.org/licenses/by-nc/4.0/",
    "odc-pddl": "https://opendatacommons.org/licenses/pddl/1-0/",
    "odc-odbl": "https://opendatacommons.org/licenses/odbl/1-0/",
    "odc-by": "https://opendatacommons.org/licenses/by/1-0/",
    "gfdl": "https://www.gnu.org/licenses/fdl-1.3.html",
    "uk-ogl": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}
# The titles CKAN's licence register gives them (in English): a DCAT reader that knows
# only CKAN's register (ckanext-dcat) finds the licence id by the document's dct:title.
TITLES = {"cc-by": "Creative Commons Attribution",
          "cc-by-sa": "Creative Commons Attribution Share-Alike",
          "cc-zero": "Creative Commons CCZero", "cc-nc": "Creative Commons Non-Commercial (Any)",
          "odc-pddl": "Open Data Commons Public Domain Dedication and License (PDDL)",
          "odc-odbl": "Open Data Commons Open Database License (ODbL)",
          "odc-by": "Open Data Commons Attribution License",
          "gfdl": "GNU Free Documentation License",
          "uk-ogl": "UK Open Government Licence (OGL)"}
EU_LICENCE = "http://publications.europa.eu/resource/authority/licence/"
EU_CONCEPTS = {"cc-by": "CC_BY_4_0", "cc-by-sa": "CC_BY_SA_4_0", "cc-zero": "CC0",
               "cc-nc": "CC_BY_NC_4_0", "odc-odbl": "ODC_BL", "odc-by": "ODC_BY",
               "odc-pddl": "ODC_PDDL", "gfdl": "GNU_FDL", "uk-ogl": "OGL_3_0"}

# Names partners use, normalised by _key(), -> CKAN licence id.
_NAMES = {
    # CKAN's own titles (GD-Catalog shows the same, in English)
    "license not specified": "notspecified", "licence not specified": "notspecified",
    "creative commons attribution": "cc-by", "creative commons attributions": "cc-by",
    "creative commons attribution share-alike": "cc-by-sa",
    "creative commons attribution share alike": "cc-by-sa",
    "creative commons non-commercial (any)": "cc-nc", "creative commons non commercial": "cc-nc",
    "creative commons cczero": "cc-zero", "cc0": "cc-zero", "cc0 1.0": "cc-zero",
    "cc zero": "cc-zero", "gnu free documentation license": "gfdl",
    "open data commons attribution license": "odc-by",
    "open data commons open database license (odbl)": "odc-odbl", "odbl": "odc-odbl",
    "open data commons public domain dedication and license (pddl)": "odc-pddl",
    "uk open government licence (ogl)": "uk-ogl", "open government licence": "uk-ogl",
    "other (open)": "other-open", "other (public domain)": "other-pd",
    "other (attribution)": "other-at", "other (non-commercial)": "other-nc",
    "other (not open)": "other-closed",
    # short names
    "cc by": "cc-by", "cc-by": "cc-by", "cc by 4.0": "cc-by", "cc-by-4.0": "cc-by",
    "cc by 3.0": "cc-by", "cc by 3.0 th": "cc-by", "cc by sa": "cc-by-sa",
    "cc by-sa 4.0": "cc-by-sa", "cc-by-sa-4.0": "cc-by-sa", "cc by nc": "cc-nc",
    "cc by-nc 4.0": "cc-nc", "cc-by-nc-4.0": "cc-nc",
    "creative commons attribution 4.0 international": "cc-by",
    "creative commons attribution 4.0": "cc-by",
    "creative commons attribution-sharealike 4.0 international": "cc-by-sa",
    # GD-Catalog's "Open Data Common": the Open Data Commons Attribution licence
    "open data common": "odc-by", "open data commons": "odc-by",
    # Thai
    "ครีเอทีฟคอมมอนส์แบบแสดงที่มา": "cc-by", "สัญญาอนุญาตครีเอทีฟคอมมอนส์แบบแสดงที่มา": "cc-by",
    "ไม่ระบุสัญญาอนุญาต": "notspecified",
}
# Licence URLs (without scheme and trailing slash, lower case) -> CKAN licence id.
_URL_PATTERNS = [
    (r"creativecommons\.org/licenses/by/[\d.]+(/[a-z]+)?(/(legalcode|deed\.[a-z-]+))?", "cc-by"),
    (r"creativecommons\.org/licenses/by-sa/[\d.]+(/[a-z]+)?(/(legalcode|deed\.[a-z-]+))?",
     "cc-by-sa"),
    (r"creativecommons\.org/licenses/by-nc(-sa|-nd)?/[\d.]+(/[a-z]+)?(/legalcode)?", "cc-nc"),
    (r"creativecommons\.org/publicdomain/zero/1\.0(/legalcode)?", "cc-zero"),
    (r"opendatacommons\.org/licenses/odbl(/1[.-]0)?(/summary)?", "odc-odbl"),
    (r"opendatacommons\.org/licenses/by(/1[.-]0)?(/summary)?", "odc-by"),
    (r"opendatacommons\.org/licenses/pddl(/1[.-]0)?(/summary)?", "odc-pddl"),
    (r"(www\.)?opendefinition\.org/licenses/([a-z-]+)", ""),      # CKAN's registry URLs
    (r"www\.gnu\.org/licenses/fdl(-[\d.]+)?(\.html)?", "gfdl"),
    (r"www\.nationalarchives\.gov\.uk/doc/open-government-licence/version/\d", "uk-ogl"),
    (r"publications\.europa\.eu/resource/authority/licence/([a-z0-9_]+)", "eu"),
    # DCAT-AP.de's licence vocabulary (German portals)
    (r"dcat-ap\.de/def/licenses/cc-by(/[\d.]+)?", "cc-by"),
    (r"dcat-ap\.de/def/licenses/cc-by-sa(/[\d.]+)?", "cc-by-sa"),
    (r"dcat-ap\.de/def/licenses/cc-zero", "cc-zero"),
    (r"dcat-ap\.de/def/licenses/odbl", "odc-odbl"),
]
_EU_IDS = {concept.lower(): ckan_id for ckan_id, concept in EU_CONCEPTS.items()}
_EU_IDS.update({"cc_by_3_0": "cc-by", "cc_by_sa_3_0": "cc-by-sa", "cc_by_2_0": "cc-by",
                "cc_by_nc_3_0": "cc-nc", "cc_pddl": "odc-pddl", "odc_odbl": "odc-odbl"})
_CKAN_IDS = {"notspecified", "odc-pddl", "odc-odbl", "odc-by", "cc-zero", "cc-by", "cc-by-sa",
             "gfdl", "other-open", "other-pd", "other-at", "uk-ogl", "cc-nc", "other-nc",
             "other-closed"}


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


def _from_url(text: str) -> str | None:
    bare = re.sub(r"^https?://", "", text.strip().lower()).rstrip("/")
    for pattern, license_id in _URL_PATTERNS:
        found = re.fullmatch(pattern, bare)
        if not found:
            continue
        if license_id == "eu":
            return _EU_IDS.get(found.group(1))
        if license_id == "":
            return found.group(2) if found.group(2) in _CKAN_IDS else None
        return license_id
    return None


def license_id(value: object) -> str | None:
    """The CKAN licence id a partner's licence value stands for, None when it names no
    licence we know (the caller keeps the original)."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.lower() in _CKAN_IDS:
        return text.lower()
    if re.match(r"^https?://", text, re.IGNORECASE):
        return _from_url(text)
    return _NAMES.get(_key(text))


def document(license_id_: str | None) -> str | None:
    """The licence document we publish for a CKAN licence id (None: no document)."""
    return DOCUMENTS.get(license_id_ or "")
