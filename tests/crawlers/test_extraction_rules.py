"""The general rules behind extraction, each on a small page built for it (no site-specific code)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from crawlers.extract.extraction import extract_article

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PARAGRAPHS = [
    f"Đoạn {n}: Trường Cao đẳng nghề tỉnh tổ chức lớp đào tạo nghề điện dân dụng cho {n * 35} lao động nông thôn, "
    f"học viên được hỗ trợ học phí và tiền ăn trong suốt thời gian học."
    for n in range(1, 7)
]
SAPO = (
    "Năm nay, tỉnh dành hơn 20 tỷ đồng hỗ trợ đào tạo nghề cho lao động nông thôn, tập trung vào các nghề nông nghiệp."
)


def article_page(*, between: str = "", body: str | None = None, sidebar: str = "", head: str = "") -> str:
    body = body if body is not None else "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        f"<html><head><meta charset='utf-8'><title>Hỗ trợ đào tạo nghề cho lao động nông thôn</title>{head}</head>"
        f"<body><div class='wrap'><div class='col-a'><h1>Hỗ trợ đào tạo nghề cho lao động nông thôn</h1>"
        f"<div class='tg'>10/10/2023 09:00</div>{between}<div class='noi-dung'>{body}</div></div>"
        f"<div class='col-b'>{sidebar}</div></div></body></html>"
    )


def extract(html: str, url: str = "https://tinh.gov.vn/tin-tuc/ho-tro-dao-tao-nghe-123.html"):
    return extract_article(html, url, tz=TZ)


def test_sapo_with_an_unknown_class_between_headline_and_body_is_recovered():
    article = extract(article_page(between=f"<div class='khoi-x'><b>{SAPO}</b></div>"))
    assert article.summary == SAPO
    assert article.text.split("\n")[0] == SAPO
    assert article.text.count(SAPO) == 1


def test_sapo_found_by_class_name():
    article = extract(article_page(between=f"<p class='news-sapo'>{SAPO}</p>"))
    assert article.summary == SAPO and article.text.startswith(SAPO)


def test_sapo_agreeing_with_og_description_is_used_when_nothing_names_it():
    head = f"<meta property='og:description' content='{SAPO[:90]}...'>"
    body = f"<p><em>{SAPO}</em></p>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    article = extract(article_page(body=body, head=head))
    assert article.summary == SAPO
    assert article.text.count(SAPO) == 1


def test_xem_them_line_in_the_middle_does_not_cut_the_body():
    paragraphs = [f"<p>{p}</p>" for p in PARAGRAPHS]
    paragraphs.insert(4, "<p>Xem thêm:</p>")
    article = extract(article_page(body="".join(paragraphs)))
    assert PARAGRAPHS[-1] in article.text
    assert "Xem thêm" not in article.text


def test_related_box_at_the_end_of_the_body_is_cut():
    related = (
        "<p><strong>Tin liên quan</strong></p><p><a href='/a-1.html'>Khai giảng lớp nghề may</a></p>"
        "<p><a href='/a-2.html'>Tuyển sinh trung cấp 2023</a></p>"
    )
    article = extract(article_page(body="".join(f"<p>{p}</p>" for p in PARAGRAPHS) + related))
    assert "Khai giảng lớp nghề may" not in article.text and "Tin liên quan" not in article.text
    assert PARAGRAPHS[-1] in article.text


def test_video_widget_in_the_sidebar_does_not_make_a_short_news_item_a_video():
    sidebar = (
        "<div class='box-video widget'><h3>Video</h3><iframe src='https://www.youtube.com/embed/x'></iframe></div>"
    )
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:3])
    assert extract(article_page(body=body, sidebar=sidebar)).genre == "article"


def test_page_built_around_a_player_is_a_video():
    body = (
        "<div class='player'><iframe src='https://www.youtube.com/embed/x'></iframe></div>" + f"<p>{PARAGRAPHS[0]}</p>"
    )
    article = extract(article_page(body=body), url="https://tv.vn/video/12/345/ban-tin.html")
    assert article is not None and article.genre == "video"


def test_long_article_with_an_embedded_clip_stays_an_article():
    body = "".join(f"<p>{p} Phần {n}.</p>" for n in range(3) for p in PARAGRAPHS)
    body += "<iframe src='https://www.youtube.com/embed/x'></iframe>"
    assert extract(article_page(body=body)).genre == "article"


def test_title_site_suffix_is_removed_when_there_is_no_heading():
    html = (
        "<html><head><title>Hỗ trợ đào tạo nghề cho lao động nông thôn năm 2023 - Báo Lạng Sơn</title>"
        "<meta property='article:published_time' content='2023-10-10T09:00:00+07:00'></head><body>"
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
        + "</body></html>"
    )
    assert extract(html).title == "Hỗ trợ đào tạo nghề cho lao động nông thôn năm 2023"


def test_reporter_signature_becomes_the_author_and_leaves_the_body():
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "<p style='text-align:right'><b>Hoàng Minh</b></p>"
    article = extract(article_page(body=body))
    assert article.author == "Hoàng Minh"
    assert not article.text.endswith("Hoàng Minh")


def test_source_credit_is_kept_in_the_body_and_is_not_an_author():
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "<p><em>Nguồn: Báo Lạng Sơn</em></p>"
    article = extract(article_page(body=body))
    assert article.text.endswith("Nguồn: Báo Lạng Sơn")
    assert article.author is None


def test_sapo_class_names_of_many_vietnamese_cms_are_recognised():
    from crawlers.extract.lead import find_lead
    from crawlers.extract.pagedecode import parse_html

    for classes in (
        "bold ArticleLead",
        "nsSap sap clrF",
        "b-article__lead",
        "details__summary cms-desc",
        "the-article-summary",
        "sapo_detail fr",
        "knc-sapo",
        "chapeau",
        "news-sapo",
    ):
        tree = parse_html(article_page(between=f"<div class='{classes}'>{SAPO}</div>"))
        text, element = find_lead(tree, tree.find(".//h1"), description="")
        assert text == SAPO and element.get("class") == classes, classes
    tree = parse_html(article_page(between=f"<div class='box-noi-bat'>{SAPO}</div>"))
    assert find_lead(tree, tree.find(".//h1"), description="") == ("", None)


def test_bold_sentence_starting_like_a_furniture_heading_stays_in_the_body():
    body = (
        "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:3])
        + "<p><strong>Liên quan đến vụ việc trên</strong></p>"
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[3:])
    )
    article = extract(article_page(body=body))
    assert "Liên quan đến vụ việc trên" in article.text and PARAGRAPHS[-1] in article.text


def test_comment_section_with_a_count_is_furniture():
    comments = (
        "<div class='khung'><h3>Bình luận (2)</h3><div><p>Bài viết rất hay, cảm ơn tòa soạn đã đưa tin kịp "
        "thời về đào tạo nghề.</p></div></div>"
    )
    article = extract(article_page(body="".join(f"<p>{p}</p>" for p in PARAGRAPHS) + comments))
    assert "Bài viết rất hay" not in article.text and "Bình luận" not in article.text


def test_headline_with_a_line_break_reads_as_displayed():
    html = article_page().replace(
        "<h1>Hỗ trợ đào tạo nghề cho lao động nông thôn</h1>", "<h1>Hỗ trợ đào tạo nghề<br>cho lao động nông thôn</h1>"
    )
    assert extract(html).title == "Hỗ trợ đào tạo nghề cho lao động nông thôn"


def test_outlet_named_as_author_is_not_an_author():
    article = extract(article_page(head="<meta name='author' content='Báo Lạng Sơn'>"))
    assert article.author is None


def test_article_body_whose_class_has_a_furniture_modifier_is_kept():
    sidebar = "".join(
        f"<p>Bình luận số {n} của bạn đọc về bài viết, rất dài và chi tiết. " * 4 + "</p>" for n in range(8)
    )
    html = article_page(sidebar=f"<div class='comments-list'>{sidebar}</div>").replace(
        "<div class='noi-dung'>", "<div class='noi-dung social-share-on'>"
    )
    article = extract(html)
    assert PARAGRAPHS[0] in article.text and PARAGRAPHS[-1] in article.text
    assert "Bình luận số" not in article.text


def test_link_box_on_a_short_video_page_is_furniture_even_when_it_is_most_of_the_text():
    other = (
        "<div class='other'><h3>Video khác</h3><ul>"
        + "".join(f"<li><a href='/v/{n}'>Bản tin thời sự ngày {n}/3/2020 của đài tỉnh</a></li>" for n in range(1, 6))
        + "</ul></div>"
    )
    body = f"<div class='player'><iframe src='https://www.youtube.com/embed/x'></iframe></div><p>{PARAGRAPHS[0]}</p>"
    article = extract(article_page(body=body + other), url="https://tv.vn/video/12/345/ban-tin.html")
    assert article.text == PARAGRAPHS[0]
    assert article.genre == "video"


def test_two_sentence_news_brief_is_an_article_but_an_error_page_is_not():
    brief = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:1]) + "<p>Lớp học kéo dài ba tháng tại nhà văn hóa xã.</p>"
    assert extract(article_page(body=brief)) is not None
    error = article_page(body="<p>Xin lỗi, trang bạn tìm không tồn tại.</p>").replace(
        "Hỗ trợ đào tạo nghề cho lao động nông thôn", "Không tìm thấy trang"
    )
    assert extract(error) is None


def test_vietnamese_text_is_vietnamese_whatever_the_declared_lang():
    html = article_page().replace("<html>", "<html lang='en-US'>")
    assert extract(html).language == "vi"
    english = (
        "<html lang='en'><head><title>Vocational training for rural workers</title></head><body>"
        "<h1>Vocational training for rural workers</h1><div class='date'>10/10/2023 09:00</div>"
        + "<p>The province opened forty vocational classes for rural workers this year, with support.</p>" * 3
        + "</body></html>"
    )
    assert extract(english).language == "en"
