"""A report as read from disk: its lines (1-based), identity (hash, file, year)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from hrd.errors import IngestError

_YEAR = re.compile(r"(20\d\d)\s*주요\s*업무\s*보고")
# encodings a report may come in (charset-normalizer's names); anything else is refused
KOREAN_TEXT = {"utf_8": "UTF-8", "utf_16": "UTF-16", "utf_16_le": "UTF-16", "utf_16_be": "UTF-16",
               "cp949": "CP949", "euc_kr": "EUC-KR", "johab": "JOHAB", "iso2022_kr": "ISO-2022-KR"}
BOMS = ((b"\xef\xbb\xbf", "utf_8", "UTF-8 (BOM)"), (b"\xff\xfe", "utf_16", "UTF-16 (BOM)"), (b"\xfe\xff", "utf_16", "UTF-16 (BOM)"))


def decode_report(data: bytes, source: str) -> tuple[str, str]:
    """(text, encoding label): UTF-8, UTF-8/UTF-16 with a BOM, or what charset-normalizer finds
    (CP949/EUC-KR); IngestError for empty, binary or undecodable bytes."""
    if not data.strip() or not data.strip(b"\xef\xbb\xbf\xff\xfe \t\r\n\x00"):
        raise IngestError("빈 파일입니다", source=source)
    for bom, codec, label in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec if codec != "utf_16" else ("utf-16-le" if bom == b"\xff\xfe" else "utf-16-be")), label
            except UnicodeDecodeError as e:
                raise IngestError(f"{label}로 표시되었지만 읽을 수 없는 바이트가 있습니다 (byte {e.start})", source=source) from None
    if b"\x00" in data[:4096]:
        raise IngestError("텍스트가 아닌 바이너리 파일입니다", line=data[:4096].count(b"\n", 0, data.index(b"\x00")) + 1, source=source)
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as e:
        utf8_error = e
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(KOREAN_TEXT)).best()
    if best is None or best.encoding not in KOREAN_TEXT:
        bad_line = data.count(b"\n", 0, utf8_error.start) + 1
        raise IngestError(f"텍스트 인코딩을 알 수 없습니다: UTF-8도 CP949/EUC-KR도 아닙니다 (byte {utf8_error.start})",
                          line=bad_line, source=source)
    return str(best), KOREAN_TEXT[best.encoding]



@dataclass
class Document:
    """The report's text split into lines; `line(n)` is 1-based like every citation."""

    source: str
    text: str
    lines: list[str] = field(init=False)
    sha256: str = field(init=False)
    year: int = field(init=False)
    encoding: str = field(init=False, default="utf-8")  # what the bytes were read as

    def __post_init__(self) -> None:
        self.lines = self.text.split("\n")
        if self.lines and self.lines[-1] == "":
            self.lines.pop()
        self.sha256 = hashlib.sha256(self.text.encode("utf-8")).hexdigest()
        self.year = self._find_year()

    def _find_year(self) -> int:
        for i, ln in enumerate(self.lines[:60], start=1):
            m = _YEAR.search(ln)
            if m:
                return int(m.group(1))
        raise IngestError("표지에서 보고서 연도('20XX 주요업무 보고')를 찾을 수 없습니다", line=1, source=self.source)

    def line(self, n: int) -> str:
        return self.lines[n - 1]

    def span_text(self, start: int, end: int) -> str:
        return "\n".join(self.lines[start - 1 : end])

    @property
    def n_lines(self) -> int:
        return len(self.lines)

    @classmethod
    def from_bytes(cls, data: bytes, source: str) -> "Document":
        text, encoding = decode_report(data, source)
        doc = cls(source=source, text=text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff"))
        doc.encoding = encoding
        return doc

    @classmethod
    def from_path(cls, path: Path) -> "Document":
        try:
            data = Path(path).read_bytes()
        except OSError as e:
            raise IngestError(f"파일을 읽을 수 없습니다: {e.strerror}", source=str(path)) from None
        return cls.from_bytes(data, source=Path(path).name)
