"""The crawl engine: the Scrapy spider and its settings, middlewares, item pipeline, the crawler child process, the
parent-side bookkeeping of a crawl run, and the distributed (scrapy-redis) frontier."""
