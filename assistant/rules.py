"""Named question rules, after Duckling: a rule is a pattern and a production, with an explicit priority.

A rule belongs to one *slot* of a Reading (the operation, the period, a refusal …). For a single-valued
slot the matching rule of highest priority wins; for a multi-valued slot (the intents) every matching rule
contributes. Each rule's examples and counter-examples live in `assistant/reading_corpus.py` and run as a
table-driven test of `read` alone (tests/test_reading.py).

    >>> r = Rule("op.sum", "op", 60, cues=("합계", "합치"), value="sum")
    >>> r.match(Text.of("두 사업 예산 합계는?")) is not None
    True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable

from knowledge.names import compact


@dataclass(frozen=True)
class Text:
    """The forms of a question a rule may read: as written, without spaces, and the part the user typed
    this turn (a follow-up is read with the question before it)."""

    raw: str  # the effective question (a follow-up joined to its predecessor)
    q: str  # raw without spaces
    own: str  # this turn's question as typed
    own_q: str  # this turn's question without spaces
    fq: str  # q with spelling variants folded (`fold`)
    own_fq: str  # own_q folded
    names: dict = field(default_factory=dict, compare=False, hash=False)
    report: str = field(default="", compare=False, hash=False)  # the report's text, where a rule must look into it

    @classmethod
    def of(cls, raw: str, own: str | None = None, names: dict | None = None, report: str | None = None) -> "Text":
        own = raw if own is None else own
        q, own_q = compact(raw), compact(own)
        return cls(raw, q, own, own_q, fold(q), fold(own_q), names or {}, report or "")


def fold(text: str) -> str:
    """Spelling variants a question may use for one word: '집행율' is '집행률' (율 and 률 are one suffix)."""
    return text.replace("율", "률")


def has(q: str, words) -> bool:
    return any(w in q for w in words)


Matcher = Callable[[Text], Any]


@dataclass(frozen=True)
class Rule:
    """A named detector: `cues` (any of the words in the question without spaces, 율/률 folded; a cue
    written 're:…' is a regex on that form), `pattern` (a regex on
    the question as written), or `when` (a function of the Text); `unless` vetoes a match. `value` is what
    the rule produces for its slot; `produce` computes it from the match instead."""

    name: str
    slot: str
    priority: int
    cues: tuple[str, ...] = ()
    pattern: str | None = None
    when: Matcher | None = None
    unless: Matcher | None = None
    value: Any = None
    produce: Callable[[Any, Text], Any] | None = None
    own_turn: bool = False  # read only this turn's words, not the follow-up's predecessor
    doc: str = ""

    @cached_property
    def _cues(self) -> tuple[tuple[str, Any], ...]:
        """The cues as (cue, folded word) or (cue, compiled regex), made once per rule."""
        return tuple((c, re.compile(c[3:]) if c.startswith("re:") else fold(c)) for c in self.cues)

    def match(self, t: Text) -> Any:
        """The match (truthy) or None."""
        q, folded = (t.own_q, t.own_fq) if self.own_turn else (t.q, t.fq)
        raw = t.own if self.own_turn else t.raw
        hit: Any = None
        if self.cues:
            hit = next((c for c, form in self._cues if (form.search(q) if isinstance(form, re.Pattern) else form in folded)), None)
        elif self.pattern is not None:
            hit = re.search(self.pattern, raw)
        elif self.when is not None:
            hit = self.when(t)
        if not hit or (self.unless is not None and self.unless(t)):
            return None
        return hit

    def production(self, hit: Any, t: Text) -> Any:
        return self.produce(hit, t) if self.produce else self.value


@dataclass
class Fired:
    """A rule that matched, and what it produced."""

    rule: Rule
    value: Any
    hit: Any = None  # what the rule's pattern matched (a cue, a regex match, a `when` function's value)


def winner(rules: list[Rule], t: Text) -> Fired | None:
    """The matching rule of highest priority (ties: the later one in the table)."""
    best: Fired | None = None
    for r in rules:
        hit = r.match(t)
        if hit and (best is None or r.priority >= best.rule.priority):
            best = Fired(r, r.production(hit, t), hit)
    return best


def every(rules: list[Rule], t: Text) -> list[Fired]:
    """Every matching rule, in table order."""
    out = []
    for r in rules:
        hit = r.match(t)
        if hit:
            out.append(Fired(r, r.production(hit, t), hit))
    return out
