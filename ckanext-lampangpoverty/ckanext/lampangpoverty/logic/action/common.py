"""What our actions share: the objects they act on, looked up or refused, and the commit
that respects ``defer_commit``."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context


def commit(context: Context) -> None:
    """Commit, unless the caller batches several actions in one transaction."""
    if not context.get("defer_commit"):
        model.repo.commit()


def user_or_refuse(context: Context) -> model.User:
    user = model.User.get(context.get("user") or "")
    if user is None:
        raise tk.NotAuthorized(tk._("You must be logged in"))
    return user


def package_or_404(id_or_name: str | None) -> model.Package:
    pkg = model.Package.get(id_or_name or "")
    if pkg is None or pkg.state == "deleted":
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    return pkg
