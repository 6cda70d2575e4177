"""The harvest gather and fetch consumers (``ckan lampangpoverty harvest-consumer``).

They run ckanext-harvest's own gather and fetch callbacks, on a Redis connection that can
wait for work indefinitely. ckanext-harvest 1.6.3's consumers wait in ``BLPOP`` without a
timeout on a connection made with redis-py's default socket timeout, and redis-py 8 (the
version CKAN 2.12 pins) sets that default to 5 seconds: those consumers exit with
``TimeoutError`` after five idle seconds. Ours also survive a Redis restart: they reconnect
with a growing pause instead of exiting.

The fetch consumer takes up to ``ckanext.lampangpoverty.harvest.fetch_batch`` waiting
messages at once and imports them in one transaction (:py:mod:`.batch`); a message stays
unacknowledged (its Redis persistence key kept) until the batch is committed.
"""
from __future__ import annotations

import datetime
import json
import logging
import time
from collections.abc import Iterator

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
            if stage == "fetch" and tk.config["ckanext.lampangpoverty.harvest.fetch_batch"] > 1:
                for bodies in batches(consumer):
                    pause = 1
                    with app.test_request_context():
                        _handle_batch(consumer, bodies, callback)
                continue
            for method, header, body in consumer.consume(queue=queue_name):
                pause = 1
                _handle(consumer, method, header, body, callback, app, stage)
        except redis.ConnectionError as e:
            log.warning("harvest %s consumer lost Redis (%s); reconnecting in %ss", stage, e, pause)
            time.sleep(pause)
            pause = min(pause * 2, MAX_PAUSE)


def _handle(consumer, method, header, body, callback, app, stage: str) -> None:
    try:
        with app.test_request_context():
            callback(consumer, method, header, body)
    except redis.ConnectionError:
        raise
    except Exception:
        # One bad message must not end the consumer: the job's error or the stuck-job
        # check reports it, and the next message is taken.
        log.exception("harvest %s consumer: message %s failed", stage, body)
        model.Session.remove()


def batches(consumer) -> Iterator[list[str]]:
    """Messages of the fetch queue in batches: wait for one, then take what else is waiting,
    up to the batch size. Each message's persistence key is set as ckanext-harvest's
    RedisConsumer sets it, so an unacknowledged message is known to be taken."""
    size = tk.config["ckanext.lampangpoverty.harvest.fetch_batch"]
    while True:
        _key, first = consumer.redis.blpop(consumer.routing_key)
        bodies = [first, *(consumer.redis.lpop(consumer.routing_key, size - 1) or [])]
        # The format and clock (local, naive) ckanext-harvest's resubmit_expired_tasks reads.
        now = str(datetime.datetime.now(datetime.UTC).astimezone().replace(tzinfo=None))
        with consumer.redis.pipeline() as pipe:
            for body in bodies:
                pipe.set(consumer.persistance_key(body), now)
            pipe.execute()
        yield bodies


def _object_id(body: str) -> str | None:
    try:
        return str(json.loads(body)["harvest_object_id"])
    except (ValueError, KeyError, TypeError):
        return None


def _handle_batch(consumer, bodies: list[str], callback) -> None:
    from ckanext.harvest.queue import FakeMethod

    from .batch import import_batch

    by_id = {oid: body for body in bodies if (oid := _object_id(body))}
    alone = list(bodies)
    try:
        left = set(import_batch(list(by_id)))
        for oid, body in by_id.items():
            if oid not in left:
                consumer.basic_ack(body)
        alone = [body for body in bodies if _object_id(body) not in by_id
                 or _object_id(body) in left]
    except redis.ConnectionError:
        raise
    except Exception:
        # Nothing of the batch was committed: take its messages one at a time, as
        # ckanext-harvest does, so that one object that breaks a batch cannot hold the
        # others back and its retry count rises until it is given up.
        log.exception("harvest fetch consumer: batch of %d failed; one at a time", len(bodies))
    finally:
        model.Session.remove()
    for body in alone:
        try:
            callback(consumer, FakeMethod(body), consumer, body)
        except redis.ConnectionError:
            raise
        except Exception:
            log.exception("harvest fetch consumer: message %s failed", body)
            model.Session.remove()
