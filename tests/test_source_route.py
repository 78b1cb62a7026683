"""GET /api/v1/source: the report lines around a cited span, over real HTTP."""

from __future__ import annotations

import pytest
from test_api import admin_key, assert_error_shape, base, client, ingested, settings  # noqa: F401  (module fixtures)


def test_source_returns_the_span_with_three_lines_either_side(client, report_lines):  # noqa: F811
    res = client.get("/api/v1/source", params={"start": 105, "end": 106})
    assert res.status_code == 200
    body = res.json()
    assert body["source"].endswith(".txt")
    assert [line["n"] for line in body["lines"]] == list(range(102, 110))
    assert [line["n"] for line in body["lines"] if line["cited"]] == [105, 106]
    assert all(line["text"] == report_lines[line["n"] - 1] for line in body["lines"])


def test_source_at_the_report_edges_is_clipped(client, report_lines):  # noqa: F811
    first = client.get("/api/v1/source", params={"start": 1, "end": 1}).json()["lines"]
    assert first[0]["n"] == 1 and first[-1]["n"] == 4
    n = len(report_lines)
    last = client.get("/api/v1/source", params={"start": n, "end": n}).json()["lines"]
    assert last[-1]["n"] == n


def test_a_reversed_or_long_range_is_put_right(client, report_lines):  # noqa: F811
    body = client.get("/api/v1/source", params={"start": 106, "end": 105}).json()
    assert (body["start"], body["end"]) == (105, 106)
    long = client.get("/api/v1/source", params={"start": 1, "end": 99_999}).json()
    assert long["end"] == min(200, len(report_lines)) and sum(line["cited"] for line in long["lines"]) == long["end"]


@pytest.mark.parametrize("params,status", [
    ({"start": 0, "end": 3}, 422), ({"start": "abc", "end": 3}, 422), ({"start": 5}, 422),
    ({"start": 1, "end": 10**9}, 422), ({"start": 99_999, "end": 99_999}, 404),
])
def test_bad_line_numbers_get_a_korean_error(client, params, status):  # noqa: F811
    body = assert_error_shape(client.get("/api/v1/source", params=params), status)
    assert any("\uac00" <= ch <= "\ud7a3" for ch in body["error"])


def test_source_needs_a_key(base):  # noqa: F811
    import httpx

    assert httpx.get(base + "/api/v1/source", params={"start": 1, "end": 1}).status_code == 401
