"""The daily pipeline, above the crawlers and the classifier: a crawl under the database lock, classification of
what it stored, source health and back-off, the digest. The scheduler, the CLI and the demo all run crawls through it,
so the crawlers never need to know the classifier or the scheduler exists."""
