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
    """The terms of one lexicon or ruling group as a case-insensitive pattern (explanations highlight them)."""
    return _GROUP_PATTERNS[group] if group in _GROUP_PATTERNS else _RULING_PATTERNS[group]


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


# Term groups from the guide's rulings on borderline cases (GUIDE.md, rulings 1-11): the kinds of item the rulings
# settle, each with the cue that decides it. Terms come from the rulings' wording, not from misclassified dev items.
RULING_LEXICON: dict[str, tuple[str, ...]] = {
    # 10: driving schools and their courses are vocational training; licence tests and traffic rules are not
    "driving": (
        "đào tạo lái xe",
        "dạy lái xe",
        "học lái xe",
        "trung tâm đào tạo lái xe",
        "trường dạy lái xe",
        "giáo viên dạy lái xe",
        "học viên lái xe",
        "cơ sở đào tạo lái xe",
        "trường lái",
        "dạy lái",
    ),
    "licence": (
        "sát hạch lái xe",
        "giấy phép lái xe",
        "bằng lái",
        "thi bằng lái",
        "an toàn giao thông",
        "vi phạm giao thông",
        "luật giao thông",
    ),
    # 3: short training for work in a trade is GDNN even without a level; professional / official courses are not
    "short_course": (
        "lớp tập huấn",
        "khóa đào tạo",
        "lớp đào tạo",
        "đào tạo kỹ năng",
        "bồi dưỡng kỹ năng",
        "nâng cao tay nghề",
        "lớp học nghề",
        "khóa học nghề",
        "đào tạo ngắn hạn",
        "đào tạo lại",
        "lớp dạy nghề",
        "cho người lao động",
        "cho công nhân",
        "cho lao động",
    ),
    "professional": (
        "hội thảo",
        "bác sĩ",
        "luật sư",
        "nhà báo",
        "công chức",
        "chứng chỉ hành nghề",
        "cán bộ quản lý",
        "đại biểu",
    ),
    # 5: vocational study abroad and training for work abroad are GDNN; university study abroad and recruitment not
    "abroad_training": (
        "du học nghề",
        "học nghề ở nước ngoài",
        "đào tạo định hướng",
        "giáo dục định hướng",
        "đi làm việc ở nước ngoài",
        "thực tập sinh",
        "tiếng nhật",
        "tiếng hàn",
        "tiếng đức",
    ),
    "abroad_other": ("du học", "visa", "thị thực", "học bổng du học", "tuyển dụng lao động", "môi giới"),
    # 6: vocational education abroad counts only with a Vietnamese angle
    "foreign": (
        "trung quốc",
        "nhật bản",
        "hàn quốc",
        "hoa kỳ",
        "nước mỹ",
        "người mỹ",
        "nước đức",
        "singapore",
        "malaysia",
        "thái lan",
        "ấn độ",
        "australia",
        "châu âu",
        "campuchia",
        "lào",
        "philippines",
        "indonesia",
        "nước anh",
        "pháp",
        "canada",
    ),
    "vietnam": ("việt nam", "người việt", "trong nước", "của ta", "nước ta", "tỉnh", "thành phố", "huyện"),
    # 4: scandals, discipline, fraud, fake certificates, closures at a vocational school are GDNN (co_so)
    "bad_news": (
        "sai phạm",
        "vi phạm",
        "kỷ luật",
        "cảnh cáo",
        "khiển trách",
        "cách chức",
        "gian lận",
        "lừa đảo",
        "bằng giả",
        "chứng chỉ giả",
        "giả mạo",
        "giải thể",
        "đóng cửa",
        "bỏ hoang",
        "lãng phí",
        "khuất tất",
        "tham ô",
        "thanh tra",
        "khởi tố",
        "xử phạt",
        "đình chỉ",
        "thu hồi",
        "tiêu cực",
        "sai quy định",
        "chi sai",
        "bê bối",
        "trục lợi",
        "xóa sổ",
    ),
    # 11: the school, its learners or teachers as the actors (a congress, a charity drive, a students' event)
    "school_actor": (
        "sinh viên trường",
        "học sinh trường",
        "đoàn trường",
        "công đoàn trường",
        "đại hội",
        "nhà trường",
        "học sinh, sinh viên",
        "hssv",
        "giảng viên",
        "thầy trò",
        "tân sinh viên",
    ),
    # 9: admissions / career fairs shared with universities are GDNN only when the vocational path leads
    "mixed_fair": (
        "ngày hội tư vấn",
        "tư vấn tuyển sinh",
        "tư vấn xét tuyển",
        "ngày hội hướng nghiệp",
        "đại học, cao đẳng",
        "đh, cđ",
        "xét tuyển đại học",
        "các trường đại học",
    ),
    # 7: labour-contract questions are not GDNN, even about training costs
    "labour_law": (
        "hợp đồng lao động",
        "bồi thường chi phí đào tạo",
        "hoàn trả chi phí đào tạo",
        "chi phí đào tạo",
        "bộ luật lao động",
        "người sử dụng lao động",
        "luật sư tư vấn",
    ),
}
RULING_TEXT_CHARS = 3000  # enough to see the item's subject; regexes over whole long articles cost throughput
_RULING_PATTERNS = {
    name: re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)) + r")(?!\w)", re.IGNORECASE
    )
    for name, terms in RULING_LEXICON.items()
}
_VOCATIONAL = re.compile(
    r"(?<!\w)(?:"
    + "|".join(
        re.escape(t)
        for t in sorted((*LEXICON["strong"], *LEXICON["levels"], *LEXICON["skills"]), key=len, reverse=True)
    )
    + r")(?!\w)",
    re.IGNORECASE,
)
# pairs whose joint presence in headline + lead is what a ruling decides on (a linear model cannot multiply)
_RULING_PAIRS = (
    ("bad_news", "vocational"),
    ("foreign", "vocational"),
    ("driving", "bad_news"),
    ("school_actor", "vocational"),
    ("mixed_fair", "vocational"),
    ("short_course", "vocational"),
)


def ruling_features(document: str) -> list[float]:
    """Per ruling group: hits in the headline, log hits in the lead, log hits overall; then, for the pairs a ruling
    weighs together, whether both occur in headline + lead."""
    title, text = split_item(document)
    title, lead, whole = title.lower(), text[:LEAD_CHARS].lower(), f"{title}\n{text[:RULING_TEXT_CHARS]}".lower()
    row: list[float] = []
    top: dict[str, bool] = {"vocational": bool(_VOCATIONAL.search(title) or _VOCATIONAL.search(lead))}
    for name, pattern in _RULING_PATTERNS.items():
        in_title, in_lead = len(pattern.findall(title)), len(pattern.findall(lead))
        row.extend([min(in_title, 2), math.log1p(in_lead), math.log1p(len(pattern.findall(whole)))])
        top[name] = bool(in_title or in_lead)
    row.extend(float(top[a] and top[b]) for a, b in _RULING_PAIRS)
    return row


class RulingFeatures(_HandFeatures):
    """ruling_features as a transformer."""

    names = (
        *(f"lex:{name}:{kind}" for name in RULING_LEXICON for kind in ("title", "lead", "log_total")),
        *(f"rule:{a}+{b}" for a, b in _RULING_PAIRS),
    )
    row = staticmethod(ruling_features)

    def __init__(self, weight: float = 0.1):
        self.weight = weight


_CUE_RULINGS = ("driving", "short_course", "abroad_training")
_RULING_CUE = re.compile(
    r"(?<!\w)(?:"
    + "|".join(
        re.escape(t) for t in sorted((t for g in _CUE_RULINGS for t in RULING_LEXICON[g]), key=len, reverse=True)
    )
    + r")(?!\w)",
    re.IGNORECASE,
)


def has_vocational_cue(document: str) -> bool:
    """A vocational term (strong term, training level, skills) or a ruling's vocational kind (driving school, short
    course for workers, training for work abroad) in the headline or lead: what keeps a low-scoring item in review."""
    title, text = split_item(document)
    head = f"{title}\n{text[:LEAD_CHARS]}"
    return has_vocational_terms(head) or bool(_RULING_CUE.search(head))
