"""Our actions (``lampangpoverty_*``), one module per concern: the disclosure gate, access to
releases, harvesting, precise targeting, quality."""
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
from .catalogue import package_create, package_update
from .gate import (
    lampangpoverty_disclosure_summary,
    lampangpoverty_microdata_roles_update,
    lampangpoverty_microdata_show,
    lampangpoverty_microdata_upload,
)
from .harvest import (
    InactiveSource,
    get_mail_extra_vars,
    harvest_abort_failed_jobs,
    harvest_source_list,
    harvest_source_reindex,
    lampangpoverty_harvest_job_summary,
    prepare_error_mail,
    prepare_summary_mail,
    send_error_email,
    send_mail,
    send_summary_email,
)
from .quality import (
    lampangpoverty_quality_check,
    lampangpoverty_quality_league,
    lampangpoverty_quality_organization_show,
    lampangpoverty_quality_show,
)
from .search import (
    format_autocomplete,
    package_search,
    package_show,
    tag_autocomplete,
    tag_list,
    tag_search,
    tag_show,
)
from .targeting import (
    lampangpoverty_area_gaps,
    lampangpoverty_area_indicators_load,
    lampangpoverty_area_indicators_show,
    lampangpoverty_area_profile,
    lampangpoverty_programme_match,
)
from .vocabulary import (
    tag_create,
    tag_delete,
    term_translation_update,
    term_translation_update_many,
    vocabulary_create,
    vocabulary_delete,
    vocabulary_update,
)

__all__ = [
    "InactiveSource",
    "format_autocomplete",
    "get_mail_extra_vars",
    "harvest_abort_failed_jobs",
    "harvest_source_list",
    "harvest_source_reindex",
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
    "package_search",
    "package_show",
    "package_update",
    "prepare_error_mail",
    "prepare_summary_mail",
    "send_error_email",
    "send_mail",
    "send_summary_email",
    "tag_autocomplete",
    "tag_create",
    "tag_delete",
    "tag_list",
    "tag_search",
    "tag_show",
    "term_translation_update",
    "term_translation_update_many",
    "vocabulary_create",
    "vocabulary_delete",
    "vocabulary_update",
]
