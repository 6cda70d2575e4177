"""Actions about harvesting: what a harvest job did."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.logic import validate
from ckan.types import Context, DataDict

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
