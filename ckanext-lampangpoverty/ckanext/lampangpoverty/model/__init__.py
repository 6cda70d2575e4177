"""Our own tables (created by ``migration/lampangpoverty``), one module per family:
household tables submitted to the disclosure gate, and access to their releases."""
from __future__ import annotations

from .access import AccessRequest, Download, RequestStatus, TermsAcceptance
from .microdata import Microdata, MicrodataStatus

__all__ = ["AccessRequest", "Download", "Microdata", "MicrodataStatus", "RequestStatus",
           "TermsAcceptance"]
