"""``ckan lampangpoverty``: operator commands (health check, demo content, harvest scheduler,
the DataStore's loading, quality scheduler, the API's JSON Lines dump and
OpenAPI document, parallel reindex)."""
from __future__ import annotations

import logging

import click

import ckan.plugins.toolkit as tk

from .. import demo
from ..api import dump as api_dump
from ..api import openapi as api_openapi
from ..catalogue import vocabulary
from ..harvesters import queue as harvest_queue
from ..harvesters import schedule
from ..lib import copies
from ..lib.site import site_user
from ..targeting import datastore
from . import checks as doctor_checks
from . import loop
from .quality import quality_pass, quality_scheduler
from .reindex import reindex

__all__ = ["lampangpoverty"]

log = logging.getLogger(__name__)


@click.group(short_help="Lampang Poverty Open Data Platform commands")
def lampangpoverty() -> None:
    """Lampang Poverty Open Data Platform commands."""


lampangpoverty.add_command(quality_scheduler)
lampangpoverty.add_command(quality_pass)
lampangpoverty.add_command(reindex)


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
@click.option("--processes", type=click.IntRange(1, 64), default=None,
              help="Fetch consumers to run (default: harvest.fetch_consumers).")
@click.pass_context
def harvest_consumer(ctx: click.Context, stage: str, processes: int | None) -> None:
    """Run the harvest STAGE (gather or fetch) consumer until stopped; the fetch stage as
    ``harvest.fetch_consumers`` processes (one machine's cores)."""
    count = 1 if stage == "gather" else (
        processes or tk.config["ckanext.lampangpoverty.harvest.fetch_consumers"])
    copies.run_copies(count, lambda: harvest_queue.consume(stage, ctx.meta["flask_app"]),
                      f"harvest {stage} consumer")


@lampangpoverty.command("harvest-scheduler")
@click.option("--once", is_flag=True, help="Run one pass and exit.")
def harvest_scheduler(once: bool) -> None:
    """Finish jobs that stopped moving, create due harvest jobs and finish completed ones, every
    ``ckanext.lampangpoverty.harvest.scheduler_interval`` seconds, until stopped; write the
    API's JSON Lines dump when it is older than ``api.dump_interval``."""
    user = site_user()

    def work() -> None:
        try:
            schedule.run_pass(user)
        finally:
            # The dump does not depend on the harvest pass: a failed pass must not stop it.
            if api_dump.due():
                log.info("JSON Lines dump: %(records)s records in %(path)s", api_dump.write())

    loop.every("harvest scheduler",
               tk.config["ckanext.lampangpoverty.harvest.scheduler_interval"], once, work)


@lampangpoverty.command("dump")
def dump() -> None:
    """Write the JSON Lines dump of every public record (served at
    /api/lampangpoverty/dump/records.jsonl.gz)."""
    written = api_dump.write()
    click.secho("dump: {records} records in {path}".format(**written), fg="green")


@lampangpoverty.command("openapi")
def openapi_document() -> None:
    """Write api/openapi.json again from the actions' docstrings (commit it with them)."""
    click.secho(f"OpenAPI document: {api_openapi.write()}", fg="green")


@lampangpoverty.command("datastore-token")
def datastore_token() -> None:
    """Print a new API token of the site user, for ckanext.xloader.api_token (bin/stack and
    the Docker entry point keep it in a file only their services read)."""
    user = site_user()
    token = tk.get_action("api_token_create")({"ignore_auth": True, "user": user},
                                              {"user": user, "name": "xloader"})["token"]
    click.echo(token)


@lampangpoverty.command("datastore-submit")
def datastore_submit() -> None:
    """Hand ckanext-xloader every table of a public dataset that is not in the DataStore yet
    (what may be loaded is checked again for each)."""
    counts = datastore.submit_missing()
    click.secho("DataStore: {submitted} tables submitted, {loaded} already loaded, "
                "{refused} refused".format(**counts), fg="green")
