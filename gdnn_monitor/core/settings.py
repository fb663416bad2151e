"""One settings object for the whole service, read from GDNN_* environment variables (and an optional .env)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGE_ROOT = Path(__file__).resolve().parents[2]
SHIPPED_SOURCES = PACKAGE_ROOT / "crawlers" / "sources.yaml"
BACKFILL_DAYS = 183

CONTACT_UNSET_WARNING = (
    "chưa đặt GDNN_CONTACT: bộ thu thập tự giới thiệu là gdnn-monitor mà không có địa chỉ liên "
    "hệ. Hãy đặt e-mail hoặc website của đơn vị (ví dụ GDNN_CONTACT=ldtbxh@langson.gov.vn) để "
    "quản trị các trang báo biết ai đang đọc và liên hệ khi cần"
)


def default_data_dir() -> Path:
    """Per-user data directory, so a plain install works without any configuration."""
    return Path(user_data_dir("gdnn-monitor", appauthor=False))


def default_database_url() -> str:
    return f"sqlite:///{default_data_dir() / 'gdnn-monitor.sqlite3'}"


class Settings(BaseSettings):
    """Every knob of the service; the README's settings table documents each field."""

    model_config = SettingsConfigDict(env_prefix="GDNN_", env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = Field(default_factory=default_database_url)
    db_connect_timeout: int = Field(10, ge=1, le=600)
    db_statement_timeout: int = Field(120, ge=0)
    data_dir: Path = Field(default_factory=default_data_dir)
    sources: Path = SHIPPED_SOURCES
    download_delay: float = Field(1.0, ge=0)
    redis_url: str | None = None
    redis_prefix: str = Field("gdnn-monitor", pattern=r"^[A-Za-z0-9_.:-]+$")
    timezone: str = "Asia/Ho_Chi_Minh"
    contact: str | None = None
    concurrent_requests: int = Field(8, ge=1)
    page_timeout: float = Field(30.0, gt=0)
    max_page_bytes: int = Field(5 * 1024 * 1024, gt=0)
    max_pages_per_source: int = Field(2000, ge=1)
    listing_depth: int = Field(5, ge=0)
    listing_max_pages: int = Field(300, ge=1)
    backfill_since: date | None = None
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
        "redis_url",
        "facebook_token",
        "contact",
        "backfill_since",
        "smtp_host",
        "model_path",
        "secret_key",
        "trusted_proxies",
        mode="before",
    )
    @classmethod
    def empty_means_unset(cls, value: object) -> object:
        """An empty GDNN_X= line in .env means 'not set', not an empty string."""
        return None if value == "" else value

    @field_validator("database_url")
    @classmethod
    def supported_database(cls, value: str) -> str:
        """SQLite or PostgreSQL only; 'postgres://' (what Heroku-style tools print) is read as PostgreSQL."""
        value = value.strip()
        scheme = value.split("://", 1)[0].lower() if "://" in value else ""
        if scheme in ("postgres", "postgresql"):
            return "postgresql://" + value.split("://", 1)[1]
        if scheme.split("+", 1)[0] in ("sqlite", "postgresql"):
            return value
        raise ValueError(
            f"chỉ hỗ trợ SQLite và PostgreSQL, không dùng được {scheme or value!r}; ví dụ "
            "sqlite:////var/lib/gdnn-monitor/gdnn.sqlite3 hoặc postgresql://user:pass@host:5432/gdnn "
            "(only SQLite and PostgreSQL are supported)"
        )

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

    def backfill_start(self, today: date | None = None) -> date:
        """How far back a source's first successful crawl reaches: GDNN_BACKFILL_SINCE, else the earlier of
        1 January and 183 days ago (the plan year, and at least half a year early in the year)."""
        if self.backfill_since is not None:
            return self.backfill_since
        today = today or date.today()
        return min(date(today.year, 1, 1), today - timedelta(days=BACKFILL_DAYS))


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings are read once per process; tests call get_settings.cache_clear() after changing the environment."""
    return Settings()
