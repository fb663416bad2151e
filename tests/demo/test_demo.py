"""`gdnn-monitor demo`: offline, no configuration, a filled dashboard in a real browser, the real database untouched."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

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
ACCOUNT = re.compile(r"Tài khoản duyệt tin mẫu: (\S+) / mật khẩu: (\S+)")
START_LIMIT_SECONDS = 120


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_demo(port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "gdnn_monitor.cli", "demo", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=os.environ.copy(),
    )


def wait_for_account(process: subprocess.Popen) -> tuple[str, str, list[str]]:
    """Read the demo's output until it prints the account (it is ready then), within the two-minute promise."""
    lines: list[str] = []
    deadline = time.monotonic() + START_LIMIT_SECONDS
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip())
        if match := ACCOUNT.search(line):
            return match.group(1), match.group(2), lines
    process.kill()
    raise AssertionError("the demo did not become ready:\n" + "\n".join(lines))


def assert_serving_now(port: int) -> None:
    """The demo prints the link only when the web app accepts connections: no waiting allowed here."""
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) == 0, f"the link was printed before port {port} listened"


@pytest.mark.browser
@pytest.mark.skipif(
    not CHROMIUM.exists() and shutil.which("chromium") is None,
    reason="Debian's chromium is not installed; `make test` installs it",
)
def test_demo_shows_a_filled_dashboard_and_queue_in_the_browser_and_leaves_the_real_database_alone(
    settings_env, screenshots: Path
):
    from playwright.sync_api import sync_playwright

    real_database = Path(settings_env.database_url.removeprefix("sqlite:///"))
    port = free_port()
    started = time.monotonic()
    process = start_demo(port)
    try:
        user, password, lines = wait_for_account(process)
        assert_serving_now(port)
        ready_after = time.monotonic() - started
        assert ready_after < START_LIMIT_SECONDS
        crawled = [line for line in lines if "tin mới" in line]
        assert len(crawled) == 3 and all(int(re.search(r"(\d+) tin mới", line).group(1)) > 0 for line in crawled)
        base = f"http://127.0.0.1:{port}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")), args=ARGS
            )
            context = browser.new_context(base_url=base, viewport={"width": 1366, "height": 900}, locale="vi-VN")
            context.route(
                "**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort()
            )
            page = context.new_page()
            page.set_default_timeout(15_000)
            page.goto("/login?next=/")
            page.fill("input[name=username]", user)
            page.fill("input[name=password]", password)
            with page.expect_navigation():
                page.click("button[type=submit]")
            assert int(page.locator(".kpi[data-metric=tin_bai] .done").inner_text()) > 0
            assert page.locator(".kpi[data-metric=san_pham] .done").inner_text() == "600"
            assert page.locator("svg.chart").count() >= 4
            page.screenshot(path=str(screenshots / "demo-dashboard.png"), full_page=True)
            page.goto("/queue")
            rows = page.locator("tr.queue-row")
            assert rows.count() > 0
            page.screenshot(path=str(screenshots / "demo-queue.png"), full_page=True)
            page.locator("tr.queue-row td.title a").first.click()
            page.wait_for_url(re.compile(r"/items/\d+"))
            assert page.locator("mark").count() > 0  # the words that drove the decision are highlighted
            page.screenshot(path=str(screenshots / "demo-item.png"), full_page=True)
            browser.close()
    finally:
        process.send_signal(signal.SIGINT)  # Ctrl-C
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    rest = process.stdout.read()
    assert process.returncode == 0, rest
    assert "Đã dừng bản demo" in rest
    assert not real_database.exists()
    assert (settings_env.data_dir / "demo" / "demo.sqlite3").exists()


def test_demo_refuses_a_busy_port_before_doing_anything(settings_env):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "gdnn_monitor.cli", "demo", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            env=os.environ.copy(),
        )
    assert result.returncode == 7
    assert f"Cổng {port}" in result.stderr and "Traceback" not in result.stderr
    assert not (settings_env.data_dir / "demo").exists()
