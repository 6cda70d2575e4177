"""HTTP as API clients meet it, for the action API (``/api/``) and our API pages:

- error messages in the language of ``Accept-Language`` (Thai by default) when the URL
  names none;
- an ``Authorization`` header that is not a token of ours is an error (400 when it is not a
  token at all, 401 when it is no longer valid), never a silent anonymous call;
- a stated rate limit per token or client address (``X-RateLimit-*``; 429 with
  ``Retry-After`` beyond it), counted in Redis;
- search parameters refused by ``api/query.py`` answer 400 (CKAN says 409 to any
  ValidationError);
- ETag and 304 on every successful GET; responses to identified callers are ``private``
  for caches, and vary by token, cookie and language;
- CORS for GET (origins configurable), never with credentials;
- gzip (Flask-Compress) for JSON, Atom and the OpenAPI document (not for pages: their CSRF
  tokens are not to be compressed beside reflected input)."""
from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

import jwt
from flask import Flask, Response, g, has_request_context, request
from flask_compress import Compress

import ckan.plugins.toolkit as tk
from ckan.lib import api_token
from ckan.lib.redis import connect_to_redis

from . import feeds, query

log = logging.getLogger(__name__)

COMPRESSED = ["application/json", "application/atom+xml", "application/vnd.oai.openapi+json"]
_BAD_REQUEST = "lampangpoverty_bad_request"
_RATE = "lampangpoverty_rate"
_API_PAGES = ("/api/", "/lampangpoverty/release/")


def is_api() -> bool:
    return request.path.startswith(_API_PAGES)


def wants_json() -> bool:
    """A program: it asks for JSON, or identifies itself with a token."""
    accept = request.accept_mimetypes
    return bool(request.headers.get(tk.config["apitoken_header_name"])) or (
        accept.best_match(["application/json", "text/html"]) == "application/json"
        and accept["application/json"] > accept["text/html"])


def error(status: int, error_type: str, message: str, **extra: Any) -> Response:
    """An error in the action API's own shape."""
    body = {"success": False, "error": {"__type": error_type, "message": message, **extra}}
    return Response(json.dumps(body, ensure_ascii=False), status=status,
                    mimetype="application/json")


# --------------------------------------------------------------------------- before


def choose_language() -> None:
    """No language in the URL: take the best of ``Accept-Language`` among those offered."""
    if not request.environ.get("CKAN_LANG_IS_DEFAULT", True):
        return
    offered = tk.aslist(tk.config["ckan.locales_offered"]) or [tk.config["ckan.locale_default"]]
    best = request.accept_languages.best_match(offered)
    if best:
        request.environ["CKAN_LANG"] = best


def check_token() -> Response | None:
    header = tk.config["apitoken_header_name"]
    token = request.headers.get(header, "").strip()
    if not token or token.lower().startswith("basic "):
        return None  # HTTP basic authentication is a proxy's, not ours
    try:
        api_token.decode_token(token)
    except jwt.InvalidSignatureError:
        return _bad_token(401, tk._("The API token is not valid here (signed elsewhere)"))
    except jwt.ExpiredSignatureError:
        return _bad_token(401, tk._("The API token has expired"))
    except jwt.InvalidTokenError:
        return _bad_token(400, tk._("The %s header does not hold an API token") % header)
    if api_token.get_user_from_token(token, update_access_time=False) is None:
        return _bad_token(401, tk._("The API token was revoked or its user removed"))
    return None


def _bad_token(status: int, message: str) -> Response:
    header = tk.config["apitoken_header_name"]
    response = error(status, "Authorization Error", message, parameter=header)
    if status == 401:
        response.headers["WWW-Authenticate"] = f'Token realm="api", header="{header}"'
    return response


# rule text -> (Redis connection pool, limiter, parsed rule): made once per worker (making the
# storage checks its dependencies and registers its scripts, a cost on every API call), and
# again if the pool changes.
_limiters: dict[str, tuple[Any, Any, Any]] = {}


def _limiter() -> tuple[Any, Any] | None:
    from limits import parse
    from limits.storage import RedisStorage
    from limits.strategies import FixedWindowRateLimiter

    rule = tk.config["ckanext.lampangpoverty.api.rate_limit"]
    if not rule:
        return None
    pool = connect_to_redis().connection_pool
    found = _limiters.get(rule)
    if found is None or found[0] is not pool:
        storage = RedisStorage("redis://", connection_pool=pool)
        found = _limiters[rule] = (pool, FixedWindowRateLimiter(storage), parse(rule))
    return found[1], found[2]


def rate_limit() -> Response | None:
    """Count the call; refuse it past the limit. Without Redis the API is refused (the limit
    is a protection: it fails closed)."""
    found = _limiter()
    if found is None:
        return None
    from limits import WindowStats

    limiter, rule = found
    user = tk.current_user
    who = f"user:{user.id}" if user.is_authenticated else f"addr:{request.remote_addr}"
    key = f"{tk.config['ckan.site_id']}:api:{who}"
    try:
        # FixedWindowRateLimiter.hit and .get_window_stats in two round trips instead of
        # three: the count the increment answers is the one the window holds after this call.
        counted = limiter.storage.incr(rule.key_for(key), rule.get_expiry(), amount=1)
        allowed = counted <= rule.amount
        stats = WindowStats(limiter.storage.get_expiry(rule.key_for(key)),
                            max(0, rule.amount - counted))
    except Exception:
        log.exception("rate limit: Redis cannot be reached")
        response = error(503, "Service Unavailable",
                         tk._("The API is unavailable for a moment; try again shortly"))
        response.headers["Retry-After"] = "30"
        return response
    g.setdefault(_RATE, (rule.amount, stats.remaining, int(stats.reset_time)))
    if not allowed:
        import time

        retry = max(1, int(stats.reset_time - time.time()))
        response = error(429, "Rate Limit Error",
                         tk._("Too many requests: at most %(limit)s; try again in %(seconds)d s")
                         % {"limit": str(rule), "seconds": retry})
        response.headers["Retry-After"] = str(retry)
        return response
    return None


def before() -> Response | None:
    if not is_api():
        return None
    choose_language()
    if request.method == "OPTIONS":
        return None
    if authenticated_answer := check_token():
        return authenticated_answer
    if tk.current_user.is_authenticated:
        request.environ["__no_cache__"] = True  # CKAN then marks the answer private
    return rate_limit()


# --------------------------------------------------------------------------- after


def flag_bad_request(errors: dict[str, Any]) -> None:
    """Called by QueryError: the API's answer to these errors is a 400."""
    if has_request_context():
        g.setdefault(_BAD_REQUEST, []).append(errors)


def _bad_request(response: Response) -> None:
    flagged = g.get(_BAD_REQUEST)
    if response.status_code != 409 or not flagged or not response.is_json:
        return
    body = response.get_json(silent=True) or {}
    errors = dict(body.get("error") or {})
    errors.pop("__type", None)
    if errors not in flagged:
        return
    body["error"] = {"__type": "Bad Request", **errors}
    response.set_data(json.dumps(body, ensure_ascii=False))
    response.status_code = 400


def _cors(response: Response) -> None:
    origin = request.headers.get("Origin")
    allowed = tk.aslist(tk.config["ckanext.lampangpoverty.api.cors_origins"])
    if not origin or request.method not in ("GET", "HEAD", "OPTIONS") or not allowed:
        return
    if "*" not in allowed and origin not in allowed:
        return
    response.headers["Access-Control-Allow-Origin"] = "*" if "*" in allowed else origin
    response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = (
        f"{tk.config['apitoken_header_name']}, If-None-Match, Accept-Language")
    response.headers["Access-Control-Expose-Headers"] = (
        "ETag, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset")
    response.headers["Access-Control-Max-Age"] = "86400"
    if "*" not in allowed:
        response.vary.add("Origin")


def _etag(response: Response) -> Response:
    if (request.method not in ("GET", "HEAD") or response.status_code != 200
            or response.is_streamed or response.get_etag()[0]):
        return response
    response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:32])
    response.make_conditional(request)
    return response


def after(response: Response) -> Response:
    if not is_api():
        return response
    _bad_request(response)
    rate = g.get(_RATE)
    if rate:
        limit, remaining, reset = rate
        response.headers["X-RateLimit-Limit"] = str(limit)
        response.headers["X-RateLimit-Remaining"] = str(remaining)
        response.headers["X-RateLimit-Reset"] = str(reset)
    _cors(response)
    for name in ("Authorization", "Cookie", "Accept-Language"):
        response.vary.add(name)
    return _etag(response)


def install(app: Flask) -> None:
    app.config.update(COMPRESS_MIMETYPES=COMPRESSED, COMPRESS_ALGORITHM=["gzip"],
                      COMPRESS_STREAMS=False, COMPRESS_MIN_SIZE=500)
    Compress(app)  # its after_request runs after ours: it keeps our ETag, tagged ":gzip"
    app.before_request(before)
    app.after_request(after)
    query.on_refusal(flag_bad_request)
    feeds.install_app(app)
