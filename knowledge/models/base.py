"""Declarative base and the provenance columns every row carries."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Provenance:
    """Where a row stands in which report: report, section path, 1-based inclusive line span."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)

    @declared_attr
    def report_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)

    section: Mapped[str] = mapped_column(String(400), default="")
    line_start: Mapped[int] = mapped_column(Integer)
    line_end: Mapped[int] = mapped_column(Integer)

    # the source unit of this table's figures (천원, 명, %, ...); overridden per model
    __unit__: str = ""
    # the human name of the table, shown by `hrd tables`
    __label__: str = ""
