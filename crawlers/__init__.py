"""Collection: the sources registry, the Scrapy spider and its discovery, politeness and storage, extraction and
identity of articles, source health, and the local imitation sites the tests and the demo crawl."""
