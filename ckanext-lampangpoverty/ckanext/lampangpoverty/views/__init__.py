"""Our pages: release downloads and access (``access``), the API's dump, OpenAPI document
and guide (``api``), household submissions (``gate``),
area profiles and gaps (``area``), quality (``quality``)."""
from __future__ import annotations

from .access import blueprint as access
from .activity import blueprint as activity
from .api import blueprint as api
from .area import blueprint as area
from .gate import blueprint as gate
from .quality import blueprint as quality

__all__ = ["access", "activity", "api", "area", "gate", "quality"]
