"""Actions about harvesting: what a harvest job did, and how a source is indexed."""
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
