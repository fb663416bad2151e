"""Scrapy is configured from our settings: politeness on, limits from GDNN_*, per-source delays, Redis on demand."""

from __future__ import annotations

import pytest

from crawlers.engine.settings import scrapy_settings
from gdnn_monitor.core.errors import ConfigError
from gdnn_monitor.core.settings import get_settings
from store.registry import SourceConfig

SLOW_SITE = SourceConfig(
    id="cham",
    name="Chậm",
    kind="newspaper",
    homepage="https://www.cham.vn/",
    feeds=["https://rss.cham.vn/home.rss"],
    download_delay=3,
)


def test_politeness_and_limits_come_from_the_settings(settings_env, monkeypatch):
    monkeypatch.setenv("GDNN_PAGE_TIMEOUT", "12")
    monkeypatch.setenv("GDNN_MAX_PAGE_BYTES", "2000000")
    monkeypatch.setenv("GDNN_DOWNLOAD_DELAY", "1.5")
    monkeypatch.setenv("GDNN_USER_AGENT_CONTACT", "https://so-ldtbxh.example.gov.vn/lien-he")
    get_settings.cache_clear()
    config = scrapy_settings(get_settings(), [SLOW_SITE])
    assert config["ROBOTSTXT_OBEY"] is True
    assert (
        config["USER_AGENT"].startswith("gdnn-monitor/") and "so-ldtbxh.example.gov.vn/lien-he" in config["USER_AGENT"]
    )
    assert (config["DOWNLOAD_TIMEOUT"], config["DOWNLOAD_MAXSIZE"], config["DOWNLOAD_DELAY"]) == (12, 2_000_000, 1.5)
    assert config["AUTOTHROTTLE_ENABLED"] and config["RETRY_TIMES"] >= 2 and 503 in config["RETRY_HTTP_CODES"]
    assert config["DOWNLOAD_SLOTS"] == {
        "www.cham.vn": {"delay": 3, "jitter": 0},
        "rss.cham.vn": {"delay": 3, "jitter": 0},
    }
    assert "SCHEDULER" not in config  # Scrapy's own in-process frontier


def test_a_distributed_crawl_without_redis_is_a_clear_configuration_error(settings_env):
    with pytest.raises(ConfigError, match="GDNN_REDIS_URL"):
        scrapy_settings(get_settings(), [SLOW_SITE], distributed=True)
