"""A report as read from disk: its lines (1-based), identity (hash, file, year)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from hrd.errors import IngestError

_YEAR = re.compile(r"(20\d\d)\s*주요\s*업무\s*보고")


@dataclass
class Document:
    """The report's text split into lines; `line(n)` is 1-based like every citation."""

    source: str
    text: str
    lines: list[str] = field(init=False)
    sha256: str = field(init=False)
    year: int = field(init=False)

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
        if not data.strip():
            raise IngestError("빈 파일입니다", source=source)
        if b"\x00" in data[:4096]:
            raise IngestError("텍스트가 아닌 바이너리 파일입니다", line=data[:4096].count(b"\n", 0, data.index(b"\x00")) + 1, source=source)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            bad_line = data.count(b"\n", 0, e.start) + 1
            raise IngestError(f"UTF-8로 읽을 수 없는 바이트가 있습니다 (byte {e.start})", line=bad_line, source=source) from None
        return cls(source=source, text=text.replace("\r\n", "\n").lstrip("\ufeff"))

    @classmethod
    def from_path(cls, path: Path) -> "Document":
        try:
            data = Path(path).read_bytes()
        except OSError as e:
            raise IngestError(f"파일을 읽을 수 없습니다: {e.strerror}", source=str(path)) from None
        return cls.from_bytes(data, source=Path(path).name)
