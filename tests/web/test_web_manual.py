"""Manual entries: what officers add by hand counts like crawled items; attachments are checked and kept safe."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlmodel import select
from web_helpers import login

from gdnn_monitor.core.settings import get_settings
from store.counting import is_counted
from store.db import session_scope
from store.manual import (
    MAX_ATTACHMENT_BYTES,
    Attachment,
    ManualEntry,
    ManualEntryError,
    attachment_path,
    create_manual_entry,
)
from store.models import Item, Review, Source


def test_a_manual_broadcast_is_stored_confirmed_by_its_author_and_counts(client, web_env):
    token = login(client, "reviewer")
    response = client.post(
        "/manual",
        data={
            "title": "Chương trình “Chọn nghề - chọn trường” trên sóng PT-TH",
            "day": "2024-05-15",
            "channel": "phat_thanh_truyen_hinh",
            "genre": "broadcast",
            "quantity": "2",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    with session_scope() as session:
        item = session.exec(select(Item).where(Item.origin == "manual")).one()
        source = session.get(Source, item.source_id)
        trail = session.exec(select(Review).where(Review.item_id == item.id)).all()
    assert source.kind == "manual" and item.url.startswith("manual:") and item.quantity == 2
    assert item.review == "confirmed" and item.reviewed_by == "reviewer1" and item.created_by == "reviewer1"
    assert is_counted(item) and [r.decision for r in trail] == ["confirmed"]
    assert item.published_at.astimezone(get_settings().tz).date() == date(2024, 5, 15)
    listing = client.get("/manual").text
    assert "Chọn nghề - chọn trường" in listing and "Phát thanh - Truyền hình" in listing


def test_an_attachment_is_saved_under_the_data_folder_and_downloadable(client, web_env):
    token = login(client, "reviewer")
    client.post(
        "/manual",
        data={
            "title": "Tờ rơi tuyển sinh 2024",
            "day": "2024-03-01",
            "channel": "an_pham",
            "genre": "product",
            "quantity": "1.000",
            "csrf_token": token,
        },
        files={"attachment": ("tờ rơi ../../x.pdf", b"%PDF-1.4 test", "application/pdf")},
    )
    with session_scope() as session:
        item = session.exec(select(Item).where(Item.origin == "manual")).one()
    assert item.quantity == 1000 and item.attachment and "/" not in item.attachment
    path = attachment_path(item.attachment)
    assert path is not None and path.parent == get_settings().data_dir / "attachments"
    assert path.read_bytes() == b"%PDF-1.4 test"
    download = client.get(f"/attachments/{item.attachment}")
    assert download.status_code == 200 and download.content == b"%PDF-1.4 test"
    assert client.get("/attachments/..%2Fsecret_key").status_code == 404


def test_bad_entries_are_refused_with_a_message_and_nothing_is_stored(client, web_env):
    token = login(client, "reviewer")
    cases = [
        ({"title": "", "day": "2024-05-01", "channel": "bao", "genre": "print"}, "tiêu đề"),
        ({"title": "A", "day": "1/13/2024", "channel": "bao", "genre": "print"}, "Ngày không hợp lệ"),
        ({"title": "A", "day": "2024-05-01", "channel": "bao", "genre": "print", "quantity": "mười"}, "Số lượng"),
        ({"title": "A", "day": "2024-05-01", "channel": "vệ tinh", "genre": "print"}, "Kênh không hợp lệ"),
        ({"title": "A", "day": "2024-05-01", "channel": "bao", "genre": "print", "link": "javascript:x"}, "http"),
    ]
    for data, message in cases:
        response = client.post("/manual", data={**data, "csrf_token": token})
        assert response.status_code == 400 and message in response.text, message
    exe = client.post(
        "/manual",
        data={"title": "A", "day": "2024-05-01", "channel": "bao", "genre": "print", "csrf_token": token},
        files={"attachment": ("x.exe", b"MZ", "x/y")},
    )
    assert exe.status_code == 400 and "Loại tệp" in exe.text
    with session_scope() as session:
        assert session.exec(select(Item).where(Item.origin == "manual")).all() == []


def test_an_oversize_attachment_is_refused_and_not_kept(web_env):
    big = io.BytesIO(b"0" * (MAX_ATTACHMENT_BYTES + 1))
    with session_scope() as session, pytest.raises(ManualEntryError, match="quá lớn"):
        create_manual_entry(
            session,
            "reviewer1",
            ManualEntry("Video clip", date(2024, 5, 1), "an_pham", "product"),
            Attachment("clip.mp4", big),
        )
    folder = get_settings().data_dir / "attachments"
    assert not folder.exists() or list(folder.iterdir()) == []


def test_a_link_already_crawled_is_not_entered_twice(web_env):
    with session_scope() as session:
        url = session.get(Item, web_env["auto"]).url
        with pytest.raises(ManualEntryError, match="đã có trong hệ thống"):
            create_manual_entry(
                session, "reviewer1", ManualEntry("Trùng", date(2024, 5, 3), "bao", "article", link=url)
            )
