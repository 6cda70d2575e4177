"""Parsing RDF from partners without any request leaving the parser.

rdflib fetches what a document points to with its own client, outside our safe HTTP
(:py:mod:`.http`): a JSON-LD ``@context`` (or ``@import``) URL, an external entity of
RDF/XML. A catalogue could so make the harvester request internal addresses. Two locks:

1. JSON-LD naming a context by address (rather than embedding it) is refused before it is
   parsed, with the address named;
2. while a document is parsed, a Python audit hook (the mechanism rdflib's security notes
   recommend) refuses every URL opening, socket connection and name lookup of this thread
   of execution: whatever path a parser takes to the network, nothing is sent.
"""
from __future__ import annotations

import contextlib
import contextvars
import json
import sys
from collections.abc import Iterator
from typing import Any

_PARSING: contextvars.ContextVar[bool] = contextvars.ContextVar("rdf_parsing", default=False)
_NETWORK_EVENTS = frozenset({"urllib.Request", "socket.connect", "socket.getaddrinfo",
                             "socket.gethostbyname", "http.client.connect"})
_installed = False


class RemoteFetchRefused(RuntimeError):
    """A parser tried to fetch something while reading a partner's RDF."""


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if event in _NETWORK_EVENTS and _PARSING.get():
        raise RemoteFetchRefused(f"{event} {args[0] if args else ''}")


def _install() -> None:
    global _installed
    if not _installed:
        sys.addaudithook(_hook)       # process-wide and permanent; idle unless parsing
        _installed = True


@contextlib.contextmanager
def no_network() -> Iterator[None]:
    """Within this block, this thread of execution opens no URL and no socket."""
    _install()
    token = _PARSING.set(True)
    try:
        yield
    finally:
        _PARSING.reset(token)


def remote_contexts(text: str) -> list[str]:
    """The addresses a JSON-LD document names as ``@context`` or ``@import`` (empty when
    every context is embedded, or the text is not JSON)."""
    try:
        data = json.loads(text)
    except ValueError:
        return []
    found: list[str] = []

    def walk(node: Any, in_context: bool = False) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "@import" and isinstance(value, str):
                    found.append(value)
                walk(value, key == "@context")
        elif isinstance(node, list):
            for item in node:
                walk(item, in_context)
        elif in_context and isinstance(node, str):
            found.append(node)

    walk(data)
    return found
