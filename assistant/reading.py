"""Reading a Korean question: refusals by pattern, follow-ups, its morphemes (Kiwi), the nouns the report
never uses, what a figure question asks for, and whether another body than this center is meant."""

from __future__ import annotations

import re
from functools import lru_cache

from knowledge.names import canonical, compact

from .lexicon import DERIVED_MEASURES, DERIVED_RATIOS, INTENTS, QUESTION_NOUNS


CONTENT_TAGS = ("NNG", "NNP", "SL", "XR")


def content_words(question: str) -> list[str]:
    """The question's content words as written, each without its particles and endings (Kiwi's
    morphemes: '역량평가는' → '역량평가', '기수별로' → '기수별'); words with no noun are left out."""
    toks = _analyse(question)
    out = []
    for m in re.finditer(r"\S+", question):
        inner = [t for t in toks if m.start() <= t.start < m.end()]
        while inner and (inner[-1].tag.startswith(("J", "E", "VC", "VV", "VA", "XSV", "XSA", "S")) and inner[-1].tag not in ("SL", "SN")
                         or inner[-1].form == "요"):  # the polite '요' Kiwi may read as a determiner
            inner.pop()
        if any(t.tag in CONTENT_TAGS for t in inner):
            out.append(question[inner[0].start: inner[-1].start + inner[-1].len])
    return out


@lru_cache(maxsize=4)
def _audit_table_terms(labels: tuple[str, ...], others: tuple[str, ...], report_text: str, audit_from: int) -> tuple[str, ...]:
    cues = {compact(c) for cs in INTENTS.values() for c in cs} | {compact(w) for w in QUESTION_NOUNS}
    before_audit = "\n".join(report_text.splitlines()[: max(audit_from - 1, 0)]) if audit_from else ""
    elsewhere = compact(" ".join(others)) + "|" + compact(before_audit)
    terms: set[str] = set()
    for label in labels:
        words = re.findall(r"[가-힣A-Za-z]+", re.sub(r"\([^)]*\)", " ", label))
        for w in words + [a + b for a, b in zip(words, words[1:])]:
            w = compact(w)
            if len(w) >= 3 and w not in cues and w not in elsewhere and not any(g in w for g in GENERIC_WORDS):
                terms.add(w)
    return tuple(sorted(terms, key=len, reverse=True))


GENERIC_WORDS = ("현황", "운영", "교육", "과정", "내용", "편성", "이하", "직급별")


def audit_table_terms(vocab: dict[str, list[str]], report_text: str | None = None) -> tuple[str, ...]:
    """Words that only the audit part uses, found in its tables (captions, headings, row names): used
    nowhere in the report before the audit part nor in the other tables' names."""
    labels = tuple(vocab.get("audit_table", []))
    others = tuple(x for k, v in vocab.items() if k not in ("audit_table", "audit_from", "program_alias", "department", "report_year", "years", "audit_years") for x in v)
    start = int((vocab.get("audit_from") or ["0"])[0])
    # the report's text goes into the cache key whole (its hash is kept): cutting it here redid that work every question
    return _audit_table_terms(labels, others, report_text or "", start)


@lru_cache(maxsize=256)
def _analyse(question: str) -> tuple:
    """Kiwi's tokens of a question (read twice per question: unknown nouns, what is asked)."""
    from knowledge.index.kiwi import analyse

    return tuple(analyse(question))


@lru_cache(maxsize=4)
def _report_forms(text: str) -> tuple[str, str]:
    return compact(text), canonical(text)


@lru_cache(maxsize=4)
def _spaced_form(text: str) -> str:
    """The report's text with every run of white space one space (its words kept apart)."""
    return re.sub(r"\s+", " ", text)


MEASURE_SUFFIX = re.compile(r"(비용|비|값|액|금|료|률|율|점수|수|규모|표|별)$")


def unknown_nouns(question: str, report_text: str | None) -> tuple[list[str], bool]:
    """Nouns of the question that appear nowhere in the report (nor as a synonym), and whether the last
    noun of the question (what is asked for) is one of them. A noun such as '운영비' whose stem the report
    knows reads as a measure of a known thing, not as an unknown topic."""
    if not report_text:
        return [], False
    ct, cc = _report_forms(report_text)
    spaced = _spaced_form(report_text)

    defined = [compact(c) for cues, *_ in DERIVED_MEASURES + DERIVED_RATIOS for c in cues]

    def written(w: str) -> bool:  # a two-letter word as written, not across a space ('개최하여 성과' ≠ 여성), or as a label ('과 장')
        return w in spaced or bool(re.search(rf"(?<![가-힣]){re.escape(' '.join(w))}(?![가-힣])", spaced))

    tokens = _analyse(question)
    heads = _asked_heads(tokens)

    def known(w: str) -> bool:  # in the report, or a measure the lexicon defines from figures it holds (결시율)
        if any(d and (d in compact(w) or compact(w) in d) for d in defined):
            return True
        if len(compact(w)) <= 2 and w in heads and canonical(w) == compact(w) and not written(w):
            return False  # a short noun the question asks of ('여성 직원은 몇 명') is looked for as a word of its own
        return compact(w) in ct or canonical(w) in cc

    nouns = [t.form for t in tokens if t.tag in ("NNG", "NNP", "SL") and len(t.form) >= 2]
    out = []
    for w in nouns:
        if w in QUESTION_NOUNS or known(w):
            continue
        stem = MEASURE_SUFFIX.sub("", w)
        if stem != w and len(stem) >= 2 and known(stem):
            continue
        out.append(w)
    focus = [w for w in nouns if w not in QUESTION_NOUNS]
    # the thing asked for (the question's last noun) is unknown and is no measure of something known
    return out, bool(out) and (bool(focus) and focus[-1] in out or any(h in out for h in heads))


INTERROGATIVES = ("어디", "얼마", "누구", "언제", "무엇", "뭐", "몇")
WHICH = ("어느", "무슨")  # determiners that ask which one ('어떤' also asks what kind: '어떤 조치를')


def _asked_heads(tokens) -> list[str]:
    """The nouns each clause asks about: the noun right before an interrogative, particles aside
    ('낙찰 업체가 어디고' → '업체', '계약금액이 얼마' → '금액')."""
    heads, run = [], []
    for prev, t in zip((None, *tokens), tokens):
        if prev is not None and prev.form in WHICH and t.tag in ("NNG", "NNP", "SL") and len(t.form) >= 2:
            heads.append(t.form)  # '어느 업체가 낙찰받았고': the noun the determiner asks which of
        if t.form in INTERROGATIVES and run:
            # the noun asked with the nouns that qualify a thing counted ('여성 직원은 몇 명': 여성 too), not a
            # measure's own words ('예산 불용 예상액은 얼마': a measure of the budget)
            heads.extend(run if not MEASURE_SUFFIX.search(run[-1]) else run[-1:])
            run = []
        elif t.tag in ("NNG", "NNP", "SL") and len(t.form) >= 2:
            run.append(t.form)
        elif not t.tag.startswith("J"):
            run = []
    return heads


FIGURE_ASKS = {"얼마", "몇"}


PERSON_ASKS = {"성함", "이름"}  # '이름' counts only after a post


NOUN_TAGS = ("NNG", "NNP", "XSN", "SL", "SN")


def asked_measure(question: str) -> tuple[str, list[str], str] | None:
    """What a figure question asks for and the other things it names: the noun run just before '얼마'/'몇'
    (or before '알려' when the run ends in a measure word), e.g. '통과율' of '역량평가 통과율이 몇 %예요?'.
    The head is the run's last noun that is not a word of the question language ('평균 점수' → '과목별')."""
    toks = _analyse(question)
    at = next((i for i, t in enumerate(toks) if t.form in FIGURE_ASKS or t.form in PERSON_ASKS
               or (t.form == "알리" and i > 0 and MEASURE_SUFFIX.search(toks[i - 1].form))), None)
    bare = at is None
    if at is None:  # a bare '… 비율은?': the measure named at the end is what is asked
        end = len(toks)
        while end > 0 and toks[end - 1].tag in ("SF", "SP", "SE", "SS"):
            end -= 1
        if end >= 2 and toks[end - 1].tag.startswith("J") and toks[end - 2].tag in ("NNG", "XSN") \
                and MEASURE_SUFFIX.search(toks[end - 2].form) and end == len(toks) - 1:
            at = end - 1
        else:
            return None
    if toks[at].form == "성함":
        return toks[at].form, [], ""
    unit = toks[at + 1].form if toks[at].form == "몇" and at + 1 < len(toks) and toks[at + 1].tag in ("NNB", "NNG", "SW") else ""
    j = at - 1
    while j >= 0 and toks[j].tag.startswith("J"):
        j -= 1
    run: list[str] = []
    words = 0  # the run stays within the last two words ('재원 아동 수가', not '세출 총액 가운데 사업예산이')
    while j >= 0 and toks[j].tag in NOUN_TAGS:
        if run and toks[j].start + toks[j].len < toks[j + 1].start:
            words += 1
            if words >= 2:
                break
        if toks[j].tag == "XSN" and j > 0:
            run.insert(0, toks[j - 1].form + toks[j].form)
            j -= 2
            continue
        run.insert(0, toks[j].form)
        j -= 1
    if run and run[-1] in PERSON_ASKS:  # '이름' is a person's only after a post ('과장 이름'), not a program's
        return (run[-1], [], "") if run[-1] == "성함" or re.search(r"(장|관|담당자?|강사|위원)$", "".join(run[:-1])) else None
    heads = [w for w in run if w not in QUESTION_NOUNS and len(w) >= 2 and not w.isdigit()]
    if not heads:
        return None
    if bare and MEASURE_SUFFIX.search(heads[-1]):
        return None  # '수료율은?': a rate the answer may compute, not a word it must quote
    others = [t.form for t in toks if t.tag in ("NNG", "NNP") and len(t.form) >= 2 and t.form not in QUESTION_NOUNS
              and t.form != heads[-1] and t.form not in heads[-1]]
    return heads[-1], others, unit


CONTACT_LINE = re.compile(r"(과장|팀장|담당|주무관|부시장|원장)\S*\s*(?:[:：]\s*[가-힣]{2,4}|[가-힣]{2,4}\s*\(?☎)")


def covered(head: str, others: list[str], unit: str, lines: list[str]) -> bool:
    """Whether the answer holds what was asked for: a figure line (from a typed tool) naming it, or a quoted
    sentence naming it — a measure word ('수수료', '통과율') together with one of the other things asked about,
    since a measure alone can belong to anything."""
    if head in PERSON_ASKS:
        return any(CONTACT_LINE.search(line) for line in lines)
    h = canonical(head)
    measure = bool(MEASURE_SUFFIX.search(head))
    if unit and not measure and any(re.search(rf"\d{re.escape(unit)}", line) for line in lines if not line.lstrip().startswith('- "')):
        return True  # '몇 편이에요?' answered by a figure in 편
    stem = canonical(MEASURE_SUFFIX.sub("", head)) if measure else ""
    for line in lines:
        c = canonical(line)
        quote = line.lstrip().startswith('- "')
        if h not in c and not (len(stem) >= 2 and stem in c and not quote):  # '관리비' of '…유지관리' figures
            continue
        if not quote or not measure or not others or any(canonical(o) in c for o in others):
            return True
    return False


OWN_NAMES = ("서울", "서울시", "서울특별시", "인재개발원", "인재원", "서울시인재개발원")


def other_body(question: str, vocab: dict[str, list[str]]) -> str | None:
    """A proper noun the question names that is neither this center nor a name in its budget or programs
    ('부산광역시'): the question is about someone else."""
    names = compact(" ".join(vocab.get("budget_line", []) + vocab.get("execution", []) + vocab.get("program", [])))
    for t in _analyse(question):
        if t.tag == "NNP" and len(t.form) >= 2 and t.form not in OWN_NAMES and compact(t.form) not in names:
            return t.form
    return None
