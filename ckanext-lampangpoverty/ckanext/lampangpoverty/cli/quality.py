"""``ckan lampangpoverty quality-*``: the quality scheduler (daily freshness pass, link checks
that are due, the weekly e-mail) and one-off runs of the pass."""
from __future__ import annotations

import logging
import signal
import time

import click

import ckan.plugins.toolkit as tk

from ..quality import passes

log = logging.getLogger(__name__)


@click.command("quality-scheduler")
@click.option("--once", is_flag=True, help="Look once and exit.")
@click.pass_context
def quality_scheduler(ctx: click.Context, once: bool) -> None:
    """Every ``ckanext.lampangpoverty.quality.scheduler_interval`` seconds: run the freshness
    pass when it is due, queue the link checks that are due and the weekly e-mail."""
    interval = tk.config["ckanext.lampangpoverty.quality.scheduler_interval"]
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("quality scheduler started, looking every %ss", interval)
    while not stopping:
        try:
            # URLs in e-mails and both languages need the web application's context.
            with ctx.meta["flask_app"].test_request_context():
                done = passes.tick()
            if done:
                log.info("quality scheduler: %s", done)
        except Exception:
            # One failed look (database restarting, say) must not end the scheduler.
            log.exception("quality scheduler look failed; retrying in %ss", interval)
        if once:
            break
        deadline = time.monotonic() + interval
        while not stopping and time.monotonic() < deadline:
            time.sleep(0.5)
    log.info("quality scheduler stopped")


@click.command("quality-pass")
@click.option("--everything", is_flag=True,
              help="Recompute every record, not only those whose status can have moved.")
def quality_pass(everything: bool) -> None:
    """Assess every record's freshness and quality score now and reindex those that changed
    (what the scheduler does daily)."""
    result = passes.freshness_pass(everything=everything)
    click.secho("{records} records, {changed} changed, {reindexed} reindexed in {seconds} s"
                .format(**result), fg="green")
