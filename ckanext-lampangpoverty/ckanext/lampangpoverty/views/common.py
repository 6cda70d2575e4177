"""What our pages share."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context


def context() -> Context:
    return {"user": tk.current_user.name}


def current_user() -> model.User | None:
    user = tk.current_user
    return model.User.get(user.name) if user and user.is_authenticated else None


def flash_errors(error: tk.ValidationError) -> None:
    for field, messages in (error.error_dict or {}).items():
        shown = messages if isinstance(messages, list) else [messages]
        tk.h.flash_error(f"{field}: {'; '.join(map(str, shown))}")
