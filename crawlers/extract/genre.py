"""Genre of a page: a page built around a video player is a video; a photo story is mostly pictures with captions."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from crawlers.extract.boilerplate import in_furniture, page_text_length

_PLAYER_SRC = re.compile(
    r"youtube\.com/embed|youtube-nocookie|youtu\.be|player\.vimeo|vimeo\.com/video|"
    r"facebook\.com/plugins/video|dailymotion\.com/embed|/player|/embed/|jwplayer|vcplayer|"
    r"\.m3u8|\.mp4|\.webm|vod|tv\.zing|mediaplayer",
    re.IGNORECASE,
)
_PLAYER_CLASS = re.compile(
    r"video-?player|videoplayer|jwplayer|jw-?player|vjs|video-?js|plyr|mediaelement|"
    r"(?:^|[-_ ])player(?:$|[-_ ])|video-?wrap|video-?container|embed-?video|video-?embed|"
    r"clip-?player|flowplayer|player-?wrap",
    re.IGNORECASE,
)
_VIDEO_URL = re.compile(
    r"/(?:video|videos|clip|clips|truyen-hinh|tivi|xem-video|phong-su-video|media/video)(?:/|-|\.)"
    r"|[?&](?:type|kind)=video",
    re.IGNORECASE,
)
_PHOTO_URL = re.compile(
    r"/(?:anh|photo|photos|gallery|album|phong-su-anh|photo-story|emagazine-anh|multimedia/anh|"
    r"hinh-anh)(?:/|-|\.)",
    re.IGNORECASE,
)
SHORT_VIDEO_TEXT = 1500
PHOTO_MIN_IMAGES = 5


def _in_furniture(element, container, total: int) -> bool:
    return in_furniture(element, total, stop=container)


def has_video_player(container) -> bool:
    """A <video>, an embedded player iframe/object, or an element named like a player, inside the article area
    (a 'Video' widget in the sidebar does not make every short news item a video)."""
    found = container.xpath(".//video|.//object[.//param]|.//embed[@src]")
    found += [
        f
        for f in container.xpath(".//iframe[@src or @data-src]")
        if _PLAYER_SRC.search(f.get("src") or f.get("data-src") or "")
    ]
    found += [
        e
        for e in container.xpath(".//*[@class or @id]")
        if _PLAYER_CLASS.search(f"{e.get('class') or ''} {e.get('id') or ''}")
    ]
    total = page_text_length(container)
    return any(not _in_furniture(element, container, total) for element in found)


def count_captioned_images(container) -> tuple[int, int]:
    """(images in the article area, of which with a caption nearby: figcaption, alt text or a caption-like block)."""
    total = page_text_length(container)
    images = [img for img in container.xpath(".//img[@src or @data-src]") if not _in_furniture(img, container, total)]
    images = [
        img
        for img in images
        if not re.search(
            r"(?:^|[/_.\s-])(?:logo|icon|banner|avatar|qc|ads?|quangcao)(?:[/_.\s-]|\d|$)",
            (img.get("src") or "") + " " + (img.get("class") or ""),
            re.IGNORECASE,
        )
    ]
    captioned = 0
    for image in images:
        figure = next((a for a in image.iterancestors() if a.tag in ("figure", "table", "div")), None)
        has_caption = figure is not None and bool(
            figure.xpath(".//figcaption|.//*[contains(@class,'caption')]|.//em|.//i|.//td[normalize-space()]")
        )
        if has_caption or len((image.get("alt") or "").split()) >= 4:
            captioned += 1
    return len(images), captioned


def detect_genre(container, url: str, og_type: str, ld_types: set[str], text: str) -> str:
    """'video', 'photo' or 'article' (a web page is never a social 'post'; feeds of posts set that themselves)."""
    path = urlsplit(url).path + ("?" + urlsplit(url).query if urlsplit(url).query else "")
    declared_video = og_type.startswith("video") or (
        "videoobject" in ld_types and not ({"newsarticle", "article"} & ld_types)
    )
    player = has_video_player(container)
    if player and (declared_video or _VIDEO_URL.search(path) or len(text) < SHORT_VIDEO_TEXT):
        return "video"
    if declared_video and len(text) < SHORT_VIDEO_TEXT:
        return "video"
    images, captioned = count_captioned_images(container)
    prose = len(text)
    if images >= PHOTO_MIN_IMAGES and captioned >= 0.6 * images and (prose < 250 * images or _PHOTO_URL.search(path)):
        return "photo"
    if "imagegallery" in ld_types or (og_type == "article" and _PHOTO_URL.search(path) and images >= 3):
        return "photo"
    return "article"
