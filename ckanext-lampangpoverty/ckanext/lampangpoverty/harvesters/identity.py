"""One record per remote dataset across sources.

A remote dataset is known by addresses that do not depend on which of our sources reads it:
its page on its portal (``<portal>/dataset/<id>``, also the URI ckanext-dcat gives it in the
portal's DCAT catalogue) and its DCAT URI or URL identifier. Each imported record remembers
its addresses (harvest object extras ``identity``); a second source that lists a dataset one
of them already stands for does not import it again, and its job report says which record
it is. The addresses are compared without scheme, ``www.`` or trailing slash.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

import sqlalchemy as sa

from ckan import model
from ckanext.harvest.model import HarvestObject, HarvestObjectExtra, HarvestSource

from .labels import N_, message

KEY = "identity"


def normalise(address: str) -> str | None:
    text = str(address or "").strip()
    if not re.match(r"^https?://", text, re.IGNORECASE):
        return None
    bare = re.sub(r"^https?://(www\.)?", "", text, flags=re.IGNORECASE)
    host, _, path = bare.partition("/")
    return (host.lower() + "/" + path).rstrip("/")


def of(addresses: Iterable[str | None]) -> list[str]:
    """The normalised addresses a record is known by (web addresses only)."""
    found = {normalise(a) for a in addresses if a}
    return sorted(a for a in found if a)


def portal_dataset(base_url: str, dataset_id: str) -> str:
    return f"{base_url.rstrip('/')}/dataset/{dataset_id}"


def lock(identities: list[str]) -> None:
    """Serialise the first import of one remote dataset across sources and consumers."""
    for address in sorted(identities):
        model.Session.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(:a))"),
                              {"a": "identity:" + address})


def find_other(source_id: str, identities: list[str]) -> dict | None:
    """The active record another source imported for one of these addresses."""
    row = (model.Session.query(HarvestObject.package_id, HarvestObject.harvest_source_id)
           .join(HarvestObjectExtra, HarvestObjectExtra.harvest_object_id == HarvestObject.id)
           .join(model.Package, model.Package.id == HarvestObject.package_id)
           .filter(HarvestObjectExtra.key == KEY)
           .filter(HarvestObjectExtra.value.in_(identities))
           .filter(HarvestObject.current == sa.true())
           .filter(HarvestObject.harvest_source_id != source_id)
           .filter(model.Package.state == "active").first())
    if row is None:
        return None
    package = model.Package.get(row[0])
    source = model.Session.get(HarvestSource, row[1])
    return {"id": row[0], "name": package.name if package else row[0],
            "title": package.title if package else "",
            "source": (source.title or source.url) if source else row[1]}


def linked_message(other: dict) -> dict:
    return message(N_("The source \"%(source)s\" already brought this dataset in as "
                      "\"%(title)s\" (%(name)s); it was not imported a second time"),
                   source=other["source"], title=other["title"], name=other["name"])


def remember(obj: HarvestObject, identities: list[str]) -> None:
    for address in identities:
        model.Session.add(HarvestObjectExtra(object=obj, key=KEY, value=address))
