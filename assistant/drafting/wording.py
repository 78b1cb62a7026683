"""Korean sentences for figures, in the register of the report's audit responses (개조식, figures as the
report writes them: thousands separators, △ for a decrease, the source unit, the line in brackets)."""

from __future__ import annotations

from knowledge.names import canonical
from tools.base import Fact


def number(value: float | int | str | None, unit: str = "") -> str:
    if isinstance(value, str) or value is None:
        return f"{value or ''}{unit}".strip()
    sign = "△" if value < 0 else ""
    v = abs(value)
    text = f"{int(v):,}" if float(v).is_integer() and not (unit == "%" or unit == "점") else f"{v:,}"
    if unit in ("%", "점") and float(v).is_integer():
        text = f"{v:.1f}"
    if unit == "대 1":
        return f"{sign}{text}대 1"
    return f"{sign}{text}{unit}"


def cite(lines: list[int] | tuple[int, int]) -> str:
    """'[120행]' or '[624~625행]' (the grounding check reads these as references, not figures)."""
    if not lines:
        return ""
    a, b = lines[0], lines[-1]
    return f"[{a}행]" if a == b else f"[{a}~{b}행]"


def _subject(labels: list[str]) -> str:
    if len(labels) == 1:
        return ""
    words = [x.split() for x in labels]
    common = []
    for parts in zip(*words):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    return " ".join(common)


def fact_sentence(facts: list[Fact]) -> str:
    """One row's facts as one line: '신규자과정운영: 2025년 예산현액 1,116,685천원, 집행률 96.0% [105행]'."""
    subject = _subject([f.label for f in facts])
    parts = []
    for f in facts:
        measure = f.label[len(subject):].strip() if subject else f.label
        parts.append(f"{measure} {number(f.value, f.unit)}")
    head = f"{subject}: " if subject else ""
    return f"{head}{', '.join(parts)} {cite(facts[0].lines)}"


def _phase_rows(metrics: list[Fact]) -> tuple[dict[str, list[Fact]], dict[str, list[Fact]]]:
    plan: dict[str, list[Fact]] = {}
    actual: dict[str, list[Fact]] = {}
    for f in metrics:
        phase, _, _ = f.key.partition(" ")
        target = plan if phase == "계획" else actual
        target.setdefault(f.label.split("(")[0].strip(), []).append(f)
    return plan, actual


def _measure(f: Fact) -> str:
    return f.label.rsplit(")", 1)[-1].strip() or f.label


def plan_vs_actual(metrics: list[Fact]) -> tuple[list[str], list[Fact]]:
    """Plan and result rows of a program paired by name (or the one result row with the first plan row),
    each shared measure stated as plan → result with the ratio; returns the lines and the derived facts."""
    plan, actual = _phase_rows(metrics)
    pairs = [(p, a) for p in plan for a in actual if canonical(p) and canonical(a)
             and (canonical(p) in canonical(a) or canonical(a) in canonical(p))]
    rest_p = [p for p in plan if p not in {x for x, _ in pairs}]
    rest_a = [a for a in actual if a not in {y for _, y in pairs}]
    if len(rest_p) >= 1 and len(rest_a) == 1:  # the program's total scale and its one overall result
        pairs.insert(0, (rest_p[0], rest_a[0]))
    lines, derived, used = [], [], set()
    for p, a in pairs:
        by_measure = {_measure(f): f for f in plan[p]}
        for fa in actual[a]:
            fp = by_measure.get(_measure(fa))
            if fp is None or not isinstance(fp.value, (int, float)) or not isinstance(fa.value, (int, float)) or not fp.value:
                continue
            rate = round(fa.value / fp.value * 100, 1)
            derived.append(Fact(label=f"{p} {_measure(fa)} 계획 대비 실적", value=rate, unit="%", table=fa.table, key=fa.key,
                                source=fa.source, section=fa.section, lines=fa.lines,
                                formula=f"{number(fa.value)} ÷ {number(fp.value)} × 100", inputs=[float(fa.value), float(fp.value)]))
            lines.append(f"{p} {_measure(fa)}: 계획 {number(fp.value, fp.unit)} {cite(fp.lines)} 대비 실적 {number(fa.value, fa.unit)} "
                         f"{cite(fa.lines)}(계획 대비 {number(rate, '%')})")
        used |= {p, a}
    for name, facts in list(plan.items()) + list(actual.items()):
        if name not in used:
            phase = facts[0].key.partition(" ")[0]
            lines.append(f"{name}({phase}): " + ", ".join(f"{_measure(f)} {number(f.value, f.unit)}" for f in facts) + f" {cite(facts[0].lines)}")
    return lines, derived
