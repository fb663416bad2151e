"""The web app in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright; nothing downloaded):
login, keyboard review with undo, manual entry, dashboard, report download. Takes the README's screenshots
(written to docs/screenshots with GDNN_TEST_UPDATE_SCREENSHOTS=1)."""

from __future__ import annotations

import io
import shutil
from datetime import date
from pathlib import Path

import pytest
from web_helpers import PASSWORDS

from store.db import session_scope
from store.manual import ManualEntry, create_manual_entry
from store.models import Item
from store.reports import set_target

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and shutil.which("chromium") is None,
        reason="Debian's chromium is not installed (/usr/bin/chromium); `make test` installs it",
    ),
]


@pytest.fixture
def page(live_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")), args=ARGS
        )
        context = browser.new_context(
            base_url=live_server, viewport={"width": 1366, "height": 900}, locale="vi-VN", accept_downloads=True
        )
        context.route(
            "**/*", lambda route: route.continue_() if route.request.url.startswith(live_server) else route.abort()
        )
        tab = context.new_page()
        tab.set_default_timeout(15_000)
        yield tab
        context.close()
        browser.close()


def log_in(page, role: str, next_path: str = "/") -> None:
    page.goto(f"/login?next={next_path}")
    page.fill("input[name=username]", f"{role}1")
    page.fill("input[name=password]", PASSWORDS[role])
    with page.expect_navigation():
        page.click("button[type=submit]")


def _review(item_id: int) -> tuple[str | None, str | None]:
    with session_scope() as session:
        item = session.get(Item, item_id)
        return item.review, item.reviewed_by


def test_login_is_required_and_a_wrong_password_is_told(page, web_env):
    page.goto("/queue")
    assert page.url.endswith("/login?next=/queue")
    page.fill("input[name=username]", "reviewer1")
    page.fill("input[name=password]", "sai-mat-khau")
    page.click("button[type=submit]")
    assert page.locator("[role=alert]").inner_text() == "Sai tên đăng nhập hoặc mật khẩu."
    log_in(page, "reviewer", "/queue")
    assert page.url.endswith("/queue") and page.locator("h1").inner_text() == "Hàng đợi duyệt"


def test_review_with_the_keyboard_then_undo(page, web_env, screenshots: Path):
    log_in(page, "reviewer", "/queue")
    page.screenshot(path=str(screenshots / "queue.png"), full_page=True)
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/items/{web_env['uncertain']}?*")
    assert page.locator("#item-text mark").count() >= 2
    page.screenshot(path=str(screenshots / "item.png"), full_page=True)
    page.keyboard.press("c")
    page.wait_for_url(f"**/items/{web_env['script']}")  # the next most uncertain item opens
    assert _review(web_env["uncertain"]) == ("confirmed", "reviewer1")
    assert f"tin/bài số {web_env['uncertain']}" in page.locator(".flash").inner_text()
    with page.expect_navigation():
        page.keyboard.press("u")
    assert _review(web_env["uncertain"]) == (None, None)
    assert "Đã hoàn tác" in page.locator(".flash").inner_text()


def test_search_the_queue_typing_without_tone_marks_then_open_a_result(page, web_env):
    log_in(page, "reviewer", "/queue")
    page.fill("input[name=q]", "thi ky nang")  # "j" or "k" typed in the box must not move the selection
    with page.expect_navigation():
        page.keyboard.press("Enter")
    titles = page.locator("tr.queue-row td.title a").all_inner_texts()
    assert titles == ["Thi kỹ năng nghề tỉnh năm 2024 có 120 thí sinh"]
    assert page.input_value("input[name=q]") == "thi ky nang"
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/items/{web_env['june']}?*")


def test_overturn_an_auto_accepted_item_with_a_click_and_a_note(page, web_env):
    log_in(page, "reviewer", f"/items/{web_env['auto']}")
    page.fill("#note", "Không nói về GDNN")
    with page.expect_navigation():
        page.click("#btn-reject")
    assert _review(web_env["auto"]) == ("rejected", "reviewer1")
    page.goto(f"/items/{web_env['auto']}")
    assert "Không nói về GDNN" in page.locator(".history").inner_text()
    with page.expect_navigation():
        page.click("#btn-undo")
    assert _review(web_env["auto"]) == (None, None)


def test_script_in_an_article_is_shown_as_text_and_never_runs(page, web_env):
    log_in(page, "viewer", f"/items/{web_env['script']}")
    assert "<script>alert('x')</script>" in page.locator("#item-title").inner_text()
    assert "onerror=" in page.locator("#item-text").inner_text()
    assert page.evaluate("document.body.dataset.pwned") is None
    assert page.locator("#decision-form").count() == 0  # a viewer gets no decision buttons


def test_manual_entry_from_the_form(page, web_env):
    log_in(page, "reviewer", "/manual")
    page.click("button.preset[data-genre=product]")
    assert page.input_value("#m-channel") == "an_pham" and page.input_value("#m-genre") == "product"
    page.fill("#m-title", "Tờ rơi “Chọn nghề - chọn trường” phát cho học sinh lớp 9")
    page.fill("#m-day", "2024-05-20")
    page.fill("#m-quantity", "1000")
    page.set_input_files(
        "#m-file", files=[{"name": "tờ-rơi.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 to roi"}]
    )
    page.click("#m-save")
    page.wait_for_url("**/manual")
    assert "Đã lưu mục nhập tay" in page.locator(".flash").inner_text()
    assert "Chọn nghề - chọn trường" in page.locator("table.manual-list").inner_text()
    with session_scope() as session:
        from sqlmodel import select

        item = session.exec(select(Item).where(Item.origin == "manual")).one()
    assert (item.quantity, item.genre, item.review, item.attachment is not None) == (1000, "product", "confirmed", True)


def test_dashboard_shows_targets_charts_and_failing_sources(page, web_env, screenshots: Path):
    with session_scope() as session:
        set_target(session, 2024, "tin_bai", 50)
        set_target(session, 2024, "san_pham", 1000)
        set_target(session, 2024, "su_kien", 12)
        create_manual_entry(
            session,
            "admin1",
            ManualEntry(
                "Áp phích Ngày Kỹ năng lao động Việt Nam", date(2024, 10, 4), "an_pham", "product", quantity=400
            ),
        )
        create_manual_entry(
            session,
            "admin1",
            ManualEntry(
                "Ngày hội tư vấn tuyển sinh - hướng nghiệp 2024",
                date(2024, 3, 16),
                "su_kien",
                "event",
                theme="tuyen_sinh",
            ),
        )
    log_in(page, "admin", "/?year=2024")
    assert page.locator(".kpi[data-metric=tin_bai] .done").inner_text() == "3"
    assert page.locator(".kpi[data-metric=san_pham] .done").inner_text() == "400"
    assert page.locator("svg.chart").count() == 4
    assert page.locator("tr.status-down").count() == 1
    assert "Trang Facebook Trường" in page.locator("tr.status-down").inner_text()
    page.screenshot(path=str(screenshots / "dashboard.png"), full_page=True)


def test_report_download_from_the_browser(page, web_env, tmp_path: Path):
    from openpyxl import load_workbook

    log_in(page, "viewer", "/reports")
    page.fill("#report-month input[name=month]", "2024-05")
    with page.expect_download() as download_info:
        page.click("#report-month button[type=submit]")
    download = download_info.value
    assert download.suggested_filename == "bao-cao-gdnn-2024-05.xlsx"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    book = load_workbook(io.BytesIO(target.read_bytes()))
    titles = [row[2] for row in book["Danh sách"].iter_rows(min_row=2, values_only=True)]
    assert "Phóng sự: Đào tạo nghề cho lao động nông thôn ở Lạng Sơn" in titles
