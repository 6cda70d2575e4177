"""The harvest gather and fetch consumers (``ckan lampangpoverty harvest-consumer``).

They run ckanext-harvest's own gather and fetch callbacks, on a Redis connection that can
wait for work indefinitely. ckanext-harvest 1.6.3's consumers wait in ``BLPOP`` without a
timeout on a connection made with redis-py's default socket timeout, and redis-py 8 (the
version CKAN 2.12 pins) sets that default to 5 seconds: those consumers exit with
``TimeoutError`` after five idle seconds. Ours also survive a Redis restart: they reconnect
with a growing pause instead of exiting.
"""
from __future__ import annotations

import logging
import time

import redis

import ckan.plugins.toolkit as tk
from ckan import model

log = logging.getLogger(__name__)

STAGES = ("gather", "fetch")
MAX_PAUSE = 60


def _stage(stage: str):
    from ckanext.harvest import queue

    if stage == "gather":
        return queue.get_gather_routing_key(), queue.get_gather_queue_name(), queue.gather_callback
    return queue.get_fetch_routing_key(), queue.get_fetch_queue_name(), queue.fetch_callback


def connect(stage: str) -> redis.Redis:
    return redis.Redis.from_url(
        tk.config["ckan.redis.url"], decode_responses=True, encoding="utf-8",
        socket_timeout=None, socket_keepalive=True,
        client_name=f"lampangpoverty-harvest-{stage}")


def consume(stage: str, app) -> None:
    """Consume one harvest queue until the process is stopped. Each message is handled in a
    request context of the Flask ``app`` of its own, so that what the harvesters record for
    people (a job's failure, a record's error) is in the site's language."""
    from ckanext.harvest.queue import RedisConsumer

    from .schedule import check_harvest_version

    check_harvest_version()
    routing_key, queue_name, callback = _stage(stage)
    pause = 1
    while True:
        try:
            consumer = RedisConsumer(connect(stage), routing_key)
            log.info("harvest %s consumer waiting on %s", stage, routing_key)
            for method, header, body in consumer.consume(queue=queue_name):
                pause = 1
                try:
                    with app.test_request_context():
                        callback(consumer, method, header, body)
                except redis.ConnectionError:
                    raise
                except Exception:
                    # One bad message must not end the consumer: the job's error or the
                    # stuck-job check reports it, and the next message is taken.
                    log.exception("harvest %s consumer: message %s failed", stage, body)
                    model.Session.remove()
        except redis.ConnectionError as e:
            log.warning("harvest %s consumer lost Redis (%s); reconnecting in %ss", stage, e, pause)
            time.sleep(pause)
            pause = min(pause * 2, MAX_PAUSE)
