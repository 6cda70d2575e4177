"""What the platform knows about the state of each record and resource: freshness, metadata
completeness, the quality score, the last validation and the last link check (tables
``lampangpoverty_package_quality``, ``_resource_quality`` and ``_quality_task``)."""
from __future__ import annotations

import datetime
from typing import Any

from sqlalchemy import ForeignKey, UnicodeText
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ckan import model
from ckan.model.base import BaseModel

from ..lib.clock import utcnow
from ..quality.statuses import Freshness, Link, Validation

__all__ = ["Freshness", "Link", "PackageQuality", "QualityTask", "ResourceQuality",
           "Validation"]


class PackageQuality(BaseModel):
    """One record's freshness, completeness and score, as last computed (and indexed)."""

    __tablename__ = "lampangpoverty_package_quality"

    package_id: Mapped[str] = mapped_column(
        UnicodeText, ForeignKey("package.id", ondelete="CASCADE"), primary_key=True)
    # The last harvest that changed the record (its resources' changes are in
    # ResourceQuality.data_changed).
    data_changed: Mapped[datetime.datetime | None]
    metadata_share: Mapped[float] = mapped_column(default=0.0)
    metadata_missing: Mapped[list[str]] = mapped_column(JSONB, default=list)
    freshness: Mapped[str] = mapped_column(UnicodeText, default=Freshness.UNKNOWN)
    freshness_detail: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    last_changed: Mapped[datetime.datetime | None]
    due: Mapped[datetime.datetime | None]
    score: Mapped[int | None]
    parts: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    computed: Mapped[datetime.datetime] = mapped_column(default=utcnow)

    @classmethod
    def get(cls, package_id: str | None) -> PackageQuality | None:
        return model.Session.get(cls, package_id) if package_id else None


class ResourceQuality(BaseModel):
    """One resource's last validation and last link check."""

    __tablename__ = "lampangpoverty_resource_quality"

    resource_id: Mapped[str] = mapped_column(
        UnicodeText, ForeignKey("resource.id", ondelete="CASCADE"), primary_key=True)
    package_id: Mapped[str] = mapped_column(UnicodeText, index=True)
    url: Mapped[str] = mapped_column(UnicodeText, default="")    # as last seen
    file_modified: Mapped[datetime.datetime | None]               # the upload's last_modified
    data_changed: Mapped[datetime.datetime | None]
    validation: Mapped[str] = mapped_column(UnicodeText, default=Validation.NOT_TABULAR)
    report: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    validated: Mapped[datetime.datetime | None]
    link: Mapped[str] = mapped_column(UnicodeText, default=Link.UNCHECKED)
    link_code: Mapped[int | None]
    link_detail: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)  # code, params
    link_checked: Mapped[datetime.datetime | None]
    link_good: Mapped[datetime.datetime | None]
    link_failures: Mapped[int] = mapped_column(default=0)
    link_queued: Mapped[datetime.datetime | None]     # a check is on its way

    @classmethod
    def get(cls, resource_id: str | None) -> ResourceQuality | None:
        return model.Session.get(cls, resource_id) if resource_id else None


class QualityTask(BaseModel):
    """When each scheduled task (daily pass, link checks, weekly e-mail) last ran."""

    __tablename__ = "lampangpoverty_quality_task"

    name: Mapped[str] = mapped_column(UnicodeText, primary_key=True)
    started: Mapped[datetime.datetime | None]
    finished: Mapped[datetime.datetime | None]
    message: Mapped[str] = mapped_column(UnicodeText, default="")

    @classmethod
    def get(cls, name: str) -> QualityTask:
        task = model.Session.get(cls, name)
        if task is None:
            task = cls(name=name)
            model.Session.add(task)
        return task
