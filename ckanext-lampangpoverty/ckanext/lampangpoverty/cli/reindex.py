"""``ckan lampangpoverty reindex``: the search index rebuilt in parallel, resumable."""
from __future__ import annotations

import os

import click

import ckan.plugins.toolkit as tk

from ..reindex import check as index_check
from ..reindex import run


class _Progress:
    """One progress line every few seconds (and at the end), not one per batch."""

    def __init__(self, every: float = 2.0) -> None:
        self.every = every
        self.last = -every

    def __call__(self, sent: int, total: int, seconds: float) -> None:
        if seconds - self.last < self.every and sent < total:
            return
        self.last = seconds
        rate = sent / seconds if seconds else 0.0
        click.echo(f"indexed {sent}/{total} ({rate:.1f} records/s)", err=True)


@click.command()
@click.option("--processes", type=click.IntRange(1, 64), default=None,
              help="Worker processes, each with one database connection (default: CPU cores).")
@click.option("--batch-size", type=click.IntRange(1, 5000), default=100, show_default=True,
              help="Records sent to Solr in one request.")
@click.option("--fresh", is_flag=True,
              help="Start again from the first record even if an earlier run was interrupted.")
def reindex(processes: int | None, batch_size: int, fresh: bool) -> None:
    """Rebuild the search index of every record in parallel, with one Solr commit.

    A run that was interrupted (even killed) is resumed by running the command again. Ends
    with the check of ``ckan search-index check`` (plus Solr documents whose record is not in
    the database) and exits non-zero when a record failed or the check finds a difference.
    """
    outcome = run.reindex(processes or os.cpu_count() or 1, batch_size, fresh, _Progress())
    if outcome.resumed:
        click.echo("resumed an interrupted run", err=True)
    click.echo(f"indexed {outcome.sent} of {outcome.total} records in {outcome.seconds:.1f} s "
               f"({outcome.rate:.1f} records/s)")
    if outcome.removed:
        click.echo(f"removed {outcome.removed} Solr documents whose record is no longer in the "
                   "database")
    for id_, error in outcome.failed:
        tk.error_shout(f"record {id_}: {error}")
    found = index_check.check()
    click.echo(f"Packages not indexed = {len(found.missing)} out of {found.active}")
    click.echo(f"Solr documents without a record = {len(found.extra)}")
    for id_ in found.missing:
        click.echo(f"  not indexed: {id_}")
    for id_ in found.extra:
        click.echo(f"  no record: {id_}")
    if outcome.failed or not found.ok:
        raise click.exceptions.Exit(1)
