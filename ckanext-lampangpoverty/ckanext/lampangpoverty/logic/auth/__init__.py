"""Auth functions (they share their action's name and delegate to CKAN's own permissions),
one module per concern, and the chained ones that tighten ckanext-harvest's and the
DataStore's."""
from __future__ import annotations

from .access import (
    lampangpoverty_access_request_create,
    lampangpoverty_access_request_decide,
    lampangpoverty_access_request_list,
    lampangpoverty_access_request_queue,
    lampangpoverty_download_log_list,
    lampangpoverty_terms_accept,
    lampangpoverty_user_download_list,
)
from .api import lampangpoverty_area_list, lampangpoverty_changes
from .gate import (
    lampangpoverty_disclosure_summary,
    lampangpoverty_microdata_roles_update,
    lampangpoverty_microdata_show,
    lampangpoverty_microdata_upload,
)
from .harvest import (
    harvest_job_list,
    harvest_job_show,
    harvest_log_list,
    harvest_object_list,
    harvest_object_show,
    harvest_source_list,
    harvest_source_show,
    harvest_source_show_status,
    lampangpoverty_harvest_job_summary,
    package_create,
    package_update,
)
from .quality import (
    lampangpoverty_quality_check,
    lampangpoverty_quality_league,
    lampangpoverty_quality_organization_show,
    lampangpoverty_quality_show,
)
from .targeting import (
    datastore_create,
    datastore_info,
    datastore_search,
    datastore_search_sql,
    datastore_upsert,
    lampangpoverty_area_gaps,
    lampangpoverty_area_indicators_load,
    lampangpoverty_area_indicators_show,
    lampangpoverty_area_profile,
    lampangpoverty_programme_match,
)

__all__ = [
    "datastore_create",
    "datastore_info",
    "datastore_search",
    "datastore_search_sql",
    "datastore_upsert",
    "harvest_job_list",
    "harvest_job_show",
    "harvest_log_list",
    "harvest_object_list",
    "harvest_object_show",
    "harvest_source_list",
    "harvest_source_show",
    "harvest_source_show_status",
    "lampangpoverty_access_request_create",
    "lampangpoverty_access_request_decide",
    "lampangpoverty_access_request_list",
    "lampangpoverty_access_request_queue",
    "lampangpoverty_area_gaps",
    "lampangpoverty_area_indicators_load",
    "lampangpoverty_area_indicators_show",
    "lampangpoverty_area_list",
    "lampangpoverty_area_profile",
    "lampangpoverty_changes",
    "lampangpoverty_disclosure_summary",
    "lampangpoverty_download_log_list",
    "lampangpoverty_harvest_job_summary",
    "lampangpoverty_microdata_roles_update",
    "lampangpoverty_microdata_show",
    "lampangpoverty_microdata_upload",
    "lampangpoverty_programme_match",
    "lampangpoverty_quality_check",
    "lampangpoverty_quality_league",
    "lampangpoverty_quality_organization_show",
    "lampangpoverty_quality_show",
    "lampangpoverty_terms_accept",
    "lampangpoverty_user_download_list",
    "package_create",
    "package_update",
]
