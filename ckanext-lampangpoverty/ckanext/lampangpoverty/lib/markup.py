"""Data put into a page's markup safely."""
from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup


def script_json(data: Any) -> Markup:
    """JSON to put inside a ``<script type="application/json">`` (no ``<``, ``>`` or ``&``
    left that could end the element)."""
    text = json.dumps(data, ensure_ascii=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e")
                  .replace("&", "\\u0026"))
