"""Shared by the assistant's tests: one ingested data directory per test module, the `ask` entry point
on it, and figures read back from the database (never typed in)."""

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from hrd.settings import get_settings
from knowledge.db import engine_for
from knowledge.ingest import ingest


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    import os

    d = tmp_path_factory.mktemp("assistant-home")
    old = os.environ.get("HRD_HOME")
    os.environ["HRD_HOME"] = str(d)
    get_settings.cache_clear()
    ingest(None, get_settings(), with_index=False)
    yield d
    if old is None:
        os.environ.pop("HRD_HOME", None)
    else:
        os.environ["HRD_HOME"] = old
    get_settings.cache_clear()


@pytest.fixture
def ask(home, monkeypatch):
    monkeypatch.setenv("HRD_HOME", str(home))
    get_settings.cache_clear()
    from assistant import ask as run

    return run


def db_value(model, field, **where):
    with Session(engine_for(get_settings())) as s:
        q = select(getattr(model, field))
        for k, v in where.items():
            q = q.where(getattr(model, k) == v)
        return s.scalars(q).one()


def shown(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{int(value):,}"


def lead(answer) -> str:
    """The answer's lead: its text up to the first blank line (../shared/eval-format.md)."""
    text = answer.answer if hasattr(answer, "answer") else str(answer)
    return text.split("\n\n", 1)[0]
