"""The one primitive for "admin of the owning organisation", on CKAN's own permission model
(``authz.has_user_permission_for_group_or_org`` handles sysadmins, unknown organisations and
roles that cascade down an organisation hierarchy)."""
from __future__ import annotations

from ckan import authz, model


def is_org_admin(user: str | None, org_id: str | None) -> bool:
    """Sysadmins, and admins of the organisation ``org_id``."""
    if authz.is_sysadmin(user):
        return True
    return bool(user and org_id
                and authz.has_user_permission_for_group_or_org(org_id, user, "admin"))


def is_owner_admin(user: str | None, package: model.Package | None) -> bool:
    """Sysadmins, and admins of the organisation that owns ``package``: the only people who
    see what is derived from raw household data (column roles, the internal report), decide
    access requests and read the download log."""
    if authz.is_sysadmin(user):
        return True
    return package is not None and is_org_admin(user, package.owner_org)


def is_owner_member(user: str | None, package: model.Package | None) -> bool:
    """Sysadmins, and members (any role) of the organisation that owns ``package``."""
    if authz.is_sysadmin(user):
        return True
    return bool(user and package is not None and package.owner_org
                and authz.has_user_permission_for_group_or_org(package.owner_org, user, "read"))
