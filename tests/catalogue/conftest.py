"""The partner server of the harvest tests, for a second CKAN that harvests our catalogue."""
from __future__ import annotations

from ..harvesters.conftest import _partner_server, partner

__all__ = ["_partner_server", "partner"]
