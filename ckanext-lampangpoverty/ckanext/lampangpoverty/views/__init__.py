"""Our pages: release downloads and access (``access``), household submissions (``gate``),
area profiles and gaps (``area``), quality (``quality``)."""
from __future__ import annotations

from .access import blueprint as access
from .activity import blueprint as activity
from .area import blueprint as area
from .gate import blueprint as gate
from .quality import blueprint as quality

__all__ = ["access", "activity", "area", "gate", "quality"]
