"""Collection, by role: `discovery/` finds article URLs, `extract/` turns a page into an article, `identity/` gives
it one URL and story id, `engine/` runs Scrapy and records the crawl; `check.py` tests the ways into each source.
Crawlers build on `store` and `gdnn_monitor.core` only (never on the classifier, the pipeline or the scheduler)."""
