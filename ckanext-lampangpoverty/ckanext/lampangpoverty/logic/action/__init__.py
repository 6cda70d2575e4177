"""Our actions (``lampangpoverty_*``), one module per concern: the disclosure gate, access to
releases, harvesting, quality."""
from __future__ import annotations

from .access import (
    lampangpoverty_access_request_create,
    lampangpoverty_access_request_decide,
    lampangpoverty_access_request_list,
    lampangpoverty_download_log_list,
    lampangpoverty_terms_accept,
)
from .gate import (
    lampangpoverty_disclosure_summary,
    lampangpoverty_microdata_roles_update,
    lampangpoverty_microdata_show,
    lampangpoverty_microdata_upload,
)
from .harvest import lampangpoverty_harvest_job_summary
from .quality import (
    lampangpoverty_quality_check,
    lampangpoverty_quality_league,
    lampangpoverty_quality_organization_show,
    lampangpoverty_quality_show,
)

__all__ = [
    "lampangpoverty_access_request_create",
    "lampangpoverty_access_request_decide",
    "lampangpoverty_access_request_list",
    "lampangpoverty_disclosure_summary",
    "lampangpoverty_download_log_list",
    "lampangpoverty_harvest_job_summary",
    "lampangpoverty_microdata_roles_update",
    "lampangpoverty_microdata_show",
    "lampangpoverty_microdata_upload",
    "lampangpoverty_quality_check",
    "lampangpoverty_quality_league",
    "lampangpoverty_quality_organization_show",
    "lampangpoverty_quality_show",
    "lampangpoverty_terms_accept",
]
