"""The process-wide Kiwi analyser, shared by the BM25 index and the offline planner.

Kept apart from `bm25` so that reading a question's morphemes does not import numpy and the index code.

Loading Kiwi and its first analysis take ~1.1 s and hold the GIL, so a one-question command (`hrd ask`)
can `prefetch` its question: a forked child loads Kiwi and analyses it while this process imports the
agent (~1.7 s), and `analyse` then takes the child's tokens instead of loading Kiwi here.
"""

from __future__ import annotations

import threading
from typing import NamedTuple

_kiwi = None
# re-entrant: an analysis holds it and may be the call that loads the analyser
_lock = threading.RLock()
_pending = None  # (process, connection, texts) of a prefetch not collected yet
_prefetched: dict[str, list] = {}


class Token(NamedTuple):
    """What the project reads of a Kiwi token."""

    form: str
    tag: str
    start: int
    len: int


def get_kiwi():
    """The analyser (loaded on first use, once per process)."""
    global _kiwi
    if _kiwi is None:
        with _lock:
            if _kiwi is None:
                from kiwipiepy import Kiwi

                # the multi-word dictionary adds ~3.5 s to the first analysis and glues
                # proper-noun phrases into one token, which BM25 does not want
                _kiwi = Kiwi(load_multi_dict=False)
    return _kiwi


def analyse(text_or_texts):
    """Kiwi's tokens of one text (a list) or of several (a list of lists), one analysis at a time."""
    if isinstance(text_or_texts, str):
        ready = _collect(text_or_texts)
        if ready is not None:
            return ready
    with _lock:
        res = get_kiwi().tokenize(text_or_texts)
        return res if isinstance(text_or_texts, str) else list(res)


def prefetch(texts: list[str]) -> bool:
    """Start analysing `texts` in a forked child (where fork exists and Kiwi is not loaded yet)."""
    global _pending
    import multiprocessing as mp

    if _kiwi is not None or _pending is not None or not texts:
        return False
    try:
        ctx = mp.get_context("fork")
        receive, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_child, args=(list(texts), send), daemon=True)
        proc.start()
    except (ValueError, OSError):
        return False
    send.close()
    _pending = (proc, receive, list(texts))
    return True


def _child(texts: list[str], conn) -> None:
    try:
        conn.send([[(t.form, t.tag, t.start, t.len) for t in get_kiwi().tokenize(x)] for x in texts])
    except Exception:  # the parent analyses for itself
        conn.send(None)
    finally:
        conn.close()


def _collect(text: str) -> list[Token] | None:
    global _pending
    if _pending is not None:
        proc, conn, texts = _pending
        _pending = None
        try:
            if conn.poll(60):
                got = conn.recv()
                if got:
                    _prefetched.update(zip(texts, got))
        except (EOFError, OSError):
            pass
        finally:
            conn.close()
            proc.join(timeout=5)
    toks = _prefetched.get(text)
    return [Token(*t) for t in toks] if toks is not None else None
