"""What the crawl test reads on a page: the interface text (visible text, and the
attributes a reader sees or hears: placeholder, title, aria-label, alt, button values),
without the user content it was given and without code, URLs and e-mail addresses; and
which of it is in the wrong language."""
from __future__ import annotations

import re
from collections.abc import Iterable

from bs4 import BeautifulSoup

THAI = re.compile(r"[\u0E00-\u0E7F]+")
# An English word: three letters or more, not an acronym (CSV, API, DOPA are the same in
# both languages) and not a name of a format or a standard.
WORD = re.compile(r"(?<![\w/.@-])[A-Za-z][a-z]{2,}(?:'[a-z]+)?(?![\w/@-])")
NAMES = frozenset({
    "Markdown", "GeoJSON", "BibTeX", "DataStore", "Leaflet", "Excel", "Python", "curl",
    "Solr", "Frictionless", "Schema", "Turtle", "Creative", "Commons", "Attribution",
    "Share", "Alike", "PostgreSQL",
    "xlsx", "json", "csv", "html", "pdf", "zip", "ttl", "jsonld", "xml", "docx", "rdf",
    "ShareAlike", "NonCommercial", "Shapefile", "GeoTiff", "Coverage", "NoSQL",
    "Attribution-ShareAlike", "GD-Catalog", "TPMAP", "Gmail", "gzip",
})
URLISH = re.compile(r"\bhttps?:|\S+://\S+|\S+@\S+\.\S+|[A-Za-z0-9_.-]*/[A-Za-z0-9_./?=&%-]*"
                    r"|\b[A-Za-z0-9_-]+\.(?:csv|xlsx|json|ttl|pdf)\b")
HIDDEN = ("script", "style", "noscript", "code", "pre", "template", "svg")
ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")


def interface_text(html: str, user_content: Iterable[str]) -> list[str]:
    """The pieces of interface text of a page, user content removed."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(HIDDEN):
        tag.decompose()
    # Each language is named in itself in the language switcher (the way back for a reader
    # who does not read the page's language).
    for tag in soup.select("#field-lang-select option"):
        tag.decompose()
    pieces = [s for s in soup.stripped_strings]
    for tag in soup.find_all(True):
        pieces += [str(tag[a]) for a in ATTRIBUTES if tag.has_attr(a)]
        if tag.name == "input" and tag.get("type") in ("submit", "button") and tag.get("value"):
            pieces.append(str(tag["value"]))
    content = sorted({c for c in user_content if c}, key=len, reverse=True)
    cleaned = []
    for piece in pieces:
        if piece.endswith("...") and any(c.startswith(piece[:-3]) for c in content):
            continue  # user content cut short ("แหล่งเก...")
        for c in content:
            piece = piece.replace(c, " ")
        piece = URLISH.sub(" ", piece).strip()
        if piece:
            cleaned.append(piece)
    return cleaned


def wrong_language(pieces: Iterable[str], lang: str) -> list[str]:
    """The pieces with words of the other language: English words on a Thai page, Thai on
    an English one."""
    found = []
    for piece in pieces:
        if lang == "th":
            words = [w for w in WORD.findall(piece) if w not in NAMES]
        else:
            words = THAI.findall(piece)
        if words:
            found.append(piece[:120])
    return found
