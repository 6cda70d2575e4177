"""Area indicators loaded from poverty datasets (tables ``lampangpoverty_area_indicator`` and
``lampangpoverty_indicator_load``). Rows are replaced per resource in one transaction, and
only after the whole table passed its check, so a profile never shows a half-loaded table."""
from __future__ import annotations

import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, UnicodeText
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ckan import model
from ckan.model.base import BaseModel

from ..lib.clock import utcnow


class LoadStatus:
    """Where the last check of an indicator table stands."""

    LOADED = "loaded"      # its rows feed the area profiles
    INVALID = "invalid"    # rows broke the schema: nothing replaced, the errors kept

    ALL = (LOADED, INVALID)


class AreaIndicator(BaseModel):
    """One figure: an indicator of an area in a year (B.E.), from one resource."""

    __tablename__ = "lampangpoverty_area_indicator"
    __table_args__ = (Index("idx_lampangpoverty_area_indicator_area_year", "area_code", "year"),)

    resource_id: Mapped[str] = mapped_column(UnicodeText, primary_key=True)
    area_code: Mapped[str] = mapped_column(UnicodeText, primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    indicator: Mapped[str] = mapped_column(UnicodeText, primary_key=True)
    package_id: Mapped[str] = mapped_column(
        UnicodeText, ForeignKey("package.id", ondelete="CASCADE"), index=True)
    value: Mapped[float]
    unit: Mapped[str] = mapped_column(UnicodeText)
    source: Mapped[str] = mapped_column(UnicodeText, default="")
    loaded: Mapped[datetime.datetime] = mapped_column(default=utcnow)


class IndicatorLoad(BaseModel):
    """The last check of a resource's indicator table: loaded, or why not (row, column)."""

    __tablename__ = "lampangpoverty_indicator_load"

    resource_id: Mapped[str] = mapped_column(UnicodeText, primary_key=True)
    package_id: Mapped[str] = mapped_column(
        UnicodeText, ForeignKey("package.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(UnicodeText)
    rows: Mapped[int] = mapped_column(default=0)
    error_count: Mapped[int] = mapped_column(default=0)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    checked: Mapped[datetime.datetime] = mapped_column(default=utcnow)
    loaded: Mapped[datetime.datetime | None]

    @classmethod
    def get(cls, resource_id: str | None) -> IndicatorLoad | None:
        return model.Session.get(cls, resource_id) if resource_id else None
