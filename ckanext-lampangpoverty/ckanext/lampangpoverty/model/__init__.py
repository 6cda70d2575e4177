"""Our own tables (created by migration/lampangpoverty): household tables submitted to the
disclosure gate, with their status and reports."""
from __future__ import annotations

import datetime
import json
import uuid
from typing import Any

from sqlalchemy import Column, DateTime, ForeignKey, Integer, UnicodeText

from ckan import model
from ckan.model.base import BaseModel


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


class Microdata(BaseModel):
    """One household/person table attached to a poverty dataset. The raw file stays in the
    private microdata storage; only a release that passed the gate becomes a resource."""

    __tablename__ = "lampangpoverty_microdata"

    id = Column(UnicodeText, primary_key=True, default=lambda: str(uuid.uuid4()))
    package_id = Column(UnicodeText, ForeignKey("package.id", ondelete="CASCADE"),
                        nullable=False, index=True)
    filename = Column(UnicodeText, nullable=False)
    stored_path = Column(UnicodeText, nullable=False)
    size = Column(Integer, nullable=False)
    roles = Column(UnicodeText, nullable=False, default="{}")        # JSON {column: role}
    settings = Column(UnicodeText, nullable=False, default="{}")     # JSON recodes, household
    status = Column(UnicodeText, nullable=False, default="uploaded")
    progress = Column(Integer, nullable=False, default=0)
    message = Column(UnicodeText, nullable=False, default="")
    report = Column(UnicodeText)           # JSON, internal: the owning organisation only
    summary = Column(UnicodeText)          # JSON, public and non-disclosive
    release_resource_id = Column(UnicodeText)
    created_by = Column(UnicodeText, nullable=False)
    created = Column(DateTime, nullable=False, default=_now)
    modified = Column(DateTime, nullable=False, default=_now, onupdate=_now)

    STATUSES = ("uploaded", "needs_roles", "queued", "running", "passed", "failed", "error")

    @classmethod
    def get(cls, id: str) -> "Microdata | None":
        return model.Session.get(cls, id)

    @classmethod
    def latest(cls, package_id: str, status: str | None = None) -> "Microdata | None":
        q = model.Session.query(cls).filter(cls.package_id == package_id)
        if status:
            q = q.filter(cls.status == status)
        return q.order_by(cls.created.desc()).first()

    def json(self, field: str) -> Any:
        value = getattr(self, field)
        return json.loads(value) if value else None

    def dictize(self, internal: bool) -> dict[str, Any]:
        out = {
            "id": self.id, "package_id": self.package_id, "filename": self.filename,
            "status": self.status, "progress": self.progress, "message": self.message,
            "summary": self.json("summary"), "release_resource_id": self.release_resource_id,
            "created": self.created.isoformat(), "modified": self.modified.isoformat(),
        }
        if internal:
            out.update(roles=self.json("roles"), settings=self.json("settings"),
                       report=self.json("report"), size=self.size)
        return out


class AccessRequest(BaseModel):
    """A researcher's request for a licensed release, and the owning organisation's answer."""

    __tablename__ = "lampangpoverty_access_request"

    id = Column(UnicodeText, primary_key=True, default=lambda: str(uuid.uuid4()))
    package_id = Column(UnicodeText, ForeignKey("package.id", ondelete="CASCADE"),
                        nullable=False, index=True)
    user_id = Column(UnicodeText, ForeignKey("user.id", ondelete="CASCADE"), nullable=False,
                     index=True)
    purpose = Column(UnicodeText, nullable=False)
    institution = Column(UnicodeText, nullable=False)
    status = Column(UnicodeText, nullable=False, default="pending")  # pending|approved|refused
    reason = Column(UnicodeText, nullable=False, default="")
    expires = Column(DateTime)
    max_downloads = Column(Integer)
    decided_by = Column(UnicodeText)
    decided = Column(DateTime)
    created = Column(DateTime, nullable=False, default=_now)

    @classmethod
    def get(cls, id: str) -> "AccessRequest | None":
        return model.Session.get(cls, id)

    def downloads(self) -> int:
        return model.Session.query(Download).filter(Download.request_id == self.id).count()

    def usable(self) -> bool:
        return (self.status == "approved" and self.expires is not None and _now() < self.expires
                and self.max_downloads is not None and self.downloads() < self.max_downloads)

    def dictize(self) -> dict[str, Any]:
        user = model.User.get(self.user_id)
        return {"id": self.id, "package_id": self.package_id, "user": user.name if user else None,
                "purpose": self.purpose, "institution": self.institution, "status": self.status,
                "reason": self.reason, "expires": self.expires.isoformat() if self.expires else None,
                "max_downloads": self.max_downloads, "downloads": self.downloads(),
                "decided_by": self.decided_by,
                "decided": self.decided.isoformat() if self.decided else None,
                "created": self.created.isoformat()}


class TermsAcceptance(BaseModel):
    """A registered user accepted a dataset's terms of use."""

    __tablename__ = "lampangpoverty_terms_acceptance"

    package_id = Column(UnicodeText, ForeignKey("package.id", ondelete="CASCADE"),
                        primary_key=True)
    user_id = Column(UnicodeText, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    accepted = Column(DateTime, nullable=False, default=_now)


class Download(BaseModel):
    """The download log: rows are only ever added (no action updates or deletes them)."""

    __tablename__ = "lampangpoverty_download"

    id = Column(UnicodeText, primary_key=True, default=lambda: str(uuid.uuid4()))
    package_id = Column(UnicodeText, nullable=False, index=True)
    microdata_id = Column(UnicodeText, nullable=False)
    user_id = Column(UnicodeText)
    request_id = Column(UnicodeText)
    access_level = Column(UnicodeText, nullable=False)
    at = Column(DateTime, nullable=False, default=_now)
