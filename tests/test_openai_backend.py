"""The OpenAI-compatible backend over real HTTP against a scripted server on loopback."""

import pytest

from hrd.errors import BackendError
from hrd.settings import get_settings
from knowledge.ingest import ingest

from openai_stub import ScriptedOpenAI


@pytest.fixture
def setup(monkeypatch):
    ingest(None, get_settings(), with_index=False)

    def run(script, question="신입자 과정 집행률은?", streaming=False):
        with ScriptedOpenAI(script) as srv:
            monkeypatch.setenv("OPENAI_BASE_URL", srv.url)
            monkeypatch.setenv("OPENAI_API_KEY", "test-key")
            from assistant.agent import Assistant

            a = Assistant(get_settings(), "openai")
            if streaming:
                a.model.streaming = True
            return a.ask(question), srv.requests
    return run


def test_tool_call_then_grounded_answer(setup):
    ans, reqs = setup([
        {"tool_calls": [("get_budget", {"name": "신규자과정운영", "measures": ["집행률"]})]},
        {"content": "신규자과정운영 집행률은 96.0%입니다 [105행]."},
    ])
    assert ans.backend == "openai" and ans.grounded and not ans.refused
    assert "96.0" in ans.answer
    assert [c.name for c in ans.tool_calls] == ["get_budget"]
    assert any(f.value == 96.0 for f in ans.facts)
    # the second request carried the tool result, and the assistant tool-call turn had "" not null content
    second = reqs[1]["messages"]
    assert any(m["role"] == "tool" and "96.0" in m["content"] for m in second)
    assert all(m.get("content") is not None for m in second if m["role"] == "assistant")
    assert reqs[0]["tools"] and {t["function"]["name"] for t in reqs[0]["tools"]} >= {"get_budget", "search_documents"}


def test_invented_figure_is_sent_back_once_then_removed(setup):
    ans, reqs = setup([
        {"tool_calls": [("get_budget", {"name": "신규자과정운영", "measures": ["집행률"]})]},
        {"content": "집행률은 96.0%이고, 내년에는 123,456천원이 더 필요합니다."},
        {"content": "집행률은 96.0%이며 추가로 654,321천원이 듭니다."},
    ])
    assert len(reqs) == 3 and "123,456" in reqs[2]["messages"][-1]["content"]  # the retry names the figure
    assert not ans.grounded
    assert "654,321" not in ans.answer and "96.0" in ans.answer
    assert "654321.0" in ans.unsupported


def test_invented_figure_corrected_on_retry(setup):
    ans, reqs = setup([
        {"tool_calls": [("get_budget", {"name": "신규자과정운영", "measures": ["집행률"]})]},
        {"content": "집행률은 96.0%이고, 내년에는 123,456천원이 더 필요합니다."},
        {"content": "신규자과정운영 집행률은 96.0%입니다 [105행]."},
    ])
    assert ans.grounded and "123,456" not in ans.answer and "96.0" in ans.answer
    assert [c.name for c in ans.tool_calls] == ["get_budget"]


def test_streaming_responses(setup):
    ans, reqs = setup([
        {"tool_calls": [("get_training", {"mode": "e-러닝", "subcategory": "IT"})]},
        {"content": "e-러닝 IT 참여율은 95.4%입니다."},
    ], streaming=True)
    assert reqs[0].get("stream") is True
    assert "95.4" in ans.answer and ans.grounded


def test_server_error_is_a_clear_backend_error(setup):
    with pytest.raises(BackendError) as e:
        setup([{"status": 500}, {"status": 500}, {"status": 500}])
    assert "openai" in str(e.value)


def test_missing_configuration_is_explained(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    from assistant.openai_backend import chat_model

    with pytest.raises(BackendError):
        chat_model(get_settings())
