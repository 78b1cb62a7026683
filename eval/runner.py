"""Run evaluation cases through the assistant and score them.

    from eval.runner import load_cases, run, evaluate_all
    cases = load_cases()                       # eval/cases/*.jsonl (the main split)
    pairs = run(cases, backend="offline")      # [(case, answer_dict), ...]
    records = evaluate_all(pairs)              # one scored record per case

Every case goes through :func:`assistant.ask`, the code path of ``hrd ask``.  A case
with ``follows`` continues the conversation (``session_id``) of the case it follows;
a conversation chain always runs in order, in one worker.  An error raised by ``ask``
never stops the run: an :class:`hrd.errors.HrdError` becomes a refusal carrying the
error text; any other exception becomes a non-refused, failed answer (a bug must not
pass as a correct refusal of an unanswerable case).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from hrd.errors import HrdError, InputError

from .scorer import CaseScore, fabricated_numbers, normalize_term, score_case

__all__ = [
    "CASES_DIR",
    "HOLDOUT_DIR",
    "load_cases",
    "chains",
    "run",
    "evidence_texts",
    "retrieval_hit",
    "evaluate",
    "evaluate_all",
]

CASES_DIR = Path(__file__).resolve().parent / "cases"
HOLDOUT_DIR = CASES_DIR / "holdout"
RETRIEVAL_KINDS = ("rag", "mixed")

Progress = Callable[[int, int, dict[str, Any], dict[str, Any]], None]


# ---------------------------------------------------------------- loading
def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.glob("*.jsonl") if p.is_file())
    if path.is_file():
        return [path]
    raise InputError(f"평가 사례 파일이 없습니다: {path} / no such case file or directory")


def load_cases(paths: Iterable[str | Path] | None = None, *, holdout: bool = False) -> list[dict[str, Any]]:
    """Cases from JSON Lines files or directories (a directory: its ``*.jsonl``, not recursive).

    No paths: ``eval/cases/*.jsonl`` (the main split), or ``eval/cases/holdout/*.jsonl``
    with ``holdout=True``; paths and ``holdout=True`` together load both.  Every case
    needs ``id`` and ``question``; ``kind`` defaults to ``sql``, ``numbers``/``terms`` to
    empty lists.  Each case gets ``_file`` (where it came from).
    """
    paths = [Path(p) for p in (paths or [])]
    if holdout:
        paths.append(HOLDOUT_DIR)
    if not paths:
        paths = [CASES_DIR]
    cases: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    for path in paths:
        for f in _files(path):
            for lineno, raw in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
                if not raw.strip():
                    continue
                where = f"{f}:{lineno}"
                try:
                    case = json.loads(raw)
                except json.JSONDecodeError as e:
                    raise InputError(f"{where}: JSON이 아닙니다 / not JSON ({e.msg})") from None
                if not isinstance(case, dict) or not case.get("id") or not isinstance(case.get("question"), str):
                    raise InputError(f"{where}: 'id'와 'question'이 필요합니다 / a case needs 'id' and 'question'")
                cid = str(case["id"])
                if cid in seen:
                    raise InputError(f"{where}: 사례 id '{cid}'가 중복됩니다 ({seen[cid]}) / duplicate case id")
                seen[cid] = where
                case["id"] = cid
                case.setdefault("kind", "sql")
                case.setdefault("numbers", [])
                case.setdefault("terms", [])
                case["_file"] = str(f)
                cases.append(case)
    return cases


def chains(cases: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Group cases into conversations: a case with ``follows`` joins the chain of the case it
    follows (which must come earlier); every other case starts its own chain.  File order
    is kept within a chain and chains are ordered by their first case."""
    chain_of: dict[str, int] = {}
    out: list[list[dict[str, Any]]] = []
    for case in cases:
        parent = case.get("follows")
        if parent and parent in chain_of:
            idx = chain_of[parent]
            out[idx].append(case)
        else:
            idx = len(out)
            out.append([case])
        chain_of[case["id"]] = idx
    return out


# ---------------------------------------------------------------- running
def _error_answer(case: dict[str, Any], e: BaseException, *, known: bool, backend: str) -> dict[str, Any]:
    text = str(e) or type(e).__name__
    return {
        "id": case["id"],
        "question": case.get("question", ""),
        "answer": f"오류: {text}",
        "refused": known,
        "refusal_reason": "error" if known else None,
        "citations": [],
        "tool_calls": [],
        "facts": [],
        "findings": [],
        "rows": [],
        "grounded": True,
        "backend": backend,
        "elapsed_ms": 0.0,
        "error": text,
        "error_type": type(e).__name__,
    }


def _ask_one(case: dict[str, Any], session_id: str, backend: str) -> dict[str, Any]:
    from assistant import ask

    t0 = time.perf_counter()
    try:
        ans = ask(case["question"], session_id=session_id, backend=backend, case_id=case["id"])
        out = ans.model_dump(mode="json")
    except HrdError as e:
        out = _error_answer(case, e, known=True, backend=backend)
    except Exception as e:  # noqa: BLE001 — a bug in one case must not end the run
        out = _error_answer(case, e, known=False, backend=backend)
    out["wall_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    out.setdefault("session_id", session_id)
    return out


def _run_chain(chain: list[dict[str, Any]], backend: str, done: Callable[[dict, dict], None]) -> list[tuple[dict, dict]]:
    session_id = f"eval-{uuid.uuid4().hex}"
    out = []
    for case in chain:
        answer = _ask_one(case, session_id, backend)
        session_id = answer.get("session_id") or session_id
        out.append((case, answer))
        done(case, answer)
    return out


def run(
    cases: Sequence[dict[str, Any]],
    *,
    backend: str = "offline",
    workers: int = 1,
    progress: Progress | None = None,
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Answer every case with :func:`assistant.ask`; returns ``(case, answer_dict)`` in case order.

    ``answer_dict`` is the answer object (``Answer.model_dump``) plus ``wall_ms``; a failed
    ``ask`` gives an answer dict with ``error``/``error_type``.  ``progress(done, total,
    case, answer)`` is called after each case (from worker threads when ``workers > 1``).
    """
    cases = list(cases)
    total = len(cases)
    lock = threading.Lock()
    counter = [0]

    def done(case: dict, answer: dict) -> None:
        with lock:
            counter[0] += 1
            n = counter[0]
        if progress is not None:
            progress(n, total, case, answer)

    groups = chains(cases)
    results: list[tuple[dict, dict]] = []
    if workers <= 1 or len(groups) <= 1:
        for chain in groups:
            results.extend(_run_chain(chain, backend, done))
    else:
        # the first chain runs alone: it builds the (cached) assistant, the database and the index once
        results.extend(_run_chain(groups[0], backend, done))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="hrd-eval") as pool:
            for part in pool.map(lambda ch: _run_chain(ch, backend, done), groups[1:]):
                results.extend(part)
    order = {c["id"]: i for i, c in enumerate(cases)}
    results.sort(key=lambda pair: order[pair[0]["id"]])
    return results


# ---------------------------------------------------------------- scoring
def _dump(x: Any) -> str:
    return json.dumps(x, ensure_ascii=False, default=str)


def evidence_texts(answer: dict[str, Any], question: str = "") -> list[str]:
    """The texts behind an answer: its rows, facts (values, formula and its inputs, labels),
    citation quotes and sections, findings, and the question."""
    texts: list[str] = []
    for row in answer.get("rows") or []:
        texts.append(_dump(row))
    for f in answer.get("facts") or []:
        if not isinstance(f, dict):
            continue
        for k in ("value", "label", "formula", "section"):
            if f.get(k) not in (None, ""):
                texts.append(str(f[k]))
        if f.get("inputs"):
            texts.append(_dump(f["inputs"]))
    for c in answer.get("citations") or []:
        if isinstance(c, dict):
            texts.append(str(c.get("quote") or ""))
            texts.append(str(c.get("section") or ""))
    for fd in answer.get("findings") or []:
        if isinstance(fd, dict):
            texts.append(str(fd.get("message") or ""))
        else:
            texts.append(str(fd))
    texts.append(question or answer.get("question") or "")
    return [t for t in texts if t]


def _overlap(a: Sequence[int], b: Sequence[int]) -> bool:
    if not a or not b:
        return False
    a0, a1 = int(a[0]), int(a[-1])
    b0, b1 = int(b[0]), int(b[-1])
    return a0 <= b1 and b0 <= a1


def retrieval_hit(case: dict[str, Any], answer: dict[str, Any]) -> bool | None:
    """For rag/mixed cases: does a citation stand in the case's section or on its lines?

    A hit when some citation's section (whitespace-insensitive) contains the case's
    ``section`` prefix, or its line range overlaps the case's ``lines`` (or one of
    ``also_lines``).  ``None`` for other kinds.
    """
    if case.get("kind") not in RETRIEVAL_KINDS:
        return None
    want = normalize_term(case.get("section") or "")
    spans = [case.get("lines") or []]
    also = case.get("also_lines") or []
    if also and isinstance(also[0], (int, float)):
        spans.append(also)
    else:
        spans.extend(s for s in also if isinstance(s, (list, tuple)))
    for c in answer.get("citations") or []:
        if not isinstance(c, dict):
            continue
        sec = normalize_term(c.get("section") or "")
        if want and want in sec:
            return True
        if any(_overlap(c.get("lines") or [], s) for s in spans):
            return True
    return False


def evaluate(case: dict[str, Any], answer: dict[str, Any]) -> dict[str, Any]:
    """One scored record: the score, fabricated numbers, retrieval hit and latency of a case."""
    sc: CaseScore = score_case(case, answer)
    fab = fabricated_numbers(answer.get("answer") or "", evidence_texts(answer, case.get("question", "")),
                             case.get("question", ""))
    latency = answer.get("elapsed_ms") or answer.get("wall_ms") or 0.0
    return {
        "id": case["id"],
        "kind": case.get("kind", ""),
        "question": case.get("question", ""),
        "follows": case.get("follows"),
        "file": case.get("_file"),
        "expected_numbers": list(case.get("numbers") or []),
        "expected_terms": list(case.get("terms") or []),
        "section": case.get("section", ""),
        "lines": case.get("lines") or [],
        "derived": bool(case.get("derived")),
        "correct": sc.correct,
        "lenient": bool(sc.lenient),
        "lead_figures": sc.lead_figures,
        "reason": sc.reason,
        "missing_numbers": sc.missing_numbers,
        "missing_terms": sc.missing_terms,
        "refused": bool(answer.get("refused")),
        "stated_numbers": sc.stated_numbers,
        "fabricated": fab,
        "retrieval_hit": retrieval_hit(case, answer),
        "latency_ms": float(latency),
        "wall_ms": float(answer.get("wall_ms") or latency),
        "error": answer.get("error"),
        "answer": answer,
    }


def evaluate_all(pairs: Iterable[tuple[dict[str, Any], dict[str, Any]]]) -> list[dict[str, Any]]:
    return [evaluate(case, answer) for case, answer in pairs]
