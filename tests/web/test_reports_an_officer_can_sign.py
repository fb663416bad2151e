"""Reports an officer can sign (issue 14): metrics never added together, reviewers only for decisions, real dates,
links and targets in XLSX, activity groups and a source filter, the waiting queue named, one definition of waiting."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from web_helpers import csrf_of, login

from gdnn_monitor.core.settings import get_settings
from store.db import session_scope
from store.manual import ManualEntry, create_manual_entry
from store.models import Item
from store.reports import set_target
from store.reviews import Decision, ReviewError, decide, undo_last
from web.report_files import Period, build_report, render_report


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gdnn_monitor.cli", *args],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=120,
    )


def _report(period: Period, sources: list[str] | None = None):
    settings = get_settings()
    with session_scope() as session:
        return build_report(session, period, settings.count_syndicated, settings.tz, sources)


def _xlsx(content: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(content))


def _leaflets(quantity: int = 600, day: date = date(2024, 5, 2)) -> None:
    with session_scope() as session:
        create_manual_entry(
            session,
            "reviewer1",
            ManualEntry("Tờ rơi tuyển sinh", day, "an_pham", "product", quantity=quantity, theme="tuyen_sinh"),
        )


# --- 1: units of different metrics are never added ---------------------------------------------------------------


def test_articles_and_leaflets_are_never_added_in_any_report(web_env, tmp_path: Path):
    _leaflets(600)  # May 2024 also has 2 counted articles (the portal copy and the TV report)
    settings = get_settings()
    data = _report(Period(2024, 5))
    workbook = _xlsx(render_report(data, "xlsx", settings.tz))
    numbers = {
        cell for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row if isinstance(cell, int)
    }
    assert 602 not in numbers
    summary = {row[0]: row for row in workbook["Tổng hợp"].iter_rows(values_only=True) if row and row[0]}
    assert summary["Tổng — Tin/bài"][3] == 2 and summary["Tổng — Sản phẩm truyền thông"][3] == 600
    text = render_report(data, "csv", settings.tz).decode("utf-8-sig")
    assert "602" not in text and "Tổng cộng" not in text
    result = run_cli("report", "--month", "2024-05", "--format", "csv", "-o", str(tmp_path / "t5.csv"))
    assert result.returncode == 0, result.stderr
    assert "602" not in result.stdout
    assert "tin/bài 2" in result.stdout and "sản phẩm truyền thông 600" in result.stdout


def test_the_dashboard_line_gives_each_metric_on_its_own(client, web_env):
    _leaflets(600)
    login(client, "viewer")
    page = client.get("/?year=2024").text
    line = page.split('id="year-line"', 1)[1].split("</p>", 1)[0]
    assert "Tin/bài 3 lượt đăng" in line and "Sản phẩm truyền thông 1 lượt đăng" in line
    assert "4 lượt đăng" not in line and line.index("Tin/bài") < line.index("Sản phẩm")


# --- 2: reviewers only for decisions, a theme for every confirmation ---------------------------------------------


def test_an_edited_but_unconfirmed_item_is_listed_without_a_reviewer(web_env):
    with session_scope() as session:
        decide(session, web_env["copy"], "canbo", Decision("corrected", theme="co_so"))
    rows = {row.id: row for row in _report(Period(2024, 5)).rows}
    assert rows[web_env["copy"]].reviewed_by is None and rows[web_env["copy"]].theme == "co_so"
    items = list(
        _xlsx(render_report(_report(Period(2024, 5)), "xlsx", get_settings().tz))["Danh sách"].iter_rows(
            values_only=True
        )
    )
    assert "canbo" not in {row[9] for row in items}


def test_confirming_an_item_without_a_theme_asks_for_one(client, web_env):
    with session_scope() as session, pytest.raises(ReviewError, match="Chọn chủ đề"):
        decide(session, web_env["false-friend"], "reviewer1", Decision("confirmed"))
    token = login(client, "reviewer")
    refused = client.post(
        f"/items/{web_env['false-friend']}/decision", data={"decision": "confirmed", "csrf_token": token, "stay": "1"}
    )
    with session_scope() as session:
        assert session.get(Item, web_env["false-friend"]).review is None
    assert "Chọn chủ đề trước khi xác nhận" in refused.text
    client.post(
        f"/items/{web_env['false-friend']}/decision",
        data={"decision": "confirmed", "theme": "dao_tao", "csrf_token": token, "stay": "1"},
    )
    with session_scope() as session:
        item = session.get(Item, web_env["false-friend"])
        assert (item.review, item.theme) == ("confirmed", "dao_tao")


# --- 3: XLSX dates, links, targets and percentages ---------------------------------------------------------------


def test_xlsx_dates_are_dates_links_are_hyperlinks_and_the_annual_file_has_targets(web_env):
    with session_scope() as session:
        set_target(session, 2024, "tin_bai", 50)
    settings = get_settings()
    book = _xlsx(render_report(_report(Period(2024)), "xlsx", settings.tz))
    sheet = book["Danh sách"]
    first = next(sheet.iter_rows(min_row=2, max_row=2))
    assert isinstance(first[0].value, datetime) and first[0].number_format == "dd/mm/yyyy"
    assert first[3].hyperlink is not None and first[3].hyperlink.target == first[3].value
    rows = {row[0].value: row for row in book["Tổng hợp"].iter_rows() if row and row[0].value}
    header = [cell.value for cell in rows["Chỉ tiêu (metric)"]]
    assert "Chỉ tiêu năm (target)" in header and "Đạt (% chỉ tiêu)" in header
    tin_bai = rows[next(label for label in rows if str(label).startswith("Tin/bài ("))]
    assert tin_bai[4].value == 50 and tin_bai[5].value == pytest.approx(3 / 50)
    assert tin_bai[5].number_format == "0.0%"
    text = render_report(_report(Period(2024)), "csv", settings.tz).decode("utf-8-sig")
    assert "6,0 %" in text


# --- 4: activity groups, by theme, and a report limited to some sources -----------------------------------------


def test_reports_break_results_down_by_activity_group_and_theme(web_env):
    with session_scope() as session:
        for key, group in (("copy", 3), ("auto", 3)):
            session.get(Item, web_env[key]).activity_group = group
    _leaflets(600)
    text = render_report(_report(Period(2024, 5)), "csv", get_settings().tz).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    groups = {row[0]: row[1:4] for row in rows if row and row[0].startswith(("3. ", "Chưa xác định nhóm"))}
    assert groups["3. Phối hợp với cơ quan báo chí: tin, bài, phóng sự, chuyên mục, tọa đàm"] == ["2", "0", "0"]
    assert groups["Chưa xác định nhóm hoạt động"] == ["0", "600", "0"]
    themes = {row[0]: row[1:4] for row in rows if row and row[0] in ("Tuyển sinh, hướng nghiệp", "Đào tạo")}
    assert themes == {"Tuyển sinh, hướng nghiệp": ["1", "600", "0"], "Đào tạo": ["1", "0", "0"]}
    header = next(row for row in rows if row and row[0] == "Ngày (date)")
    assert "Nhóm hoạt động (activity group)" in header


def test_the_activity_group_is_edited_in_review_and_undone_like_the_theme(web_env):
    with session_scope() as session:
        decide(session, web_env["auto"], "reviewer1", Decision("corrected", activity_group=5))
        assert session.get(Item, web_env["auto"]).activity_group == 5
        undo_last(session, web_env["auto"], "reviewer1")
        assert session.get(Item, web_env["auto"]).activity_group is None
        with pytest.raises(ReviewError, match="Nhóm hoạt động"):
            decide(session, web_env["auto"], "reviewer1", Decision("corrected", activity_group=9))


def test_a_report_can_be_limited_to_some_sources_from_the_cli_and_the_web(client, web_env, tmp_path: Path):
    result = run_cli(
        "report", "--month", "2024-05", "--source", "dai-pt-th", "--format", "csv", "-o", str(tmp_path / "dai.csv")
    )
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO((tmp_path / "dai.csv").read_text(encoding="utf-8-sig"))))
    listed = [row[2] for row in rows[rows.index(next(r for r in rows if r[:1] == ["Ngày (date)"])) + 1 :]]
    assert listed == ["Phóng sự: Đào tạo nghề cho lao động nông thôn ở Lạng Sơn"]
    assert any("Phạm vi: chỉ các nguồn" in row[0] for row in rows if row)
    unknown = run_cli("report", "--month", "2024-05", "--source", "dai-pt", "--format", "csv")
    assert unknown.returncode == 2 and "có phải 'dai-pt-th'" in unknown.stderr
    login(client, "viewer")
    page = client.get("/reports/view?month=2024-05&source=dai-pt-th&source=cong-ttdt").text
    assert "Đài" in page.split('id="report-scope"', 1)[1].split("</p>", 1)[0]
    web = client.get("/reports/download?month=2024-05&format=csv&source=dai-pt-th")
    assert web.content == (tmp_path / "dai.csv").read_bytes()


# --- 5: the waiting queue of the period is named -----------------------------------------------------------------


def test_the_report_says_how_many_items_still_wait_for_review(web_env, tmp_path: Path):
    data = _report(Period(2024, 5))
    assert data.waiting == 3  # two uncertain articles and the Facebook post, none reviewed yet
    heading = [
        row[0]
        for row in _xlsx(render_report(data, "xlsx", get_settings().tz))["Tổng hợp"].iter_rows(
            max_row=5, values_only=True
        )
        if row and row[0]
    ]
    assert any("Còn 3 tin/bài đang chờ duyệt trong kỳ" in line for line in heading)
    assert _report(Period(2024, 5), ["fb-truong"]).waiting == 1
    assert _report(Period(2024, 6)).waiting == 0
    result = run_cli("report", "--month", "2024-05", "-o", str(tmp_path / "t5.xlsx"))
    assert "3 tin/bài đang chờ duyệt" in result.stdout


# --- 17: failures described by what happened ---------------------------------------------------------------------


def test_a_source_failing_four_times_in_a_quarter_hour_is_not_called_failing_for_days(client, web_env):
    from datetime import timedelta

    from gdnn_monitor.pipeline.backoff import update_backoff
    from store.models import Source
    from store.types import utcnow

    now = utcnow()
    with session_scope() as session:
        source = session.get(Source, "truong-cd")
        source.last_crawl_at = source.last_failure_at = now
        source.last_success_at = now - timedelta(minutes=15)
        source.consecutive_failures = 4
        update_backoff(session, now)
    login(client, "viewer")
    page = client.get("/").text
    row = page.split("Trường Cao đẳng", 1)[1].split("</tr>", 1)[0]
    assert "lỗi nhiều ngày" not in page
    assert "lỗi 4 lần liên tiếp, chưa thành công lại từ" in row
    assert ">Trường<" in row and ">school<" not in row  # the kind in Vietnamese, not the config word


# --- 18: one definition of waiting -------------------------------------------------------------------------------


def test_the_dashboard_and_the_queue_count_the_same_waiting_items(client, web_env):
    import re

    login(client, "reviewer")
    dashboard = client.get("/").text
    waiting = int(re.search(r'id="waiting-count">(\d+)<', dashboard).group(1))
    queue = client.get("/queue").text
    assert waiting == 3 and len(re.findall(r'<tr class="queue-row', queue)) == waiting
    assert f"{waiting} tin/bài" in queue


# --- 19: bad values are named, undo is described ------------------------------------------------------------------


def test_the_queue_says_which_filter_it_ignored(client, web_env):
    login(client, "reviewer")
    page = client.get("/queue?month=2026-13").text
    assert "tháng &#39;2026-13&#39; không hợp lệ" in page and "đã bỏ lọc theo tháng" in page


def test_the_history_describes_an_undo_in_words(client, web_env):
    with session_scope() as session:
        decide(session, web_env["auto"], "reviewer1", Decision("rejected"))
        undo_last(session, web_env["auto"], "admin1", is_admin=True)
    login(client, "viewer")
    history = client.get(f"/items/{web_env['auto']}").text.split("Lịch sử duyệt", 1)[1]
    assert "bỏ quyết định “Đã từ chối” của reviewer1" in history and "#" not in history.split("</ol>", 1)[0]


def test_a_manual_entry_dated_in_the_future_is_saved_with_a_warning(client, web_env):
    token = login(client, "reviewer")
    future = date(datetime.now().year + 1, 1, 15)
    page = client.post(
        "/manual",
        data={
            "csrf_token": token,
            "title": "Hội thi tay nghề",
            "day": future.isoformat(),
            "channel": "su_kien",
            "genre": "event",
            "quantity": "1",
            "theme": "ky_nang",
        },
        follow_redirects=True,
    ).text
    assert "Đã lưu mục nhập tay" in page and f"ngày {future:%d/%m/%Y}" in page and "ở tương lai" in page
    assert csrf_of(page)
