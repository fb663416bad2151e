"""One identity per article: canonical URLs, content fingerprints and story ids for syndicated copies."""
