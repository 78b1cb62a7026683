"""Resolving a user's name for a program, line or category against the database's own vocabulary."""

from __future__ import annotations

from hrd.errors import AmbiguousNameError, NotFoundError
from knowledge.names import canonical


def score(query: str, candidate: str) -> float:
    """How well `query` names `candidate` (0 = not at all). Containment first, then shared bigrams."""
    q, c = canonical(query), canonical(candidate)
    if not q or not c:
        return 0.0
    if q == c:
        return 3.0
    if q in c:
        return 2.0 + len(q) / len(c)
    if c in q:
        return 1.5 + len(c) / len(q)
    qb = {q[i : i + 2] for i in range(len(q) - 1)}
    cb = {c[i : i + 2] for i in range(len(c) - 1)}
    if not qb or not cb:
        return 0.0
    overlap = len(qb & cb) / len(qb)
    return overlap if overlap >= 0.5 else 0.0


def resolve(query: str, candidates: list[str], *, strict: bool = True) -> list[str]:
    """The best-matching candidates; raises NotFoundError / AmbiguousNameError when `strict`."""
    scored = sorted(((score(query, c), c) for c in dict.fromkeys(candidates)), key=lambda x: -x[0])
    scored = [(s, c) for s, c in scored if s > 0]
    if not scored:
        if strict:
            raise NotFoundError(query, list(dict.fromkeys(candidates)))
        return []
    top = scored[0][0]
    best = [c for s, c in scored if s >= top - 0.05]
    if strict and len(best) > 1 and top < 3.0:
        raise AmbiguousNameError(query, best)
    return best
