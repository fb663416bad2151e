"""Story ids: a republished article (with 'Nguồn: Báo …', a retouched title, an added intro) joins the original's
story; unrelated articles and old articles do not. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete

from crawlers.extract.extraction import extract_article
from crawlers.identity.dedup import assign_story_id, containment, content_fingerprint, hamming
from store.db import session_scope
from store.models import Item, Source

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extraction"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
WHEN = datetime(2020, 3, 24, 8, 15, tzinfo=UTC)


def fixture_article(name: str, url: str):
    return extract_article((FIXTURES / f"{name}.html").read_bytes(), url, tz=TZ)


@pytest.fixture(scope="module")
def articles():
    return {
        "paper": fixture_article("provincial_paper_baolangson", "https://baolangson.vn/a-5012345.html"),
        "repost": fixture_article(
            "portal_gdnn_repost", "https://gdnn.gov.vn/AIAdmin/News/View/tabid/66/newsid/1/Default.aspx"
        ),
        "college": fixture_article("wordpress_college", "https://cdbinhthuan.edu.vn/kho-dat/"),
        "national": fixture_article("national_paper_jsonld", "https://giaoducthoidai.vn/a-post1.html"),
        "old_paper": fixture_article("aspnet_paper_baobinhthuan", "https://baobinhthuan.com.vn/a-98765.html"),
    }


def store(session, source_id: str, url: str, title: str, text: str, when: datetime = WHEN) -> Item:
    item = Item(url=url, source_id=source_id, title=title, text=text, published_at=when)
    assign_story_id(session, item)
    session.add(item)
    session.flush()
    return item


@pytest.fixture
def session(db_env):
    with session_scope() as session:
        for source_id in ("paper", "portal", "school"):
            session.add(Source(id=f"src-{source_id}", name=source_id, kind="newspaper"))
        session.flush()
        yield session


def test_fingerprint_is_stable_and_ignores_case_and_spacing():
    first = content_fingerprint("Tiêu đề", "Đào tạo nghề  cho lao động\nnông thôn.")
    second = content_fingerprint("tiêu  ĐỀ", "đào tạo nghề cho lao động nông thôn")
    assert first == second
    assert len(first[0]) == 64 and len(first[1]) == 16


def test_portal_repost_with_source_line_and_intro_joins_the_papers_story(session, articles):
    paper = store(
        session, "src-paper", "https://baolangson.vn/a-5012345.html", articles["paper"].title, articles["paper"].text
    )
    repost = store(
        session,
        "src-portal",
        "https://gdnn.gov.vn/n/1",
        articles["repost"].title,
        articles["repost"].text,
        WHEN + timedelta(days=1),
    )
    assert repost.story_id == paper.story_id
    assert repost.content_hash != paper.content_hash


def test_unrelated_articles_get_their_own_stories(session, articles):
    stories = {
        store(session, "src-paper", f"https://x.vn/{name}", article.title, article.text).story_id
        for name, article in articles.items()
        if name in ("paper", "college", "national")
    }
    assert len(stories) == 3


def test_same_report_laid_out_differently_by_two_papers_is_one_story(session, articles):
    national = store(
        session,
        "src-paper",
        "https://giaoducthoidai.vn/a-post1.html",
        articles["national"].title,
        articles["national"].text,
    )
    old_paper = store(
        session,
        "src-portal",
        "https://baobinhthuan.com.vn/a-98765.html",
        articles["old_paper"].title,
        articles["old_paper"].text,
    )
    assert old_paper.story_id == national.story_id


def test_exact_copy_on_another_site_shares_the_story(session, articles):
    college = articles["college"]
    first = store(session, "src-school", "https://cdbinhthuan.edu.vn/kho-dat/", college.title, college.text)
    copy = store(session, "src-portal", "https://portal.vn/kho-dat-1", "Khó đạt mục tiêu việc làm", college.text)
    assert copy.story_id == first.story_id


def test_same_title_short_text_with_a_source_line_shares_the_story(session):
    text = "Sáng 24/3, Sở Lao động tỉnh Lạng Sơn khai mạc Hội giảng nhà giáo giáo dục nghề nghiệp năm 2020."
    first = store(session, "src-paper", "https://a.vn/1", "Khai mạc Hội giảng nhà giáo GDNN", text)
    second = store(
        session, "src-portal", "https://b.vn/1", "Khai mạc Hội giảng nhà giáo GDNN", text + "\nNguồn: Báo Lạng Sơn"
    )
    assert second.story_id == first.story_id


def test_same_title_but_different_text_is_a_different_story(session, articles):
    first = store(session, "src-paper", "https://a.vn/1", "Thông báo tuyển sinh năm 2020", articles["college"].text)
    second = store(session, "src-school", "https://b.vn/1", "Thông báo tuyển sinh năm 2020", articles["national"].text)
    assert second.story_id != first.story_id


def test_a_repost_outside_the_thirty_day_window_starts_a_new_story(session, articles):
    paper = store(
        session, "src-paper", "https://baolangson.vn/a-1.html", articles["paper"].title, articles["paper"].text
    )
    late = store(
        session,
        "src-portal",
        "https://gdnn.gov.vn/n/2",
        articles["repost"].title,
        articles["repost"].text,
        WHEN + timedelta(days=90),
    )
    assert late.story_id != paper.story_id


def test_story_id_of_a_first_placement_is_derived_from_its_content(session, articles):
    item = store(session, "src-paper", "https://a.vn/x", articles["paper"].title, articles["paper"].text)
    assert item.story_id.startswith("s") and item.story_id[1:] == item.content_hash[:31]


def test_near_duplicate_measures(articles):
    paper, repost = articles["paper"].text, articles["repost"].text
    assert containment(paper, repost) > 0.9
    assert hamming(int(content_fingerprint("", paper)[1], 16), int(content_fingerprint("", repost)[1], 16)) <= 12
    assert containment(paper, articles["college"].text) < 0.1


def test_index_is_rebuilt_when_the_items_table_is_emptied(session, articles):
    paper = articles["paper"]
    store(session, "src-paper", "https://baolangson.vn/a-1.html", paper.title, paper.text)
    session.exec(delete(Item))
    session.flush()
    other = store(session, "src-portal", "https://gdnn.gov.vn/n/3", articles["repost"].title, articles["repost"].text)
    assert other.story_id == "s" + other.content_hash[:31]


def test_two_clips_with_the_same_stock_description_stay_two_stories(session):
    stock = "Mời quý vị theo dõi bản tin thời sự của Đài Phát thanh và Truyền hình tỉnh."
    first = store(session, "src-paper", "https://tv.vn/video/1", "Bản tin thời sự sáng 24/3/2020", stock)
    second = store(session, "src-paper", "https://tv.vn/video/2", "Bản tin thời sự tối 24/3/2020", stock)
    assert first.content_hash != second.content_hash
    assert first.story_id != second.story_id


def test_long_texts_are_fingerprinted_without_their_title():
    text = " ".join(f"câu số {n} về đào tạo nghề cho lao động nông thôn" for n in range(20))
    assert content_fingerprint("Tiêu đề một", text) == content_fingerprint("Tiêu đề khác hẳn", text)
