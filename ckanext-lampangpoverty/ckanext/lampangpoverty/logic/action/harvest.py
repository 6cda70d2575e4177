"""Actions about harvesting: what a harvest job did, how a source is indexed; and
ckanext-harvest's actions that must not answer as they do."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.logic import validate
from ckan.types import Action, Context, DataDict

from ...harvesters import schedule
from .. import schema


@tk.side_effect_free
@validate(schema.by_id)
def lampangpoverty_harvest_job_summary(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """What a harvest job did: counts of added, updated, unchanged, withdrawn and errored
    records, each error with its record and reason, and whether the job failed.

    :param id: the harvest job
    """
    tk.check_access("lampangpoverty_harvest_job_summary", context, data_dict)
    return schedule.job_summary(data_dict["id"])


@tk.chained_action
def harvest_source_reindex(up_func: Action, context: Context,
                           data_dict: DataDict) -> bool:
    """Index a harvest source with the dict ``package_show`` shows for it.

    ckanext-harvest 1.6.3 indexes an unvalidated dict as the validated one (CKAN 2.12's
    ``validated_data_dict``, which ``package_show`` answers from) and leaves out of the index
    every key that is also a key of the source's config ("type", "private", "tags"...).
    After a job, ``package_show`` then answered a source without ``source_type`` and
    ``config``: the edit form showed the wrong harvester with an empty config (saving it
    changed the source), ``ckan harvester run-test`` failed with KeyError: source_type, and
    a source with a "type" key left the source listing.
    """
    from ckan.lib.search.index import PackageSearchIndex

    source_id = tk.get_or_bust(data_dict, "id")
    # ckanext-harvest calls it with ignore_auth after a job; anyone else needs the right
    # to update the source.
    tk.check_access("harvest_source_reindex", context, data_dict)
    validated = tk.get_action("harvest_source_show")(
        {"ignore_auth": True, "use_cache": False}, {"id": source_id})
    plain = tk.get_action("package_show")(
        {"ignore_auth": True, "use_cache": False, "validate": False}, {"id": source_id})
    PackageSearchIndex().index_package({**plain, "with_custom_schema": validated},
                                       defer_commit=context.get("defer_commit", False))
    return True


@tk.chained_action
def harvest_abort_failed_jobs(next_action: Action, context: Context,
                              data_dict: DataDict) -> Any:
    """ckanext-harvest checks nothing before looking at every running job: only those who
    may run jobs (sysadmins) may abort them."""
    tk.check_access("harvest_jobs_run", context, data_dict)
    return next_action(context, data_dict)


@tk.side_effect_free
@tk.chained_action
def harvest_source_list(next_action: Action, context: Context, data_dict: DataDict) -> Any:
    """ckanext-harvest checks nothing and hands every source (partner URL, configuration)
    to anonymous callers: here its check runs first."""
    tk.check_access("harvest_source_list", context, data_dict)
    return next_action(context, data_dict)


def _not_an_action(name: str) -> Any:
    """ckanext-harvest's plugin registers every public function of its action modules as an
    API action, mail helpers and an exception class included; called through the API they
    only failed with a server error. They are refused for everybody (ckanext-harvest calls
    them directly, not through the action registry)."""

    @tk.chained_action
    def refuse(next_action: Action, context: Context, data_dict: DataDict) -> Any:
        raise tk.NotAuthorized(tk._("%s is not an API action") % name)

    refuse.__name__ = name
    return refuse


InactiveSource = _not_an_action("InactiveSource")
get_mail_extra_vars = _not_an_action("get_mail_extra_vars")
prepare_error_mail = _not_an_action("prepare_error_mail")
prepare_summary_mail = _not_an_action("prepare_summary_mail")
send_error_email = _not_an_action("send_error_email")
send_mail = _not_an_action("send_mail")
send_summary_email = _not_an_action("send_summary_email")
