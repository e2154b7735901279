"""``tintuc extract`` (one saved page) and ``tintuc eval`` (score the extractor)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from crawler.sites import SiteError, get_site


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--url", required=True, help="The URL the page was saved from.")
@click.option("--site", help="Use this registered site's CSS overrides.")
def extract(file, url, site):
    """Extract one saved page and print the result as JSON.

    Exits with status 1 when the page is judged not an article (a listing, a home page …):
    the JSON is printed all the same, with page_kind and page_reason saying why.

    Example:

        \b
        tintuc extract saved-page.html --url https://baoquangninh.vn/bai-viet-123.html
    """
    from pipelines.extractor.article import extract_article

    profile = None
    if site:
        try:
            selectors = get_site(site).selectors
        except SiteError as exc:
            raise click.ClickException(str(exc)) from None
        profile = {"selectors": selectors} if selectors else None
    result = extract_article(Path(file).read_bytes(), url, profile)
    if result is None:
        raise click.ClickException(f"{file}: no text found")
    click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    if result["page_kind"] != "article":  # on stderr: the JSON on stdout stays parseable
        raise click.ClickException(
            f"{file}: judged {result['page_kind']}, not an article ({result['page_reason']}): "
            "a crawl would record this page, not store it"
        )


@click.command(name="eval")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--floor", type=click.Path(dir_okay=False), help="Fail if a figure is below it.")
def eval_command(folder, floor):
    """Score the extractor (and plain trafilatura) on saved pages with ground truth.

    Example:

        tintuc eval ../shared/fixtures/vn --floor eval-floor.json
    """
    from pipelines.extractor.evaluate import main as evaluate_main

    args = [folder] + (["--floor", floor] if floor else [])
    sys.exit(evaluate_main(args))
