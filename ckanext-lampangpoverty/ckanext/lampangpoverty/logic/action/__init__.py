"""Our actions (``lampangpoverty_*``), one module per concern: the disclosure gate, access to
releases, harvesting."""
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
from .harvest import harvest_source_reindex, lampangpoverty_harvest_job_summary

__all__ = [
    "harvest_source_reindex",
    "lampangpoverty_access_request_create",
    "lampangpoverty_access_request_decide",
    "lampangpoverty_access_request_list",
    "lampangpoverty_disclosure_summary",
    "lampangpoverty_download_log_list",
    "lampangpoverty_harvest_job_summary",
    "lampangpoverty_microdata_roles_update",
    "lampangpoverty_microdata_show",
    "lampangpoverty_microdata_upload",
    "lampangpoverty_terms_accept",
]
