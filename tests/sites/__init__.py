"""Local test sites of the shapes provincial sites come in (issue 13): see ``build.py``.

    from sites import LocalSite
    server = LocalSite("sharepoint").start()
"""

from .build import SHAPES, build_site
from .serve import LocalSite

__all__ = ["SHAPES", "LocalSite", "build_site"]
