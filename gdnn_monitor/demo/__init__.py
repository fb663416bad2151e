"""`gdnn-monitor demo`: the whole product on one machine with no network and no configuration.

Local demo sites (the crawler test farm's CMS families serving articles written for the demo) are crawled into a
separate demo database, classified, and shown in the web app with a demo account; the real database is never opened.
"""
