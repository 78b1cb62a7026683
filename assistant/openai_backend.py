"""The OpenAI-compatible backend: ChatOpenAI by URL and key (OpenAI, vLLM, Ollama, llama.cpp's server).

    OPENAI_BASE_URL=http://127.0.0.1:8080/v1 OPENAI_API_KEY=sk-... HRD_OPENAI_MODEL=qwen2.5 hrd ask --backend openai "…"
"""

from __future__ import annotations

import os
from typing import Any

from langchain_openai import ChatOpenAI

from hrd.errors import BackendError
from hrd.settings import Settings


class CompatChatOpenAI(ChatOpenAI):
    """ChatOpenAI that sends "" instead of null content on tool-call turns (llama.cpp's server rejects null)."""

    def _get_request_payload(self, input_: Any, *, stop: list[str] | None = None, **kwargs: Any) -> dict:
        payload = super()._get_request_payload(input_, stop=stop, **kwargs)
        for m in payload.get("messages", []):
            if m.get("role") == "assistant" and m.get("content") is None:
                m["content"] = ""
        return payload


def configured() -> bool:
    """Whether an OpenAI-compatible server is configured (OPENAI_API_KEY or OPENAI_BASE_URL)."""
    return bool(os.environ.get("OPENAI_API_KEY") or os.environ.get("OPENAI_BASE_URL"))


def chat_model(settings: Settings) -> ChatOpenAI:
    base_url = os.environ.get("OPENAI_BASE_URL")
    key = os.environ.get("OPENAI_API_KEY")
    if not configured():
        raise BackendError("openai 백엔드에는 OPENAI_API_KEY(또는 로컬 서버의 OPENAI_BASE_URL)가 필요합니다. 기본값은 --backend offline 입니다.")
    return CompatChatOpenAI(
        model=settings.openai_model, base_url=base_url, api_key=key or "not-needed", temperature=0,
        timeout=60, max_retries=1, streaming=False,
    )
