"""`gdnn-monitor sources check` fetches each start URL once and reports what works and what does not."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from crawlers.check import FAIL, OK, SKIP, check_sources
from store.registry import parse_sources
from tests.pipeline.farm import Farm


@pytest.fixture
def farm():
    with Farm(host="127.0.0.22", articles=45) as site:
        yield site


def _registry(farm: Farm, tmp_path):
    text = f"""sources:
  - id: tot
    name: Báo Tốt
    kind: newspaper
    homepage: {farm.base}/
    feeds: [{farm.base}/rss.xml]
    sitemaps: [{farm.base}/sitemap.xml]
    listings: [{farm.base}/tin-tuc]
  - id: bi-chan
    name: Trang bị chặn
    kind: portal
    listings: ["{farm.base}/tim-kiem?q=nghe"]
  - id: hong
    name: Trang hỏng
    kind: school
    feeds: [{farm.base}/khong-co.rss]
    listings: [{farm.base}/gioi-thieu]
  - id: trang-fb
    name: Trang Facebook
    kind: facebook
    facebook_page_id: "12345"
"""
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path, parse_sources(text, path)


def _outcomes(result) -> dict[str, str]:
    return {check.what: check.outcome for check in result.checks}


def test_each_way_in_is_checked_and_explained(settings_env, farm, tmp_path):
    _, registry = _registry(farm, tmp_path)
    good, blocked, broken, facebook = check_sources(registry.sources)

    assert _outcomes(good) == {"robots.txt": OK, "feed": OK, "sitemap": OK, "listing": OK} and good.usable
    details = {check.what: check.detail for check in good.checks}
    assert details["feed"].startswith("20 mục") and details["sitemap"] == "45 địa chỉ"
    assert details["listing"].startswith("20 liên kết bài viết") and "phân trang" in details["listing"]

    assert _outcomes(blocked)["listing"] == FAIL and "robots.txt" in blocked.checks[-1].detail
    assert not blocked.usable
    assert not any(path.startswith("/tim-kiem") for path in farm.requests), "a disallowed URL is never fetched"

    assert _outcomes(broken) == {"robots.txt": OK, "feed": FAIL, "listing": FAIL} and not broken.usable
    assert "sitemap" not in good.checks[0].detail, "the sitemap robots.txt declares is already in the source"
    assert f"khai báo sitemap {farm.base}/sitemap.xml — nguồn chưa dùng" in broken.checks[0].detail
    assert "404" in broken.checks[1].detail and "article_pattern" in broken.checks[2].detail

    assert _outcomes(facebook) == {"facebook": SKIP} and "GDNN_FACEBOOK_TOKEN" in facebook.checks[0].detail
    assert farm.requests["/robots.txt"] == 3, "robots.txt once per source, not once per URL"


def test_the_command_prints_a_table_and_fails_when_a_named_source_is_not_usable(settings_env, farm, tmp_path):
    path, _ = _registry(farm, tmp_path)
    env = os.environ | {"GDNN_SOURCES": str(path), "COLUMNS": "200"}
    good = subprocess.run(
        [sys.executable, "-m", "gdnn_monitor.cli", "sources", "check", "tot"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert good.returncode == 0, good.stderr
    assert "1/1 nguồn dùng được." in good.stdout and "✓ được" in good.stdout

    bad = subprocess.run(
        [sys.executable, "-m", "gdnn_monitor.cli", "sources", "check", "tot", "hong"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert bad.returncode == 1
    assert "1/2 nguồn dùng được. Cần xem lại: hong." in bad.stdout and "✗ lỗi" in bad.stdout

    unknown = subprocess.run(
        [sys.executable, "-m", "gdnn_monitor.cli", "sources", "check", "hongg"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert unknown.returncode == 4 and "did you mean 'hong'" in unknown.stderr
