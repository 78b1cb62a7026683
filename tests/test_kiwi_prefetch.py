"""A one-question command reads its question's morphemes in a forked child while the agent loads:
the tokens it gets are Kiwi's own, and Kiwi is then never loaded in the parent for that question."""

import subprocess
import sys

SCRIPT = r"""
import sys
from knowledge.index import kiwi
q = "신입자 과정 운영 예산 집행률은 얼마인가요?"
assert kiwi.prefetch([q]) is True
toks = kiwi.analyse(q)
assert kiwi._kiwi is None, "the parent loaded Kiwi although the child analysed the question"
from kiwipiepy import Kiwi
ref = Kiwi(load_multi_dict=False).tokenize(q)
assert [(t.form, t.tag, t.start, t.len) for t in toks] == [(t.form, t.tag, t.start, t.len) for t in ref]
from assistant.reading import asked_measure
assert asked_measure(q) is not None  # the planner reads prefetched tokens as it reads Kiwi's (positions included)
other = kiwi.analyse("다른 문장")  # not prefetched: analysed here
assert kiwi._kiwi is not None and [t.form for t in other]
assert kiwi.prefetch(["또 다른 질문"]) is False  # Kiwi is loaded now: nothing to gain
print("ok")
"""


def test_prefetched_tokens_equal_kiwis_own_and_spare_the_parent_the_load():
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().endswith("ok")
