"""``ckan lampangpoverty quality-*``: the quality scheduler (daily freshness pass, link checks
that are due, the weekly e-mail) and one-off runs of the pass."""
from __future__ import annotations

import logging

import click

import ckan.plugins.toolkit as tk

from ..quality import passes
from . import loop

log = logging.getLogger(__name__)


@click.command("quality-scheduler")
@click.option("--once", is_flag=True, help="Look once and exit.")
def quality_scheduler(once: bool) -> None:
    """Every ``ckanext.lampangpoverty.quality.scheduler_interval`` seconds: run the freshness
    pass when it is due, queue the link checks that are due and the weekly e-mail."""
    def look() -> None:
        done = passes.tick()
        if done:
            log.info("quality scheduler: %s", done)

    loop.every("quality scheduler",
               tk.config["ckanext.lampangpoverty.quality.scheduler_interval"], once, look)


@click.command("quality-pass")
@click.option("--everything", is_flag=True,
              help="Recompute every record, not only those whose status can have moved.")
def quality_pass(everything: bool) -> None:
    """Assess every record's freshness and quality score now and reindex those that changed
    (what the scheduler does daily)."""
    result = passes.freshness_pass(everything=everything)
    click.secho("{records} records, {changed} changed, {reindexed} reindexed in {seconds} s"
                .format(**result), fg="green")
