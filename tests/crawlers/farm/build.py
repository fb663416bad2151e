"""Assemble and start the farm: which articles each site serves, its servers, and a sources file pointing at it."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from gdnn_monitor.demo.farm.server import SiteServer
from gdnn_monitor.demo.farm.sites import (
    Expected,
    GovPortal,
    GraphApi,
    OldStylePaper,
    ProvincialPaper,
    Site,
    TvStation,
    WordPressCollege,
    YouTubeFeed,
)
from tests.crawlers.farm.corpus import load_articles

DOWN_IP = "127.0.0.7"
SIZES = {"provincial": 30, "oldstyle": 24, "tv": 16, "wordpress": 20, "gov": 16, "youtube": 5, "facebook": 7}


def closed_port(ip: str) -> int:
    """A port nobody listens on (bound then released), so the 'down' source refuses connections."""
    with socket.socket() as probe:
        probe.bind((ip, 0))
        return probe.getsockname()[1]


@dataclass
class Farm:
    sites: list[Site]
    servers: list[SiteServer] = field(default_factory=list)
    down_url: str = ""

    def site(self, source_id: str) -> Site:
        return next(site for site in self.sites if site.source_id == source_id)

    def expected(self, source_ids: set[str] | None = None) -> list[Expected]:
        return [e for site in self.sites for e in site.expected() if source_ids is None or e.source_id in source_ids]

    def down_entry(self) -> dict:
        return {
            "id": "farm-mat-ket-noi",
            "name": "Báo mất kết nối (farm)",
            "kind": "newspaper",
            "homepage": self.down_url,
            "listings": [self.down_url],
        }

    def write_sources(self, path: Path, with_down: bool = True) -> Path:
        entries = [site.source_entry() for site in self.sites] + ([self.down_entry()] if with_down else [])
        path.write_text(yaml.safe_dump({"sources": entries}, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path

    def clear_hits(self) -> None:
        for site in self.sites:
            site.hits.clear()

    def stop(self) -> None:
        for server in self.servers:
            server.stop()


def build_sites(scale: int = 1) -> list[Site]:
    """The standard farm; `scale` multiplies the article counts (the benchmark uses a big farm)."""
    sizes = {name: count * scale for name, count in SIZES.items()}
    articles = load_articles(sum(sizes.values()))
    chunks: dict[str, list] = {}
    offset = 0
    for name, count in sizes.items():
        chunks[name] = articles[offset : offset + count]
        offset += count
    provincial = ProvincialPaper(chunks["provincial"])
    return [
        provincial,
        OldStylePaper(chunks["oldstyle"]),
        TvStation(chunks["tv"]),
        WordPressCollege(chunks["wordpress"]),
        GovPortal(chunks["gov"], republished=chunks["provincial"][4]),
        YouTubeFeed(chunks["youtube"]),
        GraphApi(chunks["facebook"]),
    ]


def start_farm(sites: list[Site] | None = None) -> Farm:
    farm = Farm(sites=sites or build_sites())
    for site in farm.sites:
        farm.servers.append(SiteServer(site, site.ip).start())
    farm.down_url = f"http://{DOWN_IP}:{closed_port(DOWN_IP)}/"
    return farm
