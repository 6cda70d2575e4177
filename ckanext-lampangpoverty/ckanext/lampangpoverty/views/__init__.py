"""Our pages: release downloads and access (``access``), household submissions (``gate``)."""
from __future__ import annotations

from .access import blueprint as access
from .activity import blueprint as activity
from .gate import blueprint as gate

__all__ = ["access", "activity", "gate"]
