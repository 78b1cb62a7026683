"""Training results, overview, e-learning by category, programs' scale, cohorts, courses."""

from __future__ import annotations

from sqlalchemy import Boolean, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Provenance


class TrainingResult(Provenance, Base):
    """One row of the 교육 운영 현황 table: plan vs actual per mode × group × subcategory."""

    __tablename__ = "training_results"
    __label__ = "교육 운영 현황(계획·실적)"
    __unit__ = "명"
    mode: Mapped[str] = mapped_column(String(20), index=True)  # 전체 | 집합 | e-러닝 | u-지식여행
    competency_group: Mapped[str | None] = mapped_column(String(40))  # 기본역량, 리더십역량, ...
    subcategory: Mapped[str | None] = mapped_column(String(40))  # 핵심가치, IT, ...
    level: Mapped[str] = mapped_column(String(10))  # total | subtotal | detail
    planned_courses: Mapped[int | None] = mapped_column(Integer)
    planned_sessions: Mapped[int | None] = mapped_column(Integer)
    planned_people: Mapped[int | None] = mapped_column(Integer)
    actual_courses: Mapped[int | None] = mapped_column(Integer)
    actual_sessions: Mapped[int | None] = mapped_column(Integer)
    actual_people: Mapped[int | None] = mapped_column(Integer)
    participation_rate: Mapped[float | None] = mapped_column(Float)  # %
    satisfaction: Mapped[float | None] = mapped_column(Float)  # 점 (5점 만점)
    sessions_always: Mapped[bool] = mapped_column(Boolean, default=False)  # '상시'
    parenthesised: Mapped[bool] = mapped_column(Boolean, default=False)  # figures given in ( )
    mode_courses_declared: Mapped[int | None] = mapped_column(Integer)  # '(126)' beside the mode
    group_courses_declared: Mapped[int | None] = mapped_column(Integer)  # '(14)' beside the group


class TrainingOverview(Provenance, Base):
    """Prose figures of the education scale: '집합교육 : 126개 과정 25,300명'."""

    __tablename__ = "training_overview"
    __label__ = "교육규모·교육실적 개요"
    __unit__ = "명"
    label: Mapped[str] = mapped_column(String(60))
    phase: Mapped[str] = mapped_column(String(10))  # 계획 | 실적
    share_pct: Mapped[float | None] = mapped_column(Float)
    courses: Mapped[int | None] = mapped_column(Integer)
    people: Mapped[int | None] = mapped_column(Integer)


class InternationalTraining(Provenance, Base):
    __tablename__ = "international_training"
    __label__ = "외국공무원 국제연수(계획·실적)"
    __unit__ = "명"
    year: Mapped[int] = mapped_column(Integer)
    planned_sessions: Mapped[int | None] = mapped_column(Integer)
    planned_people: Mapped[int | None] = mapped_column(Integer)
    actual_sessions: Mapped[int | None] = mapped_column(Integer)
    actual_people: Mapped[int | None] = mapped_column(Integer)


class ElearningCategory(Provenance, Base):
    __tablename__ = "elearning_categories"
    __label__ = "e-러닝 분야별 과정·수강인원"
    __unit__ = "명"
    competency_group: Mapped[str] = mapped_column(String(40))
    subcategory: Mapped[str | None] = mapped_column(String(40))
    courses: Mapped[int | None] = mapped_column(Integer)
    courses_unit: Mapped[str] = mapped_column(String(10), default="개")
    learners: Mapped[int | None] = mapped_column(Integer)
    parenthesised: Mapped[bool] = mapped_column(Boolean, default=False)


class ProgramMetric(Provenance, Base):
    """A program's scale (계획) or result (실적) as its 사업개요/추진실적 lines state it."""

    __tablename__ = "program_metrics"
    __label__ = "사업별 교육규모·추진실적"
    __unit__ = "명"
    program: Mapped[str] = mapped_column(String(300), index=True)
    phase: Mapped[str] = mapped_column(String(10))  # 계획 | 실적 | 전년
    label: Mapped[str] = mapped_column(String(120))
    courses: Mapped[int | None] = mapped_column(Integer)
    sessions: Mapped[int | None] = mapped_column(Integer)
    people: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)


class Cohort(Provenance, Base):
    __tablename__ = "cohorts"
    __label__ = "신입자 교육 기수별 현황"
    __unit__ = "명"
    program: Mapped[str] = mapped_column(String(300))
    course: Mapped[str] = mapped_column(String(40), index=True)  # 본교육 | 사전교육
    duration: Mapped[str | None] = mapped_column(String(20))  # 4주, 1주
    cohort: Mapped[int | None] = mapped_column(Integer)  # None = 총계 row
    cohort_label: Mapped[str] = mapped_column(String(20))
    period: Mapped[str | None] = mapped_column(String(60))
    delivery: Mapped[str | None] = mapped_column(String(60))
    planned: Mapped[int | None] = mapped_column(Integer)
    completed: Mapped[int | None] = mapped_column(Integer)


class Course(Provenance, Base):
    """A course list row (연번·과정명·교육대상·횟수·일수·인원), e.g. the leadership courses."""

    __tablename__ = "courses"
    __label__ = "과정별 교육계획(리더십 등)"
    __unit__ = "명"
    program: Mapped[str] = mapped_column(String(300))
    seq: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100), index=True)
    target: Mapped[str] = mapped_column(Text)
    sessions: Mapped[int | None] = mapped_column(Integer)
    days: Mapped[str | None] = mapped_column(String(20))
    people: Mapped[int | None] = mapped_column(Integer)
