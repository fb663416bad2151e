"""An article as a farm site serves it: headline, lead, paragraphs, time and author."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from gdnn_monitor.core.textnorm import fold_diacritics

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_SLUG_DROP = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class FarmArticle:
    key: int
    title: str
    sapo: str
    paragraphs: tuple[str, ...]
    published: datetime
    author: str

    @property
    def body(self) -> str:
        """The text a reader sees: lead, then paragraphs."""
        return "\n".join((self.sapo, *self.paragraphs))

    @property
    def slug(self) -> str:
        return slugify(self.title)


def slugify(text: str) -> str:
    return _SLUG_DROP.sub("-", fold_diacritics(text)).strip("-")[:80].rstrip("-")
