"""Our own tables (created by ``migration/lampangpoverty``), one module per family:
household tables submitted to the disclosure gate, access to their releases, and the
changes feed's log."""
from __future__ import annotations

from .access import AccessRequest, Download, RequestStatus, TermsAcceptance
from .change import Change
from .microdata import Microdata, MicrodataStatus

__all__ = ["AccessRequest", "Change", "Download", "Microdata", "MicrodataStatus", "RequestStatus",
           "TermsAcceptance"]
