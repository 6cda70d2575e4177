"""The changes feed's log (table ``lampangpoverty_change``, written by a trigger on
``package``; see the migration d41c7a9e2f60)."""
from __future__ import annotations

import datetime

from sqlalchemy import BigInteger, UnicodeText
from sqlalchemy.orm import Mapped, mapped_column

from ckan.model.base import BaseModel


class Change(BaseModel):
    """One change of a dataset row: its state, visibility and owner after the change.
    ``seq`` is given once the change is committed, in commit order."""

    __tablename__ = "lampangpoverty_change"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    seq: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    package_id: Mapped[str] = mapped_column(UnicodeText)
    name: Mapped[str | None] = mapped_column(UnicodeText)
    type: Mapped[str | None] = mapped_column(UnicodeText)
    owner_org: Mapped[str | None] = mapped_column(UnicodeText)
    private: Mapped[bool] = mapped_column(default=False)
    state: Mapped[str] = mapped_column(UnicodeText)
    changed: Mapped[datetime.datetime]
