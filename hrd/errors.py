"""One error tree. Every error here is safe to show a user; the CLI and API print
`str(error)` and never a traceback.

    HrdError
    ├── IngestError           a report could not be read or parsed (names the line)
    ├── DataMissingError      the database holds no report yet
    ├── ToolError             a tool was called with arguments it cannot serve
    │   ├── AmbiguousNameError  a name matched several candidates (carries them)
    │   ├── NotFoundError       a name matched nothing (carries what exists)
    │   └── SqlRejectedError    the guarded SQL tool refused a query (says why)
    ├── IndexUnavailableError the search index is missing or its server is down
    ├── BackendError          the answering backend failed (HTTP error, bad reply)
    └── InputError            a question or request is malformed (empty, too long)
"""

from __future__ import annotations


LIST_LIMIT = 30


def name_list(names: list[str], limit: int = LIST_LIMIT) -> str:
    """Every name, or the first `limit` and how many more: an error list never stops silently."""
    shown = ", ".join(names[:limit])
    rest = len(names) - limit
    return f"{shown} 외 {rest}개" if rest > 0 else shown


class HrdError(Exception):
    """Base of every error hrd-assistant raises on purpose."""


class IngestError(HrdError):
    """A report could not be ingested; the previous database is untouched."""

    def __init__(self, message: str, *, line: int | None = None, source: str | None = None):
        self.line = line
        self.source = source
        where = ""
        if source:
            where = f"{source}"
        if line is not None:
            where = f"{where}:{line}" if where else f"line {line}"
        super().__init__(f"{where}: {message}" if where else message)


class DataMissingError(HrdError):
    """No report has been ingested yet."""


class ToolError(HrdError):
    """A tool could not answer with the given arguments."""


class AmbiguousNameError(ToolError):
    """A name matched several candidates."""

    def __init__(self, name: str, candidates: list[str]):
        self.name = name
        self.candidates = candidates
        super().__init__(f"'{name}'에 해당하는 항목이 여러 개입니다: " + ", ".join(candidates))


class NotFoundError(ToolError):
    """A name matched nothing."""

    def __init__(self, name: str, available: list[str] | None = None):
        self.name = name
        self.available = available or []
        tail = f" 보고서에 있는 항목: {name_list(self.available)}" if self.available else ""
        super().__init__(f"'{name}'에 해당하는 항목이 보고서에 없습니다.{tail}")


class SqlRejectedError(ToolError):
    """The guarded SQL tool refused a query."""


class IndexUnavailableError(HrdError):
    """The search index is missing or its server cannot be reached."""


class BackendError(HrdError):
    """The answering backend failed."""


class InputError(HrdError):
    """A malformed question or request."""
