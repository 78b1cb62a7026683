"""Organization, departments and duties, strategies and tasks, programs, contacts."""

from __future__ import annotations

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Provenance


class Organization(Provenance, Base):
    __tablename__ = "organization"
    __label__ = "조직 및 정원"
    __unit__ = "명"
    departments: Mapped[int | None] = mapped_column(Integer)
    teams: Mapped[int | None] = mapped_column(Integer)
    quota: Mapped[int | None] = mapped_column(Integer)  # 정원
    current: Mapped[int | None] = mapped_column(Integer)  # 현원


class Department(Provenance, Base):
    __tablename__ = "departments"
    __label__ = "부서별 주요업무"
    name: Mapped[str] = mapped_column(String(60), index=True)
    duties: Mapped[str] = mapped_column(Text)


class Strategy(Provenance, Base):
    __tablename__ = "strategies"
    __label__ = "추진전략"
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))


class Task(Provenance, Base):
    __tablename__ = "tasks"
    __label__ = "중점 추진과제"
    strategy: Mapped[str] = mapped_column(String(200))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))


class Program(Provenance, Base):
    __tablename__ = "programs"
    __label__ = "주요업무(사업)"
    strategy: Mapped[str] = mapped_column(String(200))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300), index=True)
    purpose: Mapped[str] = mapped_column(Text, default="")
    department: Mapped[str | None] = mapped_column(String(60))


class Contact(Provenance, Base):
    __tablename__ = "contacts"
    __label__ = "작성자(담당자)"
    program: Mapped[str] = mapped_column(String(300), index=True)
    role: Mapped[str] = mapped_column(String(20))  # 과장 | 팀장 | 담당
    position: Mapped[str] = mapped_column(String(60))  # e.g. 인재양성과장, 신규교육팀장, 담당
    department: Mapped[str | None] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(60))
    phone: Mapped[str | None] = mapped_column(String(30))
