"""Revenue, the overall expenditure budget table and each program's execution table (천원)."""

from __future__ import annotations

from sqlalchemy import Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Provenance


class Revenue(Provenance, Base):
    __tablename__ = "revenue"
    __label__ = "세입·세출 예산 개요"
    __unit__ = "백만원"
    category: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(10))  # 세입 | 세출
    level: Mapped[int] = mapped_column(Integer)  # 0 total, 1 part
    amount: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(10), default="백만원")
    note: Mapped[str | None] = mapped_column(Text)


class BudgetLine(Provenance, Base):
    """A row of the 세출예산 table: 예산현액 of two years, 증감, 원인행위 기준 집행."""

    __tablename__ = "budget_lines"
    __label__ = "세출예산 현황(예산현액·증감·집행)"
    __unit__ = "천원"
    name: Mapped[str] = mapped_column(String(200), index=True)
    level: Mapped[int] = mapped_column(Integer)  # 0 합계, 1 (계), 2 단위사업, 3 세부사업
    parent: Mapped[str | None] = mapped_column(String(200))
    year_prev: Mapped[int] = mapped_column(Integer)
    year: Mapped[int] = mapped_column(Integer)
    amount_prev: Mapped[int | None] = mapped_column(Integer)  # 전년 예산현액
    amount: Mapped[int | None] = mapped_column(Integer)  # 당해 예산현액
    change: Mapped[int | None] = mapped_column(Integer)  # 증감액 (△ = negative)
    change_rate: Mapped[float | None] = mapped_column(Float)  # 증감률 %
    executed: Mapped[int | None] = mapped_column(Integer)  # 집행액 (원인행위 기준)
    execution_rate: Mapped[float | None] = mapped_column(Float)  # 집행률 %


class ProgramExecution(Provenance, Base):
    """A program's 예산집행 현황 row."""

    __tablename__ = "program_execution"
    __label__ = "사업별 예산집행 현황"
    __unit__ = "천원"
    program: Mapped[str] = mapped_column(String(300), index=True)
    name: Mapped[str] = mapped_column(String(200), index=True)  # 사업명
    budget: Mapped[int | None] = mapped_column(Integer)  # 예산현액
    committed: Mapped[int | None] = mapped_column(Integer)  # 집행액(원인행위)
    spent: Mapped[int | None] = mapped_column(Integer)  # 집행액(지출액)
    committed_rate: Mapped[float | None] = mapped_column(Float)  # 집행률(원인행위) %
    spent_rate: Mapped[float | None] = mapped_column(Float)  # 집행률(지출액) %
    forecast: Mapped[int | None] = mapped_column(Integer)  # 연말 집행예상액
    forecast_rate: Mapped[float | None] = mapped_column(Float)  # 연말 예상 집행률 %
    budget_line: Mapped[str | None] = mapped_column(String(200))  # matched row of budget_lines
    note: Mapped[str | None] = mapped_column(Text)
