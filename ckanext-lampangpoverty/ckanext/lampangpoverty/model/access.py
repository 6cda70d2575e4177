"""Access to releases: researchers' requests, accepted terms of use and the download log
(tables ``lampangpoverty_access_request``, ``_terms_acceptance``, ``_download``)."""
from __future__ import annotations

import datetime
import uuid

from sqlalchemy import ForeignKey, UnicodeText
from sqlalchemy.orm import Mapped, mapped_column

from ckan import model
from ckan.model.base import BaseModel

from ..lib.clock import utcnow


def _uuid() -> str:
    return str(uuid.uuid4())


class RequestStatus:
    """Where an access request stands."""

    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"

    ALL = (PENDING, APPROVED, REFUSED)


class AccessRequest(BaseModel):
    """A researcher's request for a licensed release, and the owning organisation's answer."""

    __tablename__ = "lampangpoverty_access_request"

    id: Mapped[str] = mapped_column(UnicodeText, primary_key=True, default=_uuid)
    package_id: Mapped[str] = mapped_column(
        UnicodeText, ForeignKey("package.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(
        UnicodeText, ForeignKey("user.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(UnicodeText)
    institution: Mapped[str] = mapped_column(UnicodeText)
    status: Mapped[str] = mapped_column(UnicodeText, default=RequestStatus.PENDING)
    reason: Mapped[str] = mapped_column(UnicodeText, default="")
    expires: Mapped[datetime.datetime | None]
    max_downloads: Mapped[int | None]
    decided_by: Mapped[str | None] = mapped_column(UnicodeText)
    decided: Mapped[datetime.datetime | None]
    created: Mapped[datetime.datetime] = mapped_column(default=utcnow)

    @classmethod
    def get(cls, id: str | None) -> AccessRequest | None:
        return model.Session.get(cls, id) if id else None

    def downloads(self) -> int:
        return (model.Session.query(Download)
                .filter(Download.request_id == self.id, Download.completed.isnot(False)).count())

    def open(self) -> bool:
        """Pending, or approved and still usable: the user needs no new request."""
        return self.status == RequestStatus.PENDING or self.usable()

    def usable(self) -> bool:
        """Approved, not expired and with downloads left."""
        return (self.status == RequestStatus.APPROVED and self.expires is not None
                and utcnow() < self.expires and self.max_downloads is not None
                and self.downloads() < self.max_downloads)


class TermsAcceptance(BaseModel):
    """A registered user accepted a dataset's terms of use."""

    __tablename__ = "lampangpoverty_terms_acceptance"

    package_id: Mapped[str] = mapped_column(
        UnicodeText, ForeignKey("package.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(
        UnicodeText, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    accepted: Mapped[datetime.datetime] = mapped_column(default=utcnow)


class Download(BaseModel):
    """The download log: rows are only ever added (no action updates or deletes them)."""

    __tablename__ = "lampangpoverty_download"

    id: Mapped[str] = mapped_column(UnicodeText, primary_key=True, default=_uuid)
    package_id: Mapped[str] = mapped_column(UnicodeText, index=True)
    microdata_id: Mapped[str] = mapped_column(UnicodeText)
    user_id: Mapped[str | None] = mapped_column(UnicodeText)
    request_id: Mapped[str | None] = mapped_column(UnicodeText)
    access_level: Mapped[str] = mapped_column(UnicodeText)
    at: Mapped[datetime.datetime] = mapped_column(default=utcnow)
    # None while the file is sent, True once all of it went out, False when the client
    # broke the transfer off (logged, but not counted against a download limit).
    completed: Mapped[bool | None]
