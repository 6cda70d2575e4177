"""Our own tables (created by ``migration/lampangpoverty``), one module per family:
household tables submitted to the disclosure gate, access to their releases, and the area
indicators that feed the area profiles."""
from __future__ import annotations

from .access import AccessRequest, Download, RequestStatus, TermsAcceptance
from .microdata import Microdata, MicrodataStatus
from .targeting import AreaIndicator, IndicatorLoad, LoadStatus

__all__ = ["AccessRequest", "AreaIndicator", "Download", "IndicatorLoad", "LoadStatus",
           "Microdata", "MicrodataStatus", "RequestStatus", "TermsAcceptance"]
