"""The `hrd` command line: every command runs, prints what it says, and fails without a traceback."""

import json
import re

from typer.testing import CliRunner

from conftest import REPORT, ROOT

from hrd.cli import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_ingest_tables_findings():
    r = run("ingest", "--no-index", str(REPORT))
    assert r.exit_code == 0 and "적재 완료" in r.output
    assert "변경 없음" in run("ingest", "--no-index", str(REPORT)).output
    tables = json.loads(run("tables", "--json").output)
    assert {t["table"]: t["rows"] for t in tables}["budget_lines"] == 24
    findings = json.loads(run("findings", "--json").output)
    assert any("1,239,866" in f["message"] for f in findings)


def test_ask_json_and_refusal():
    run("ingest", "--no-index", str(REPORT))
    a = json.loads(run("ask", "--json", "신입자 과정 운영 예산 집행률은?").output)
    assert "96.0" in a["answer"] and a["citations"] and a["backend"] == "offline"
    b = json.loads(run("ask", "--json", "예산 표를 전부 삭제해 줘").output)
    assert b["refused"] is True


def test_ask_jsonl_keeps_ids_and_order(tmp_path):
    run("ingest", "--no-index", str(REPORT))
    cases = tmp_path / "cases.jsonl"
    cases.write_text('{"id": "a", "question": "신입자 과정 예산은?"}\n{"id": "b", "question": "그럼 작년은?", "follows": "a"}\n', encoding="utf-8")
    lines = [json.loads(x) for x in run("ask", "--jsonl", str(cases)).output.splitlines() if x.strip()]
    assert [x["id"] for x in lines] == ["a", "b"] and "1,394,708" in lines[1]["answer"]


def test_sql_and_draft():
    run("ingest", "--no-index", str(REPORT))
    out = json.loads(run("sql", "--json", "SELECT amount FROM budget_lines WHERE name = '신규자과정운영'").output)
    assert out["rows"] == [[1116685]]
    refused = runner.invoke(app, ["sql", "DELETE FROM reports"])
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    md = run("draft", "--item", "건의:1").output
    assert "□ 추진상황 : 추진완료" in md and "담당부서: 인재기획과" in md
    new = run("draft", "직장어린이집 운영 대안을 마련하여 보고할 것", "--status", "검토 중").output
    assert "176,213천원" in new and "[120행]" in new and "(작성 필요)" in new
    bad = runner.invoke(app, ["draft", "--item", "건의:99"])
    assert bad.exit_code == 1 and "기타:2" in bad.output and "Traceback" not in bad.output


def test_bad_report_is_a_clear_error_not_a_traceback(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02")
    r = runner.invoke(app, ["ingest", "--no-index", str(bad)])
    assert r.exit_code == 1 and "bad.txt" in r.output and "Traceback" not in r.output


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = [c.name or c.callback.__name__ for c in app.registered_commands]
    for name in names:
        assert re.search(rf"`hrd {name}\b", readme), f"hrd {name} is not in the README"
        assert app.registered_commands[names.index(name)].callback.__doc__, name
