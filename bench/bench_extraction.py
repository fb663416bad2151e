"""Extraction quality and speed on the stored CMS-family pages: our pipeline vs trafilatura alone, then ms/page.

Run: python bench/bench_extraction.py [--repeat N] [--farm SCALE]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from crawlers.extract.evaluation import load_fixtures, same_minute, token_f1  # noqa: E402
from crawlers.extract.extraction import extract_article  # noqa: E402
from crawlers.extract.pagedecode import MAX_PARSE_CHARS  # noqa: E402
from gdnn_monitor.core.textnorm import normalize_inline  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "extraction"
DANTRI = ROOT.parent / "shared" / "data" / "raw" / "fixtures" / "html_dantri" / "dantri_homepage_2019-06.html"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def trafilatura_alone(html: bytes, url: str):
    """What trafilatura 2.3 gives with its defaults: (title, text, datetime or None)."""
    document = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    if document is None:
        return None
    published = None
    if document.date:
        from datetime import datetime

        published = datetime.fromisoformat(document.date).replace(tzinfo=TZ)
    return normalize_inline(document.title or ""), document.text or "", published


def quality() -> None:
    fixtures = [f for f in load_fixtures(FIXTURES) if f.is_article]
    rows = {"ours": [], "trafilatura": []}
    for fixture in fixtures:
        want = fixture.expected
        ours = extract_article(fixture.html, fixture.fetched_url, headers_charset=want.get("headers_charset"), tz=TZ)
        rows["ours"].append(
            (
                fixture.name,
                ours and ours.title == want["title"],
                token_f1(ours and ours.text, want["text"]),
                same_minute(ours and ours.published_at, want["published_at"]),
            )
        )
        alone = trafilatura_alone(fixture.html, fixture.fetched_url)
        rows["trafilatura"].append(
            (
                fixture.name,
                alone and alone[0] == want["title"],
                token_f1(alone and alone[1], want["text"]),
                same_minute(alone and alone[2], want["published_at"]),
            )
        )
    for label, results in rows.items():
        print(f"\n{label}: {len(results)} article pages")
        for name, title_ok, f1, date_ok in results:
            print(f"  {name:38s} title={'ok ' if title_ok else 'BAD'} f1={f1:.3f} date={'ok' if date_ok else 'BAD'}")
        print(
            f"  title exact {sum(bool(r[1]) for r in results)}/{len(results)}, "
            f"mean token F1 {statistics.mean(r[2] for r in results):.3f}, "
            f"F1>=0.95 {sum(r[2] >= 0.95 for r in results)}/{len(results)}, "
            f"date to the minute {sum(bool(r[3]) for r in results)}/{len(results)}"
        )


def synthetic_large_page(paragraphs: int = 20000) -> str:
    body = "".join(
        f"<div class='row'><p>Đoạn văn số {i} về giáo dục nghề nghiệp tại Lạng Sơn.</p></div>"
        for i in range(paragraphs)
    )
    return f"<html><head><title>Trang rất lớn</title></head><body><h1>Trang rất lớn</h1>{body}</body></html>"


def speed(repeat: int) -> None:
    """Median and 95th percentile of per-page extraction time (the machine is shared: medians, not totals)."""
    pages = [(f.html, f.fetched_url) for f in load_fixtures(FIXTURES)]
    if DANTRI.exists():
        pages.append((DANTRI.read_bytes(), "https://dantri.com.vn/"))
    timings = []
    for _ in range(repeat):
        for html, url in pages:
            started = time.perf_counter()
            extract_article(html, url, tz=TZ)
            timings.append(time.perf_counter() - started)
    timings.sort()
    print(
        f"\nspeed: {len(pages)} pages x {repeat}: median {1000 * statistics.median(timings):.1f} ms/page, "
        f"p95 {1000 * timings[int(0.95 * len(timings))]:.1f} ms, mean {1000 * statistics.mean(timings):.1f} ms"
    )
    large = synthetic_large_page()
    best = min(_timed(large) for _ in range(2))
    print(
        f"synthetic large page ({len(large.encode()) / 1e6:.1f} MB, truncated to {MAX_PARSE_CHARS:,} characters "
        f"before parsing): {1000 * best:.0f} ms"
    )


def _timed(html: str) -> float:
    started = time.perf_counter()
    extract_article(html, "https://example.vn/large-1.html", tz=TZ)
    return time.perf_counter() - started


def farm_quality(scale: int) -> None:
    """The crawl acceptance measured on the test farm's article pages (templates written independently of this
    extractor by the crawler work), rendered in-process: title exact, body token F1 >= 0.95, time to the minute."""
    from urllib.parse import parse_qsl, urlsplit

    from tests.crawlers.farm.build import build_sites

    results = []
    for site in build_sites(scale):
        site.base = f"http://{site.ip}:8000"
        for expected in site.expected():
            if not expected.url.startswith(site.base):
                continue  # YouTube / Facebook items are not HTML pages
            parts = urlsplit(expected.url)
            reply = site.route(parts.path, dict(parse_qsl(parts.query)), {})
            if getattr(reply, "status", 200) != 200:
                reply = site.route(parts.path, dict(parse_qsl(parts.query)), {})  # the farm's deliberate 500s
            body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
            started = time.perf_counter()
            article = extract_article(body, expected.url, tz=TZ)
            elapsed = time.perf_counter() - started
            good_time = (
                article is not None
                and article.published_at is not None
                and (
                    abs((article.published_at - expected.published).total_seconds()) < 60
                    if expected.has_time
                    else article.published_at.date() == expected.published.date()
                )
            )
            results.append(
                (
                    article is not None and article.title == expected.title,
                    token_f1(article and article.text, expected.body) >= 0.95,
                    good_time,
                    elapsed,
                )
            )
    count = len(results)
    print(
        f"\nfarm pages (scale {scale}): {count}; title exact {sum(r[0] for r in results)}, "
        f"F1>=0.95 {sum(r[1] for r in results)}, time {sum(r[2] for r in results)}, "
        f"all three {sum(all(r[:3]) for r in results)}/{count}; "
        f"median {1000 * statistics.median(r[3] for r in results):.1f} ms/page"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--farm",
        type=int,
        default=0,
        metavar="SCALE",
        help="also score the test farm's article pages (needs the tests/ folder)",
    )
    args = parser.parse_args()
    quality()
    speed(args.repeat)
    if args.farm:
        farm_quality(args.farm)


if __name__ == "__main__":
    main()
