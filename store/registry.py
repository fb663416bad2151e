"""The sources file: a declarative list of outlets, validated on load with errors that name file, entry and field."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from gdnn_monitor.core.textnorm import normalize_inline
from gdnn_monitor.core.vocabulary import CRAWL_KINDS, ROBOTS_POLICIES, SOCIAL_KINDS


def _one_of(value: str, choices) -> str:
    """A value from a fixed vocabulary, or the Vietnamese message naming every choice."""
    if value not in choices:
        raise ValueError(f"phải là một trong {', '.join(choices)}; đang là {value!r}")
    return value


_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$")
_URL = re.compile(r"^https?://[^\s/]+", re.IGNORECASE)


class SourcesFileError(ValueError):
    """The sources file cannot be used; the message names the file, the entry and the field."""


class SourceConfig(BaseModel):
    """One entry of the sources file. Unknown keys are refused so that a typo ('feed:') is not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    kind: str
    province: str | None = None
    homepage: str | None = None
    feeds: list[str] = Field(default_factory=list)
    sitemaps: list[str] = Field(default_factory=list)
    listings: list[str] = Field(default_factory=list)
    article_pattern: str | None = None
    enabled: bool = True
    youtube_channel_id: str | None = None
    facebook_page_id: str | None = None
    download_delay: float | None = Field(default=None, ge=0)
    max_pages: int | None = Field(default=None, ge=1)
    listing_depth: int | None = Field(default=None, ge=0)
    extractor: str | None = None
    robots: str = "obey"  # see crawlers/engine/robots_policy.py
    permission: str | None = None
    notes: str | None = None

    @field_validator("kind")
    @classmethod
    def known_kind(cls, value: str) -> str:
        return _one_of(value, CRAWL_KINDS)

    @field_validator("robots")
    @classmethod
    def known_robots_policy(cls, value: str) -> str:
        return _one_of(value, ROBOTS_POLICIES)

    @field_validator("id")
    @classmethod
    def slug(cls, value: str) -> str:
        if not _SLUG.match(value):
            raise ValueError("chỉ gồm chữ thường không dấu, số và '-', ví dụ bao-lang-son (must be a slug)")
        return value

    @field_validator("name", "province")
    @classmethod
    def normalised(cls, value: str | None) -> str | None:
        return normalize_inline(value) if value is not None else None

    @field_validator("homepage")
    @classmethod
    def homepage_is_url(cls, value: str | None) -> str | None:
        if value is not None and not _URL.match(value):
            raise ValueError(f"{value!r} không phải địa chỉ http(s) (not an http(s) URL)")
        return value

    @field_validator("feeds", "sitemaps", "listings", mode="before")
    @classmethod
    def url_list(cls, value: object) -> object:
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if isinstance(value, list):
            for url in value:
                if not isinstance(url, str) or not _URL.match(url):
                    raise ValueError(f"{url!r} không phải địa chỉ http(s) (not an http(s) URL)")
        return value

    @field_validator("article_pattern")
    @classmethod
    def compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(
                    f"không phải biểu thức chính quy hợp lệ (not a valid regular expression): {exc}"
                ) from exc
        return value

    @model_validator(mode="after")
    def has_a_way_in(self) -> SourceConfig:
        """An enabled source must say where to start; a social source must say which channel or page."""
        if self.kind == "youtube" and self.enabled and not (self.youtube_channel_id or self.feeds):
            raise ValueError("nguồn youtube cần youtube_channel_id (hoặc một địa chỉ feed)")
        if self.kind == "facebook" and self.enabled and not self.facebook_page_id:
            raise ValueError("nguồn facebook cần facebook_page_id")
        if self.robots == "ignore" and not (self.permission or "").strip():
            raise ValueError(
                "robots: ignore cần permission: — văn bản đồng ý của trang cho thu thập bất kể robots.txt (ai đồng ý, "
                "ngày nào, ví dụ 'Công văn 12/BLS ngày 03/02/2026 của Báo Lạng Sơn')"
            )
        if self.robots == "feeds-only" and self.enabled and not self.feeds:
            raise ValueError("robots: feeds-only cần ít nhất một địa chỉ trong feeds:")
        if (
            self.kind not in SOCIAL_KINDS
            and self.enabled
            and not (self.homepage or self.feeds or self.sitemaps or self.listings)
        ):
            raise ValueError("nguồn đang bật cần ít nhất một trong homepage, feeds, sitemaps, listings")
        return self

    @property
    def channel(self) -> str:
        return CRAWL_KINDS[self.kind].channel

    @property
    def youtube_feed(self) -> str | None:
        if self.youtube_channel_id:
            return f"https://www.youtube.com/feeds/videos.xml?channel_id={self.youtube_channel_id}"
        return None

    @property
    def article_regex(self) -> re.Pattern[str] | None:
        return re.compile(self.article_pattern) if self.article_pattern else None


class Registry(BaseModel):
    """All sources of one file, in file order."""

    path: Path
    sources: list[SourceConfig]

    def enabled(self) -> list[SourceConfig]:
        return [source for source in self.sources if source.enabled]

    def get(self, source_id: str) -> SourceConfig:
        for source in self.sources:
            if source.id == source_id:
                return source
        hint = difflib.get_close_matches(source_id, [s.id for s in self.sources], n=1)
        raise SourcesFileError(
            f"{self.path}: không có nguồn mã {source_id!r}" + (f" — có phải {hint[0]!r}?" if hint else "")
        )

    def select(self, ids: list[str] | tuple[str, ...] | None) -> list[SourceConfig]:
        """The named sources (even if disabled: naming one is explicit), or every enabled one."""
        return [self.get(i) for i in ids] if ids else self.enabled()


def _describe(error: dict, entry: object) -> str:
    location = [str(part) for part in error["loc"]]
    field = location[0] if location else "(mục)"
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        hint = difflib.get_close_matches(field, list(SourceConfig.model_fields), n=1)
        message = "khóa không có trong danh sách khóa" + (f" — có phải {hint[0]!r}?" if hint else "")
    elif error["type"] == "missing":
        message = "thiếu khóa bắt buộc"
    return f"trường {'.'.join(location) or '(mục)'}: {message}"


def _entry_label(index: int, entry: object) -> str:
    entry_id = entry.get("id") if isinstance(entry, dict) else None
    return f"mục {index + 1}" + (f" (id {entry_id!r})" if entry_id else "")


def parse_sources(text: str, path: Path) -> Registry:
    """Validate every entry and report all problems at once, so an admin fixes the file in one go."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" dòng {mark.line + 1}, cột {mark.column + 1}" if mark else ""
        raise SourcesFileError(
            f"{path}:{where}: sai cú pháp YAML (not valid YAML): {getattr(exc, 'problem', exc)}"
        ) from exc
    if not isinstance(document, dict) or not isinstance(document.get("sources"), list):
        raise SourcesFileError(f"{path}: cần một danh sách 'sources:' ở đầu tệp")
    problems: list[str] = []
    sources: list[SourceConfig] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(document["sources"]):
        label = _entry_label(index, entry)
        if not isinstance(entry, dict):
            problems.append(f"{path}: {label}: cần các cặp khóa: giá trị, đang là {type(entry).__name__}")
            continue
        try:
            source = SourceConfig.model_validate(entry)
        except ValidationError as exc:
            problems.extend(f"{path}: {label}: {_describe(error, entry)}" for error in exc.errors())
            continue
        if source.id in seen:
            problems.append(f"{path}: {label}: trường id: {source.id!r} đã dùng ở mục {seen[source.id] + 1}")
            continue
        seen[source.id] = index
        sources.append(source)
    if problems:
        raise SourcesFileError("\n".join(problems))
    return Registry(path=path, sources=sources)


def load_sources(path: Path | str | None = None) -> Registry:
    """Read the sources file named in settings (GDNN_SOURCES) or the given path."""
    from gdnn_monitor.core.settings import get_settings

    path = Path(path) if path else Path(get_settings().sources)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise SourcesFileError(f"{path}: không tìm thấy tệp nguồn (đặt GDNN_SOURCES là đường dẫn tệp)") from exc
    except UnicodeDecodeError as exc:
        raise SourcesFileError(
            f"{path}: không phải văn bản UTF-8 (byte {exc.start}: {exc.reason}); lưu lại tệp dạng UTF-8"
        ) from exc
    return parse_sources(text, path)
