"""``tintuc sites`` (list the registry) and ``tintuc sites check`` (learn a new site)."""

from __future__ import annotations

from pathlib import Path

import click

from crawler.sites import SiteError, load_sites, sites_in_province
from tintuc.cli.options import parse_setting, settings_option, sites_option
from tintuc.crawl import CrawlSetupError


@click.group(invoke_without_command=True)
@sites_option
@click.option("--province", help="Only the sites of this province (case and accents ignored).")
@click.pass_context
def sites(ctx, sites_file, province):
    """List the registered sites; `tintuc sites check` learns how to crawl a new one.

    Example:

        tintuc sites --province "quang ninh"

        tintuc sites check https://example.gov.vn/ --write-profile example.toml
    """
    if ctx.invoked_subcommand is not None:
        return
    try:
        registry = load_sites(sites_file)
    except SiteError as exc:
        raise click.ClickException(str(exc)) from None
    shown = sites_in_province(registry, province) if province else registry.values()
    if province and not shown:  # as crawl --province and enqueue --province say it
        raise click.ClickException(f"no registered site in province {province!r} "
                                   "(run 'tintuc sites' for them all)")  # fmt: skip
    shown = list(shown)
    width = max((len(profile.id) for profile in shown), default=0)  # ids run to 27 characters
    for profile in shown:
        checked = "" if profile.checked_live else "  (not yet checked against live pages)"
        line = f"{profile.id:{width}} {profile.kind:11} {profile.province:12} {profile.name}"
        click.echo(line + checked)


@sites.command()
@click.argument("target", metavar="SITE|URL")
@click.option("--write-profile", "profile_path", type=click.Path(dir_okay=False),
              help="Write the profile it learned (TOML, the --sites format) to this file.")
@click.option("--max-pages", type=click.IntRange(min=1), default=30, show_default=True,
              help="Stop scheduling after about this many responses; pages already "
              "requested still finish.")  # fmt: skip
@settings_option
@sites_option
def check(target, profile_path, max_pages, overrides, sites_file):
    """Fetch a small polite sample of a site and say how to crawl it.

    Prints the feeds, sitemaps, listing and pager, the article URL pattern, sample articles
    and the pages it could not classify. Exits non-zero when it finds no article, or articles
    without dates (documents such as PDF notices without one are a warning).

    Example:

        \b
        tintuc sites check https://www.quangninh.gov.vn/ --write-profile quangninh.toml
    """
    from tintuc.site_check import check_site, profile_toml, report_lines

    settings = dict(parse_setting(o) for o in overrides)
    try:
        report = check_site(target, sites_file=sites_file, max_pages=max_pages,
                            overrides=settings)  # fmt: skip
    except (SiteError, CrawlSetupError) as exc:
        raise click.ClickException(str(exc)) from None
    for line in report_lines(report):
        click.echo(line)
    if profile_path and report.article_patterns:
        Path(profile_path).write_text(profile_toml(report), encoding="utf-8")
        click.echo(f"profile written to {profile_path}")
    if report.problems:  # said above as "problem: …", once
        raise click.exceptions.Exit(1)
