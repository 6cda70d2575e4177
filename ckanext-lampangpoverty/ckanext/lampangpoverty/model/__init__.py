"""Our own tables (created by ``migration/lampangpoverty``), one module per family:
household tables submitted to the disclosure gate, access to their releases, and the
quality of records and resources."""
from __future__ import annotations

from .access import AccessRequest, Download, RequestStatus, TermsAcceptance
from .microdata import Microdata, MicrodataStatus
from .quality import (
    Freshness,
    Link,
    PackageQuality,
    QualityTask,
    ResourceQuality,
    Validation,
)

__all__ = ["AccessRequest", "Download", "Freshness", "Link", "Microdata", "MicrodataStatus",
           "PackageQuality", "QualityTask", "RequestStatus", "ResourceQuality",
           "TermsAcceptance", "Validation"]
