"""The shape the planner keeps: small functions, public names across modules, and no year, department or
program of the report written into the code (those come from the data).

These read the source with `ast`; a failure names the file, the line and what is wrong.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("assistant", "tools", "knowledge", "api", "eval", "hrd")
YEAR = re.compile(r"(?<![\d,.])20[0-4]\d(?![\d,])|'[0-4]\d(?=\s*년)")


# the corpus of `read` is example questions (data), not code
CORPUS = ROOT / "assistant" / "reading_corpus.py"


def sources(*packages: str, corpus: bool = True) -> list[Path]:
    return sorted(p for pkg in packages for p in (ROOT / pkg).rglob("*.py")
                  if "migrations" not in p.parts and (corpus or p != CORPUS))


def docstring_nodes(tree: ast.AST) -> set[int]:
    """The constants that are docstrings (of a module, class or function): prose, not code."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                out.add(id(first.value))
    return out


def test_no_function_in_the_assistant_is_over_80_lines():
    long = [f"{p.relative_to(ROOT)}:{n.lineno} {n.name} ({n.end_lineno - n.lineno + 1} lines)"
            for p in sources("assistant") for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.end_lineno - n.lineno + 1 > 80]
    assert not long, long


def test_no_private_name_is_imported_across_modules():
    found = [f"{p.relative_to(ROOT)}:{n.lineno} from {n.module} import {a.name}"
             for p in sources(*PACKAGES) for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
             if isinstance(n, ast.ImportFrom) for a in n.names if a.name.startswith("_") and not a.name.startswith("__")]
    assert not found, found


@pytest.mark.parametrize("package", ["assistant", "tools"])
def test_no_year_is_written_into_the_code(package):
    """A year in a string or number the code uses (docstrings and comments are prose and may give examples)."""
    found = []
    for p in sources(package, corpus=False):
        tree = ast.parse(p.read_text(encoding="utf-8"))
        docs = docstring_nodes(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and id(node) not in docs:
                text = str(node.value) if isinstance(node.value, (str, int)) else ""
                if isinstance(node.value, int) and not 2001 <= node.value <= 2049:
                    continue  # 2000 is the century two-digit years are read against, not a year of the report
                if YEAR.search(text):
                    found.append(f"{p.relative_to(ROOT)}:{node.lineno} {text[:60]!r}")
    assert not found, found


def test_no_department_or_program_of_the_report_is_written_into_the_assistant():
    """The report's departments and program titles (read from the report itself) appear in no string the
    assistant's code uses: the planner knows them from the database."""
    report = (ROOT / "knowledge" / "sources" / "seoul-hrd-2025-work-report.txt").read_text(encoding="utf-8")
    departments = set(re.findall(r"\((인재[가-힣]{2}과)\)", report))
    assert departments, "the report names its departments as '(…과)'"
    found = []
    for p in sources("assistant", corpus=False):
        tree = ast.parse(p.read_text(encoding="utf-8"))
        docs = docstring_nodes(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
                hit = next((d for d in departments if d in node.value), None)
                if hit:
                    found.append(f"{p.relative_to(ROOT)}:{node.lineno} {hit}")
    assert not found, found
