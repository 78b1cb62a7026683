"""Ingest: report file(s) → parsed rows + findings → one database transaction (+ the search index).

Idempotent by content hash; transactional: anything that fails leaves the previous database
(and index) exactly as it was, and raises IngestError naming the line it could not read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from sqlalchemy import delete, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from hrd.errors import HrdError, IngestError
from hrd.settings import Settings

from .db import engine_for, has_data, head_revision, migrate, stored_state
from .findings import check
from .planted import RULE as PLANTED, planted_findings
from .models import CONTENT_MODELS, MODELS_BY_TABLE, Report
from .parse import PARSER_VERSION, Document, ParsedReport, parse_report
from .structure import refuse_lost_structure

Progress = Callable[[str], None]


@dataclass
class IngestResult:
    source: str
    year: int
    content_hash: str
    status: str  # ingested | unchanged
    rows: dict[str, int] = field(default_factory=dict)
    findings: int = 0
    replaced: str | None = None
    index: str | None = None
    encoding: str = "UTF-8"
    flagged: int = 0  # lines addressing an AI/reader with an instruction (findings of their own kind)


def parse_file(path: Path, settings: Settings | None = None, *, force: bool = False) -> ParsedReport:
    limit = settings.max_report_bytes if settings is not None else None
    try:
        size = Path(path).stat().st_size
    except OSError:
        size = 0  # Document.from_path names the problem
    if limit and size > limit and not force:
        raise IngestError(f"파일이 보고서로 보기에 너무 큽니다({size:,}바이트, 최대 {limit:,}바이트: HRD_MAX_REPORT_BYTES). "
                          "중복되거나 다른 문서인지 확인하세요. 그래도 적재하려면 `hrd ingest --force`.", source=Path(path).name)
    doc = Document.from_path(path)
    try:
        parsed = parse_report(doc)
    except HrdError:
        raise
    except Exception as e:  # a parser bug must still name the file, never leak a traceback
        raise IngestError(f"보고서를 해석하지 못했습니다: {type(e).__name__}: {e}", source=doc.source) from e
    _validate(parsed)
    parsed.rows["findings"] = check(parsed.rows) + planted_findings(parsed.doc, parsed.root)
    return parsed


# tables a work report must yield; a report missing one is truncated or of another shape
REQUIRED = ("budget_lines", "training_results", "program_execution", "audit_items")


def _validate(parsed: ParsedReport) -> None:
    for name in REQUIRED:
        if not parsed.rows.get(name):
            raise IngestError(
                f"필수 표 '{MODELS_BY_TABLE[name].__label__}'을(를) 찾지 못했습니다 (잘렸거나 형식이 다른 보고서)",
                line=parsed.doc.n_lines, source=parsed.doc.source,
            )


def _columns(model) -> set[str]:
    return {c.key for c in model.__table__.columns}


def _insert(session: Session, parsed: ParsedReport, report_id: int) -> dict[str, int]:
    counts = {}
    made: dict[int, object] = {}  # id(parsed row) → its object
    links: list[tuple[object, str, dict]] = []
    for name, rows in parsed.rows.items():
        model = MODELS_BY_TABLE.get(name)
        if model is None:
            continue
        cols = _columns(model)
        rels = set(sa_inspect(model).relationships.keys())
        objs = []
        for r in rows:
            obj = model(**{k: v for k, v in r.items() if k in cols}, report_id=report_id)
            made[id(r)] = obj
            # a row that points at another parsed row (a table's audit item): ids exist only once inserted
            links += [(obj, k, v) for k, v in r.items() if k in rels and isinstance(v, dict)]
            objs.append(obj)
        session.add_all(objs)
        counts[name] = len(objs)
    for obj, key, target in links:
        setattr(obj, key, made[id(target)])
    return counts


def _delete_report(session: Session, report: Report) -> None:
    for model in CONTENT_MODELS:
        session.execute(delete(model).where(model.report_id == report.id))
    session.delete(report)


def _index_serves(doc: Document, settings: Settings) -> bool:
    """Whether the build the database names for this report exists (a deleted index is rebuilt)."""
    from .index import builds

    entry = ((builds.serving_pointer(settings) or {}).get("reports") or {}).get(str(doc.year))
    if not entry or entry.get("report_hash") != doc.sha256:
        return False
    d = Path(settings.index_dir)
    return (d / entry["chunks_file"]).exists() and (d / entry["tokens_file"]).exists()


def _build_index(parsed: ParsedReport, settings: Settings, progress: Progress | None):
    """A new index build of the report, not yet serving (the database commit switches to it)."""
    try:
        from .index import build_index  # the index is optional for the database
    except ImportError:
        return None
    return build_index(parsed.doc, parsed.root, settings, progress=progress, switch=False)


def ingest(paths: list[Path] | None, settings: Settings, *, progress: Progress | None = None, with_index: bool = True,
           force: bool = False) -> list[IngestResult]:
    """Ingest reports (default: the bundled ones). Every report is parsed before the database is touched;
    one ingest at a time per home (a second waits); a report that lost structure against the stored
    one of its year is refused unless `force`."""
    from .index import builds

    say = progress or (lambda _m: None)
    paths = list(paths) if paths else settings.bundled_reports()
    if not paths:
        raise IngestError("적재할 보고서 파일이 없습니다")
    parsed_all = []
    for p in paths:
        say(f"읽는 중: {Path(p).name}")
        parsed_all.append(parse_file(Path(p), settings, force=force))
    builds.fault_point(settings, "parsed")
    engine = engine_for(settings)
    with builds.ingest_lock(settings, say):
        try:
            migrate(engine)
        except Exception as e:
            raise IngestError(f"데이터베이스에 연결하거나 스키마를 만들 수 없습니다: {e}") from e
        results = []
        for parsed in parsed_all:
            doc = parsed.doc
            try:
                results.append(_ingest_one(engine, parsed, settings, say, progress, with_index, force))
            except HrdError:
                raise
            except Exception as e:  # a database error: the transaction rolled back, the previous data stands
                raise IngestError(f"데이터베이스에 쓰지 못했습니다(이전 데이터는 그대로입니다): {type(e).__name__}: {str(e).splitlines()[0][:200]}",
                                  source=doc.source) from e
            finally:
                builds.clean_orphans(settings)  # a build the database did not take (a failed write) goes
    return results


def _ingest_one(engine, parsed: ParsedReport, settings: Settings, say, progress, with_index: bool, force: bool) -> IngestResult:
    from .index import builds

    doc = parsed.doc
    with Session(engine) as session:
        existing = session.scalars(select(Report).where(Report.content_hash == doc.sha256)).first()
        stale = existing is not None and existing.parser_version != PARSER_VERSION
        if existing is not None and not stale:
            say(f"변경 없음: {doc.source} ({doc.sha256[:12]})")
            index = None
            if with_index and not _index_serves(doc, settings):
                info = _build_index(parsed, settings, progress)
                if info is not None:
                    builds.record_build(settings, info.entry)
                    builds.publish(settings)
                    index = str(info)
            return IngestResult(doc.source, doc.year, doc.sha256, "unchanged", index=index, encoding=doc.encoding)
        if not force and not stale:
            refuse_lost_structure(session, parsed)
    info = None
    if with_index:
        say("검색 색인 생성 중 (변경된 문단만 임베딩)")
        info = _build_index(parsed, settings, progress)
    builds.fault_point(settings, "index-built")
    if info is not None:
        builds.note_previous(settings, doc.year)
    with Session(engine) as session, session.begin():
        replaced = None
        for old in session.scalars(select(Report).where(Report.year == doc.year)).all():
            replaced = None if old.content_hash == doc.sha256 else old.content_hash
            if old.content_hash == doc.sha256:
                say(f"파서가 바뀌어 다시 적재합니다: {doc.source}")
            _delete_report(session, old)
        session.flush()
        report = Report(file_name=doc.source, year=doc.year, content_hash=doc.sha256, line_count=doc.n_lines, parser_version=PARSER_VERSION,
                        title=f"{doc.year} 주요업무 보고", ingested_at=datetime.now(timezone.utc).replace(tzinfo=None),
                        index_build=json.dumps(info.entry, ensure_ascii=False) if info is not None else None)
        session.add(report)
        session.flush()
        say(f"적재 중: {doc.source} ({doc.year}년)")
        counts = _insert(session, parsed, report.id)
        session.flush()
        builds.fault_point(settings, "db-written")
        # leaving the block commits (the switch: rows and their index build at once); an exception rolls back
    builds.fault_point(settings, "after-switch")
    if info is not None:
        builds.publish(settings)
    flagged = sum(1 for f in parsed.rows["findings"] if f["rule"] == PLANTED)
    return IngestResult(doc.source, doc.year, doc.sha256, "ingested", counts, counts.get("findings", 0) - flagged, replaced,
                        str(info) if info is not None else None, doc.encoding, flagged)


def ensure_ready(settings: Settings, progress: Progress | None = None) -> bool:
    """Ingest the bundled report when the database is empty (the first run). True when it ingested."""
    engine = engine_for(settings)
    if has_data(engine):
        if stored_state(engine) == (head_revision(), PARSER_VERSION):
            return False
        # made by an earlier version: bring the schema up and parse the bundled report again
        (progress or print)("데이터베이스가 이전 버전으로 만들어졌습니다: 스키마를 올리고 내장 보고서를 다시 적재합니다 (hrd ingest)")
    else:
        (progress or print)("처음 실행입니다: 내장 보고서를 적재합니다 (hrd ingest)")
    ingest(None, settings, progress=progress)
    return True
