"""For researchers: an article's other copies (syndicated stories) and what changed in it.

- The article page (``row.html``) gets ``tintuc_research``: the other articles of its story
  cluster (site, time, similarity) and its earlier versions, each linked to a diff.
- ``/-/tintuc/diff/<db>/<article id>?from=<version id>&to=<version id or "current">`` shows a
  word-level diff (``<del>``/``<ins>``) between two versions; by default between the latest
  earlier version and the current text. Words are compared whole (tokens split at white
  space), so a Vietnamese syllable with a changed diacritic shows as one word replaced.
- SQL function ``tintuc_changed_share(old, new)``: the share of words changed (0 to 1), for
  the canned query of recently changed articles.
"""

from __future__ import annotations

import difflib
import html
import re

from datasette import hookimpl
from datasette.utils import tilde_decode
from datasette.utils.asgi import Response

from pipelines.archive.clusters import copies_of
from tintuc.web.archive import ARTICLES, articles_view, is_archive, readable_archive

_WORD_AND_SPACE = re.compile(r"(\S+)(\s*)")
VERSION_COLUMNS = "title, description, text"
# What a page states of its article beside its words: a version differs in these alone when
# the site corrected a date or author, changed the lead image or the attached documents
# (``pipelines.archive.store.restated``); the diff shows them old and new, when they differ.
# The last three are in versions from migration m019 on: NULL in an older one is "not
# recorded", not "none", and is not shown as a change.
STATED_COLUMNS = ("published", "author", "updated", "image", "attachments")
RECORDED_FROM_M019 = ("updated", "image", "attachments")


def word_diff_html(old: str | None, new: str | None) -> str:
    """``new`` against ``old`` as HTML: removed words in ``<del>``, added ones in ``<ins>``,
    everything escaped. Words are compared whole; the white space after a run of words (new
    lines included) stays outside the marks, taken from the new text."""
    a, b = _WORD_AND_SPACE.findall(old or ""), _WORD_AND_SPACE.findall(new or "")
    matcher = difflib.SequenceMatcher(None, [w for w, _ in a], [w for w, _ in b], autojunk=False)
    out = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        old_run, new_run = _joined(a[i1:i2]), _joined(b[j1:j2])
        if op == "equal":
            out.append(html.escape(new_run))
            continue
        tail = (
            new_run[len(new_run.rstrip()) :] if op != "delete" else old_run[len(old_run.rstrip()) :]
        )
        if op in ("delete", "replace"):
            out.append(f"<del>{html.escape(old_run.rstrip())}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{html.escape(new_run.rstrip())}</ins>")
        out.append(tail)
    return "".join(out)


def _joined(tokens: list[tuple[str, str]]) -> str:
    return "".join(word + space for word, space in tokens)


def changed_share(old: str | None, new: str | None) -> float:
    """Share of words changed between two texts, 0 (same words) to 1 (nothing in common)."""
    a, b = (old or "").split(), (new or "").split()
    if not a and not b:
        return 0.0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return round(1 - matcher.ratio(), 3)


@hookimpl(specname="prepare_connection")
def research_functions(conn, database, datasette):
    if is_archive(datasette, database):
        conn.create_function("tintuc_changed_share", 2, changed_share, deterministic=True)


@hookimpl(specname="register_routes")
def research_routes():
    return [(r"^/-/tintuc/diff/(?P<database>[^/]+)/(?P<article_id>\d+)$", diff_view)]


@hookimpl(specname="extra_template_vars")
def article_research(database, table, view_name, request, datasette):
    if not articles_view(datasette, database, table, view_name, request, "row"):
        return {}

    async def inner():
        db = datasette.get_database(database)
        article_id = tilde_decode(request.url_vars.get("pks", ""))
        if not article_id.isdigit():
            return {}
        copies = await db.execute_fn(lambda conn: copies_of(conn, int(article_id)))
        for copy in copies:
            copy["url"] = datasette.urls.row(database, ARTICLES, str(copy["id"]))
        versions = (
            await db.execute(
                "select id, first_seen, replaced, title from article_versions "
                "where article_id = :id order by replaced desc, id desc",
                {"id": article_id},
            )
        ).rows
        diff = datasette.urls.path(f"/-/tintuc/diff/{database}/{article_id}")
        return {
            "tintuc_research": {
                "copies": copies,
                "versions": [
                    {**dict(v), "diff_url": f"{diff}?from={v['id']}&to=current"} for v in versions
                ],
                "diff_url": diff if versions else None,
            }
        }

    return inner


async def diff_view(datasette, request):
    """Word-level diff between two versions of an article (or one and the current text)."""
    db, name, refusal = await readable_archive(datasette, request)
    if refusal is not None:
        return refusal
    article_id = int(request.url_vars["article_id"])
    recorded = set(await db.table_columns("article_versions"))  # an archive before m019
    stated = [c for c in STATED_COLUMNS if c in recorded]
    columns = ", ".join([VERSION_COLUMNS, *stated])
    article = (
        await db.execute(f"select id, url, {columns} from articles where id = ?", [article_id])
    ).first()
    if article is None:
        return Response.text(f"no article {article_id}", status=404)
    versions = (
        await db.execute(
            f"select id, replaced, {columns} from article_versions "
            "where article_id = ? order by replaced, id",
            [article_id],
        )
    ).rows
    by_id = {str(v["id"]): dict(v) for v in versions}
    current = {**dict(article), "id": "current", "replaced": None}
    by_id["current"] = current
    old_key = request.args.get("from") or (str(versions[-1]["id"]) if versions else "current")
    new_key = request.args.get("to") or "current"
    if old_key not in by_id or new_key not in by_id:
        return Response.text("no such version of this article", status=404)
    old, new = by_id[old_key], by_id[new_key]
    sections = [
        {"name": column, "html": word_diff_html(old[column], new[column]),
         "changed": (old[column] or "") != (new[column] or "")}
        for column in ("title", "description", "text")
    ]  # fmt: skip
    restated = [
        {"name": column, "old": old[column], "new": new[column]}
        for column in stated
        if (old[column] or "") != (new[column] or "")
        and not (column in RECORDED_FROM_M019 and old[column] is None)
    ]
    return Response.html(
        await datasette.render_template(
            "tintuc_diff.html",
            {
                "database": name,
                "article": dict(article),
                "article_url": datasette.urls.row(name, ARTICLES, str(article_id)),
                "old": old,
                "new": new,
                "sections": sections,
                "restated": restated,
                "share": changed_share(old["text"], new["text"]),
                "versions": [*versions, current],
            },
            request=request,
        )
    )
