"""Commands over a stored archive: ``status``, ``export``, ``verify``, ``reextract``,
``wacz``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from pipelines.archive.schema import ArchiveOpenError, open_archive
from pipelines.archive.store import DOUBTFUL_BELOW
from tintuc.cli.options import db_option
from tintuc.plural import plural

warc_dir_option = click.option(
    "--warc-dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Folder holding the WARC files, for an archive whose WARC files moved "
    "(default: where the crawl recorded them).",
)  # fmt: skip


def existing_archive(db_path: str, write: bool = False):
    """The archive at ``db_path``, opened; a one-line error if there is none or it cannot be
    opened. A command that only reads (``write=False``) reads a copy on read-only storage (a
    mounted backup) as it is, where opening it for writing cannot even take its lock."""
    if not Path(db_path).exists():
        raise click.ClickException(f"no archive at {db_path}")
    try:
        return open_archive(db_path)
    except ArchiveOpenError as exc:
        if write or os.access(db_path, os.W_OK) and os.access(Path(db_path).parent, os.W_OK):
            raise click.ClickException(str(exc)) from None
        return open_archive(db_path, readonly=True)


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
        last = (f"crawl {r['crawl']} {r['status']} {r['started']}: "
                f"{plural(r['pages'], 'page')}, {r['articles_new']} new, "
                f"{r['articles_changed'] or 0} changed, "
                f"{plural(r['errors'], 'error')}") if r["crawl"] else "never crawled"  # fmt: skip
        articles = "article " if r["articles"] == 1 else "articles"  # the columns stay aligned
        click.echo(f"{r['id']:20} {r['articles']:7} {articles} ({r['removed']} removed)  {last}")
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
@click.option("--format", "fmt", default="csv", show_default=True,
              type=click.Choice(["csv", "jsonl", "json", "graphml", "gexf"]),
              help="graphml and gexf: the related-link graph of the selected articles "
              "(Gephi, networkx).")  # fmt: skip
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="File to write (default: stdout).")  # fmt: skip
@click.option("--bom/--no-bom", default=True, show_default=True,
              help="Start CSV with a UTF-8 BOM so spreadsheets read Vietnamese right.")  # fmt: skip
def export(db_path, site, since, until, query, order, fmt, output, bom):
    """Export articles as CSV, JSON Lines or JSON, streaming (constant memory), or their
    related-link graph as GraphML or GEXF (articles are nodes, related links edges).

    Reads one consistent snapshot, so it is safe while a crawl writes. With -o the file
    appears only when complete (written to FILE.part, then renamed).

    Example:

        \b
        tintuc export --query "liên kết vùng" --since 2025-01-01 -o lien-ket-vung.csv

        \b
        tintuc export --format graphml --site sample --since 2025-01-01 -o links.graphml
    """
    from tintuc.export import GRAPH_FORMATS, ExportError, export_articles, export_graph

    if not Path(db_path).exists():
        raise click.ClickException(f"no archive at {db_path}")
    partial = Path(f"{output}.part") if output else None
    graph = fmt in GRAPH_FORMATS  # written in bytes by networkx
    if partial:
        out = open(partial, "wb") if graph else open(partial, "w", encoding="utf-8", newline="")
    else:
        out = sys.stdout.buffer if graph else sys.stdout
    filters = {"site": site, "since": since, "until": until, "query": query, "order": order}
    try:
        if graph:
            nodes, edges = export_graph(db_path, out, fmt=fmt, **filters)
        else:
            count = export_articles(db_path, out, fmt=fmt, bom=bom, **filters)
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        if partial:
            out.close()
            if sys.exc_info()[0] is not None:
                partial.unlink(missing_ok=True)
    if partial:
        partial.replace(output)
    if graph:
        click.echo(f"{plural(nodes, 'node')}, {plural(edges, 'link')} exported", err=True)
    else:
        click.echo(f"{plural(count, 'article')} exported", err=True)


@click.command()
@db_option
@warc_dir_option
def verify(db_path, warc_dir):
    """Re-read every WARC record and check it against the captures table.

    Exits with status 1 if any record is missing or damaged.

    Example:

        tintuc verify --db archive.db
    """
    from pipelines.archive.captures import Problem, verify_captures

    db = existing_archive(db_path)
    good = bad = 0
    for result in verify_captures(db, Path(db_path).resolve().parent, warc_dir):
        if isinstance(result, Problem):
            bad += 1
            click.echo(f"capture {result.capture_id} {result.url}: {result.problem}")
        else:
            good += 1
    click.echo(f"{plural(good, 'record')} intact, {bad} missing or damaged")
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
@click.option("--workers", type=click.IntRange(min=-1), default=0, show_default=True,
              help="Extraction processes, as TINTUC_EXTRACT_WORKERS: 0 = one per CPU core, "
              "N = N processes, -1 = in this process.")  # fmt: skip
@warc_dir_option
def reextract(db_path, site, flagged, below, workers, warc_dir):
    """Extract stored articles again from their WARC captures (no network).

    Run it after the extractor improves; running it twice changes nothing. With --flagged,
    only the articles whose extraction was doubtful. Extraction runs in the crawl's pool of
    processes (--workers); progress is shown on a terminal. Ctrl-C or SIGTERM stops it after
    saving the pages done: run the same command again to resume where it stopped (exit
    status 130 or 143 until then). Exits with status 1, naming them, if WARC files are
    missing (see --warc-dir).

    Example:

        tintuc reextract --db archive.db --site sample

        tintuc reextract --db archive.db --flagged --below 0.6
    """
    import signal
    import time

    from pipelines.archive.store import count_doubtful, site_in_archive
    from tintuc.reextract import Interrupted, describe, missing_warc_files
    from tintuc.reextract import reextract as reextract_all

    db = existing_archive(db_path, write=True)
    if site and not site_in_archive(db, site):
        raise click.ClickException(f"unknown site {site!r} (not in this archive)")
    db_dir = Path(db_path).resolve().parent
    missing = missing_warc_files(db, db_dir, site, warc_dir)
    if missing:
        for path, captures in missing:
            click.echo(f"WARC file missing: {path} ({plural(captures, 'capture')})", err=True)
        raise click.ClickException(
            f"{plural(len(missing), 'WARC file')} missing: nothing re-extracted (use --warc-dir "
            "DIR if they moved)"
        )
    if flagged:
        click.echo(f"{plural(count_doubtful(db, below, site), 'doubtful article')}")
    stop: list[int] = []  # the signals received: the run saves its work and stops
    handlers = {signum: signal.signal(signum, lambda received, _frame: stop.append(received))
                for signum in (signal.SIGINT, signal.SIGTERM)}  # fmt: skip
    started, show, shown = time.monotonic(), sys.stderr.isatty(), []

    def progress(done: int, total: int) -> None:
        if done and not shown:
            click.echo(f"Resuming an interrupted run: {done} of {total} pages done", err=True)
        shown.append(done)
        if show:  # the rate of this run, not counting the pages done before a resume
            rate = (done - shown[0]) / max(time.monotonic() - started, 1e-6)
            click.echo(f"\r{done}/{total} pages re-extracted ({rate:.0f}/s)", err=True, nl=False)

    try:
        counts = reextract_all(db, db_dir, site, flagged=flagged, below=below,
                               warc_dir=warc_dir, workers=workers, progress=progress,
                               should_stop=lambda: bool(stop))  # fmt: skip
    except Interrupted as exc:
        clear = "\r\033[K" if show else ""  # the progress line
        click.echo(f"{clear}Interrupted after {exc.done} of {exc.total} pages (saved): run the "
                   "same command again to resume.", err=True)  # fmt: skip
        sys.exit(128 + stop[0])
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
    if show:
        click.echo("", err=True)
    click.echo(describe(counts, flagged))
    if flagged:
        click.echo(f"{count_doubtful(db, below, site)} still doubtful")


@click.command()
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The WACZ file to write.")  # fmt: skip
@db_option
@click.option("--site", help="Only the captures of this site's crawls.")
@click.option("--since", help="Only captures fetched on or after this day (YYYY-MM-DD, UTC).")
@click.option("--until", help="Only captures fetched on or before this day (YYYY-MM-DD, UTC).")
@warc_dir_option
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def wacz(output, db_path, site, since, until, warc_dir, force):
    """Pack the captures into a WACZ package for ReplayWeb.page and pywb.

    The package holds the WARC files (or, with --site/--since/--until, only the selected
    records, re-packed), a CDXJ index, pages/pages.jsonl listing the articles, and
    datapackage.json with a hash of each file. It appears only when complete. Memory stays
    bounded however many captures; progress is shown on a terminal.

    Example:

        tintuc wacz -o sample.wacz --db archive.db --site sample
    """
    from tintuc.wacz import WaczError, write_wacz

    db = existing_archive(db_path)
    show = sys.stderr.isatty()

    def repacked(done: int, total: int) -> None:
        if show and (done % 500 == 0 or done == total):
            click.echo(f"\r{done}/{total} records re-packed", err=True, nl=done == total)

    def packed(indexed: int, captures: int, written: int, warc_bytes: int) -> None:
        mb = 1024 * 1024
        click.echo(f"\r{indexed}/{captures} captures indexed, {written // mb}/~{warc_bytes // mb} "
                   "MB written  ", err=True, nl=False)  # fmt: skip

    try:
        counts = write_wacz(db, Path(db_path).resolve().parent, output, site=site, since=since,
                            until=until, warc_dir=warc_dir, force=force,
                            progress=packed if show else None,
                            repack_progress=repacked if show else None)  # fmt: skip
    except WaczError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        if show:
            click.echo("\r\033[K", err=True, nl=False)  # the progress line, cleared
    click.echo(f"{output}: {plural(counts['captures'], 'capture')} from "
               f"{plural(counts['warc_files'], 'WARC file')}, {plural(counts['pages'], 'page')}")
