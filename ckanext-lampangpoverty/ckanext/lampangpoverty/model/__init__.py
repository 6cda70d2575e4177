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
