"""A hostile local news site for crawl tests (issue #5): see :mod:`tests.hostile.server`."""
