"""The shapes of an audit-response draft (행정사무감사 답변서 초안): what the builder fills and the exporters print."""

from __future__ import annotations

from dataclasses import dataclass, field

from tools.base import Fact

STATUSES = ("추진완료", "추진 중", "검토 중", "미반영")


@dataclass
class Subject:
    """A program, budget line or training row the request concerns, as the database names it."""

    kind: str  # program | budget_line | training
    name: str
    score: float
    department: str | None = None
    section: str = ""
    lines: tuple[int, int] = (0, 0)


@dataclass
class FigureGroup:
    """The figures of one subject (facts with provenance) and the sentences that state them."""

    subject: str
    facts: list[Fact] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)


@dataclass
class RelatedItem:
    """A past audit item similar to the request: its status and what was done."""

    kind: str
    seq: int
    department: str
    status: str
    request: str
    actions: list[str]
    plans: list[str]
    score: float
    audit_year: int | None
    section: str
    lines: tuple[int, int]
    overlap: float = 0.0  # share of the request's words the item's own request holds (1.0: the same request)

    @property
    def ref(self) -> str:
        return f"{self.kind}:{self.seq}"


@dataclass
class Source:
    """One line of the sources list: a section and its lines in the report."""

    source: str
    section: str
    lines: tuple[int, int]
    what: str

    def span(self) -> str:
        a, b = self.lines
        return f"{a}행" if a == b else f"{a}~{b}행"


@dataclass
class Department:
    name: str
    basis: str  # why this department: the sentence shown in the draft


@dataclass
class Draft:
    """A draft response to one audit request, in the report's shape (추진상황 / 추진내용 / 향후계획)."""

    title: str
    request: str
    status: str
    department: Department | None
    progress: list[str]  # 추진내용, 개조식 lines ("○ …", "  - …")
    plans: list[str]  # 향후계획
    gaps: list[str]  # what the data does not cover
    subjects: list[Subject]
    figures: list[FigureGroup]
    related: list[RelatedItem]
    sources: list[Source]
    backend: str = "offline"
    grounded: bool = True
    unsupported: list[str] = field(default_factory=list)
    item_ref: str | None = None
    report: str = ""

    @property
    def facts(self) -> list[Fact]:
        return [f for g in self.figures for f in g.facts]

    def body_text(self) -> str:
        """Every sentence a reader sees (what the grounding check reads)."""
        parts = [self.status] + self.progress + self.plans + self.gaps
        if self.department:
            parts.append(self.department.basis)
        return "\n".join(parts)

    def to_dict(self) -> dict:
        return {
            "title": self.title, "request": self.request, "status": self.status, "item": self.item_ref,
            "department": self.department.name if self.department else None,
            "department_basis": self.department.basis if self.department else None,
            "progress": self.progress, "plans": self.plans, "gaps": self.gaps,
            "subjects": [{"kind": s.kind, "name": s.name, "score": round(s.score, 3)} for s in self.subjects],
            "facts": [f.model_dump() for f in self.facts],
            "related": [{"item": r.ref, "kind": r.kind, "seq": r.seq, "department": r.department, "status": r.status,
                         "request": r.request, "lines": list(r.lines), "score": round(r.score, 3)} for r in self.related],
            "sources": [{"source": s.source, "section": s.section, "lines": list(s.lines), "what": s.what} for s in self.sources],
            "backend": self.backend, "grounded": self.grounded, "unsupported": self.unsupported, "report": self.report,
        }
