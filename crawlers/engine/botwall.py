"""Bot walls: a challenge page (Cloudflare's "Just a moment…", "Checking your browser", a JavaScript-only shell)
stands where the article should be. It is the site refusing automated readers, not content: the source gets the
error "trang chặn truy cập tự động" and nothing from the page is stored."""

from __future__ import annotations

import re

BOT_WALL_ERROR = "trang chặn truy cập tự động"
_CHALLENGE_MARKERS = re.compile(
    rb"<title>\s*(?:just a moment|attention required|checking your browser|ddos-guard|one more step|"
    rb"please wait|access denied|security check)|cf-browser-verification|cf_chl_opt|/cdn-cgi/challenge-platform/|"
    rb"challenges\.cloudflare\.com|checking (?:if the site connection is secure|your browser before accessing)|"
    rb"enable javascript and cookies to continue|ddos-guard\.net/|sucuri website firewall|"
    rb"id=\"challenge-(?:form|running|stage)\"|_incapsula_resource|/_guard/|vui l\xc3\xb2ng b\xe1\xba\xadt javascript",
    re.IGNORECASE,
)
_SCRIPT_OR_STYLE = re.compile(rb"<(script|style|noscript)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(rb"<[^>]+>")
_NOSCRIPT_JS = re.compile(rb"<noscript\b[^>]*>[^<]{0,400}javascript", re.IGNORECASE)
SHELL_MAX_TEXT = 40
SHELL_MIN_SCRIPT = 200


def is_bot_wall(body: bytes, status: int = 200, headers: dict[str, str] | None = None) -> bool:
    """True for a challenge page or a JavaScript-only shell (a page that shows no text unless a script runs)."""
    headers = {key.lower(): value for key, value in (headers or {}).items()}
    if headers.get("cf-mitigated", "").lower() == "challenge":
        return True
    head = body[:200_000]
    if _CHALLENGE_MARKERS.search(head):
        return True
    return is_script_shell(head)


def is_script_shell(body: bytes) -> bool:
    """An HTML page whose visible text is (almost) empty but which carries scripts and asks for JavaScript."""
    if b"<html" not in body[:2000].lower() and b"<!doctype html" not in body[:2000].lower():
        return False
    scripts = sum(len(m.group(0)) for m in _SCRIPT_OR_STYLE.finditer(body) if m.group(1).lower() == b"script")
    text = _TAG.sub(b" ", _SCRIPT_OR_STYLE.sub(b" ", body))
    visible = len(re.sub(rb"\s+", b"", text))
    return visible <= SHELL_MAX_TEXT and (scripts >= SHELL_MIN_SCRIPT or bool(_NOSCRIPT_JS.search(body)))


def bot_wall_message(url: str) -> str:
    return (
        f"{BOT_WALL_ERROR}: {url} trả về trang kiểm tra trình duyệt thay cho nội dung "
        "(Cloudflare hoặc tương tự); không lưu gì. Cách xử lý: dùng RSS của trang nếu có (feeds:), theo dõi qua "
        "một feed tổng hợp, hoặc đề nghị tòa soạn cho bộ thu thập gdnn-monitor đi qua tường lửa"
    )
