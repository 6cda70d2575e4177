"""Login throttling. CKAN has no lockout of its own, only the ``failed_login`` signal it sends
after a wrong password: failures are counted from it in Redis, per account and per address,
and while either count is at its limit the login form refuses every attempt, the right
password included, until the window (``ckanext.lampangpoverty.login.lockout`` s) has passed.
Redis out of reach refuses logins too: the check fails closed."""
from __future__ import annotations

import hashlib
import logging
from typing import Any

from flask import Response, make_response, request

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import signals
from ckan.lib.redis import connect_to_redis

log = logging.getLogger(__name__)


def _keys(login: str) -> list[tuple[str, int]]:
    """The Redis counters of an attempt with their limits. An account is counted under its
    id whether it was named by user name or e-mail; an unknown login under itself, so the
    answer does not tell which accounts exist."""
    user = model.User.by_name(login) or model.User.by_email(login) if login else None
    account = user.id if user else login.strip().lower()
    site = tk.config["ckan.site_id"]
    digest = hashlib.sha256(account.encode()).hexdigest()
    return [(f"{site}:lampangpoverty:login:account:{digest}",
             tk.config["ckanext.lampangpoverty.login.max_failures"]),
            (f"{site}:lampangpoverty:login:address:{request.remote_addr or 'unknown'}",
             tk.config["ckanext.lampangpoverty.login.max_failures_per_address"])]


def locked(login: str) -> bool:
    redis = connect_to_redis()
    try:
        counts = redis.mget([key for key, _limit in _keys(login)])
    except Exception:
        log.exception("login throttling: Redis is not reachable; logins refused")
        return True
    return any(int(count or 0) >= limit
               for count, (_key, limit) in zip(counts, _keys(login), strict=True))


def failed(login: Any, **kwargs: Any) -> None:
    """Receiver of CKAN's ``failed_login`` signal (sent with the login name)."""
    redis = connect_to_redis()
    window = tk.config["ckanext.lampangpoverty.login.lockout"]
    try:
        with redis.pipeline() as pipe:
            for key, _limit in _keys(str(login or "")):
                pipe.incr(key)
                pipe.expire(key, window, nx=True)
            pipe.execute()
    except Exception:
        log.exception("login throttling: could not count a failed login")


def succeeded(sender: Any, user: Any = None, **kwargs: Any) -> None:
    """A good login clears its account's count (not its address's: one's own account must
    not reset the count of guesses at others)."""
    if user is None or not getattr(user, "name", None) or not request:
        return
    try:
        connect_to_redis().delete(_keys(user.name)[0][0])
    except Exception:
        log.exception("login throttling: could not clear a count")


def connect() -> None:
    signals.failed_login.connect(failed)
    signals.user_logged_in.connect(succeeded)


def refuse_if_locked() -> Response | None:
    """IAuthenticator.login: runs before CKAN checks the password."""
    if request.method != "POST" or not locked(request.form.get("login") or ""):
        return None
    minutes = -(-tk.config["ckanext.lampangpoverty.login.lockout"] // 60)
    tk.h.flash_error(tk._("Too many failed logins. Try again in %(minutes)s minutes.")
                     % {"minutes": minutes})
    return make_response(tk.render("user/login.html", {}), 429)
