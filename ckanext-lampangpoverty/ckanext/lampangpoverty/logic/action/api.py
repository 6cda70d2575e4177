"""Actions of the public API: the changes feed and the list of areas."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.logic import validate
from ckan.types import Context, DataDict

from ...api import changes
from ...catalogue import areas
from .. import schema


@tk.side_effect_free
@validate(schema.changes)
def lampangpoverty_changes(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Records created, updated and deleted (or withdrawn, or made private) since a time,
    for everything the caller may see, oldest first, each once at its latest change.

    Start with ``since``; go on with the ``next_cursor`` of each answer (also when ``more``
    is false: it is where the next sync starts).

    :param since: ISO 8601 timestamp with its zone (first call)
    :type since: string
    :param cursor: ``next_cursor`` of the previous answer (instead of ``since``)
    :type cursor: string
    :param limit: changes per answer, 1 to 1000 (default 100)
    :type limit: int
    :returns: ``changes`` (``id``, ``name``, ``type``, ``change`` = created, updated or
        deleted, ``changed``, ``seq``), ``next_cursor``, ``more``
    :rtype: dictionary
    """
    tk.check_access("lampangpoverty_changes", context, data_dict)
    if "cursor" in data_dict:
        cursor = int(data_dict["cursor"])
    elif "since" in data_dict:
        cursor = changes.cursor_for(data_dict["since"])
    else:
        raise tk.ValidationError({"since": [tk._("Give since (first call) or cursor")]})
    return changes.page(context.get("user"), cursor, int(data_dict.get("limit", 100)))


@tk.side_effect_free
@validate(schema.area_list)
def lampangpoverty_area_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The areas of Lampang records use (DOPA codes): the province, its amphoe and their
    tambon, in code order.

    :param level: only ``province``, ``amphoe`` or ``tambon`` (optional)
    :type level: string
    :returns: ``code``, ``level``, ``name_th``, ``name_en``, ``parent`` (code or null),
        ``pilot`` (a pilot district or one of its tambon)
    :rtype: list of dictionaries
    """
    tk.check_access("lampangpoverty_area_list", context, data_dict)
    level = data_dict.get("level")
    return [{"code": a.code, "level": a.level, "name_th": a.name_th, "name_en": a.name_en,
             "parent": a.parent, "pilot": a.pilot}
            for a in areas.areas().values() if level in (None, a.level)]
