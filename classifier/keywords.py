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

# Activity groups of the 2024 plan's appendix (shared/docs/domain.md); the first group whose terms occur wins,
# ordered from the most specific signal to the most generic.
ACTIVITY_GROUP_TERMS: tuple[tuple[int, tuple[str, ...]], ...] = (
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
            "tuyên dương",
            "tôn vinh",
            "học sinh, sinh viên tiêu biểu",
        ),
    ),
    (
        5,
        (
            "ngày hội tư vấn",
            "ngày hội tuyển sinh",
            "ngày hội việc làm",
            "ngày kỹ năng lao động",
            "hội thi",
            "cuộc thi",
            "khởi nghiệp",
            "phân luồng",
        ),
    ),
    (6, ("giáo dục hướng nghiệp", "tư vấn hướng nghiệp", "hướng nghiệp")),
    (1, ("tuyển sinh trực tuyến", "chuyển đổi số", "phần mềm", "ứng dụng công nghệ thông tin", "trực tuyến")),
    (2, ("tờ rơi", "cẩm nang", "sổ tay", "ấn phẩm", "tài liệu truyền thông", "chọn nghề - chọn trường")),
    (4, ("facebook", "youtube", "zalo", "fanpage", "website", "trang thông tin điện tử", "mạng xã hội")),
    (7, ("bộ nhận diện", "logo", "khẩu hiệu", "slogan", "mạng lưới cộng tác viên", "hệ sinh thái")),
    (3, ("phóng sự", "tọa đàm", "talk show", "talkshow", "chuyên mục", "chuyên trang", "cơ quan báo chí")),
)


def strong_term_hits(text: str) -> list[str]:
    """The strong terms found in text, as written there."""
    return [match.group(0) for match in _STRONG.finditer(text)]


def keyword_baseline(title: str, text: str) -> bool:
    """Baseline relevance: any strong term anywhere in the item."""
    return bool(_STRONG.search(title or "")) or bool(_STRONG.search(text or ""))


def infer_activity_group(title: str, text: str) -> int | None:
    """The plan's activity group an item most likely documents, or None when nothing points to one."""
    haystack = f"{title}\n{text[:4000]}".lower()
    for group, terms in ACTIVITY_GROUP_TERMS:
        if any(term in haystack for term in terms):
            return group
    return None
