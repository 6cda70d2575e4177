"""Our pages: release downloads and access (``access``), household submissions (``gate``)."""
from __future__ import annotations

from .access import blueprint as access
from .gate import blueprint as gate

__all__ = ["access", "gate"]
