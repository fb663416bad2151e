"""Turning one fetched page into an article: decoding, page metadata, headline, lead, body without furniture,
publication time, author and genre (`extraction.extract_article` is the entry point)."""
