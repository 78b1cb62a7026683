"""Checking text a user typed (a question, a search, a JSONL line) before any layer reads it.

Every entry point (CLI ask/chat/search, API ask, ask/stream, search, `Assistant.ask`) calls
`clean_input`: a lone surrogate or another code point that is not a character is refused with a
Korean message naming its position (never echoing it: it cannot even be printed); control
characters other than tab and newline become spaces.

>>> clean_input("  신입자\\x00 예산은? ")
'신입자  예산은?'
>>> clean_input("\\ud800 신입자 예산은?")
Traceback (most recent call last):
...
hrd.errors.InputError: 질문에 문자가 아닌 코드(짝이 없는 서로게이트 U+D800, 1번째 글자)가 있습니다. 입력을 확인해 주세요.
"""

from __future__ import annotations

import re

from .errors import InputError

_SURROGATE = re.compile(r"[\ud800-\udfff]")
# noncharacters: U+FDD0..FDEF and the last two code points of every plane
_NONCHAR = re.compile("[\ufdd0-\ufdef\ufffe\uffff" + "".join(
    f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(1, 17)) + "]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def invalid_code_point(text: str) -> tuple[int, str] | None:
    """(1-based position, description) of the first code point that is not a character, or None."""
    for pattern, label in ((_SURROGATE, "짝이 없는 서로게이트"), (_NONCHAR, "유니코드 비문자")):
        m = pattern.search(text)
        if m:
            return m.start() + 1, f"{label} U+{ord(m.group(0)):04X}"
    return None


def _subject(word: str) -> str:
    """word + 이/가 by its last syllable's final consonant ('질문이', '검색어가')."""
    last = word[-1]
    has_final = "가" <= last <= "힣" and (ord(last) - 0xAC00) % 28 != 0
    return word + ("이" if has_final else "가")


def _topic(word: str) -> str:
    return _subject(word)[:-1] + ("은" if _subject(word).endswith("이") else "는")


def clean_input(text: object, *, what: str = "질문", max_chars: int | None = None) -> str:
    """The text stripped of control characters, or InputError when it is not text, is empty,
    too long or holds a code point that is not a character."""
    if not isinstance(text, str):
        raise InputError(f"{_topic(what)} 문자열이어야 합니다 (받은 형식: {type(text).__name__}).")
    bad = invalid_code_point(text)
    if bad is not None:
        pos, label = bad
        raise InputError(f"{what}에 문자가 아닌 코드({label}, {pos}번째 글자)가 있습니다. 입력을 확인해 주세요.")
    q = _CONTROL.sub(" ", text).strip()
    if not q:
        raise InputError(f"{_subject(what)} 비어 있습니다.")
    if max_chars is not None and len(q) > max_chars:
        raise InputError(f"{_subject(what)} 너무 깁니다({len(q):,}자). {max_chars:,}자 이하로 줄여 주세요.")
    return q
