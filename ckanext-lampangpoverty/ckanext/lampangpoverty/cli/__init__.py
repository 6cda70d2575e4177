"""``ckan lampangpoverty``: operator commands (health check, demo content, harvest scheduler,
the API's JSON Lines dump)."""
from __future__ import annotations

import logging
import signal
import time

import click

import ckan.plugins.toolkit as tk

from .. import demo
from ..api import dump as api_dump
from ..catalogue import vocabulary
from ..harvesters import queue as harvest_queue
from ..harvesters import schedule
from ..lib.site import site_user
from . import checks as doctor_checks

__all__ = ["lampangpoverty"]

log = logging.getLogger(__name__)


@click.group(short_help="Lampang Poverty Open Data Platform commands")
def lampangpoverty() -> None:
    """Lampang Poverty Open Data Platform commands."""


@lampangpoverty.command()
@click.option("--probe-timeout", type=int, default=None,
              help="Seconds to wait for each harvest consumer "
                   "(default: ckanext.lampangpoverty.doctor.probe_timeout).")
def doctor(probe_timeout: int | None) -> None:
    """Check the database, Solr, Redis, the worker and the harvest consumers.

    Prints one line per check, with what to do about a failure; exits non-zero when any
    check fails.
    """
    checks = doctor_checks.run_checks(probe_timeout)
    for check in checks:
        click.secho(check.line(), fg="green" if check.ok else "red")
    failed = [c for c in checks if not c.ok]
    if failed:
        tk.error_shout(f"{len(failed)} of {len(checks)} checks failed")
        raise click.exceptions.Exit(1)
    click.secho(f"all {len(checks)} checks passed", fg="green", bold=True)


@lampangpoverty.command("seed-vocabularies")
def seed_vocabularies() -> None:
    """Create the controlled vocabularies of schemas/vocabularies.yaml that are missing
    (never overwrites a sysadmin's edits)."""
    counts = vocabulary.seed()
    click.secho("vocabularies: {vocabularies} created, {terms} terms and {labels} labels "
                "added".format(**counts), fg="green")


@lampangpoverty.command("seed-demo")
def seed_demo() -> None:
    """Load the demo organisations and records (idempotent: a re-run changes nothing)."""
    try:
        counts = demo.seed(progress=lambda items, label: click.progressbar(items, label=label))
    except tk.ValidationError as e:
        tk.error_shout(f"demo content failed validation: {e.error_summary}")
        raise click.Abort() from e
    click.secho(
        "demo content: {created} created, {unchanged} already there".format(**counts), fg="green")


@lampangpoverty.command("harvest-consumer")
@click.argument("stage", type=click.Choice(harvest_queue.STAGES))
@click.pass_context
def harvest_consumer(ctx: click.Context, stage: str) -> None:
    """Run the harvest STAGE (gather or fetch) consumer until stopped."""
    harvest_queue.consume(stage, ctx.meta["flask_app"])


@lampangpoverty.command("harvest-scheduler")
@click.option("--once", is_flag=True, help="Run one pass and exit.")
@click.pass_context
def harvest_scheduler(ctx: click.Context, once: bool) -> None:
    """Finish jobs that stopped moving, create due harvest jobs and finish completed ones, every
    ``ckanext.lampangpoverty.harvest.scheduler_interval`` seconds, until stopped; write the
    API's JSON Lines dump when it is older than ``api.dump_interval``."""
    interval = tk.config["ckanext.lampangpoverty.harvest.scheduler_interval"]
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    user = site_user()
    log.info("harvest scheduler started, one pass every %ss", interval)
    while not stopping:
        try:
            # harvest_jobs_run builds URLs and reads the current user: it needs a request.
            with ctx.meta["flask_app"].test_request_context():
                schedule.run_pass(user)
        except Exception:
            # One failed pass (database restarting, say) must not end the scheduler.
            log.exception("harvest scheduler pass failed; retrying in %ss", interval)
        try:
            if api_dump.due():
                log.info("JSON Lines dump: %(records)s records in %(path)s", api_dump.write())
        except Exception:
            log.exception("JSON Lines dump failed; retrying at the next pass")
        if once:
            break
        deadline = time.monotonic() + interval
        while not stopping and time.monotonic() < deadline:
            time.sleep(0.5)
    log.info("harvest scheduler stopped")


@lampangpoverty.command("dump")
def dump() -> None:
    """Write the JSON Lines dump of every public record (served at
    /api/lampangpoverty/dump/records.jsonl.gz)."""
    written = api_dump.write()
    click.secho("dump: {records} records in {path}".format(**written), fg="green")
