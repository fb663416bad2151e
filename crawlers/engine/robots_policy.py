"""How we treat robots.txt, per source: `obey` (the default), `feeds-only`, or `ignore` (only with the site's written
permission). A feed document is read the way feed readers read it, even where robots.txt refuses crawlers; every
other page is fetched only when robots.txt allows it (unless the source's owner gave permission)."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import Request
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

logger = logging.getLogger(__name__)
EXEMPT = "robots_exempt"  # request meta: fetched even where robots.txt refuses (a feed, or a permitted source)


class RobotsPolicyMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, with two differences: a request marked `robots_exempt` still waits for the
    host's robots.txt (so its Crawl-delay applies) but is not refused by it; and every request that waited for the
    robots.txt download gets the parsed rules (Scrapy 2.19 hands the parser to the first waiter only and `None`,
    "allow everything", to the others — so the second and third start URLs of a site were fetched unchecked)."""

    async def robot_parser(self, request: Request) -> Any:
        parser = await super().robot_parser(request)
        stored = self._parsers.get(urlparse_cached(request).netloc)
        if parser is None and stored is not None and not isinstance(stored, Deferred):
            return stored
        return parser

    def process_request_2(self, rp: Any, request: Request) -> None:
        if not request.meta.get(EXEMPT):
            super().process_request_2(rp, request)
            return
        if rp is not None and not rp.allowed(request.url, self._robotstxt_useragent or self._default_useragent):
            request.meta["robots_refused"] = True
            logger.info("robots.txt refuses %s; fetched anyway (%s)", request.url, request.meta[EXEMPT])


def refused_message(source_id: str, has_feeds: bool, policy: str) -> str:
    """What an officer reads when robots.txt refuses us at a source: what happened and what can be done."""
    if policy == "feeds-only" or has_feeds:
        return (
            "robots.txt của trang không cho phép bộ thu thập đọc trang bài viết; tin được lấy từ RSS "
            "(chỉ tiêu đề, tóm tắt, ngày đăng, liên kết — đánh dấu \"chỉ từ RSS\"). Muốn lấy cả nội dung: xin "
            f"phép tòa soạn bằng văn bản rồi ghi robots: ignore và permission: cho nguồn {source_id}"
        )
    return (
        "robots.txt của trang không cho phép bộ thu thập, và nguồn không có RSS: không lấy được tin nào. Cách xử "
        f"lý: tìm RSS của trang (thường ở /rss) và thêm vào feeds: của nguồn {source_id}; hoặc theo dõi qua một "
        "feed tổng hợp; hoặc xin phép tòa soạn bằng văn bản rồi ghi robots: ignore và permission:"
    )


def permission_note(source_id: str, permission: str) -> str:
    return f"nguồn {source_id} bỏ qua robots.txt theo sự cho phép: {permission}"
