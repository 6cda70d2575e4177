"""Household tables submitted to the disclosure gate (table ``lampangpoverty_microdata``)."""
from __future__ import annotations

import datetime
import uuid
from typing import Any

from sqlalchemy import ForeignKey, UnicodeText
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ckan import model
from ckan.model.base import BaseModel

from ..lib.clock import utcnow


class MicrodataStatus:
    """Where a submission stands."""

    UPLOADED = "uploaded"
    PROPOSING = "proposing"          # a background job reads the table and proposes roles
    NEEDS_ROLES = "needs_roles"      # proposed roles wait for an editor to confirm them
    QUEUED = "queued"
    RUNNING = "running"
    PASSED = "passed"                # its release is published
    FAILED = "failed"                # a threshold was missed; nothing published
    ERROR = "error"                  # the table could not be read or the check broke

    ALL = (UPLOADED, PROPOSING, NEEDS_ROLES, QUEUED, RUNNING, PASSED, FAILED, ERROR)


class Microdata(BaseModel):
    """One household/person table attached to a poverty dataset. The raw file stays in the
    private microdata storage; only a release that passed the gate becomes a resource."""

    __tablename__ = "lampangpoverty_microdata"

    id: Mapped[str] = mapped_column(UnicodeText, primary_key=True,
                                    default=lambda: str(uuid.uuid4()))
    package_id: Mapped[str] = mapped_column(
        UnicodeText, ForeignKey("package.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(UnicodeText)
    stored_path: Mapped[str] = mapped_column(UnicodeText)
    size: Mapped[int]
    roles: Mapped[dict[str, str]] = mapped_column(JSONB, default=dict)  # column -> role
    settings: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)  # recodes, household
    status: Mapped[str] = mapped_column(UnicodeText, default=MicrodataStatus.UPLOADED)
    progress: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(UnicodeText, default="")
    report: Mapped[dict[str, Any] | None] = mapped_column(JSONB)   # internal: the owners only
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSONB)  # public, non-disclosive
    release_resource_id: Mapped[str | None] = mapped_column(UnicodeText)
    created_by: Mapped[str] = mapped_column(UnicodeText)
    created: Mapped[datetime.datetime] = mapped_column(default=utcnow)
    modified: Mapped[datetime.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @classmethod
    def get(cls, id: str | None) -> Microdata | None:
        return model.Session.get(cls, id) if id else None

    @classmethod
    def latest(cls, package_id: str, status: str | None = None) -> Microdata | None:
        q = model.Session.query(cls).filter(cls.package_id == package_id)
        if status:
            q = q.filter(cls.status == status)
        return q.order_by(cls.created.desc()).first()
