"""Shared fixtures: every test gets its own HRD_HOME; the bundled report is parsed once."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "knowledge" / "sources" / "seoul-hrd-2025-work-report.txt"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """No test touches the user's data directory (llm's LLM_USER_PATH habit)."""
    from hrd.settings import get_settings

    monkeypatch.setenv("HRD_HOME", str(tmp_path / "hrd-home"))
    monkeypatch.delenv("HRD_DATABASE_URL", raising=False)
    monkeypatch.delenv("HRD_CHROMA_URL", raising=False)
    get_settings.cache_clear()
    yield tmp_path / "hrd-home"
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def report_lines() -> list[str]:
    return REPORT.read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="session")
def parsed():
    from knowledge.ingest import parse_file

    return parse_file(REPORT)


def figure_on_line(line: str, value: float | int | None) -> bool:
    """Whether a figure appears on a report line as the report writes it (separators, △, %, decimals)."""
    if value is None:
        return True
    text = line.replace(",", "")
    nums = [float(x) for x in re.findall(r"\d+(?:\.\d+)?", text)]
    v = abs(float(value))
    return any(abs(n - v) < 1e-6 for n in nums)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_process(proc, timeout: float = 20) -> None:
    """Terminate a process this test started, killing it if it does not stop in `timeout` seconds."""
    import subprocess

    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
