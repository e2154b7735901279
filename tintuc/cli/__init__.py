"""The ``tintuc`` command: thin click wrappers over library functions, one module per group.

- :mod:`tintuc.cli.crawling`: ``crawl``, ``demo``
- :mod:`tintuc.cli.sites`: ``sites``, ``sites check``
- :mod:`tintuc.cli.archive`: ``status``, ``export``, ``verify``, ``reextract``, ``wacz``
- :mod:`tintuc.cli.clusters`: ``clusters rebuild``
- :mod:`tintuc.cli.extraction`: ``extract``, ``eval``
- :mod:`tintuc.cli.serve`: ``serve``
- :mod:`tintuc.cli.schedule`: ``schedule add|list|remove``, ``scheduler``
- :mod:`tintuc.cli.distributed`: ``worker``, ``ingest``, ``enqueue`` (many machines, Redis)
"""

from __future__ import annotations

import click

from tintuc.cli import (
    archive,
    clusters,
    crawling,
    distributed,
    extraction,
    schedule,
    serve,
    sites,
)


@click.group()
@click.version_option(package_name="tintuc")
def main() -> None:
    """tintuc: an archive of Vietnamese provincial news."""


for command in (
    crawling.crawl, crawling.demo, sites.sites,
    archive.status, archive.export, archive.verify, archive.reextract, archive.wacz,
    clusters.clusters,
    extraction.extract, extraction.eval_command,
    serve.serve,
    schedule.schedule, schedule.scheduler,
    distributed.worker, distributed.ingest, distributed.enqueue,
):  # fmt: skip
    main.add_command(command)

if __name__ == "__main__":
    main()
