"""Publication time of an article page, with the time of day kept and the local time zone applied.

htmldate returns dates only; Vietnamese pages print `Thứ Hai, 24/03/2020 08:15`, `Cập nhật: 08:15 - 24/03/2020`,
`ngày 24 tháng 3 năm 2020` and often show an "updated" time next to the published one. We read structured metadata
first (JSON-LD, OpenGraph, <time>, meta tags) and the visible date line near the headline second, then pick the most
precise, preferring "published" over "updated".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

from lxml import html as lxml_html
from lxml.etree import ParserError

from crawlers.extract.boilerplate import in_furniture, page_text_length
from gdnn_monitor.core.textnorm import normalize_inline

MIN_YEAR = 1995

_MONTH_WORDS = {
    "một": 1,
    "giêng": 1,
    "hai": 2,
    "ba": 3,
    "tư": 4,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
    "mười một": 11,
    "mười hai": 12,
    "chạp": 12,
}
_EN_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_VI_MONTH = r"(?P<vm>\d{1,2}|mười một|mười hai|một|giêng|hai|ba|tư|bốn|năm|sáu|bảy|tám|chín|mười|chạp)"
_EN_MONTH = r"(?P<em>" + "|".join(sorted(_EN_MONTHS, key=len, reverse=True)) + r")\.?"

_DATE_PATTERNS = [
    re.compile(r"(?<![\d.])(?P<y>\d{4})(?P<sep>\s?/\s?|-|\.)(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![\d])"),
    re.compile(r"(?<![\d.,])(?P<d>\d{1,2})(?P<sep>\s?/\s?|-|\.)(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?![\d]|\.\d)"),
    re.compile(r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+" + _VI_MONTH + r"\s*,?\s+năm\s+(?P<y>\d{4})", re.IGNORECASE),
    re.compile(r"(?<!\d)(?P<d>\d{1,2})\s+tháng\s+" + _VI_MONTH + r"\s*,?\s*(?:năm\s+)?(?P<y>\d{4})", re.IGNORECASE),
    re.compile(r"tháng\s+" + _VI_MONTH + r"\s+(?P<d>\d{1,2})\s*,\s*(?P<y>\d{4})", re.IGNORECASE),
    re.compile(_EN_MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\s*,?\s+(?P<y>\d{4})", re.IGNORECASE),
    re.compile(r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+" + _EN_MONTH + r"\s*,?\s+(?P<y>\d{4})", re.IGNORECASE),
]
_TIME = re.compile(
    r"(?<![\d:/.])(?P<h>[01]?\d|2[0-3])\s*(?::|h|g|giờ)\s*(?P<mi>[0-5]\d)(?:\s*:\s*(?P<s>[0-5]\d))?(?:\.\d+)?"
    r"(?:\s*(?:phút|p|')(?![a-zà-ỹ]))?(?:\s*(?P<ap>AM|PM|SA|CH|sáng|chiều|tối|trưa)(?![a-zà-ỹ]))?(?![\d/])",
    re.IGNORECASE,
)
_ZONE = re.compile(
    r"^\s*\(?\s*(?:(?:GMT|UTC)\s*(?P<sign>[+-])\s*(?P<hh>\d{1,2})(?::?(?P<mm>\d{2}))?|(?P<z>Z)\b)", re.IGNORECASE
)
_PUBLISHED_OR_UPDATED_WORD = re.compile(
    r"ngày đăng|đăng lúc|đăng ngày|xuất bản|cập nhật|published|posted|updated", re.IGNORECASE
)
_ZONE_BEFORE = re.compile(r"(?:GMT|UTC)\s*[+-]\s*$", re.IGNORECASE)
_PUBLISHED_LABEL = re.compile(
    r"(ngày\s+đăng|đăng\s+ngày|đăng\s+lúc|đăng\s+tải|ngày\s+xuất\s+bản|xuất\s+bản|ngày\s+phát\s+hành|ngày\s+viết|"
    r"published|posted|publish\s+date|đăng|phát\s+sóng)\s*:?\s*$",
    re.IGNORECASE,
)
_UPDATED_LABEL = re.compile(
    r"(cập\s+nhật|ngày\s+cập\s+nhật|cập\s+nhật\s+lúc|sửa\s+đổi|chỉnh\s+sửa|updated?|last\s+modified|modified)"
    r"[^\d]{0,12}$",
    re.IGNORECASE,
)
_LABEL_WINDOW = 40
DATE_LINE_CHARS = 140
_DATE_LINE_WORDS = re.compile(
    r"\b(?:thứ\s+\w+|chủ nhật|cập nhật|ngày đăng|đăng lúc|đăng ngày|ngày|lúc|gmt|utc|"
    r"lượt xem|views?|tác giả|bởi|by|posted|updated?|published|am|pm|sa|ch)\b",
    re.IGNORECASE,
)
_PAIR_WINDOW = 24

_META_PUBLISHED = (
    "article:published_time",
    "og:published_time",
    "article:published",
    "published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "publication_date",
    "date.available",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dc.date.created",
    "dcterms.created",
    "sailthru.date",
    "article.published",
    "citation_publication_date",
    "parsely-pub-date",
    "cxenseparse:recs:publishtime",
    "date",
    "created",
    "creation_date",
    "news_keywords_date",
    "itemdate",
)
_DATE_HINT = re.compile(
    r"date|time|publish|posted|ngay|thoigian|datetime|meta|info|byline|calendar|clock|entry-date", re.IGNORECASE
)


@dataclass(frozen=True)
class FoundTime:
    """One publication-time candidate: the time, whether the page gave a time of day, and how it was labelled."""

    value: datetime
    has_time: bool
    kind: str  # "published", "neutral" or "updated"


def _month(match: re.Match[str]) -> int | None:
    groups = match.groupdict()
    if groups.get("m"):
        return int(groups["m"])
    if groups.get("vm"):
        word = groups["vm"].lower()
        return int(word) if word.isdigit() else _MONTH_WORDS.get(word)
    if groups.get("em"):
        return _EN_MONTHS.get(groups["em"].lower().rstrip("."))
    return None


def _to_date(match: re.Match[str]) -> date | None:
    month = _month(match)
    year = int(match.group("y"))
    if year < 100:
        year += 2000 if year < 70 else 1900
    try:
        value = date(year, month or 0, int(match.group("d")))
    except (ValueError, TypeError):
        return None
    if value.year < MIN_YEAR or value > date.today() + timedelta(days=366):
        return None
    return value


def _to_time(match: re.Match[str]) -> time | None:
    hour, minute = int(match.group("h")), int(match.group("mi"))
    second = int(match.group("s") or 0)
    marker = (match.group("ap") or "").lower()
    if marker in ("pm", "ch", "chiều", "tối") and hour < 12:
        hour += 12
    elif marker in ("am", "sa", "sáng") and hour == 12:
        hour = 0
    try:
        return time(hour, minute, second)
    except ValueError:
        return None


def _zone_after(text: str, position: int) -> tzinfo | None:
    match = _ZONE.match(text[position : position + 16])
    if not match:
        return None
    if match.group("z"):
        return UTC
    offset = timedelta(hours=int(match.group("hh")), minutes=int(match.group("mm") or 0))
    if offset > timedelta(hours=14):
        return None
    return timezone(offset if match.group("sign") == "+" else -offset)


def _date_matches(text: str) -> list[tuple[int, int, date]]:
    """Every valid date in the text as (start, end, date), overlapping matches removed (first pattern wins)."""
    found: list[tuple[int, int, date]] = []
    for pattern in _DATE_PATTERNS:
        position = 0
        while (match := pattern.search(text, position)) is not None:
            value = _to_date(match)
            overlaps = any(start < match.end() and match.start() < end for start, end, _ in found)
            if value and not overlaps:
                found.append((match.start(), match.end(), value))
                position = match.end()
            else:
                position = match.start() + 1
    return sorted(found)


def _pair_time(text: str, start: int, end: int, dates: list[tuple[int, int, date]], times: list[re.Match[str]]):
    """The time printed right after (or right before) a date, if any, and where the pair starts and ends."""
    best = None
    for match in times:
        if match.start() >= end:
            gap = text[end : match.start()]
        elif match.end() <= start:
            gap = text[match.end() : start]
        else:
            continue
        if len(gap) > _PAIR_WINDOW or any(
            s >= min(end, match.end()) and e <= max(start, match.start()) for s, e, _ in dates
        ):
            continue
        if re.search(r"[.;!?\n]|\b(?:cập nhật|ngày đăng|updated?)\b", gap, re.IGNORECASE) and match.start() >= end:
            continue
        if best is None or len(gap) < best[1]:
            best = (match, len(gap))
    return best[0] if best else None


def _label_kind(before: str) -> str:
    tail = before[-_LABEL_WINDOW:]
    tail = re.split(r"[|\n]", tail)[-1]
    if _UPDATED_LABEL.search(tail):
        return "updated"
    if _PUBLISHED_LABEL.search(tail.rstrip(" ,:-–(|")) or _PUBLISHED_LABEL.search(tail):
        return "published"
    return "neutral"


def find_times_in_text(text: str, tz: tzinfo) -> list[FoundTime]:
    """All dates (with their time of day and time zone when printed next to them) in a piece of visible text."""
    text = normalize_inline(text)
    if not text:
        return []
    dates = _date_matches(text)
    if not dates:
        return []
    times = [
        m
        for m in _TIME.finditer(text)
        if not any(s <= m.start() < e for s, e, _ in dates) and not _ZONE_BEFORE.search(text, 0, m.start())
    ]
    found: list[FoundTime] = []
    for start, end, day in dates:
        clock = _pair_time(text, start, end, dates, times)
        value_time = _to_time(clock) if clock else None
        first = min(start, clock.start()) if clock else start
        last = max(end, clock.end()) if clock else end
        zone = _zone_after(text, last) or tz
        value = datetime.combine(day, value_time or time(0, 0))
        value = value.replace(tzinfo=zone)
        found.append(FoundTime(value, value_time is not None, _label_kind(text[:first])))
    return found


def is_date_line(line: str) -> bool:
    """A short line that is only a date/time, possibly with a label, a weekday, an author or a view count."""
    if len(line) > DATE_LINE_CHARS or not find_times_in_text(line, UTC):
        return False
    rest = re.sub(r"\d+", " ", _DATE_LINE_WORDS.sub(" ", normalize_inline(line).lower()))
    rest_words = [w for w in re.findall(r"\w+", rest) if w not in ("tháng", "năm", "giờ", "phút", "h")]
    return len(rest_words) <= 6


def choose_time(candidates: list[FoundTime]) -> FoundTime | None:
    """Published before neutral before updated; within a kind, the first one with a time of day."""
    for kind in ("published", "neutral", "updated"):
        of_kind = [c for c in candidates if c.kind == kind]
        if of_kind:
            with_time = [c for c in of_kind if c.has_time]
            if with_time and with_time[0].value.date() == of_kind[0].value.date():
                return with_time[0]
            return of_kind[0]
    return None


def parse_vietnamese_datetime(text: str, tz: tzinfo) -> datetime | None:
    """The publication time written in a visible date line (Vietnamese or ISO formats), aware, or None."""
    if not text:
        return None
    iso = parse_iso_datetime(text.strip(), tz)
    if iso:
        return iso.value
    chosen = choose_time(find_times_in_text(text, tz))
    return chosen.value if chosen else None


_ISO = re.compile(
    r"^(?P<date>\d{4}-\d{1,2}-\d{1,2})"
    r"(?:[T ](?P<time>\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(?P<zone>Z|[+-]\d{2}:?\d{2})?)?$",
    re.IGNORECASE,
)


def parse_iso_datetime(value: str, tz: tzinfo) -> FoundTime | None:
    """ISO 8601 as used in metadata (`2020-03-24T08:15:00+07:00`, `2020-03-24`); a missing zone means local time."""
    match = _ISO.match(value.strip())
    if not match:
        return None
    text = match.group("date") + ("T" + match.group("time") if match.group("time") else "")
    zone = match.group("zone")
    if zone:
        zone = "+00:00" if zone.upper() == "Z" else zone if ":" in zone else zone[:3] + ":" + zone[3:]
    try:
        parts = [int(p) for p in match.group("date").split("-")]
        text = f"{parts[0]:04d}-{parts[1]:02d}-{parts[2]:02d}" + text[len(match.group("date")) :]
        parsed = datetime.fromisoformat(text + (zone or ""))
    except ValueError:
        return None
    if parsed.year < MIN_YEAR:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return FoundTime(parsed, match.group("time") is not None, "published")


def parse_metadata_datetime(value: str | None, tz: tzinfo) -> FoundTime | None:
    """A date from a metadata attribute: ISO first, then any visible format."""
    if not value or not value.strip():
        return None
    found = parse_iso_datetime(value, tz)
    if found:
        return found
    chosen = choose_time(find_times_in_text(value, tz))
    return FoundTime(chosen.value, chosen.has_time, "published") if chosen else None


def _as_tree(page) -> lxml_html.HtmlElement | None:
    if isinstance(page, (str, bytes)):
        if not page.strip():
            return None
        try:
            return lxml_html.document_fromstring(page)
        except (ParserError, ValueError):
            return None
    return page


def json_ld_objects(tree) -> list[dict]:
    """Every JSON-LD object on the page, @graph and mainEntity flattened (shared with the extractor)."""
    objects: list[dict] = []
    for script in tree.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'):
        try:
            data = json.loads((script.text or "").strip().rstrip(";"), strict=False)
        except ValueError:
            continue
        stack = [data]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(reversed(node))
            elif isinstance(node, dict):
                objects.append(node)
                if "@graph" in node:
                    stack.append(node["@graph"])
                if isinstance(node.get("mainEntity"), (dict, list)):
                    stack.append(node["mainEntity"])
    return objects


_ARTICLE_TYPES = re.compile(r"article|posting|report|video|webpage|creativework|photograph|imagegallery", re.IGNORECASE)


def structured_times(tree, tz: tzinfo) -> list[FoundTime]:
    """Publication times declared in JSON-LD, meta tags and <time> elements, most trustworthy first."""
    found: list[FoundTime] = []
    for obj in json_ld_objects(tree):
        kind = obj.get("@type")
        kind = " ".join(kind) if isinstance(kind, list) else str(kind or "")
        if kind and not _ARTICLE_TYPES.search(kind):
            continue
        for key in ("datePublished", "uploadDate", "dateCreated"):
            value = obj.get(key)
            if isinstance(value, str):
                parsed = parse_metadata_datetime(value, tz)
                if parsed:
                    found.append(parsed)
                    break
    metas = {}
    for meta in tree.xpath("//meta[@content]"):
        name = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        if name and name not in metas:
            metas[name] = meta.get("content")
    for name in _META_PUBLISHED:
        parsed = parse_metadata_datetime(metas.get(name), tz)
        if parsed:
            found.append(parsed)
    for element in tree.xpath('//*[@itemprop="datePublished"][not(self::meta)]'):
        value = element.get("datetime") or element.get("content") or element.text_content()
        parsed = parse_metadata_datetime(value, tz)
        if parsed:
            found.append(parsed)
    times = tree.xpath("//time[@datetime]")
    times.sort(key=lambda t: 0 if t.get("pubdate") is not None or "publish" in (t.get("class") or "") else 1)
    for element in times:
        if re.search(r"updat|modif|cap-?nhat", (element.get("class") or "") + (element.get("itemprop") or ""), re.I):
            continue
        parsed = parse_metadata_datetime(element.get("datetime"), tz)
        if parsed:
            found.append(parsed)
            break
    return found


def _headline(tree):
    headings = tree.xpath("//h1[normalize-space()]")
    return headings[0] if headings else None


def _element_text(element) -> str:
    try:
        return element.text_content()
    except ValueError:
        return ""


def visible_times(tree, tz: tzinfo, headline=None) -> list[FoundTime]:
    """Dates printed near the headline: elements whose class says date/time, nearest to the headline first (the
    date line sits just above or below it; dates in related-news boxes are furniture), then the text after it."""
    headline = headline if headline is not None else _headline(tree)
    body = tree.find("body") if tree.find("body") is not None else tree
    total = page_text_length(body)
    hinted = _date_hinted(body)
    if headline is not None:
        hinted = _nearest_first(headline, hinted)
    checked = 0
    for element in hinted:
        text = _element_text(element)
        if not 0 < len(text) < 240 or in_furniture(element, total):
            continue
        found = find_times_in_text(text, tz)
        if found:
            return found
        checked += 1
        if checked >= 40:
            break
    if headline is None:
        return labelled_times(body, tz)
    blocks = blocks_after_headline(headline)
    near = find_times_in_text("\n".join(blocks)[:600], tz)
    labelled = [found for found in near if found.kind != "neutral"]
    if labelled:
        return labelled
    date_lines = [found for block in blocks[:4] if is_date_line(block) for found in find_times_in_text(block, tz)]
    return date_lines or labelled_times(body, tz) or near


def _date_hinted(body) -> list:
    """Elements whose class or id says date/time (the CMS's date line, wherever it sits)."""
    return [
        element
        for element in body.iter()
        if isinstance(element.tag, str)
        and element.tag not in ("script", "style", "a", "html", "body")
        and _DATE_HINT.search((element.get("class") or "") + " " + (element.get("id") or ""))
    ]


def labelled_times(body, tz: tzinfo) -> list[FoundTime]:
    """Last resort: dates anywhere on the page that carry a 'Ngày đăng' / 'Cập nhật' label (unlabelled dates far
    from the headline are usually dates mentioned in the text, not the publication time)."""
    text = _element_text(body)
    if not _PUBLISHED_OR_UPDATED_WORD.search(text):
        return []
    return [found for found in find_times_in_text(text, tz) if found.kind != "neutral"]


def _nearest_first(headline, elements: list) -> list:
    """Elements ordered by distance from the headline in document order (neither inside it nor around it)."""
    order = {element: index for index, element in enumerate(headline.getroottree().iter())}
    position = order.get(headline, 0)
    around = set(headline.iterancestors())
    usable = [e for e in elements if e not in around and headline not in e.iterancestors() and e is not headline]
    return sorted(usable, key=lambda e: abs(order.get(e, 0) - position))


def blocks_after_headline(headline, limit: int = 600) -> list[str]:
    """Texts that follow the headline in reading order (elements and loose text), up to about `limit` characters."""
    pieces: list[str] = []
    size = 0
    node = headline
    while node is not None and size < limit:
        loose = [node.tail] if node.tail and node.tail.strip() else []
        following = node.getnext()
        while following is not None and size + sum(map(len, loose)) < limit:
            if isinstance(following.tag, str) and following.tag not in ("script", "style"):
                loose.append(_element_text(following))
            if following.tail and following.tail.strip():
                loose.append(following.tail)
            following = following.getnext()
        pieces.extend(loose)
        size += sum(map(len, loose))
        node = node.getparent()
    return pieces


def text_after_headline(headline, limit: int = 600) -> str:
    """Text right after the headline, up to `limit` characters (the date and byline lines live there)."""
    return "\n".join(blocks_after_headline(headline, limit))[:limit]


def pick_published(structured: list[FoundTime], visible: list[FoundTime]) -> datetime | None:
    """Structured metadata wins when it has a time of day, unless it is the visible time with a wrong zone or the
    page prints a time explicitly labelled as published; a date-only metadata value takes its time of day from the
    visible line of the same day."""
    shown = choose_time(visible)
    declared = structured[0] if structured else None
    with_time = next((c for c in structured if c.has_time), None)
    if with_time is not None:
        declared = with_time
    if declared is None:
        return shown.value if shown else None
    if shown is None:
        return declared.value
    if declared.has_time and shown.has_time:
        same_wall_clock = declared.value.replace(tzinfo=None) == shown.value.replace(tzinfo=None)
        if same_wall_clock and declared.value != shown.value and shown.value.utcoffset() is not None:
            return shown.value
        if shown.kind == "published" and abs((shown.value - declared.value).total_seconds()) >= 60:
            return shown.value  # "Ngày đăng: …" printed on the page beats a metadata field some CMSs fill wrongly
        return declared.value
    if not declared.has_time and shown.has_time and shown.value.date() == declared.value.date():
        return shown.value
    return declared.value


_RELATIVE_UNITS = {
    "giây": timedelta(seconds=1),
    "phút": timedelta(minutes=1),
    "giờ": timedelta(hours=1),
    "tiếng": timedelta(hours=1),
    "ngày": timedelta(days=1),
    "tuần": timedelta(weeks=1),
}
_RELATIVE = re.compile(
    r"(?<![\w/.:])(?P<n>\d{1,3}|một)\s*(?P<unit>giây|phút|giờ|tiếng|ngày|tuần)\s+trước"
    r"(?=\s*(?:$|[|·•,;()\-–—]))",
    re.IGNORECASE,
)
_TODAY_OR_YESTERDAY = re.compile(r"(?<!\w)(?P<day>hôm nay|hôm qua)(?!\w)", re.IGNORECASE)
RELATIVE_LINE_CHARS = 80


def relative_time(text: str, now: datetime, tz: tzinfo) -> FoundTime | None:
    """ "2 giờ trước", "Hôm qua 08:15", "hôm nay lúc 9h30" in a short date line, counted back from `now` (the fetch
    time): some CMS themes print only this. Longer text is prose ("3 ngày trước, huyện đã…"), not a date line."""
    text = normalize_inline(text)
    if not text or len(text) > RELATIVE_LINE_CHARS:
        return None
    local_now = now.astimezone(tz)
    relative = _RELATIVE.search(text)
    if relative:
        count = 1 if relative["n"].lower() == "một" else int(relative["n"])
        unit = relative["unit"].lower()
        value = local_now - count * _RELATIVE_UNITS[unit]
        if unit in ("ngày", "tuần"):  # a day, not a time of day: midnight, like any date printed without a time
            return FoundTime(datetime.combine(value.date(), time(0, 0), tzinfo=tz), False, "neutral")
        return FoundTime(value, True, "neutral")
    day = _TODAY_OR_YESTERDAY.search(text)
    clock = _TIME.search(text, day.end()) if day else None
    if day is None or clock is None or clock.start() - day.end() > 8:
        return None
    value_time = _to_time(clock)
    if value_time is None:
        return None
    when = local_now.date() - timedelta(days=1 if day["day"].lower() == "hôm qua" else 0)
    return FoundTime(datetime.combine(when, value_time, tzinfo=tz), True, "neutral")


def relative_time_near_headline(tree, now: datetime, tz: tzinfo, headline=None) -> FoundTime | None:
    """The first relative date line in an element whose class says date/time (nearest to the headline first), else
    in the first short blocks after the headline."""
    headline = headline if headline is not None else _headline(tree)
    body = tree.find("body") if tree.find("body") is not None else tree
    hinted = _date_hinted(body)
    texts = [
        _element_text(element)
        for element in (_nearest_first(headline, hinted) if headline is not None else hinted)[:40]
    ]
    if headline is not None:
        texts += blocks_after_headline(headline, 300)[:4]
    return next((found for found in (relative_time(text, now, tz) for text in texts) if found is not None), None)


def find_published(page, tz: tzinfo, headline=None, now: datetime | None = None) -> datetime | None:
    """Publication time of an article page (an lxml tree or HTML text), time-zone aware, or None. `headline` is the
    page's title element when the caller knows it (else the first <h1>). A page that prints only a relative time
    ("2 giờ trước") is dated back from `now`, the moment it was fetched (default: the present)."""
    tree = _as_tree(page)
    if tree is None:
        return None
    found = pick_published(structured_times(tree, tz), visible_times(tree, tz, headline))
    if found is None:
        relative = relative_time_near_headline(tree, now or datetime.now(UTC), tz, headline)
        found = relative.value if relative else None
    return found
