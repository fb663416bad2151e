"""URL identity: one canonical form per article, so tracking links, fragments and print views never store it twice."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url as w3lib_canonicalize_url

TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "zarsrc",
        "zacc",
        "_ga",
        "_gl",
        "ref",
        "ref_src",
        "referer",
        "referrer",
        "cmpid",
        "spm",
        "vn_source",
        "vn_medium",
        "vn_campaign",
        "vn_content",
        "vn_term",
        "gidzl",
        "s_cid",
        "ocid",
        "fromrss",
        "wt.mc_id",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "ga_", "itm_")
_DEFAULT_PORTS = {"http": 80, "https": 443}

_PRINT_PATH = re.compile(
    r"/(?:print|in-bai|inbai|in-tin|print-view|printview|printpreview|print-preview|ban-in|printer-friendly|"
    r"printerfriendly|print-friendly|printable)(?:/|\.|$)",
    re.IGNORECASE,
)
_PRINT_PAGE = re.compile(r"/(?:print|in)(?:news|article|bai|tin)?\.(?:aspx|php|asp|jsp|html?)$", re.IGNORECASE)
_PRINT_QUERY_FLAGS = {
    "print": None,
    "printable": None,
    "inbai": None,
    "view": "print",
    "mode": "print",
    "layout": "print",
    "format": "print",
    "type": "print",
    "output": "print",
    "template": "print",
}
_ID_IN_PRINT_PATH = re.compile(
    r"/(?:print|in-bai|inbai|in-tin|print-view|printview|ban-in)/(?:[^/]*?-)?(\d{3,})(?:\.html?)?$", re.IGNORECASE
)


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES)


def canonicalize_url(url: str) -> str:
    """Lower-case scheme and host, no default port, no fragment, no tracking parameters, sorted query.

    Meaningful parameters (tintucID, newsid, id, p, page, ...) are kept: on old CMSs they are the article's identity.
    """
    url = (url or "").strip()
    if not url:
        return url
    try:
        parts = urlsplit(w3lib_canonicalize_url(url, keep_fragments=False))
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    port = parts.port if parts.port and parts.port != _DEFAULT_PORTS.get(scheme) else None
    netloc = host + (f":{port}" if port else "")
    if parts.username:
        netloc = f"{parts.username}{':' + parts.password if parts.password else ''}@{netloc}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query), doseq=True), ""))


def _print_flag(name: str, value: str) -> bool:
    expected = _PRINT_QUERY_FLAGS.get(name.lower(), "")
    if expected == "":
        return False
    if expected is None:
        return value.lower() not in ("0", "false", "no")
    return value.lower() == expected


def is_print_view(url: str) -> bool:
    """True for printer-friendly copies of an article (`/print/<id>.html`, `?print=1`, `/in-bai/`, `?mode=print`)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if _PRINT_PATH.search(parts.path) or _PRINT_PAGE.search(parts.path):
        return True
    return any(_print_flag(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True))


def print_view_target(url: str) -> str | None:
    """The article URL a print view stands for, when it can be derived from the URL alone (else None).

    `?print=1` / `?mode=print` -> the same URL without the flag; `/in-bai/<slug>.html` -> `/<slug>.html`.
    `/print/<id>.html` keeps only the id, so the article URL is not derivable: None (use the page's rel=canonical).
    """
    if not is_print_view(url):
        return None
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _print_flag(k, v)]
    path = parts.path
    if _PRINT_PAGE.search(path):
        return None
    match = _PRINT_PATH.search(path)
    if match:
        if _ID_IN_PRINT_PATH.search(path) and not re.search(r"[a-z]-\d+\.html?$", path, re.IGNORECASE):
            return None
        stripped = path[: match.start()] if match.end() == len(path) else _PRINT_PATH.sub("/", path, count=1)
        if stripped in ("", "/"):
            return None
        path = re.sub(r"/{2,}", "/", stripped)
    return canonicalize_url(urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), "")))
