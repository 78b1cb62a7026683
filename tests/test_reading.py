"""`read` against its corpus: every example is decided by its rule, every counter-example is not.

The rows are assistant/reading_corpus.py: CORPUS must pass; KNOWN_GAPS are phrasings the rules still miss
(or still take wrongly), run as strict xfails so that a fix shows up as an unexpected pass.
"""

from __future__ import annotations

import pytest

from assistant.question_rules import (BOTH_YEARS, BREAKDOWNS, MEASURES_ASKED, UNITS_ASKED, COMPARE_PREVIOUS, FLAG_RULES, FOLLOWUP_RULES, INTENT_OVERRIDES, INTENT_RULES, OPERATION_RULES, PERIOD_RULES, PROSE_RULES,
                                      REFUSAL_RULES)
from assistant.read import read
from assistant.reading_corpus import CORPUS, KNOWN_GAPS, Example
from assistant_support import home  # noqa: F401 - the module's ingested data directory

# Decided by `read` itself, not by a table of question_rules.
EXTRA_RULES = ("refuse.unknown_subject", "followup.names_nothing", "followup.keeps_period", "followup.new_kind", "parts.clauses", "refuse.unknown_breakdown")
TABLES = (REFUSAL_RULES, INTENT_RULES, INTENT_OVERRIDES, OPERATION_RULES, PERIOD_RULES, COMPARE_PREVIOUS, BOTH_YEARS, PROSE_RULES, FOLLOWUP_RULES, FLAG_RULES,
          MEASURES_ASKED, BREAKDOWNS, UNITS_ASKED)


def rule_names() -> list[str]:
    return [r.name for table in TABLES for r in table] + list(EXTRA_RULES)


@pytest.fixture(scope="module")
def vocabulary(home):
    """The database's names and the report's text, from one ingest of the bundled report (assistant_support.home)."""
    import os

    from hrd.settings import get_settings
    from tools.context import ToolContext

    old = os.environ.get("HRD_HOME")
    os.environ["HRD_HOME"] = str(home)
    get_settings.cache_clear()
    try:
        ctx = ToolContext()
        names, report_text = ctx.vocabulary, ctx.report_text
    finally:
        if old is None:
            os.environ.pop("HRD_HOME", None)
        else:
            os.environ["HRD_HOME"] = old
        get_settings.cache_clear()
    assert names and report_text
    return names, report_text


def row_ids(rows: list[Example]) -> list[str]:
    """`rule:ex2`, `rule:no1`: the rule and the row's place among that rule's examples or counter-examples
    (pytest escapes Korean in ids; a failure's message quotes the question itself)."""
    seen: dict[tuple[str, bool], int] = {}
    ids = []
    for e in rows:
        n = seen[(e.rule, e.counter)] = seen.get((e.rule, e.counter), 0) + 1
        ids.append(f"{e.rule}:{'no' if e.counter else 'ex'}{n}")
    return ids


def mismatches(e: Example, reading) -> list[str]:
    """What the Reading gets wrong for this row (empty when it reads the row as the corpus says)."""
    decided = reading.decided
    if e.counter:
        return [f"{e.rule} decided it (fired: {reading.fired})"] if e.rule in decided else []
    wrong = [] if e.rule in decided else [f"{e.rule} not decided (fired: {reading.fired}, matched: {sorted(reading.matched)})"]
    for key, want in e.expect.items():
        got = getattr(reading, key)
        if key == "intents":
            if not set(want) <= got:
                wrong.append(f"intents {sorted(got)} lack {sorted(set(want) - got)}")
        elif got != want:
            wrong.append(f"{key}={got!r}, expected {want!r}")
    return wrong


def check(e: Example, vocabulary) -> None:
    names, report_text = vocabulary
    reading = read(e.question, list(e.history), names, report_text)
    wrong = mismatches(e, reading)
    turns = "".join(f" ← {h}" for h in reversed(e.history))
    assert not wrong, f"{e.question}{turns}: " + "; ".join(wrong)


@pytest.mark.parametrize("e", CORPUS, ids=row_ids(CORPUS))
def test_corpus_row(e: Example, vocabulary):
    check(e, vocabulary)


@pytest.mark.parametrize("e", [pytest.param(e, marks=pytest.mark.xfail(strict=True, reason="known gap of the rules")) for e in KNOWN_GAPS], ids=row_ids(KNOWN_GAPS))
def test_known_gap(e: Example, vocabulary):
    check(e, vocabulary)


def test_every_rule_has_examples_and_counter_examples():
    rows = CORPUS + KNOWN_GAPS
    short = {}
    for name in rule_names():
        n_ex = sum(1 for e in rows if e.rule == name and not e.counter)
        n_no = sum(1 for e in rows if e.rule == name and e.counter)
        if n_ex < 3 or n_no < 1:
            short[name] = (n_ex, n_no)
    assert not short, f"rules with fewer than 3 examples or no counter-example: {short}"


def test_corpus_names_only_real_rules():
    known = set(rule_names())
    assert {e.rule for e in CORPUS + KNOWN_GAPS} <= known


def test_corpus_is_large_enough():
    assert len(CORPUS) + len(KNOWN_GAPS) >= 300
    assert len(CORPUS) >= 300, f"only {len(CORPUS)} rows pass"


def test_follow_up_rows_carry_their_history():
    for e in CORPUS + KNOWN_GAPS:
        if e.rule.startswith("followup.") and not e.counter:
            assert e.history, e
