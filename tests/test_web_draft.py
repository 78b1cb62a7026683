"""The draft view in a real browser (Debian chromium via playwright) against the live server: paste a
request, edit the draft, download the DOCX made from the edited text."""

from __future__ import annotations

import io
import json

import pytest
from test_api import ingested, live_server, settings  # noqa: F401  (module fixtures shared with the API tests)
from test_web import ARGS, CHROMIUM, base, browser  # noqa: F401

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed at /usr/bin/chromium")

REQUEST = "직장어린이집 재원 아동이 계속 줄고 있으니 지역사회 개방 등 운영 대안을 구체적으로 마련하여 보고할 것"


@pytest.fixture(scope="module")
def staff_key(settings) -> str:  # noqa: F811
    from server import make_key

    return make_key(settings, "staff", "draft-page")


@pytest.fixture
def draft_page(browser, base, staff_key):  # noqa: F811
    context = browser.new_context(locale="ko-KR", viewport={"width": 1200, "height": 900}, accept_downloads=True)
    context.add_init_script(f"sessionStorage.setItem('hrd-api-key', {json.dumps(staff_key)})")  # drafting needs a staff key
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    outside: list[str] = []
    pg.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) and not r.url.startswith("blob:") else None)
    pg.goto(base + "/draft")
    yield pg
    context.close()
    assert not outside, f"the page reached outside the server: {outside}"
    assert not errors, f"browser errors: {errors}"


def test_paste_edit_and_download_docx(draft_page, tmp_path):
    from docx import Document

    page = draft_page
    assert page.locator("h1").inner_text() == "행정사무감사 답변서 초안"
    page.fill("#draft-request", REQUEST)
    page.select_option("#draft-status", "추진 중")
    page.click("#draft-button")
    page.wait_for_selector("#draft:not([hidden])", timeout=60_000)
    assert "담당부서: 인재기획과" in page.locator("#draft-meta").inner_text()
    progress = page.locator("#draft-progress").input_value()
    assert "176,213천원" in progress and "[120행]" in progress
    assert "시정·처리요구 1" in page.locator("#draft-related").inner_text()
    assert "120행" in page.locator("#draft-sources").inner_text()
    page.fill("#draft-plans", "○ 지역 어린이집과의 협약을 검토할 예정")
    with page.expect_download() as dl:
        page.click("#docx-button")
    path = tmp_path / "draft.docx"
    dl.value.save_as(path)
    doc = Document(io.BytesIO(path.read_bytes()))
    right = doc.tables[0].rows[1].cells[1].text
    assert "□ 추진상황 : 추진 중" in right and "지역 어린이집과의 협약을 검토할 예정" in right and "176,213천원" in right
    page.screenshot(path=str(tmp_path / "draft.png"), full_page=True)


def test_an_edited_figure_without_a_source_is_removed_from_the_docx(draft_page, tmp_path):
    from docx import Document

    page = draft_page
    page.fill("#draft-request", REQUEST)
    page.click("#draft-button")
    page.wait_for_selector("#draft:not([hidden])", timeout=60_000)
    assert page.locator("#draft-warning").is_hidden()
    page.fill("#draft-progress", "○ 재원 아동은 37명임")
    with page.expect_download() as dl:
        page.click("#docx-button")
    path = tmp_path / "edited.docx"
    dl.value.save_as(path)
    right = Document(io.BytesIO(path.read_bytes())).tables[0].rows[1].cells[1].text
    assert "재원 아동은 [확인 불가]명임" in right and "37" not in right


def test_an_empty_request_is_a_korean_message(draft_page):
    page = draft_page
    page.evaluate("document.getElementById('draft-request').removeAttribute('required')")
    page.click("#draft-button")
    page.wait_for_selector("#status.error", timeout=10_000)
    assert "요구사항을 입력하세요" in page.locator("#status").inner_text()
