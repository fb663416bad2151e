"""Notices and briefs on a school site: an admission notice that is only a scanned image, one that is only an
attached PDF, one-line briefs — all stored (genre notice / brief), the PDF's text extracted and classified, its link
kept. A soft 404 ("không tồn tại hoặc đã bị xóa"), a page without a date and the sidebar's documents are not items."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from crawlers.extract.attachments import document_text
from crawlers.extract.extraction import extract_article
from gdnn_monitor.core.settings import get_settings
from gdnn_monitor.demo.farm.realweb import Notice, SchoolNotices
from gdnn_monitor.pipeline.crawl import run_crawl
from store.db import session_scope
from store.models import Item
from tests.crawlers.farm.corpus import load_articles
from tests.crawlers.realweb import FIXTURES, now, realweb_env, serving

PDF_NAME = "thong-bao-tuyen-sinh-2026.pdf"


def school_notices() -> list[Notice]:
    today = now()
    article = load_articles(1)[0]
    return [
        Notice(
            2601,
            "Thông báo tuyển sinh trình độ trung cấp, cao đẳng năm 2026",
            today - timedelta(days=2),
            "pdf",
            "Nhà trường thông báo tuyển sinh năm 2026 (chi tiết trong tệp đính kèm).",
            PDF_NAME,
        ),
        Notice(2602, "Thông báo nhận hồ sơ xét tuyển học nghề đợt 2 năm 2026", today - timedelta(days=4), "image"),
        Notice(
            2603,
            "Lịch nghỉ Tết Dương lịch năm 2027",
            today - timedelta(days=5),
            "brief",
            "Cán bộ, giáo viên và học sinh, sinh viên toàn trường được nghỉ Tết Dương lịch từ ngày 01/01 đến hết "
            "ngày 03/01/2027.",
        ),
        Notice(
            2604,
            "Khai giảng lớp sơ cấp nghề chăn nuôi cho lao động nông thôn",
            today - timedelta(days=7),
            "brief",
            "Sáng 15/11, nhà trường khai giảng lớp sơ cấp nghề kỹ thuật chăn nuôi cho 35 học viên.",
        ),
        Notice(2605, article.title, today - timedelta(days=8), "article", article.body),
        Notice(
            2606,
            "Thông báo kết quả thi tốt nghiệp khóa 2023-2026",
            None,
            "undated",
            "Xem kết quả tại phòng Đào tạo của nhà trường trong giờ hành chính.",
        ),
        Notice(2607, "Thông báo tuyển dụng viên chức năm 2026", today - timedelta(days=9), "soft404"),
    ]


@pytest.fixture(scope="module")
def school_crawl(tmp_path_factory):
    documents = {
        PDF_NAME: (FIXTURES / PDF_NAME).read_bytes(),
        "quy-che-dao-tao.pdf": b"%PDF-1.4 sidebar",
        "lich-hoc-ky-1.pdf": b"%PDF-1.4 sidebar",
        "bieu-mau.docx": b"PK sidebar",
    }
    site = SchoolNotices(school_notices(), documents)
    monkeypatch = pytest.MonkeyPatch()
    with serving([site]):
        realweb_env(monkeypatch, tmp_path_factory.mktemp("school"), [site])
        summary = run_crawl(trigger="test")
        with session_scope() as session:
            items = {item.url: item for item in session.exec(select(Item))}
        yield site, summary, items, [hit.path for hit in site.hits]
    monkeypatch.undo()
    get_settings.cache_clear()


def test_notices_and_briefs_are_stored_with_their_genre(school_crawl):
    site, summary, items, _hits = school_crawl
    expected = {site.url(n.path): n for n in site.notices if n.expected_genre}
    assert set(items) == set(expected), summary.sources[0].details
    for url, notice in expected.items():
        assert items[url].genre == notice.expected_genre, (notice.title, items[url].genre)
        assert items[url].title == notice.title and items[url].published_at is not None


def test_the_attached_pdf_is_read_classified_and_its_link_kept(school_crawl):
    site, _summary, items, hits = school_crawl
    notice = next(n for n in site.notices if n.kind == "pdf")
    item = items[site.url(notice.path)]
    assert item.attachment_url == site.url(f"/uploads/{PDF_NAME}")
    assert "Luật Giáo dục nghề nghiệp" in item.text and "Điện công nghiệp" in item.text
    assert item.model_version is not None and item.gdnn is True, item.explanation
    assert f"/uploads/{PDF_NAME}" in hits


def test_the_sidebar_documents_are_nobody_s_attachment(school_crawl):
    site, _summary, items, hits = school_crawl
    assert not any(path.startswith("/uploads/") and not path.endswith(PDF_NAME) for path in hits)
    image_notice = next(n for n in site.notices if n.kind == "image")
    assert items[site.url(image_notice.path)].attachment_url is None


def test_error_pages_and_undated_pages_are_still_refused(school_crawl):
    site, _summary, items, hits = school_crawl
    for notice in site.notices:
        if notice.kind in ("soft404", "undated"):
            assert notice.path in hits and site.url(notice.path) not in items


def test_a_short_page_without_its_own_headline_is_not_a_brief():
    html = (
        "<html><body><div class='menu'><a href='/'>Trang chủ</a></div><div class='content'><p>Ngày 12/11/2026"
        "</p><p>Trường thông báo lịch họp phụ huynh học sinh vào sáng thứ bảy tuần này.</p></div></body></html>"
    )
    assert extract_article(html, "https://truong.example.vn/tin/hop-phu-huynh-1234.html") is None


def test_document_text_of_a_damaged_pdf_is_empty_not_an_error():
    assert document_text(b"%PDF-1.4 broken", "pdf") == ""
