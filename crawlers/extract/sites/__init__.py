"""Per-site extractors, looked up by the name a source gives in its `extractor:` key.

One small module per CMS family or site (like fundus's per-publisher parsers) defines an `EXTRACTOR`; it is listed
in FAMILY_MODULES below. `tests/crawlers/test_site_extractors.py` walks every one and fails when its stored page
(`tests/fixtures/extractors/<name>.html`) or expectation (`<name>.json`) is missing or not met.
"""

from __future__ import annotations

import difflib
import importlib

from crawlers.extract.sites.base import SiteExtractor

FAMILY_MODULES = ("asp_classic",)


class UnknownExtractor(ValueError):
    """A source names an extractor that does not exist; the message lists the ones that do."""


def extractors() -> dict[str, SiteExtractor]:
    """Every site extractor by name."""
    found = [importlib.import_module(f"{__name__}.{module}").EXTRACTOR for module in FAMILY_MODULES]
    return {extractor.name: extractor for extractor in found}


def get_extractor(name: str) -> SiteExtractor:
    known = extractors()
    if name in known:
        return known[name]
    hint = difflib.get_close_matches(name, list(known), n=1)
    raise UnknownExtractor(
        f"không có bộ trích xuất {name!r} (unknown extractor; known: {', '.join(sorted(known))})"
        + (f" — có phải {hint[0]!r}?" if hint else "")
    )
