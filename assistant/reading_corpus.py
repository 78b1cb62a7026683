"""The corpus of `read`: for every named rule, phrasings it must decide and phrasings it must not.

After Duckling's corpora: an `Example` names its rule, the question (and the turns before it, for a
follow-up), and optionally fields the Reading must have. A counter-example is a phrasing the rule must not
decide. tests/test_reading.py runs every row against `read` alone and checks that each rule of
`question_rules` has at least three examples and one counter-example.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Example:
    rule: str
    question: str
    history: tuple[str, ...] = ()
    counter: bool = False  # the rule must not decide this question
    expect: dict = field(default_factory=dict)  # Reading fields: op, year, refuse, prose, followup, compare_prev; intents ⊇


def ex(rule: str, question: str, *history: str, **expect) -> Example:
    return Example(rule, question, tuple(history), False, expect)


def no(rule: str, question: str, *history: str, **expect) -> Example:
    return Example(rule, question, tuple(history), True, expect)


CORPUS: list[Example] = [
    ex("op.sum", "신규자과정운영과 IT전문교육운영 예산을 합치면 얼마예요?", op="sum"),
    no("op.sum", "신규자과정운영 예산은 얼마인가요?"),
]
