"""Assembling the crawler tests' farm: which articles each site serves (corpus.py) and starting it (build.py);
the sites themselves live in crawlers/farm."""
