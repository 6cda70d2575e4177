"""Who the platform acts as when it writes on its own (releases, demo content, vocabularies,
the harvest scheduler): CKAN's site user."""
from __future__ import annotations

import ckan.plugins.toolkit as tk


def site_user() -> str:
    """The name of CKAN's site user (a sysadmin created on first use)."""
    return tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
