"""Recruitment exams, their schedule, career hiring and competency assessments."""

from __future__ import annotations

from sqlalchemy import Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Provenance


class Exam(Provenance, Base):
    """One round of the public recruitment exam, as the 추진실적 prose states it."""

    __tablename__ = "exams"
    __label__ = "신규공무원 임용시험(회차별)"
    __unit__ = "명"
    round: Mapped[int] = mapped_column(Integer, index=True)
    title: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str | None] = mapped_column(String(200))  # 일반행정 9급 등
    job_series: Mapped[int | None] = mapped_column(Integer)  # 직류 수
    selected: Mapped[int | None] = mapped_column(Integer)  # 선발 (완료 or 예정)
    selection_status: Mapped[str | None] = mapped_column(String(20))
    applicants: Mapped[int | None] = mapped_column(Integer)  # 접수
    application_period: Mapped[str | None] = mapped_column(String(40))
    competition_ratio: Mapped[float | None] = mapped_column(Float)  # n:1
    takers: Mapped[int | None] = mapped_column(Integer)  # 응시인원
    attendance_rate: Mapped[float | None] = mapped_column(Float)  # 응시율 %
    written_exam_date: Mapped[str | None] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text, default="")


class ExamSchedule(Provenance, Base):
    """The exam schedule table: one row per round × stage."""

    __tablename__ = "exam_schedule"
    __label__ = "임용시험 추진일정"
    round: Mapped[int] = mapped_column(Integer, index=True)
    round_label: Mapped[str] = mapped_column(String(200))
    stage: Mapped[str] = mapped_column(String(40))  # 선발인원 | 필기시험 | 인성검사 | 면접시험 | 합격자발표
    value: Mapped[str] = mapped_column(String(100))
    number: Mapped[int | None] = mapped_column(Integer)  # for 선발인원


class CareerHiring(Provenance, Base):
    __tablename__ = "career_hiring"
    __label__ = "경력직 채용"
    __unit__ = "명"
    category: Mapped[str] = mapped_column(String(120))
    level: Mapped[int] = mapped_column(Integer)  # 0 total, 1 group, 2 detail
    fields: Mapped[int | None] = mapped_column(Integer)  # 분야 수
    people: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str | None] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)


class CompetencyAssessment(Provenance, Base):
    __tablename__ = "competency_assessments"
    __label__ = "4·5급 승진 역량평가·이해과정"
    __unit__ = "명"
    kind: Mapped[str] = mapped_column(String(20))  # 역량평가 | 이해과정
    grade: Mapped[str] = mapped_column(String(10))  # 4급 | 5급
    planned_sessions: Mapped[int | None] = mapped_column(Integer)
    planned_people: Mapped[int | None] = mapped_column(Integer)
    actual_sessions: Mapped[int | None] = mapped_column(Integer)
    actual_people: Mapped[int | None] = mapped_column(Integer)
    months: Mapped[str | None] = mapped_column(String(60))
    competencies: Mapped[str | None] = mapped_column(Text)
    techniques: Mapped[str | None] = mapped_column(Text)
