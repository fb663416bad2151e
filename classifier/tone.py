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
LEAD_TERMS_NEEDED = 1

# ruling 4's kinds of bad news, each as the words a Vietnamese news item uses for it
NEGATIVE_TERMS: dict[str, tuple[str, ...]] = {
    "misconduct": ("sai phạm", "vi phạm", "bê bối", "tiêu cực", "khuất tất", "chi sai", "sai quy định", "trục lợi",
                   "tham ô", "biển thủ", "lập quỹ trái phép", "chứng từ khống", "đào tạo chui", "văn bản chui",
                   "lãng phí", "bỏ hoang", "bỏ xó", "thất thoát", "sai sự thật", "nhập nhèm", "chiêu sinh trái phép"),
    "discipline": ("kỷ luật", "kỉ luật", "cảnh cáo", "khiển trách", "cách chức", "đình chỉ", "buộc thôi học",
                   "xử phạt", "kết luận thanh tra", "khởi tố", "bắt tạm giam", "hầu tòa", "truy tố", "thu hồi quyết định", "đề nghị thu hồi",
                   "thu hồi số tiền"),
    "fraud": ("lừa đảo", "gian lận", "bị lừa", "mạo danh", "bao đậu", "chạy bằng", "mua bằng", "bán bằng"),
    "fake_certificate": ("bằng giả", "chứng chỉ giả", "bằng lái giả", "giấy phép lái xe giả", "làm giả", "giả mạo",
                         "bằng thpt giả", "văn bằng giả"),
    "complaint": ("khiếu kiện", "tố cáo", "tố giác", "thông tin báo nêu", "đơn thư"),
    "closure": ("giải thể", "đóng cửa", "xóa sổ", "xoá sổ", "ngừng hoạt động", "đình chỉ hoạt động",
                "thu hồi giấy phép"),
}
# a headline that denies or clears ("bác bỏ thông tin...", "không có chuyện...") reports no bad news of its own
DENIALS = ("bác bỏ", "minh oan", "không có chuyện", "không có sai phạm", "phòng chống", "phòng, chống", "chống gian lận",
           "ngăn chặn")


_QUOTES = re.compile(r"\s*['\"“”‘’]\s*")


def _unquoted(text: str) -> str:
    """Quotes out, so that đào tạo 'chui' reads as đào tạo chui (news puts the loaded word in quotes)."""
    return _QUOTES.sub(" ", text)


def _pattern(terms) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)) + r")(?!\w)",
                      re.IGNORECASE)


_NEGATIVE = _pattern(term for terms in NEGATIVE_TERMS.values() for term in terms)
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
    """Negative when the headline names bad news, or the lead names it twice (two different terms) — a single
    word deep in the body ("vi phạm" in a rule being explained) is not what the item is about; a denying headline
    is never negative."""
    title, lead = _unquoted(title or ""), _unquoted((text or "")[:TONE_LEAD_CHARS])
    if _DENIAL.search(title):
        return Tone()
    in_title = [m.group(0) for m in _NEGATIVE.finditer(title)]
    in_lead = [m.group(0) for m in _NEGATIVE.finditer(lead)]
    if not in_title and len({term.lower() for term in in_lead}) < LEAD_TERMS_NEEDED:
        return Tone()
    phrases: list[str] = []
    for phrase in in_title + in_lead:
        if phrase.lower() not in {p.lower() for p in phrases}:
            phrases.append(phrase)
    return Tone(NEGATIVE, phrases[:MAX_TONE_PHRASES])
