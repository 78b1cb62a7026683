"""Korean labels and source units of every figure column, per table (drives fact building)."""

from __future__ import annotations

import re

THOUSAND_WON = "천원"

FIELDS: dict[str, dict[str, tuple[str, str]]] = {
    "budget_lines": {
        "amount_prev": ("{year_prev}년 예산현액", THOUSAND_WON),
        "amount": ("{year}년 예산현액", THOUSAND_WON),
        "change": ("증감액", THOUSAND_WON),
        "change_rate": ("증감률", "%"),
        "executed": ("집행액(원인행위 기준)", THOUSAND_WON),
        "execution_rate": ("집행률", "%"),
    },
    "program_execution": {
        "budget": ("예산현액", THOUSAND_WON),
        "committed": ("집행액(원인행위)", THOUSAND_WON),
        "spent": ("집행액(지출액)", THOUSAND_WON),
        "committed_rate": ("집행률(원인행위)", "%"),
        "spent_rate": ("집행률(지출액)", "%"),
        "forecast": ("연말 집행예상액", THOUSAND_WON),
        "forecast_rate": ("연말 예상 집행률", "%"),
    },
    "training_results": {
        "planned_courses": ("계획 과정수", "개"),
        "planned_sessions": ("계획 횟수", "회"),
        "planned_people": ("계획 인원", "명"),
        "actual_courses": ("실적 과정수", "개"),
        "actual_sessions": ("실적 횟수", "회"),
        "actual_people": ("실적 인원", "명"),
        "participation_rate": ("참여율", "%"),
        "satisfaction": ("만족도(5점 만점)", "점"),
    },
    "training_overview": {"courses": ("과정수", "개"), "people": ("인원", "명"), "share_pct": ("비중", "%")},
    "elearning_categories": {"courses": ("과정수", "{courses_unit}"), "learners": ("수강인원", "명")},
    "program_metrics": {"courses": ("과정수", "개"), "sessions": ("횟수", "회"), "people": ("인원", "명")},
    "cohorts": {"planned": ("계획 인원", "명"), "completed": ("수료 인원", "명"), "period": ("교육기간", "")},
    "courses": {"sessions": ("교육횟수", "회"), "people": ("교육인원", "명"), "days": ("교육일수", ""), "target": ("교육대상", "")},
    "exams": {
        "selected": ("선발인원", "명"), "applicants": ("접수인원", "명"), "competition_ratio": ("경쟁률(:1)", "대 1"),
        "takers": ("응시인원", "명"), "attendance_rate": ("응시율", "%"), "job_series": ("직류 수", "개"),
        "written_exam_date": ("필기시험일", ""), "application_period": ("원서접수 기간", ""),
    },
    "exam_schedule": {"value": ("{stage}", "")},
    "career_hiring": {"fields": ("분야 수", "개"), "people": ("선발 인원", "명")},
    "competency_assessments": {
        "planned_sessions": ("계획 횟수", "회"), "planned_people": ("계획 인원", "명"),
        "actual_sessions": ("실시 횟수", "회"), "actual_people": ("실적 인원", "명"), "months": ("실시 시기", ""),
        "competencies": ("평가역량", ""), "techniques": ("평가기법", ""),
    },
    "equipment": {"inventory": ("보유 수량", "개"), "over_lifespan": ("내구연한 경과 수량", "개")},
    "facilities": {
        "area_m2": ("면적", "㎡"), "area_pyeong": ("면적(평)", "평"), "parcels": ("필지 수", "필지"), "buildings": ("동 수", "개동"),
        "basement_floors": ("지하 층수", "층"), "above_floors": ("지상 층수", "층"),
    },
    "organization": {"departments": ("과", "개"), "teams": ("팀", "개"), "quota": ("정원", "명"), "current": ("현원", "명")},
    "revenue": {"amount": ("금액", "{unit}")},
    "international_training": {
        "planned_sessions": ("계획 횟수", "회"), "planned_people": ("계획 인원", "명"),
        "actual_sessions": ("실적 횟수", "회"), "actual_people": ("실적 인원", "명"),
    },
    "audit_summary": {"total": ("계", "건"), "done": ("완료", "건"), "in_progress": ("추진 중", "건")},
}

# the name column that identifies a row of each table in a fact label
KEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "budget_lines": ("name",), "program_execution": ("name",), "training_results": ("mode", "competency_group", "subcategory"),
    "training_overview": ("label", "phase"), "elearning_categories": ("competency_group", "subcategory"),
    "program_metrics": ("phase", "label"), "cohorts": ("course", "cohort_label"), "courses": ("name",),
    "exams": ("title",), "exam_schedule": ("round_label",), "career_hiring": ("category",),
    "competency_assessments": ("grade", "kind"), "equipment": ("item",), "facilities": ("name",), "organization": (),
    "revenue": ("category",), "international_training": (), "audit_summary": ("kind",),
}


# the phase a column's name says (typed meaning of planned/actual figures)
PHASES = {"planned": "계획", "actual": "실적", "completed": "수료"}


def column_phase(column: str) -> str:
    return next((v for k, v in PHASES.items() if column.startswith(k)), "")


# tables every row of which is a plan: a program's course plan ('과정별 교육계획') states no actual
TABLE_PHASES = {"courses": "계획"}


def column_period(label: str, row: dict) -> int | None:
    """The year of a figure whose label template names one ('{year_prev}년 예산현액')."""
    m = re.search(r"\{(year\w*)\}", label)
    value = row.get(m.group(1)) if m else None
    return int(value) if isinstance(value, int) else None
