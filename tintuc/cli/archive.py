"""Commands over a stored archive: ``status``, ``export``, ``verify``, ``reextract``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipelines.archive.schema import open_archive
from pipelines.archive.store import DOUBTFUL_BELOW
from tintuc.cli.options import db_option


def existing_archive(db_path: str):
    """The archive at ``db_path``, opened; a one-line error if there is none."""
    if not Path(db_path).exists():
        raise click.ClickException(f"no archive at {db_path}")
    return open_archive(db_path)


@click.command()
@db_option
def status(db_path):
    """Show, per site, the last crawl, its result and the number of articles.

    Example:

        tintuc status --db archive.db
    """
    from pipelines.archive.store import site_status

    db = existing_archive(db_path)
    for r in site_status(db):
        last = (f"crawl {r['crawl']} {r['status']} {r['started']}: {r['pages']} pages, "
                f"{r['articles_new']} new, {r['errors']} errors") if r["crawl"] else "never crawled"
        click.echo(f"{r['id']:20} {r['articles']:7} articles ({r['removed']} removed)  {last}")
    db.close()


@click.command()
@db_option
@click.option("--site", help="Only this site.")
@click.option("--since", help="Published on or after this date (YYYY-MM-DD).")
@click.option("--until", help="Published on or before this date (YYYY-MM-DD).")
@click.option("--query", "-q",
              help='Full-text search: diacritics optional, "a phrase", prefix*.')  # fmt: skip
@click.option("--order", type=click.Choice(["rank", "newest"]),
              help="Row order (default: best match first with --query, else newest first).")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "json"]), default="csv",
              show_default=True)  # fmt: skip
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="File to write (default: stdout).")  # fmt: skip
@click.option("--bom/--no-bom", default=True, show_default=True,
              help="Start CSV with a UTF-8 BOM so spreadsheets read Vietnamese right.")  # fmt: skip
def export(db_path, site, since, until, query, order, fmt, output, bom):
    """Export articles as CSV, JSON Lines or JSON, streaming (constant memory).

    Reads one consistent snapshot, so it is safe while a crawl writes. With -o the file
    appears only when complete (written to FILE.part, then renamed).

    Example:

        tintuc export --query "liên kết vùng" --since 2025-01-01 -o lien-ket-vung.csv
    """
    from tintuc.export import ExportError, export_articles

    if not Path(db_path).exists():
        raise click.ClickException(f"no archive at {db_path}")
    partial = Path(f"{output}.part") if output else None
    out = open(partial, "w", encoding="utf-8", newline="") if partial else sys.stdout
    try:
        count = export_articles(
            db_path, out, fmt=fmt, bom=bom,
            site=site, since=since, until=until, query=query, order=order,
        )  # fmt: skip
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        if partial:
            out.close()
            if sys.exc_info()[0] is not None:
                partial.unlink(missing_ok=True)
    if partial:
        partial.replace(output)
    click.echo(f"{count} articles exported", err=True)


@click.command()
@db_option
def verify(db_path):
    """Re-read every WARC record and check it against the captures table.

    Exits with status 1 if any record is missing or damaged.

    Example:

        tintuc verify --db archive.db
    """
    from pipelines.archive.captures import Problem, verify_captures

    db = existing_archive(db_path)
    good = bad = 0
    for result in verify_captures(db, Path(db_path).resolve().parent):
        if isinstance(result, Problem):
            bad += 1
            click.echo(f"capture {result.capture_id} {result.url}: {result.problem}")
        else:
            good += 1
    click.echo(f"{good} records intact, {bad} missing or damaged")
    sys.exit(1 if bad else 0)


@click.command()
@db_option
@click.option("--site", help="Only this site's articles.")
@click.option("--flagged", is_flag=True,
              help="Only the doubtful extractions: confidence below --below, or a flag "
              "such as fallback_used or date_from_url_only.")  # fmt: skip
@click.option("--below", type=click.FloatRange(0, 1), default=DOUBTFUL_BELOW,
              show_default=True,
              help="With --flagged: the confidence under which a page is doubtful.")  # fmt: skip
def reextract(db_path, site, flagged, below):
    """Extract stored articles again from their WARC captures (no network).

    Run it after the extractor improves; running it twice changes nothing. With --flagged,
    only the articles whose extraction was doubtful.

    Example:

        tintuc reextract --db archive.db --site sample

        tintuc reextract --db archive.db --flagged --below 0.6
    """
    from pipelines.archive.store import count_doubtful
    from tintuc.reextract import reextract as reextract_all

    db = existing_archive(db_path)
    if flagged:
        click.echo(f"{count_doubtful(db, below, site)} doubtful articles")
    counts = reextract_all(db, Path(db_path).resolve().parent, site, flagged=flagged, below=below)
    click.echo(", ".join(f"{n} {k}" for k, n in counts.items()))
    if flagged:
        click.echo(f"{count_doubtful(db, below, site)} still doubtful")
