"""Turn an item into the tokens the linear model sees: syllable n-grams, kept apart for the headline and the body.

The headline says what the item is mainly about, so its n-grams get their own features ("t:" prefix); the body
contributes plain n-grams. Syllables are what Vietnamese text is written in, so no segmenter is needed (the
underthesea word-segmenting variant is kept for the comparison in train.py).
"""

from __future__ import annotations

import itertools
import math
import re

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

SEPARATOR = "\u241e"  # a character that never occurs in news text, between headline and body
MAX_BODY_SYLLABLES = 400  # Vietnamese news states its main subject in headline, sapo and first paragraphs
THEME_BODY_SYLLABLES = 1200
BODY_NGRAM = 2
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_DIGITS = re.compile(r"\d")
HEADLINE_FROM_TEXT_CHARS = 160  # a headline-length first sentence stands in for a missing headline
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s")


def join_item(title: str, text: str) -> str:
    """One string per item, because scikit-learn vectorisers take one document each. A post without a headline
    lends its first sentence as one (the crawler heads a Facebook post with its first line the same way), so the
    headline features see it."""
    title = (title or "").strip() or first_sentence(text or "")
    return f"{title}{SEPARATOR}{text or ''}"


def first_sentence(text: str) -> str:
    """The first line of a text, cut after its first sentence or at a word when longer than a headline."""
    first = " ".join(text.strip().split("\n", 1)[0].split())
    if len(first) <= HEADLINE_FROM_TEXT_CHARS:
        return first
    ends = _SENTENCE_END.search(first, 0, HEADLINE_FROM_TEXT_CHARS)
    if ends:
        return first[: ends.start()]
    return first[:HEADLINE_FROM_TEXT_CHARS].rsplit(" ", 1)[0]


def split_item(document: str) -> tuple[str, str]:
    title, _, text = document.partition(SEPARATOR)
    return title, text


def syllables(text: str, limit: int | None = None) -> list[str]:
    """Lower-cased syllables; digits collapse to '0' so years and counts share features."""
    tokens = _TOKEN.findall(text.lower())
    if limit is not None:
        tokens = tokens[:limit]
    return [_DIGITS.sub("0", token) if token[0].isdigit() else token for token in tokens]


def ngrams(tokens: list[str], low: int, high: int, prefix: str = "") -> list[str]:
    """All n-grams with low <= n <= high (zip-based: this is the hot loop of prediction)."""
    out: list[str] = []
    if low <= 1 <= high:
        out.extend(prefix + token for token in tokens) if prefix else out.extend(tokens)
    if low <= 2 <= high:
        out.extend(f"{prefix}{a} {b}" for a, b in itertools.pairwise(tokens))
    if low <= 3 <= high:
        out.extend(f"{prefix}{a} {b} {c}" for a, b, c in zip(tokens, tokens[1:], tokens[2:]))
    return out


def syllable_analyzer(document: str) -> list[str]:
    """Headline 1-3-grams marked 't:' plus 1-2-grams of headline and body (first MAX_BODY_SYLLABLES syllables)."""
    return _headline_and_body_ngrams(document, MAX_BODY_SYLLABLES)


def theme_analyzer(document: str) -> list[str]:
    """As syllable_analyzer but over a longer body: a theme (admissions, training, policy…) is often named only
    further down, where relevance no longer needs to look."""
    return _headline_and_body_ngrams(document, THEME_BODY_SYLLABLES)


def _headline_and_body_ngrams(document: str, body_limit: int) -> list[str]:
    title, text = split_item(document)
    title_tokens = syllables(title)
    body_tokens = syllables(text, body_limit)
    return ngrams(title_tokens, 1, 3, "t:") + ngrams(title_tokens + ["|"] + body_tokens, 1, BODY_NGRAM)


def word_analyzer(document: str) -> list[str]:
    """underthesea word segmentation (slow): headline and body words and word bigrams."""
    from underthesea import word_tokenize

    title, text = split_item(document)
    body = " ".join(text.split()[:MAX_BODY_SYLLABLES])
    title_words = [w.lower() for w in word_tokenize(title) if _TOKEN.search(w)] if title else []
    body_words = [w.lower() for w in word_tokenize(body) if _TOKEN.search(w)] if body else []
    return ngrams(title_words, 1, 2, "t:") + ngrams(title_words + ["|"] + body_words, 1, 2)


# Term groups whose position and density say whether GDNN is the main subject or a passing mention. Longer terms win
# where terms overlap ("đào tạo nghề" counts as strong, not as "đào tạo" + "nghề").
LEXICON: dict[str, tuple[str, ...]] = {
    "strong": (
        "giáo dục nghề nghiệp",
        "học nghề",
        "đào tạo nghề",
        "dạy nghề",
        "trường nghề",
        "cao đẳng nghề",
        "trung cấp nghề",
        "sơ cấp nghề",
        "gdnn",
        "nghề nghiệp và giáo dục thường xuyên",
    ),
    "levels": ("trung cấp", "cao đẳng", "sơ cấp", "trường tc", "trường cđ", "cđn", "tcn"),
    "skills": (
        "kỹ năng nghề",
        "kĩ năng nghề",
        "tay nghề",
        "worldskills",
        "asean skills",
        "thi tay nghề",
        "hội giảng",
        "chứng chỉ nghề",
        "kỹ năng lao động",
        "người thợ",
    ),
    "admission": ("tuyển sinh", "hướng nghiệp", "phân luồng", "chọn nghề", "ngành nghề", "chọn trường"),
    "training": ("đào tạo", "học viên", "khóa học", "lớp học", "nghề", "nhà giáo", "giáo viên dạy"),
    "labour": ("lao động nông thôn", "bộ đội xuất ngũ", "người khuyết tật", "lao động", "doanh nghiệp", "việc làm"),
    "school": ("đại học", "thpt", "thcs", "lớp 10", "tiểu học", "mầm non", "thi tốt nghiệp", "điểm chuẩn"),
    "false_friend": (
        "làng nghề",
        "bệnh nghề nghiệp",
        "an toàn lao động",
        "an toàn vệ sinh lao động",
        "chức danh nghề nghiệp",
        "sư phạm",
        "lý luận chính trị",
        "nghề báo",
        "nghề cá",
        "xuất khẩu lao động",
        "hội chợ việc làm",
        "sàn giao dịch việc làm",
        "thất nghiệp",
        "tiền lương",
        "bảo hiểm",
    ),
}
_GROUP_OF_TERM = {term: index for index, terms in enumerate(LEXICON.values()) for term in terms}
_ANY_TERM = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(t) for t in sorted(_GROUP_OF_TERM, key=len, reverse=True)) + r")(?!\w)"
)
LEAD_CHARS = 400
_GROUP_PATTERNS = {
    name: re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)) + r")(?!\w)", re.IGNORECASE
    )
    for name, terms in LEXICON.items()
}


def lexicon_pattern(group: str) -> re.Pattern[str]:
    """The terms of one lexicon group as a case-insensitive pattern (explanations highlight them)."""
    return _GROUP_PATTERNS[group]


_VOCATIONAL_GROUPS = {index for index, name in enumerate(LEXICON) if name in ("strong", "levels", "skills")}


def has_vocational_terms(text: str) -> bool:
    """Any strong GDNN term, training level (trung cấp, cao đẳng...) or skills term in text."""
    return any(_GROUP_OF_TERM[m.group(0)] in _VOCATIONAL_GROUPS for m in _ANY_TERM.finditer(text.lower()))


def lexicon_features(document: str) -> list[float]:
    """Per term group: hits in the headline, log hits in the lead, log hits and density in the whole item."""
    title, text = split_item(document)
    lowered = f"{title}\n{text}".lower()
    title_end, lead_end = len(title), len(title) + 1 + LEAD_CHARS
    groups = len(LEXICON)
    in_title, in_lead, total = [0] * groups, [0] * groups, [0] * groups
    for match in _ANY_TERM.finditer(lowered):
        group = _GROUP_OF_TERM[match.group(0)]
        total[group] += 1
        if match.start() < title_end:
            in_title[group] += 1
        elif match.start() < lead_end:
            in_lead[group] += 1
    words = max(lowered.count(" ") + 1, 20)
    row: list[float] = []
    for group in range(groups):
        row.extend(
            [
                min(in_title[group], 2),
                math.log1p(in_lead[group]),
                math.log1p(total[group]),
                min(1000.0 * total[group] / words, 30.0) / 10,
            ]
        )
    return row


class _HandFeatures(BaseEstimator, TransformerMixin):
    """A block of hand-made features in a FeatureUnion: `row` per document, scaled by weight against TF-IDF."""

    names: tuple[str, ...] = ()
    weight: float

    @staticmethod
    def row(document: str) -> list[float]:
        raise NotImplementedError

    def fit(self, documents, y=None):
        return self

    def transform(self, documents):
        rows = np.array([self.row(d) for d in documents], dtype=np.float32) * self.weight
        return sparse.csr_matrix(rows.reshape(len(rows), len(self.names)))

    def get_feature_names_out(self, input_features=None):
        return np.array(self.names, dtype=object)


class LexiconFeatures(_HandFeatures):
    """lexicon_features as a transformer."""

    names = tuple(f"lex:{name}:{kind}" for name in LEXICON for kind in ("title", "lead", "log_total", "density"))
    row = staticmethod(lexicon_features)

    def __init__(self, weight: float = 0.3):
        self.weight = weight


# Cues for the six themes, from the guide's theme definitions.
THEME_CUES: dict[str, tuple[str, ...]] = {
    "tuyen_sinh": (
        "tuyển sinh",
        "hướng nghiệp",
        "phân luồng",
        "chỉ tiêu",
        "xét tuyển",
        "thí sinh",
        "nhập học",
        "tư vấn",
    ),
    "dao_tao": (
        "lao động nông thôn",
        "khóa học",
        "lớp đào tạo",
        "lớp dạy nghề",
        "học viên",
        "bộ đội xuất ngũ",
        "khuyết tật",
        "dân tộc thiểu số",
        "đào tạo nghề cho",
        "khai giảng",
    ),
    "co_so": (
        "sáp nhập",
        "tự chủ",
        "cơ sở vật chất",
        "kiểm định",
        "chất lượng",
        "mạng lưới",
        "thành lập",
        "giải thể",
        "quy hoạch",
        "trường",
    ),
    "chinh_sach": (
        "luật",
        "nghị định",
        "quyết định",
        "thông tư",
        "chiến lược",
        "đề án",
        "kinh phí",
        "ngân sách",
        "chính sách",
        "kế hoạch",
        "chỉ thị",
        "quốc hội",
    ),
    "ky_nang": (
        "kỹ năng nghề",
        "tay nghề",
        "hội thi",
        "kỳ thi",
        "worldskills",
        "asean",
        "hội giảng",
        "huy chương",
        "thí sinh",
        "chứng chỉ",
    ),
    "doanh_nghiep": (
        "doanh nghiệp",
        "việc làm",
        "tuyển dụng",
        "liên kết",
        "thu nhập",
        "nhà tuyển dụng",
        "ký kết",
        "hợp tác",
        "đặt hàng",
    ),
}
_THEME_PATTERNS = [re.compile("|".join(map(re.escape, cues))) for cues in THEME_CUES.values()]


def theme_cue_features(document: str) -> list[float]:
    """Per theme: cue hits in the headline, log hits in the lead, density in the body."""
    title, text = split_item(document)
    title, text = title.lower(), text.lower()
    lead, words = text[:LEAD_CHARS], max(len(text.split()), 20)
    row: list[float] = []
    for pattern in _THEME_PATTERNS:
        row.extend(
            [
                min(len(pattern.findall(title)), 2),
                math.log1p(len(pattern.findall(lead))),
                min(100.0 * len(pattern.findall(text)) / words, 10.0) / 3,
            ]
        )
    return row


class ThemeCueFeatures(_HandFeatures):
    """theme_cue_features as a transformer."""

    names = tuple(f"theme:{name}:{kind}" for name in THEME_CUES for kind in ("title", "lead", "density"))
    row = staticmethod(theme_cue_features)

    def __init__(self, weight: float = 0.5):
        self.weight = weight
