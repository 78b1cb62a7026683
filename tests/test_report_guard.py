"""Reports that are not what they should be: truncated, repeated, empty, binary — refused with what is
wrong, the stored report untouched, `--force` overrides; CP949, EUC-KR, UTF-16 and UTF-8 with a BOM are
read and the CLI says which encoding it read."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hrd.errors import IngestError
from hrd.settings import get_settings

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "knowledge" / "sources" / "seoul-hrd-2025-work-report.txt"
TEXT = REPORT.read_text(encoding="utf-8")
LINES = TEXT.split("\n")
# CP949 lacks '—' and '•': a report written in CP949 holds neither
KOREAN_ONLY = TEXT.replace("—", "-").replace("•", "·")


def _stored() -> tuple[str, int, int]:
    from knowledge.db import engine_for
    from knowledge.models import AuditItem, Report

    with Session(engine_for(get_settings())) as s:
        r = s.scalars(select(Report)).one()
        return r.content_hash, r.line_count, s.scalar(select(func.count()).select_from(AuditItem).where(AuditItem.report_id == r.id))


@pytest.fixture
def stored():
    from knowledge.ingest import ingest

    ingest([REPORT], get_settings(), with_index=False)
    return _stored()


BAD = [  # (file name, bytes, regex of the refusal)
    ("t943.txt", "\n".join(LINES[:943]).encode(), r"빠진 구조: .*행정사무감사 지적사항 20→1건.*감사 답변 속 표 6→0개.*--force"),
    ("t1000.txt", "\n".join(LINES[:1000]).encode(), r"빠진 구조: 행정사무감사 지적사항 20→12건, 감사 답변 속 표 6→5개"),
    ("twice.txt", (TEXT + "\n" + TEXT).encode(), r"비정상적으로 늘어난 구조: 장\(Ⅰ·Ⅱ·Ⅲ\) 4→8개"),
    ("x60.txt", (TEXT + "\n") .encode() * 60, r"너무 큽니다\(5,0\d\d,\d{3}바이트, 최대 3,000,000바이트"),
    ("empty.txt", b"", r"빈 파일입니다"),
    ("blank.txt", b"  \n\t\n", r"빈 파일입니다"),
    ("binary.bin", bytes(range(256)) * 40, r"바이너리 파일"),
    ("latin.txt", "2025 주요업무 보고\n".encode() + "café".encode("latin-1") * 50, r"인코딩을 알 수 없습니다|보고서 형식이 아닙니다"),
    ("other.txt", "2025 주요업무 보고\n아무 표도 없는 문서\n".encode(), r"보고서 형식이 아닙니다"),
    ("noyear.txt", "제목 없는 문서\n".encode() * 10, r"보고서 연도"),
]


@pytest.mark.parametrize("name,data,pattern", BAD, ids=[b[0] for b in BAD])
def test_a_report_that_lost_structure_is_refused_and_the_stored_one_stays(stored, tmp_path, name, data, pattern):
    from knowledge.ingest import ingest

    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(IngestError, match=pattern):
        ingest([p], get_settings(), with_index=False)
    assert _stored() == stored  # nothing lost


def test_force_takes_a_truncated_report_and_the_full_one_comes_back(stored, tmp_path):
    from knowledge.ingest import ingest

    p = tmp_path / "t1000.txt"
    p.write_text("\n".join(LINES[:1000]), encoding="utf-8")
    [r] = ingest([p], get_settings(), with_index=False, force=True)
    assert r.status == "ingested" and r.replaced == stored[0]
    assert _stored()[2] == 12
    [back] = ingest([REPORT], get_settings(), with_index=False)  # more structure than stored: taken
    assert back.status == "ingested" and _stored() == stored


ENCODINGS = [  # (python codec, what ingest says it read)
    ("cp949", "CP949"), ("euc_kr", "CP949"), ("utf-16", "UTF-16 (BOM)"), ("utf-8-sig", "UTF-8 (BOM)"), ("utf-8", "UTF-8"),
]


@pytest.mark.parametrize("codec,label", ENCODINGS)
def test_korean_encodings_are_detected_and_named(stored, tmp_path, codec, label):
    from knowledge.ingest import ingest

    p = tmp_path / f"report-{codec}.txt"
    p.write_bytes(KOREAN_ONLY.replace("\n", "\r\n" if codec == "cp949" else "\n").encode(codec))
    [r] = ingest([p], get_settings(), with_index=False)
    assert r.encoding == label
    assert r.status == "ingested" and _stored()[1:] == stored[1:]  # the same report, line for line
    [again] = ingest([p], get_settings(), with_index=False)
    assert again.status == "unchanged"


def test_cli_says_which_encoding_it_read(tmp_path):
    p = tmp_path / "report-cp949.txt"
    p.write_bytes(KOREAN_ONLY.encode("cp949"))
    env = dict(os.environ, HRD_HOME=str(tmp_path / "home"), PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", "from hrd.cli import main; main()", "ingest", "--no-index", str(p)],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "인코딩 CP949" in out.stdout.replace("\n", "")
