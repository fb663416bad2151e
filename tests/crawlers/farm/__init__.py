"""A farm of local news sites on 127.0.0.x imitating Vietnamese CMS families, with the faults real sites have.

Each site knows exactly which articles it serves (`expected`), so tests can compare what the crawler stored
against the truth. See sites.py for the families and faults."""
