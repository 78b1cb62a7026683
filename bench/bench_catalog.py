"""Entity-catalog benchmark (on demand: `python bench/bench_catalog.py [-v]`).

Top-1 accuracy of BM25 alone, e5 alone and the fusion over the hand-labelled phrasings of
tests/test_catalog.py, the mentions and naming-nothing tables, and the time per call.
`-v` prints every miss.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))


def main(verbose: bool = False) -> None:
    os.environ.setdefault("HRD_HOME", tempfile.mkdtemp())
    from hrd.settings import get_settings
    from knowledge.ingest import ingest
    from tools.catalog import query_vector, catalog_for
    from tools.context import ToolContext
    from test_catalog import MENTIONS, NAMES_NOTHING, SEARCH, label

    ctx = ToolContext(get_settings(), ensure=False)
    try:
        ctx.report
    except Exception:
        ingest(None, get_settings(), with_index=False)
        ctx = ToolContext(get_settings(), ensure=False)
    t = time.perf_counter()
    cat = catalog_for(ctx)
    print(f"catalog: {len(cat)} entities, {len(cat.variant_texts)} names, built in {time.perf_counter() - t:.1f} s")
    for mode in ("bm25", "dense", "fused"):
        ok, times = 0, []
        query_vector.cache_clear()  # time the e5 query embedding too
        for text, kinds, want in SEARCH:
            t = time.perf_counter()
            hits = cat.search(text, kinds=kinds, k=3, mode=mode)
            times.append((time.perf_counter() - t) * 1000)
            good = bool(hits) and label(hits[0]) in want.split("|")
            ok += good
            if verbose and not good:
                print(f"  miss [{mode}] {text!r}: {[label(h) for h in hits]} (want {want})")
        print(f"search top-1 {mode:5}: {ok}/{len(SEARCH)} = {ok / len(SEARCH):.3f}   median {statistics.median(times):.1f} ms")
    ok, times = 0, []
    for question, want in MENTIONS:
        t = time.perf_counter()
        got = cat.mentions(question)
        times.append((time.perf_counter() - t) * 1000)
        good = len(got) == len(want) and all(label(h) in w.split("|") for h, w in zip(got, want))
        ok += good
        if verbose and not good:
            print(f"  miss [mentions] {question!r}: {[(label(h), h.text) for h in got]}")
    empty = sum(cat.mentions(q) == [] for q in NAMES_NOTHING)
    print(f"mentions exact: {ok}/{len(MENTIONS)}   names-nothing empty: {empty}/{len(NAMES_NOTHING)}   median {statistics.median(times):.1f} ms")


if __name__ == "__main__":
    main("-v" in sys.argv)
