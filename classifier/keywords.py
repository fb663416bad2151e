"""Hand-written term lists from the labelling guide and the plan: the keyword baseline and activity-group rules."""

from __future__ import annotations

import re

# The strong GDNN terms of the guide / raw-corpus README; "any of them" is the baseline the model must beat.
STRONG_TERMS = (
    "giáo dục nghề nghiệp",
    "học nghề",
    "đào tạo nghề",
    "dạy nghề",
    "trường nghề",
    "cao đẳng nghề",
    "trung cấp nghề",
    "sơ cấp nghề",
)
_STRONG = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, STRONG_TERMS)) + r"|gdnn)(?!\w)", re.IGNORECASE)

# Activity groups of the 2024 plan's appendix (shared/docs/domain.md). An item documents an activity when its
# headline or lead names it: the headline is searched first, then the lead, and within each the groups are tried from
# the most specific signal to the most generic. Terms deeper in the body are passing mentions ("trực tuyến" in the
# tenth paragraph) and are not read.
ACTIVITY_GROUP_TERMS: tuple[tuple[int, tuple[str, ...]], ...] = (
    # 8: sector events: national skills exams, teachers' contests, honouring outstanding learners and workers
    (
        8,
        (
            "kỳ thi kỹ năng nghề",
            "kỳ thi kĩ năng nghề",
            "hội giảng",
            "hội thi tay nghề",
            "hội thi kỹ năng nghề",
            "thi tay nghề",
            "worldskills",
            "asean skills",
            "tay nghề thế giới",
            "tay nghề quốc gia",
            "tay nghề asean",
            "thợ giỏi",
            "thợ trẻ giỏi",
            "dạy giỏi",
            "sát hạch tay nghề",
            "thi nâng bậc",
            "tuyên dương",
            "tôn vinh",
            "học sinh, sinh viên tiêu biểu",
        ),
    ),
    # 2: publications: leaflets, handbooks "chọn nghề - chọn trường", brochures, clips
    (
        2,
        (
            "tờ rơi",
            "cẩm nang",
            "sổ tay",
            "ấn phẩm",
            "tài liệu truyền thông",
            "chọn nghề - chọn trường",
            "những điều cần biết",
            "tờ gấp",
            "video clip",
        ),
    ),
    # 5: events whose message steers pupils into GDNN: counselling days, skills day, competitions, startups
    (
        5,
        (
            "ngày hội tư vấn",
            "ngày hội tuyển sinh",
            "tư vấn tuyển sinh",
            "ngày hội hướng nghiệp",
            "ngày kỹ năng lao động",
            "ngày kỹ năng",
            "ngày hội việc làm",
            "cuộc thi",
            "hội thi",
            "khởi nghiệp",
        ),
    ),
    # 6: GDNN schools teaching career guidance in lower and upper secondary schools
    (6, ("giáo dục hướng nghiệp", "hướng nghiệp cho học sinh", "hướng nghiệp tại trường", "tư vấn hướng nghiệp")),
    # 1: IT applications combined with enrolment, training, assessment
    (
        1,
        (
            "tuyển sinh trực tuyến",
            "chuyển đổi số",
            "ứng dụng công nghệ thông tin",
            "phần mềm tuyển sinh",
            "đăng ký trực tuyến",
            "học trực tuyến",
            "đào tạo trực tuyến",
        ),
    ),
    # 4: telecom and internet: websites, Facebook, YouTube, Zalo
    (4, ("facebook", "youtube", "zalo", "fanpage", "website", "trang thông tin", "cổng thông tin", "mạng xã hội")),
    # 7: a GDNN communication space: identity, logos, slogans, collaborators
    (7, ("bộ nhận diện", "logo", "khẩu hiệu", "slogan", "mạng lưới cộng tác viên", "hệ sinh thái truyền thông")),
    # 3: press work named as such (otherwise the channel decides, see CHANNEL_ACTIVITY_GROUP)
    (3, ("phóng sự", "tọa đàm", "talk show", "talkshow", "chuyên mục", "chuyên trang", "cơ quan báo chí")),
)
ACTIVITY_LEAD_CHARS = 500
# Without a named activity, the placement itself is the activity: an article in a paper or a broadcast is press work
# (3), a post on a school's site, a portal or a social page is internet communication (4). Channels as in
# crawlers.registry.CHANNEL_OF_KIND.
CHANNEL_ACTIVITY_GROUP = {
    "bao": 3,
    "phat_thanh_truyen_hinh": 3,
    "trang_truong": 4,
    "cong_thong_tin": 4,
    "mang_xa_hoi": 4,
}
_ACTIVITY_PATTERNS = tuple(
    (group, re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, terms)) + r")(?!\w)", re.IGNORECASE))
    for group, terms in ACTIVITY_GROUP_TERMS
)


def strong_term_hits(text: str) -> list[str]:
    """The strong terms found in text, as written there."""
    return [match.group(0) for match in _STRONG.finditer(text)]


def keyword_baseline(title: str, text: str) -> bool:
    """Baseline relevance: any strong term anywhere in the item."""
    return bool(_STRONG.search(title or "")) or bool(_STRONG.search(text or ""))


def infer_activity_group(title: str, text: str, channel: str | None = None) -> int | None:
    """The plan's activity group an item documents: the first group named in the headline, else in the lead, else
    the group of the channel it was published on (None when that is unknown too)."""
    for haystack in ((title or "").lower(), (text or "")[:ACTIVITY_LEAD_CHARS].lower()):
        for group, pattern in _ACTIVITY_PATTERNS:
            if pattern.search(haystack):
                return group
    return CHANNEL_ACTIVITY_GROUP.get(channel or "")
