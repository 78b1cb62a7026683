"""Korean particles that agree with the word before them (은/는, 이/가, 을/를, 과/와, 으로/로).

The choice depends on how the last written thing is read aloud: a Hangul syllable with or without a
final consonant (받침), a digit or a number's last place (1,000 reads 천), a unit sign (% reads 퍼센트),
or a Latin letter (IT reads 아이티). ㄹ takes 로, not 으로.
"""

from __future__ import annotations

import re

# particle pairs: (after a final consonant, after a vowel)
PAIRS = {"은": ("은", "는"), "는": ("은", "는"), "이": ("이", "가"), "가": ("이", "가"), "을": ("을", "를"), "를": ("을", "를"),
         "과": ("과", "와"), "와": ("과", "와"), "으로": ("으로", "로"), "로": ("으로", "로"), "이다": ("이다", "다"),
         "입니다": ("입니다", "입니다"), "이며": ("이며", "이며"), "이고": ("이고", "이고"), "이나": ("이나", "나")}

# how a sign written last is read: 퍼센트, 포인트, 제곱미터, 대 일 — its final consonant ('' for a vowel)
SIGN_FINALS = {"%p": "", "%": "", "㎡": "", ":1": "ㄹ"}
DIGIT_FINALS = {"0": "ㅇ", "1": "ㄹ", "2": "", "3": "ㅁ", "4": "", "5": "", "6": "ㄱ", "7": "ㄹ", "8": "ㄹ", "9": ""}
PLACE_FINALS = {1: "ㅂ", 2: "ㄱ", 3: "ㄴ"}  # 십, 백, 천; 만 and above end in ㄴ or ㄱ
LATIN_FINALS = {"l": "ㄹ", "m": "ㅁ", "n": "ㄴ", "r": "ㄹ"}
_JONG = ["", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ", "ㄽ", "ㄾ", "ㄿ", "ㅀ", "ㅁ", "ㅂ", "ㅄ", "ㅅ", "ㅆ", "ㅇ",
         "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ"]


def _number_final(num: str) -> str:
    num = num.replace(",", "")
    if "." in num:
        return DIGIT_FINALS[num[-1]]
    stripped = num.rstrip("0")
    zeros = len(num) - len(stripped)
    if zeros == 0 or not stripped:
        return DIGIT_FINALS[num[-1]]
    return PLACE_FINALS.get(zeros, "ㄴ")


def _before_trailing_group(w: str) -> str:
    """The text before a closing (…) or […] group at the end, nested groups included ('차이(… 경쟁률(:1))')."""
    if not w or w[-1] not in ")]":
        return w
    close = w[-1]
    open_ = "(" if close == ")" else "["
    depth = 0
    for i in range(len(w) - 1, -1, -1):
        depth += (w[i] == close) - (w[i] == open_)
        if depth == 0:
            return w[:i].rstrip() if w[:i].strip() else w
    return w


def final_consonant(word: str) -> str:
    """The final consonant of how ``word`` ends when read aloud ('' for a vowel)."""
    w = _before_trailing_group(word.strip())  # '동영상학습(e-러닝)': the word before the parenthesis
    w = w.rstrip(" .,'\"’”)")
    if not w:
        return ""
    for sign, final in SIGN_FINALS.items():  # Hangul units (천원, 명, 점) read as they are written
        if w.endswith(sign):
            return final
    m = re.search(r"(\d[\d,]*(?:\.\d+)?)$", w)
    if m:
        return _number_final(m.group(1))
    ch = w[-1]
    if "가" <= ch <= "힣":
        return _JONG[(ord(ch) - 0xAC00) % 28]
    if ch.isascii() and ch.isalpha():
        return LATIN_FINALS.get(ch.lower(), "")
    return ""


def josa(word: str, particle: str) -> str:
    """``word`` followed by ``particle`` in the form its last sound takes: josa('집행률', '은') → '집행률은'."""
    after_consonant, after_vowel = PAIRS.get(particle, (particle, particle))
    final = final_consonant(word)
    if particle in ("으로", "로"):
        return word + ("로" if final in ("", "ㄹ") else "으로")
    return word + (after_consonant if final else after_vowel)
