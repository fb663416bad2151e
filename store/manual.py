"""Manual entries: what no crawler sees (printed articles, broadcasts, Facebook posts, events, printed products).

They are Items with origin='manual' under one 'manual' Source, confirmed by the officer who entered them, so they
count exactly like crawled items (store/counting.py). A product entry carries its quantity (1,000 leaflets).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from sqlmodel import Session, select

from gdnn_monitor.core.dates import start_of_day
from gdnn_monitor.core.errors import EXIT_USAGE, UserError
from gdnn_monitor.core.settings import get_settings
from gdnn_monitor.core.textnorm import normalize_inline, normalize_text
from gdnn_monitor.core.vocabulary import GENRES, MANUAL_CHANNELS
from store.models import Item, Source
from store.reviews import Decision, decide
from store.types import utcnow

MANUAL_SOURCE_ID = "manual"
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_QUANTITY = 10_000_000
ALLOWED_SUFFIXES = {
    ".pdf",
    ".jpg",
    ".jpeg",
    ".png",
    ".gif",
    ".webp",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".odt",
    ".ods",
    ".ppt",
    ".pptx",
    ".mp3",
    ".mp4",
    ".txt",
}
_LINK = re.compile(r"^https?://[^\s/]+\S*$", re.IGNORECASE)


class ManualEntryError(UserError):
    exit_code = EXIT_USAGE


@dataclass
class Attachment:
    filename: str
    stream: BinaryIO


@dataclass
class ManualEntry:
    """The form an officer fills in; validated by create_manual_entry."""

    title: str
    day: date
    channel: str
    genre: str
    quantity: int = 1
    link: str | None = None
    note: str | None = None
    theme: str | None = None


def manual_source(session: Session) -> Source:
    """The one Source row all manual entries hang under, created the first time it is needed."""
    source = session.get(Source, MANUAL_SOURCE_ID)
    if source is None:
        source = Source(id=MANUAL_SOURCE_ID, name="Nhập tay (cán bộ)", kind="manual", enabled=True)
        session.add(source)
        session.flush()
    return source


def _validate(entry: ManualEntry) -> tuple[str, str | None]:
    title = normalize_inline(entry.title)
    if not title:
        raise ManualEntryError("Cần nhập tiêu đề / nội dung (title is required)")
    if entry.channel not in MANUAL_CHANNELS:
        raise ManualEntryError(f"Kênh không hợp lệ: {entry.channel!r}")
    if entry.genre not in GENRES:
        raise ManualEntryError(f"Thể loại không hợp lệ: {entry.genre!r}")
    if not 1 <= entry.quantity <= MAX_QUANTITY:
        raise ManualEntryError(f"Số lượng phải từ 1 đến {MAX_QUANTITY:,} (quantity out of range)")
    if entry.day > date.today().replace(year=date.today().year + 1):
        raise ManualEntryError(f"Ngày {entry.day:%d/%m/%Y} quá xa trong tương lai")
    link = (entry.link or "").strip() or None
    if link is not None and not _LINK.match(link):
        raise ManualEntryError(f"Đường dẫn phải bắt đầu bằng http:// hoặc https:// (got {link!r})")
    return title, link


def _safe_name(filename: str) -> str:
    name = Path(filename.replace("\\", "/")).name
    stem = re.sub(r"[^\w.-]+", "_", Path(name).stem, flags=re.UNICODE).strip("._") or "tep"
    return stem[:80] + Path(name).suffix.lower()


def save_attachment(attachment: Attachment, directory: Path | None = None) -> str:
    """Copy the upload to data_dir/attachments under a unique name; refuse unknown types and oversize files."""
    suffix = Path(attachment.filename).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise ManualEntryError(
            f"Loại tệp không được phép: {suffix or '(không có đuôi)'} (cho phép: {', '.join(sorted(ALLOWED_SUFFIXES))})"
        )
    directory = directory or attachments_dir()
    directory.mkdir(parents=True, exist_ok=True)
    stored = f"{uuid.uuid4().hex[:12]}-{_safe_name(attachment.filename)}"
    target = directory / stored
    written = 0
    with target.open("wb") as out:
        while chunk := attachment.stream.read(1024 * 1024):
            written += len(chunk)
            if written > MAX_ATTACHMENT_BYTES:
                out.close()
                target.unlink(missing_ok=True)
                raise ManualEntryError(f"Tệp quá lớn (tối đa {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB)")
            out.write(chunk)
    if written == 0:
        target.unlink(missing_ok=True)
        raise ManualEntryError("Tệp đính kèm rỗng (empty attachment)")
    return stored


def attachments_dir() -> Path:
    return Path(get_settings().data_dir) / "attachments"


def attachment_path(stored: str) -> Path | None:
    """The file of a stored attachment name, refusing anything that would leave the attachments folder."""
    if not stored or "/" in stored or "\\" in stored or stored.startswith("."):
        return None
    path = attachments_dir() / stored
    return path if path.is_file() else None


def create_manual_entry(session: Session, user: str, entry: ManualEntry, attachment: Attachment | None = None) -> Item:
    """Store the entry as a confirmed item of the 'manual' source; a link already stored is refused, not doubled."""
    title, link = _validate(entry)
    if link is not None:
        existing = session.exec(select(Item.id).where(Item.url == link)).first()
        if existing is not None:
            raise ManualEntryError(
                f"Đường dẫn này đã có trong hệ thống (tin/bài số {existing}); hãy duyệt tin đó thay vì nhập lại"
            )
    manual_source(session)
    stored = save_attachment(attachment) if attachment is not None else None
    now = utcnow()
    item = Item(
        url=link or f"manual:{uuid.uuid4()}",
        source_id=MANUAL_SOURCE_ID,
        origin="manual",
        title=title,
        text=normalize_text(entry.note) or None,
        published_at=start_of_day(entry.day, get_settings().tz),
        fetched_at=now,
        genre=entry.genre,
        channel=entry.channel,
        quantity=entry.quantity,
        created_by=user,
        attachment=stored,
        gdnn=True,
        theme=entry.theme,
    )
    session.add(item)
    session.flush()
    decide(session, item.id, user, Decision("confirmed", note="Nhập tay (manual entry)"))
    return item
