"""Counting and reports: the syndication rule, the dashboard's numbers, CSV/XLSX files, the report command."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from web_helpers import login

from gdnn_monitor.core.dates import month_bounds, year_bounds
from gdnn_monitor.core.settings import get_settings
from store.db import session_scope
from store.manual import ManualEntry, create_manual_entry
from store.reports import counted_rows, period_summary, set_target, summarise
from web.report_files import Period, build_report, render_report


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gdnn_monitor.cli", *args],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=120,
    )


def _may(rule: str):
    tz = get_settings().tz
    with session_scope() as session:
        return summarise(counted_rows(session, *month_bounds(2024, 5, tz), rule), rule, tz)


def test_counted_items_follow_the_counting_rule(web_env):
    summary = _may("distinct_outlets")
    # May 2024: the auto-accepted copy on the portal and the TV report count; review-zone and rejected ones do not.
    assert summary.total.placements == 2 and summary.total.counted == 2


@pytest.mark.parametrize(
    "rule, counted, stories", [("distinct_outlets", 3, 2), ("every_placement", 4, 2), ("unique_stories", 2, 2)]
)
def test_syndicated_copies_count_according_to_the_setting(web_env, rule, counted, stories):

    from store.models import Item
    from store.reviews import Decision, decide

    with session_scope() as session:
        decide(session, web_env["uncertain"], "reviewer1", Decision("confirmed"))
        # a second copy of the same story on the same outlet as the original (a re-post)
        original = session.get(Item, web_env["uncertain"])
        session.add(
            Item(
                url="http://127.0.0.1:9/bao/repost",
                source_id=original.source_id,
                title=original.title,
                published_at=original.published_at,
                story_id=original.story_id,
                zone="accept",
                gdnn_score=0.9,
            )
        )
    summary = _may(rule)
    assert summary.total.placements == 4
    assert summary.total.counted == counted and summary.total.unique_stories == stories


def test_dashboard_summary_equals_the_report_summary(web_env):
    from store.reviews import Decision, decide

    tz = get_settings().tz
    with session_scope() as session:
        decide(session, web_env["uncertain"], "reviewer1", Decision("confirmed"))
        create_manual_entry(
            session,
            "reviewer1",
            ManualEntry("Tờ rơi tuyển sinh", date(2024, 5, 2), "an_pham", "product", quantity=1000),
        )
        for rule in ("distinct_outlets", "every_placement", "unique_stories"):
            lean = period_summary(session, *year_bounds(2024, tz), rule, tz)
            full = summarise(counted_rows(session, *year_bounds(2024, tz), rule), rule, tz)
            assert lean == full, rule
    assert lean.by_metric["san_pham"].counted == 1000 and lean.by_metric["san_pham"].units == 1
    # May under unique_stories (the last rule above): the two copies of one story are one unit, plus TV and leaflets
    assert lean.by_month[6].counted == 1 and lean.by_month[5].units == 3 and lean.by_month[5].placements == 4


def test_dashboard_shows_progress_toward_the_targets(client, web_env):
    with session_scope() as session:
        set_target(session, 2024, "tin_bai", 50)
        set_target(session, 2024, "san_pham", 1000)
        create_manual_entry(
            session,
            "reviewer1",
            ManualEntry("Áp phích Ngày Kỹ năng lao động", date(2024, 10, 4), "an_pham", "product", quantity=250),
        )
    login(client, "viewer")
    page = client.get("/?year=2024").text
    assert 'data-metric="tin_bai"' in page and '<span class="done">3</span> / 50' in page
    assert '<span class="done">250</span> / 1.000' in page and "25.0% chỉ tiêu năm" in page
    assert "<svg" in page and "Phát thanh - Truyền hình" in page and "Tuyển sinh, hướng nghiệp" in page
    assert "lỗi nhiều ngày" in page and "HTTP 403 từ Graph API" in page
    assert not re.search(r'<(?:script|link|img)[^>]+(?:src|href)="(?:https?:)?//', page)  # nothing from the internet


def _xlsx(content: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(content))


def test_xlsx_report_has_a_summary_and_every_counted_item_in_vietnamese(web_env):
    from store.reviews import Decision, decide

    settings = get_settings()
    with session_scope() as session:
        decide(session, web_env["uncertain"], "reviewer1", Decision("confirmed"))
        data = build_report(session, Period(2024, 5), settings.count_syndicated, settings.tz)
    book = _xlsx(render_report(data, "xlsx", settings.tz))
    assert book.sheetnames == ["Tổng hợp", "Danh sách"]
    summary = [tuple(row) for row in book["Tổng hợp"].iter_rows(values_only=True)]
    assert summary[0][0] == "Báo cáo kết quả truyền thông về giáo dục nghề nghiệp — tháng 05/2024"
    assert "Quy tắc đếm" in summary[1][0] and "kênh khác nhau" in summary[1][0]
    table = {(row[0], row[1]): row[2:5] for row in summary if row and row[0] and len(row) > 4 and row[2] is not None}
    assert table[("Báo in/điện tử", "Tin, bài viết")] == (1, 1, 1)
    assert table[("Cổng thông tin", "Tin, bài viết")] == (1, 1, 1)
    assert table[("Tổng cộng (total)", None)] == (3, 3, 2)
    items = list(book["Danh sách"].iter_rows(values_only=True))
    assert items[0][0] == "Ngày (date)" and len(items) == 4
    titles = {row[2]: row for row in items[1:]}
    row = titles["Tư vấn tuyển sinh - hướng nghiệp cho học sinh lớp 9 tại huyện Cao Lộc"]
    assert row[1] in ("Báo Tỉnh Thử Nghiệm", "Cổng Thông tin điện tử Tỉnh") and row[6] == "Tuyển sinh, hướng nghiệp"
    assert {r[8] for r in items[1:]} == {"reviewer1", "tự động (mô hình)"}


def test_report_cells_never_become_formulas(web_env):
    settings = get_settings()
    with session_scope() as session:
        create_manual_entry(
            session, "reviewer1", ManualEntry("=HYPERLINK(\"http://x\",\"bấm\")", date(2024, 5, 9), "bao", "print")
        )
        data = build_report(session, Period(2024, 5), settings.count_syndicated, settings.tz)
    book = _xlsx(render_report(data, "xlsx", settings.tz))
    cells = [row[2] for row in book["Danh sách"].iter_rows(values_only=True)]
    assert '=HYPERLINK("http://x","bấm")' in cells
    cell = next(c for c in book["Danh sách"]["C"] if c.value == '=HYPERLINK("http://x","bấm")')
    assert cell.data_type == "s"
    text = render_report(data, "csv", settings.tz).decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_report_command_writes_xlsx_and_csv(web_env, tmp_path: Path):
    result = run_cli("report", "--month", "2024-05", "-o", str(tmp_path / "thang5.xlsx"))
    assert result.returncode == 0, result.stderr
    assert "tháng 05/2024" in result.stdout and (tmp_path / "thang5.xlsx").is_file()
    assert _xlsx((tmp_path / "thang5.xlsx").read_bytes())["Danh sách"].max_row == 3
    result = run_cli("report", "--year", "2024", "--format", "csv", "-o", str(tmp_path / "nam.csv"))
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "nam.csv").read_bytes()
    assert text.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert rows[0][0].endswith("năm 2024")
    assert any(row[:1] == ["Ngày (date)"] for row in rows)
    assert any("Thi kỹ năng nghề tỉnh năm 2024 có 120 thí sinh" in row for row in rows)


def _run_cli_with_stderr_on_a_terminal(*args: str) -> tuple[int, str]:
    """Run the command with stderr on a pseudo-terminal, as an officer at a console sees it."""
    import pty

    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "gdnn_monitor.cli", *args],
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env=os.environ.copy(),
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closes when the child exits
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return process.wait(timeout=120), b"".join(chunks).decode("utf-8", "replace")


def test_report_command_shows_its_stages_on_a_terminal_and_stays_quiet_in_a_pipe(web_env, tmp_path: Path):
    code, terminal = _run_cli_with_stderr_on_a_terminal("report", "--year", "2024", "-o", str(tmp_path / "a.xlsx"))
    assert code == 0, terminal
    assert "Đang tổng hợp số liệu năm 2024" in terminal and "Đang tạo tệp XLSX" in terminal
    assert "✓" in terminal
    piped = run_cli("report", "--year", "2024", "-o", str(tmp_path / "b.xlsx"))
    assert piped.returncode == 0 and piped.stderr == ""


@pytest.mark.parametrize("args", [("--month", "5/2024"), ("--month", "2024-13"), ()])
def test_report_command_explains_a_bad_period_with_exit_code_2(web_env, args):
    result = run_cli("report", *args)
    assert result.returncode == 2, result.stderr
    assert "Lỗi" in result.stderr and "Traceback" not in result.stderr
    if args and args[1] == "5/2024":
        assert "2024-05" in result.stderr


def test_download_from_the_web_app_matches_the_command(client, web_env, tmp_path: Path):
    login(client, "viewer")
    response = client.get("/reports/download?month=2024-05&format=xlsx")
    assert response.status_code == 200
    assert "bao-cao-gdnn-2024-05.xlsx" in response.headers["content-disposition"]
    web_rows = list(_xlsx(response.content)["Danh sách"].iter_rows(values_only=True))
    run_cli("report", "--month", "2024-05", "-o", str(tmp_path / "cli.xlsx"))
    cli_rows = list(_xlsx((tmp_path / "cli.xlsx").read_bytes())["Danh sách"].iter_rows(values_only=True))
    assert web_rows == cli_rows
    bad = client.get("/reports/download?month=5/2024")
    assert bad.status_code == 400 and "YYYY-MM" in bad.text


def test_counting_reviews_and_queue_work_the_same_on_sqlite_and_postgresql(web_db_env):
    from store.reviews import Decision, decide, undo_last
    from web.queue import QueueFilter, queue_page

    tz = get_settings().tz
    with session_scope() as session:
        decide(session, web_db_env["uncertain"], "reviewer1", Decision("confirmed", theme="co_so"))
        decide(session, web_db_env["june"], "reviewer1", Decision("rejected"))
        undo_last(session, web_db_env["june"], "reviewer1")
        create_manual_entry(
            session, "reviewer1", ManualEntry("Tờ rơi", date(2024, 5, 2), "an_pham", "product", quantity=300)
        )
    with session_scope() as session:
        for rule in ("distinct_outlets", "every_placement", "unique_stories"):
            lean = period_summary(session, *year_bounds(2024, tz), rule, tz)
            assert lean == summarise(counted_rows(session, *year_bounds(2024, tz), rule), rule, tz), rule
        assert lean.by_metric["san_pham"].counted == 300 and lean.by_month[6].counted == 1
        rows, total = queue_page(session, QueueFilter(month="2024-05"), tz)
        assert total == 5 and rows[0].id == web_db_env["script"]
        searched, found = queue_page(session, QueueFilter(status="all", text="làng NGHỀ"), tz)
        assert found == 1 and searched[0].id == web_db_env["false-friend"]
        assert queue_page(session, QueueFilter(status="all", text="lang nghe"), tz)[1] == 2
        data = build_report(session, Period(2024), "distinct_outlets", tz)
        assert len(data.rows) == 5
