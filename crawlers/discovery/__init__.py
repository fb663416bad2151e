"""Finding article URLs: RSS/Atom feeds, sitemaps, listing pages and their pagers, social channels (YouTube feeds,
the Facebook Graph API)."""
