"""ckanext-harvest builds its actions and its auth functions into one shared dict (a mutable
default argument of ``_get_logic_functions``): depending on which CKAN asks for first, auth
functions became API actions (``harvest_sources_clear``, ``auth_allow_anonymous_access``)
and actions became auth checks (``harvest_log_list`` ran itself as its own check and
recursed into a server error). Here each of its two registrations gets a dict of its own."""
from __future__ import annotations

from typing import Any


def isolate_harvest_registries() -> None:
    from ckanext.harvest import plugin as harvest

    def actions(self: Any) -> dict[str, Any]:
        return harvest._get_logic_functions("ckanext.harvest.logic.action", {})

    def auth_functions(self: Any) -> dict[str, Any]:
        return harvest._get_logic_functions("ckanext.harvest.logic.auth", {})

    harvest.Harvest.get_actions = actions
    harvest.Harvest.get_auth_functions = auth_functions
