"""Link health: resource links checked on a schedule (and soon after they change), one
background job per host and batch, never more than ``quality.link_rate`` requests per host
per second across every worker (a sliding window kept in Redis), backing off a host that
times out or says it is busy, and giving up on it for this round after a few such answers
(its remaining links keep their last status and are checked next round)."""
from __future__ import annotations

import dataclasses
import datetime
import logging
import math
import time
import uuid
from collections import defaultdict
from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.redis import connect_to_redis

from ..harvesters.http import Policy
from ..lib.clock import utcnow
from ..model import Link, ResourceQuality
from . import jobs, probe, state

log = logging.getLogger(__name__)

MAX_BUSY = 3              # busy or silent answers in a row before a host is left alone
BACKOFF, MAX_PAUSE = 1.0, 30.0
MARGIN = 0.1              # seconds added to the window, for the time a request takes to leave

# KEYS[1] the host's window; ARGV now, window, limit, member. 0 = go; else seconds to wait.
_SLIDING_WINDOW = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
  redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2]) * 1000) + 1000)
  return '0'
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return tostring(tonumber(oldest[2]) + tonumber(ARGV[2]) - tonumber(ARGV[1]))
"""


def rate() -> float:
    return tk.config["ckanext.lampangpoverty.quality.link_rate"]


def seconds() -> float:
    return tk.config["ckanext.lampangpoverty.quality.link_timeout"]


class HostLimiter:
    """At most ``rate`` request starts per host in any second, for every process sharing the
    Redis (a rate below 1 is one request per 1/rate seconds)."""

    def __init__(self, per_second: float):
        self.limit = max(math.floor(per_second), 1)
        self.window = (1.0 if per_second >= 1 else 1.0 / per_second) + MARGIN
        self.redis = connect_to_redis()
        self.script = self.redis.register_script(_SLIDING_WINDOW)

    def wait(self, host: str) -> None:
        key = f"{tk.config['ckan.site_id']}:lampangpoverty:link-rate:{host.lower()}"
        member = uuid.uuid4().hex
        while True:
            wait = float(self.script(keys=[key], args=[repr(time.time()), self.window,
                                                        self.limit, member]))
            if wait <= 0:
                return
            time.sleep(min(wait + 0.005, self.window))


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def queue_resources(resource_ids: list[str], after_commit: bool = True) -> int:
    """Check these resources' links: one job per host and batch. Returns the jobs queued."""
    by_host: dict[str, list[str]] = defaultdict(list)
    for resource_id, url in (model.Session.query(model.Resource.id, model.Resource.url)
                             .filter(model.Resource.id.in_(resource_ids))):
        by_host[host_of(url or "")].append(resource_id)
    (model.Session.query(ResourceQuality).filter(ResourceQuality.resource_id.in_(resource_ids))
     .update({ResourceQuality.link_queued: utcnow()}, synchronize_session=False))
    batch = tk.config["ckanext.lampangpoverty.quality.link_batch"]
    count = 0
    for host, ids in by_host.items():
        for start in range(0, len(ids), batch):
            part = ids[start:start + batch]
            timeout = len(part) * (seconds() + 1.0 / rate() + MAX_PAUSE / 4) + 60
            queue = jobs.after_commit if after_commit else jobs.enqueue
            queue(check_job, [host, part], f"check {len(part)} links on {host or '-'}",
                  timeout)
            count += 1
    return count


def due() -> list[str]:
    """Resources whose link was never checked or not for ``quality.link_every`` hours."""
    every = tk.config["ckanext.lampangpoverty.quality.link_every"]
    before = utcnow() - datetime.timedelta(hours=every)
    rows = (model.Session.query(ResourceQuality.resource_id)
            .join(model.Resource, model.Resource.id == ResourceQuality.resource_id)
            .join(model.Package, model.Package.id == model.Resource.package_id)
            .filter(model.Resource.state == "active", model.Package.state == "active")
            .filter(ResourceQuality.link != Link.UPLOAD)
            .filter((ResourceQuality.link_checked.is_(None))
                    | (ResourceQuality.link_checked < before))
            .filter((ResourceQuality.link_queued.is_(None))
                    | (ResourceQuality.link_queued < before)))
    return [r for (r,) in rows]


def _record(row: ResourceQuality, result: probe.Result) -> None:
    now = utcnow()
    row.link, row.link_code, row.link_detail = result.status, result.code, result.as_detail()
    row.link_checked = now
    if result.status == Link.OK:
        row.link_good, row.link_failures = now, 0
    else:
        row.link_failures = (row.link_failures or 0) + 1


def check_job(host: str, resource_ids: list[str]) -> None:
    """Background job: check the links of one host, politely."""
    policy = dataclasses.replace(Policy.from_config(), retries=0)
    limiter = HostLimiter(rate())
    busy, pause, touched = 0, BACKOFF, set()
    for resource_id in resource_ids:
        res = model.Resource.get(resource_id)
        row = ResourceQuality.get(resource_id)
        if res is None or row is None or res.state != "active" or res.url_type == "upload":
            continue
        if busy >= MAX_BUSY:
            log.warning("link check: %s did not answer %s times in a row; its other links "
                        "wait for the next round", host, busy)
            break
        limiter.wait(host)
        result = probe.check(res.url, policy, seconds())
        _record(row, result)
        model.Session.commit()
        touched.add(row.package_id)
        if result.busy:
            busy += 1
            time.sleep(min(pause, MAX_PAUSE))
            pause *= 2
        else:
            busy, pause = 0, BACKOFF
    state.rescore(touched)
