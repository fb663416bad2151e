"""The article-link heuristic and pagination detection, on URL shapes of real Vietnamese CMSs."""

from __future__ import annotations

import pytest

from crawlers.discovery.links import article_links, is_article_url, looks_like_article, page_number, pagination_links
from store.registry import SourceConfig
from tests.conftest import SHARED

ARTICLES = [
    "https://baolangson.vn/truong-cao-dang-nghe-tuyen-sinh-nam-2024-5012345.html",
    "https://baolangson.vn/giao-duc/123456-khai-giang-lop-dao-tao-nghe-cho-lao-dong-nong-thon.html",
    "https://langsontv.vn/news/472/4789/hoi-giang-nha-giao-giao-duc-nghe-nghiep-tinh-lang-son",
    "https://baobinhthuan.com.vn/ngay-hoi-tu-van-tuyen-sinh-huong-nghiep-2024-118765.html",
    "https://gdnn.gov.vn/AIAdmin/News/View/tabid/66/newsid/39012/seo/Ky-thi-ky-nang-nghe-quoc-gia/Default.aspx",
    "https://molisa.gov.vn/Pages/tintuc/chitiet.aspx?tintucID=234567",
    "https://caodang.edu.vn/2024/05/le-tot-nghiep-khoa-2021-2024-nganh-dien-cong-nghiep/",
    "https://caodang.edu.vn/?p=1234",
    "https://dantri.com.vn/giao-duc-khuyen-hoc/de-thi-mon-sinh-thpt-quoc-gia-2019-20190626105057122.htm",
    "https://vnexpress.net/israel-noi-got-my-roi-hoi-dong-nhan-quyen-lhq-4846612.html",
    "https://tinhdoan.gov.vn/tin-tuc/chi-tiet?id=5521",
    "https://baomoi.com/tuyen-sinh-cao-dang-nghe-nam-2024/c/45678901.epi",
    "https://truongnghe.edu.vn/tin-tuc/thong-bao-tuyen-sinh-he-trung-cap-nam-hoc-2024-2025-cho-hoc-sinh-tot-nghiep-thcs",
    "https://vov.vn/xa-hoi/giao-duc/hoc-nghe-de-lap-nghiep-post1098765.vov",
    "https://truong.edu.vn/node/4521",
    "https://binhthuan.gov.vn/1/22/-/asset_publisher/abc123/content/hoi-nghi-tong-ket-cong-tac-giao-duc-nghe-nghiep",
    "https://truong.edu.vn/index.php?option=com_content&view=article&id=123&catid=4",
    "https://truong.edu.vn/index.php?option=com_content&view=article&id=123:khai-giang-lop-han-dien&catid=4",
    "https://www.qdnd.vn/xa-hoi/tin-tuc/truong-nghe-tuyen-sinh-778899",
    "https://langson.gov.vn/tin-tuc/khai-giang-lop-nghe-12345/",
]
NOT_ARTICLES = [
    "https://baolangson.vn/",
    "https://baolangson.vn/giao-duc/",
    "https://baolangson.vn/giao-duc.html",
    "https://baolangson.vn/giao-duc/?page=2",
    "https://baolangson.vn/tag/tuyen-sinh",
    "https://baolangson.vn/tim-kiem?q=dao+tao+nghe",
    "https://baobinhthuan.com.vn/print/118765.html",
    "https://baolangson.vn/rss/home.rss",
    "https://caodang.edu.vn/category/tin-tuc/",
    "https://caodang.edu.vn/page/2/",
    "https://caodang.edu.vn/?s=tuyen+sinh",
    "https://caodang.edu.vn/wp-content/uploads/2024/05/ke-hoach-tuyen-sinh.pdf",
    "https://caodang.edu.vn/lien-he/",
    "https://molisa.gov.vn/Pages/tintuc/danhsach.aspx?catID=5&page=2",
    "https://langsontv.vn/news/472/",
    "https://langsontv.vn/news/472/trang-2",
    "https://dantri.com.vn/event/ky-thi-thpt-quoc-gia-2019-3673.htm",
    "https://dantri.com.vn/giao-duc-khuyen-hoc/tin-tuyen-sinh.htm",
    "https://baolangson.vn/gioi-thieu",
    "https://molisa.gov.vn/Pages/tintuc/chitiet.aspx?tintucID=234567&print=1",
    "https://baolangson.vn/giao-duc-2024",
    "https://truong.edu.vn/index.php?option=com_content&view=category&id=12",
]


@pytest.mark.parametrize("url", ARTICLES)
def test_article_urls_of_vietnamese_cmss_are_recognised(url):
    assert looks_like_article(url)


@pytest.mark.parametrize("url", NOT_ARTICLES)
def test_sections_tags_search_print_and_static_pages_are_not_articles(url):
    assert not looks_like_article(url)


def test_a_source_pattern_overrides_the_heuristic():
    source = SourceConfig(
        id="tv", name="TV", kind="tv", homepage="https://langsontv.vn/", article_pattern=r"/news/\d+/\d+/[a-z0-9-]+$"
    )
    assert is_article_url("https://langsontv.vn/news/472/4789/ngay-hoi", source)
    assert not is_article_url("https://langsontv.vn/truong-cao-dang-nghe-tuyen-sinh-nam-2024-5012345.html", source)


LISTING = """<html><body>
<a href="/tin/bai-mot-ve-dao-tao-nghe-cho-thanh-nien-1001.html?utm_source=home&fbclid=x">Bài một</a>
<a href="/tin/bai-mot-ve-dao-tao-nghe-cho-thanh-nien-1001.html">Bài một (lặp lại)</a>
<a href="https://other.vn/bai-ngoai-trang-2002.html">Bài trang khác</a>
<a href="/print/1003.html">In</a>
<a href="/tin/bai-hai-ve-ngay-hoi-tuyen-sinh-1004.html?print=1">In bài hai</a>
<a href="/tag/gdnn">GDNN</a>
<div class="pager"><a href="/tin/?page=1">1</a><span>2</span><a href="/tin/?page=3">3</a><a href="/tin/?page=4">4</a>
<a href="/tin/?page=3">Trang sau</a><a href="/khac/?page=9">9</a></div>
</body></html>"""


def test_listing_links_are_canonical_on_site_and_print_views_map_to_their_article():
    source = SourceConfig(id="bao", name="Báo", kind="newspaper", homepage="https://bao.vn/")
    links = article_links(LISTING, "https://bao.vn/tin/?page=2", source, {"bao.vn"})
    assert links == [
        "https://bao.vn/tin/bai-mot-ve-dao-tao-nghe-cho-thanh-nien-1001.html",
        "https://bao.vn/tin/bai-hai-ve-ngay-hoi-tuyen-sinh-1004.html",
    ]


def test_numbered_pagers_and_next_links_of_the_same_listing_are_followed_forward_only():
    pages = pagination_links(LISTING, "https://bao.vn/tin/?page=2", {"bao.vn"})
    assert sorted((p.url, p.page) for p in pages) == [
        ("https://bao.vn/tin/?page=3", 3),
        ("https://bao.vn/tin/?page=4", 4),
    ]


@pytest.mark.parametrize(
    "html, base, expected",
    [
        (
            '<a class="next page-numbers" href="/page/2/">Xem thêm</a>',
            "https://truong.edu.vn/",
            "https://truong.edu.vn/page/2/",
        ),
        (
            '<a href="danhsach.aspx?catID=5&amp;page=2">Trang sau</a>',
            "https://cong.gov.vn/Pages/danhsach.aspx?catID=5",
            "https://cong.gov.vn/Pages/danhsach.aspx?catID=5&page=2",
        ),
        (
            '<link rel="next" href="https://bao.vn/xa-hoi/trang-2.html">',
            "https://bao.vn/xa-hoi.html",
            "https://bao.vn/xa-hoi/trang-2.html",
        ),
        (
            '<a href="/news/472/trang-2">2</a><a href="/news/472/trang-3">3</a>',
            "https://tv.vn/news/472/",
            "https://tv.vn/news/472/trang-2",
        ),
        ('<a href="/giao-duc/trang-2.html">2</a>', "https://bao.vn/giao-duc/", "https://bao.vn/giao-duc/trang-2.html"),
        (
            '<a href="/giao-duc-khuyen-hoc/trang-2.htm">2</a>',
            "https://dantri.com.vn/giao-duc-khuyen-hoc.htm",
            "https://dantri.com.vn/giao-duc-khuyen-hoc/trang-2.htm",
        ),
        (
            '<a href="/xa-hoi-p2.html">Trang tiếp theo »</a>',
            "https://bao.vn/xa-hoi.html",
            "https://bao.vn/xa-hoi-p2.html",
        ),
        (
            '<a href="/ajax/tin-moi?page=2">Xem thêm tin</a>',
            "https://bao.vn/tin-moi/",
            "https://bao.vn/ajax/tin-moi?page=2",
        ),
    ],
)
def test_pagination_styles_of_vietnamese_cmss(html, base, expected):
    assert expected in [p.url for p in pagination_links(html, base, {base.split("/")[2]})]


def test_page_numbers_are_read_from_query_and_path():
    assert page_number("https://a.vn/tin/?page=3") == 3
    assert page_number("https://a.vn/page/4/") == 4
    assert page_number("https://a.vn/news/472/trang-5") == 5
    assert page_number("https://a.vn/tin/bai-viet-12345.html") is None


DANTRI = SHARED / "data" / "raw" / "fixtures" / "html_dantri" / "dantri_homepage_2019-06.html"


@pytest.mark.skipif(not DANTRI.exists(), reason=f"{DANTRI} not present")
def test_real_dan_tri_homepage_yields_its_articles_and_no_section_pages():
    source = SourceConfig(id="dan-tri", name="Dân trí", kind="newspaper", homepage="https://dantri.com.vn/")
    links = article_links(DANTRI.read_bytes(), "https://dantri.com.vn/", source, {"dantri.com.vn"})
    assert len(links) >= 100
    assert all(link.endswith(".htm") and link.rsplit("-", 1)[1][:-4].isdigit() for link in links)
    assert not any("/event/" in link or link.count("-") < 3 for link in links)


def test_a_last_page_link_and_headlines_are_not_next_links():
    html = (
        '<a href="/tin/?page=9">Cuối</a><a href="/tin/xem-them-ve-chinh-sach-hoc-nghe-moi-cho-lao-dong-12345.html">'
        'Xem thêm về chính sách học nghề mới cho lao động nông thôn năm nay</a>'
    )
    assert pagination_links(html, "https://bao.vn/tin/", {"bao.vn"}) == []
