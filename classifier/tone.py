"""Bad news about vocational schools (GUIDE.md ruling 4): scandals, discipline, fraud, fake certificates, closures.

Such items are GDNN, but whether they count toward the plan is the officer's call, so the model flags them with the
phrases that made it say so and never accepts them without review. Hand-written terms from the ruling's own list: a
few dozen labelled items cannot train a model, and an officer must be able to see why an item was flagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

NEGATIVE = "negative"
NEUTRAL = "neutral"
TONE_LEAD_CHARS = 400
MAX_TONE_PHRASES = 5
LEAD_TERMS_NEEDED = 1  # distinct terms the lead must hold when the headline has none (2: precision 1.0, recall 0.7)

# ruling 4's kinds of bad news, each as the words a Vietnamese news item uses for it
NEGATIVE_TERMS: dict[str, tuple[str, ...]] = {
    "misconduct": (
        "sai phạm",
        "vi phạm",
        "bê bối",
        "tiêu cực",
        "khuất tất",
        "chi sai",
        "sai quy định",
        "trục lợi",
        "tham ô",
        "biển thủ",
        "lập quỹ trái phép",
        "chứng từ khống",
        "đào tạo chui",
        "văn bản chui",
        "bỏ hoang",
        "bỏ xó",
        "thất thoát",
        "sai sự thật",
        "nhập nhèm",
        "chiêu sinh trái phép",
    ),
    "discipline": (
        "kỷ luật",
        "kỉ luật",
        "cảnh cáo",
        "khiển trách",
        "cách chức",
        "đình chỉ",
        "buộc thôi học",
        "xử phạt",
        "kết luận thanh tra",
        "khởi tố",
        "bắt tạm giam",
        "hầu tòa",
        "truy tố",
        "thu hồi quyết định",
        "đề nghị thu hồi",
        "thu hồi số tiền",
    ),
    "fraud": ("lừa đảo", "gian lận", "bị lừa", "mạo danh", "bao đậu", "chạy bằng", "mua bằng", "bán bằng"),
    "fake_certificate": (
        "bằng giả",
        "chứng chỉ giả",
        "bằng lái giả",
        "giấy phép lái xe giả",
        "làm giả",
        "giả mạo",
        "bằng thpt giả",
        "văn bằng giả",
    ),
    "complaint": ("khiếu kiện", "tố cáo", "tố giác", "thông tin báo nêu", "đơn thư"),
    "closure": (
        "giải thể",
        "đóng cửa",
        "xóa sổ",
        "xoá sổ",
        "ngừng hoạt động",
        "đình chỉ hoạt động",
        "thu hồi giấy phép",
    ),
}
# words that name bad news only when the headline says them: "gây lãng phí" in a lead is usually commentary on a
# policy or a trend, not a school's misconduct
HEADLINE_ONLY_TERMS = ("lãng phí",)
# a headline that denies or clears ("bác bỏ thông tin...", "không có chuyện...") reports no bad news of its own
DENIALS = (
    "bác bỏ",
    "minh oan",
    "không có chuyện",
    "không có sai phạm",
    "phòng chống",
    "phòng, chống",
    "chống gian lận",
    "ngăn chặn",
)


_GAP = r"[\s'\"“”‘’]+"  # news puts the loaded word in quotes: đào tạo 'chui'


def _pattern(terms) -> re.Pattern[str]:
    """Whole-word, case-insensitive; words of a term may be separated by spaces or quotes, so a match is a span of
    the item as written (the web app highlights it)."""
    alternatives = (_GAP.join(map(re.escape, term.split())) for term in sorted(terms, key=len, reverse=True))
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


_NEGATIVE = _pattern(term for terms in NEGATIVE_TERMS.values() for term in terms)
_NEGATIVE_IN_HEADLINE = _pattern([*(term for terms in NEGATIVE_TERMS.values() for term in terms), *HEADLINE_ONLY_TERMS])
_DENIAL = _pattern(DENIALS)


@dataclass
class Tone:
    """'negative' with the phrases (verbatim from the item) that say why, or 'neutral' with none."""

    tone: str = NEUTRAL
    phrases: list[str] = field(default_factory=list)

    @property
    def negative(self) -> bool:
        return self.tone == NEGATIVE


def detect_tone(title: str, text: str) -> Tone:
    """Negative when the headline or the lead (where a news item says what it is about) names bad news; a word deep
    in the body ("vi phạm" in a rule being explained) is not read, and a denying headline is never negative."""
    title, lead = title or "", (text or "")[:TONE_LEAD_CHARS]
    if _DENIAL.search(title):
        return Tone()
    in_title = [m.group(0) for m in _NEGATIVE_IN_HEADLINE.finditer(title)]
    in_lead = [m.group(0) for m in _NEGATIVE.finditer(lead)]
    if not in_title and len({term.lower() for term in in_lead}) < LEAD_TERMS_NEEDED:
        return Tone()
    phrases: list[str] = []
    for phrase in in_title + in_lead:
        if phrase.lower() not in {p.lower() for p in phrases}:
            phrases.append(phrase)
    return Tone(NEGATIVE, phrases[:MAX_TONE_PHRASES])
