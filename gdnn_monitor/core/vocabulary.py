"""The product's vocabulary, each term defined once with its Vietnamese label: source kinds (and the channel each
counts under), channels, genres, themes, the plan's activity groups and metrics, classifier zones, review decisions
and user roles. The registry, the schema, the classifier, the reports and the web app all read them from here, so
adding a term is one edit."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """A kind of source: its label in the web app and the channel its items count under in reports."""

    label: str
    channel: str


# Channels of the reports: the five the crawlers reach, then the two that only exist off-line (manual entries).
CRAWL_CHANNELS = {
    "bao": "Báo in/điện tử",
    "phat_thanh_truyen_hinh": "Phát thanh - Truyền hình",
    "trang_truong": "Trang trường",
    "cong_thong_tin": "Cổng thông tin",
    "mang_xa_hoi": "Mạng xã hội",
}
MANUAL_CHANNELS = {
    **CRAWL_CHANNELS,
    "su_kien": "Sự kiện, hoạt động trực tiếp",
    "an_pham": "Ấn phẩm, sản phẩm truyền thông",
}
OTHER_CHANNEL = "khac"
CHANNELS = {**MANUAL_CHANNELS, OTHER_CHANNEL: "Khác"}

# Kinds a sources file may use (crawled), plus "manual", the kind of the one source holding manual entries.
CRAWL_KINDS = {
    "newspaper": Kind("Báo", "bao"),
    "tv": Kind("Đài PT-TH", "phat_thanh_truyen_hinh"),
    "school": Kind("Trường", "trang_truong"),
    "government": Kind("Cơ quan nhà nước", "cong_thong_tin"),
    "portal": Kind("Cổng thông tin", "cong_thong_tin"),
    "youtube": Kind("YouTube", "mang_xa_hoi"),
    "facebook": Kind("Facebook", "mang_xa_hoi"),
}
MANUAL_KIND = "manual"
KINDS = {**CRAWL_KINDS, MANUAL_KIND: Kind("Nhập tay", OTHER_CHANNEL)}
SOCIAL_KINDS = ("youtube", "facebook")  # crawled from a channel's feed or API, not from web pages

GENRES = {
    "article": "Tin, bài viết",
    "video": "Video, phóng sự truyền hình",
    "photo": "Ảnh, phóng sự ảnh",
    "post": "Bài đăng mạng xã hội",
    "broadcast": "Chương trình phát thanh - truyền hình",
    "print": "Bài trên báo in",
    "event": "Sự kiện",
    "product": "Sản phẩm truyền thông",
}

THEMES = {
    "tuyen_sinh": "Tuyển sinh, hướng nghiệp",
    "dao_tao": "Đào tạo",
    "co_so": "Cơ sở GDNN",
    "chinh_sach": "Chính sách",
    "ky_nang": "Kỹ năng nghề, thi tay nghề",
    "doanh_nghiep": "Doanh nghiệp, việc làm",
}
NO_THEME = "chua_ro"

# The eight activity groups of the 2024 plan's appendix (shared/docs/domain.md).
ACTIVITY_GROUPS = {
    1: "Ứng dụng CNTT trong truyền thông gắn với tuyển sinh, đào tạo",
    2: "Ấn phẩm truyền thông và số hóa ấn phẩm",
    3: "Phối hợp với cơ quan báo chí: tin, bài, phóng sự, chuyên mục, tọa đàm",
    4: "Viễn thông, internet: trang web, Facebook, YouTube, Zalo",
    5: "Sự kiện định hướng phân luồng: ngày hội tư vấn, Ngày Kỹ năng lao động, hội thi, tôn vinh",
    6: "Trường GDNN tham gia giáo dục hướng nghiệp ở THCS, THPT",
    7: "Xây dựng không gian, hệ sinh thái truyền thông GDNN",
    8: "Truyền thông qua sự kiện của ngành: kỳ thi kỹ năng nghề, hội giảng, tôn vinh",
}

# Targets of the yearly plan; printed products and events have their own, every other genre counts as tin/bài.
METRICS = {
    "tin_bai": "Tin/bài (tin, bài, ảnh, phóng sự, chương trình, video, bài đăng)",
    "san_pham": "Sản phẩm truyền thông (tờ rơi, sách, áp phích, video clip…)",
    "su_kien": "Sự kiện truyền thông",
}
METRIC_OF_GENRE = {"product": "san_pham", "event": "su_kien"}
DEFAULT_METRIC = "tin_bai"

ZONES = {"accept": "Tự chấp nhận", "review": "Cần xem xét", "reject": "Tự loại"}

REVIEW_DECISIONS = ("confirmed", "rejected")
REVIEW_ACTIONS = {
    "confirmed": "Đã xác nhận",
    "rejected": "Đã từ chối",
    "corrected": "Sửa chủ đề/thể loại",
    "undo": "Hoàn tác",
    None: "Chưa duyệt",
}

ROLES = {"admin": "Quản trị", "reviewer": "Cán bộ duyệt", "viewer": "Chỉ xem"}


def channel_of_kind(kind: str) -> str:
    """The report channel of a source kind; a kind the vocabulary does not know counts under "Khác"."""
    entry = KINDS.get(kind)
    return entry.channel if entry else OTHER_CHANNEL


def metric_of_genre(genre: str) -> str:
    """Which plan target an item adds to: printed products and events have their own targets, the rest are tin/bài."""
    return METRIC_OF_GENRE.get(genre, DEFAULT_METRIC)
