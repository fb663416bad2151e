"""One settings object for the whole service, read from GDNN_* environment variables (and an optional .env)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGE_ROOT = Path(__file__).resolve().parents[2]
SHIPPED_SOURCES = PACKAGE_ROOT / "crawlers" / "sources.yaml"


def default_data_dir() -> Path:
    """Per-user data directory, so a plain install works without any configuration."""
    return Path(user_data_dir("gdnn-monitor", appauthor=False))


def default_database_url() -> str:
    return f"sqlite:///{default_data_dir() / 'gdnn-monitor.sqlite3'}"


class Settings(BaseSettings):
    """Every knob of the service; the README's settings table documents each field."""

    model_config = SettingsConfigDict(env_prefix="GDNN_", env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = Field(default_factory=default_database_url)
    data_dir: Path = Field(default_factory=default_data_dir)
    sources: Path = SHIPPED_SOURCES
    download_delay: float = Field(1.0, ge=0)
    redis_url: str | None = None
    redis_prefix: str = Field("gdnn-monitor", pattern=r"^[A-Za-z0-9_.:-]+$")
    timezone: str = "Asia/Ho_Chi_Minh"
    user_agent_contact: str = "https://github.com/gdnn-monitor/gdnn-monitor"
    concurrent_requests: int = Field(8, ge=1)
    page_timeout: float = Field(30.0, gt=0)
    max_page_bytes: int = Field(5 * 1024 * 1024, gt=0)
    max_pages_per_source: int = Field(2000, ge=1)
    listing_depth: int = Field(5, ge=0)
    facebook_token: str | None = None
    facebook_graph_url: str = "https://graph.facebook.com/v19.0"
    model_path: Path | None = None
    schedule_cron: str = "30 5 * * *"
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str | None = None
    smtp_to: str | None = None
    smtp_starttls: bool = True
    secret_key: str | None = None
    web_base_url: str = "http://127.0.0.1:8000"
    trusted_proxies: str | None = None
    count_syndicated: str = "distinct_outlets"
    log_format: Literal["text", "json"] = "text"
    crawl_log_days: int = Field(90, ge=1)

    @field_validator(
        "redis_url", "facebook_token", "smtp_host", "model_path", "secret_key", "trusted_proxies", mode="before"
    )
    @classmethod
    def empty_means_unset(cls, value: object) -> object:
        """An empty GDNN_X= line in .env means 'not set', not an empty string."""
        return None if value == "" else value

    @field_validator("timezone")
    @classmethod
    def known_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (example: Asia/Ho_Chi_Minh)") from exc
        return value

    @field_validator("count_syndicated")
    @classmethod
    def known_counting_rule(cls, value: str) -> str:
        allowed = {"distinct_outlets", "every_placement", "unique_stories"}
        if value not in allowed:
            raise ValueError(f"must be one of {sorted(allowed)}")
        return value

    @property
    def tz(self):
        from zoneinfo import ZoneInfo

        return ZoneInfo(self.timezone)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings are read once per process; tests call get_settings.cache_clear() after changing the environment."""
    return Settings()
