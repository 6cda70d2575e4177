"""Our own tables (created by ``migration/lampangpoverty``), one module per family:
household tables submitted to the disclosure gate, access to their releases, the area
indicators that feed the area profiles, the quality of records and resources, and the
changes feed's log."""
from __future__ import annotations

from .access import AccessRequest, Download, RequestStatus, TermsAcceptance
from .change import Change
from .microdata import Microdata, MicrodataStatus
from .quality import (
    Freshness,
    Link,
    PackageQuality,
    QualityTask,
    ResourceQuality,
    Validation,
)
from .targeting import AreaIndicator, IndicatorLoad, LoadStatus

__all__ = ["AccessRequest", "AreaIndicator", "Change", "Download", "Freshness", "IndicatorLoad",
           "Link", "LoadStatus", "Microdata", "MicrodataStatus", "PackageQuality", "QualityTask",
           "RequestStatus", "ResourceQuality", "TermsAcceptance", "Validation"]
