"""``tintuc clusters``: syndicated stories (near-duplicate articles)."""

from __future__ import annotations

import click

from tintuc.cli.archive import existing_archive
from tintuc.cli.options import db_option
from tintuc.plural import plural


@click.group()
def clusters() -> None:
    """Syndicated stories: articles that are copies of one another, across sites."""


@clusters.command()
@db_option
@click.option(
    "--threshold",
    type=click.FloatRange(0.05, 1),
    help="Estimated share of word 3-grams two articles must share to be one story "
    "(default: the archive's, 0.3 for a new one); kept for articles stored later.",
)
def rebuild(db_path, threshold):
    """Recompute every article's signature and every story cluster.

    Articles join clusters as they are stored; run this after changing the threshold, or on
    an archive made before clustering existed.

    Example:

        tintuc clusters rebuild --db archive.db --threshold 0.4
    """
    from pipelines.archive.clusters import rebuild_clusters

    db = existing_archive(db_path, write=True)
    result = rebuild_clusters(db, threshold)
    db.close()
    stories = plural(result["clusters"], "story", "stories")
    click.echo(
        f"{plural(result['articles'], 'article')}, {stories} "
        f"({plural(result['clustered'], 'article')} with a copy), threshold {result['threshold']:g}"
    )
