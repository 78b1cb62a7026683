"""Follow-ups of the previous year's administrative audit (행정사무감사)."""

from __future__ import annotations

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Provenance


class AuditItem(Provenance, Base):
    __tablename__ = "audit_items"
    __label__ = "행정사무감사 처리결과(항목)"
    audit_year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20), index=True)  # 시정·처리요구 | 건의 | 기타
    seq: Mapped[int] = mapped_column(Integer)
    department: Mapped[str | None] = mapped_column(String(60), index=True)
    request: Mapped[str] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(20), index=True)  # 추진완료 | 추진 중
    actions: Mapped[str] = mapped_column(Text, default="")
    plans: Mapped[str] = mapped_column(Text, default="")


class AuditSummary(Provenance, Base):
    __tablename__ = "audit_summary"
    __label__ = "행정사무감사 처리결과(총괄)"
    __unit__ = "건"
    audit_year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(40))  # 계 | 시정·처리요구 | 건의 | 기타
    total: Mapped[int | None] = mapped_column(Integer)
    done: Mapped[int | None] = mapped_column(Integer)
    in_progress: Mapped[int | None] = mapped_column(Integer)
    reviewing: Mapped[int | None] = mapped_column(Integer)
    not_reflected: Mapped[int | None] = mapped_column(Integer)
