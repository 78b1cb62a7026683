"""Kiwi morphemes of the texts a draft reads (program prose, past requests, the report), cached on disk
under the data directory by text hash and tokenizer version: the first draft of a process does not
analyse the whole report again. The cache is optional: an unreadable or unwritable file is rebuilt or skipped."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from pathlib import Path

from tools.context import ToolContext

log = logging.getLogger(__name__)
_lock = threading.Lock()


def _path(ctx: ToolContext) -> Path:
    from knowledge.index.bm25 import TOKENIZER_VERSION

    return Path(ctx.settings.home) / f"draft-tokens-{ctx.report.content_hash[:12]}-{TOKENIZER_VERSION}.json"


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _load(path: Path) -> dict[str, list[str]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _save(path: Path, data: dict[str, list[str]]) -> None:
    try:
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
    except OSError as e:  # a read-only data directory: analyse again next time
        log.info("draft token cache not written: %s", e)


def analysed(texts: list[str], ctx: ToolContext) -> list[list[str]]:
    """`knowledge.index.bm25.analyse_many(texts)`, through the per-context and on-disk caches."""
    from knowledge.index.bm25 import analyse_many

    with _lock:
        memo: dict[str, list[str]] = ctx.__dict__.setdefault("_draft_tokens", {})
        if not memo:
            memo.update(_load(_path(ctx)))
        keys = [_key(t) for t in texts]
        todo = [t for t, k in zip(texts, keys) if k not in memo]
        if todo:
            memo.update(zip((_key(t) for t in todo), analyse_many(todo)))
            _save(_path(ctx), memo)
        return [memo[k] for k in keys]
