"""Our pages: release downloads and access (``access``), household submissions (``gate``),
quality (``quality``)."""
from __future__ import annotations

from .access import blueprint as access
from .activity import blueprint as activity
from .gate import blueprint as gate
from .quality import blueprint as quality

__all__ = ["access", "activity", "gate", "quality"]
