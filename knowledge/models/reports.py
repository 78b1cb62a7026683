"""Reports, their section tree, and the consistency findings recorded at ingest."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Provenance


class Report(Base):
    __tablename__ = "reports"
    __label__ = "보고서"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255))
    year: Mapped[int] = mapped_column(Integer, index=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    line_count: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(255), default="")
    parser_version: Mapped[str] = mapped_column(String(20), default="", server_default="")
    ingested_at: Mapped[datetime] = mapped_column(DateTime)
    # JSON of the search-index build made from this report (collection, chunk and token files):
    # committed with the rows, so tables and passages always come from one report
    index_build: Mapped[str | None] = mapped_column(Text, nullable=True)


class SectionRow(Provenance, Base):
    __tablename__ = "sections"
    __label__ = "목차(섹션)"
    kind: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(Text)
    number: Mapped[str | None] = mapped_column(String(10))
    label: Mapped[str | None] = mapped_column(String(40))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id"), nullable=True)
    department: Mapped[str | None] = mapped_column(String(40))


class Finding(Provenance, Base):
    """A place where the report contradicts itself: two figures for one thing."""

    __tablename__ = "findings"
    __label__ = "불일치(정합성) 점검 결과"
    rule: Mapped[str] = mapped_column(String(60), index=True)
    subject: Mapped[str] = mapped_column(String(200), index=True)
    measure: Mapped[str] = mapped_column(String(60))
    message: Mapped[str] = mapped_column(Text)
    value_a: Mapped[float | None] = mapped_column(Float)
    where_a: Mapped[str] = mapped_column(String(400))
    lines_a: Mapped[str] = mapped_column(Text)
    value_b: Mapped[float | None] = mapped_column(Float)
    where_b: Mapped[str] = mapped_column(String(400))
    lines_b: Mapped[str] = mapped_column(Text)
    arithmetic: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(10), default="")
