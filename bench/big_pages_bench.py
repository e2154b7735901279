"""Does extraction cost grow with a page's size, or faster? CPU per page on big synthetic pages.

    python bench/big_pages_bench.py                          # every shape, 0.25 to 2 MB
    python bench/big_pages_bench.py --shapes ads,menu --sizes 1,2,4 --stages

One short Vietnamese story (headline, dateline, three paragraphs) grown to each size (MB) by
one of the shapes real portals serve big pages in:

* ``boxes``: one ad box repeated after the story; ``ads``: ad boxes, each its own text;
* ``table``: one table of thousands of rows in the body; ``paras``: a body of thousands of
  paragraphs; ``nest``: paragraphs each twenty ``div`` levels down;
* ``menu``: a menu of thousands of links; ``base64``: one inline base64 image;
* ``comments``: a comment thread, each comment with a reply.

For each page it prints the CPU seconds of :func:`extract_article` and of plain trafilatura
(:func:`pipelines.extractor.evaluate.trafilatura_baseline`), and for each shape the growth per
doubling of size (2.0: linear; 4.0: quadratic). With ``--stages`` the five costliest stages of
``extract_article`` are shown too (its module's functions, timed wherever called: a stage
called inside another counts in both).
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import base64
import random
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import pipelines.extractor.article as article  # noqa: E402
from pipelines.extractor.evaluate import trafilatura_baseline  # noqa: E402

URL = "https://baothu.vn/tin-tuc/hoi-nghi-tong-ket-123.html"
PAGE = ("<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'>"
        "<title>Hội nghị tổng kết phòng chống thiên tai</title></head><body>"
        "<nav class='menu'>{menu}<a href='/'>Trang chủ</a> <a href='/tin-tuc/'>Tin tức</a></nav>"
        "<article><h1>Hội nghị tổng kết phòng chống thiên tai</h1>"
        "<div class='date'>12/03/2025 08:15</div><div class='content'>{body}</div></article>"
        "{after}<footer>Báo Thử Nghiệm</footer></body></html>")
SENTENCES = [
    "Sáng nay, Ủy ban nhân dân tỉnh tổ chức hội nghị tổng kết công tác phòng chống thiên tai "
    "năm qua, với sự tham gia của đại diện các sở, ngành và địa phương.",
    "Theo báo cáo, mưa lũ đã làm hư hỏng nhiều tuyến đường giao thông nông thôn, kênh mương "
    "thủy lợi và hàng trăm héc-ta lúa, hoa màu của người dân.",
    "Phó Chủ tịch tỉnh đề nghị các đơn vị chủ động xây dựng phương án ứng phó, bảo đảm an toàn "
    "tính mạng và tài sản của nhân dân trong mùa mưa bão.",
]
STORY = "".join(f"<p>{s}</p>" for s in SENTENCES)
SHAPES = ["boxes", "ads", "table", "paras", "nest", "menu", "base64", "comments"]
STAGES = ["classify_page", "_title", "find_published", "_htmldate", "prose_chars", "story_block",
          "_drop_boxes", "extract_related", "_drop_noise", "block_lines", "_trafilatura_text",
          "_agrees", "_narrowed", "_without_link_lists", "_table_data", "_plain_trafilatura",
          "recover", "outside_asides", "_byline", "_trafilatura_metadata", "_body_signals",
          "_legacy_font_text"]


def _unit(shape: str, i: int) -> tuple[str, str]:
    """One repeat of ``shape``: where it goes ("menu", "body", "after") and its HTML."""
    sentence = SENTENCES[i % 3]
    if shape == "boxes":
        return "after", "<div class='qc'>" + "quảng cáo " * 20 + "</div>\n"
    if shape == "ads":
        return "after", (f"<div class='qc'>Quảng cáo {i}: mua nhà phố số {i * 13 % 997} đường "
                         f"Lê Lợi, giá {i * 7} triệu, liên hệ 09{i:08d}</div>\n")
    if shape == "table":
        return "body", (f"<tr><td>{i}</td><td>Xã Tân Phú {i}</td><td>{i * 7 % 1000} hộ</td>"
                        f"<td>Đã hỗ trợ {i * 3} triệu đồng</td></tr>\n")
    if shape == "paras":
        return "body", f"<p>Đoạn {i}: {sentence}</p>\n"
    if shape == "nest":
        return "body", "<div>" * 20 + f"<p>Mục {i}: {sentence}</p>" + "</div>" * 20 + "\n"
    if shape == "menu":
        return "menu", f"<a href='/chuyen-muc/muc-{i}/'>Chuyên mục {i}</a> "
    if shape == "comments":
        return "after", (
            f"<li class='comment'><div class='comment-author'>Bạn đọc {i}</div>"
            f"<span class='time'>12/03/2025 09:{i % 60:02d}</span><div class='comment-text'>Tôi "
            f"thấy tỉnh cần đầu tư thêm cho kênh mương ở xã số {i}, bà con rất mong.</div><ul>"
            f"<li class='comment reply'><div class='comment-author'>Ban biên tập</div>"
            f"<div class='comment-text'>Cảm ơn bạn {i}.</div></li></ul></li>\n")
    raise ValueError(f"unknown shape {shape!r}")


def big_page(shape: str, size: int) -> str:
    """The story grown by ``shape`` to about ``size`` bytes of UTF-8."""
    parts: dict[str, list[str]] = {"menu": [], "body": [STORY], "after": []}
    if shape == "base64":
        data = base64.b64encode(random.Random(1).randbytes(max(0, size - 1500) * 3 // 4))
        parts["body"].append(f"<figure><img src='data:image/jpeg;base64,{data.decode()}'>"
                             "<figcaption>Ảnh minh họa</figcaption></figure>")
    else:
        total, i = 1500, 0
        while total < size:
            where, html = _unit(shape, i)
            parts[where].append(html)
            total += len(html.encode())
            i += 1
    if shape == "table":
        parts["body"] = [STORY, "<table><tr><th>STT</th><th>Xã</th><th>Số hộ</th><th>Hỗ trợ</th>"
                         "</tr>\n", *parts["body"][1:], "</table>"]
    if shape == "comments":
        parts["after"] = ["<div class='comments'><ul>", *parts["after"], "</ul></div>"]
    return PAGE.format(**{where: "".join(html) for where, html in parts.items()})


def _timed_stages(spent: Counter) -> None:
    """Each stage of ``article`` replaced by one that adds its CPU time to ``spent``."""
    for name in STAGES:
        stage = getattr(article, name)

        def timed(*args, _stage=stage, _name=name, **kwargs):
            start = time.process_time()
            try:
                return _stage(*args, **kwargs)
            finally:
                spent[_name] += time.process_time() - start

        setattr(article, name, timed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shapes", default=",".join(SHAPES))
    parser.add_argument("--sizes", default="0.25,0.5,1,2", help="MB, comma-separated")
    parser.add_argument("--stages", action="store_true", help="the five costliest stages too")
    args = parser.parse_args()
    spent: Counter = Counter()
    if args.stages:
        _timed_stages(spent)
    article.extract_article(big_page("paras", 5000), URL)  # imports and caches warmed
    sizes = [float(x) for x in args.sizes.split(",")]
    for shape in args.shapes.split(","):
        costs = []
        for mb in sizes:
            html = big_page(shape, int(mb * 1e6))
            spent.clear()
            start = time.process_time()
            article.extract_article(html, URL)
            ours = time.process_time() - start
            start = time.process_time()
            trafilatura_baseline(html, URL)
            plain = time.process_time() - start
            costs.append(ours)
            stages = ", ".join(f"{name} {cost:.2f}" for name, cost in spent.most_common(5)
                               if cost >= 0.005)
            print(f"{shape:9} {mb:5} MB  tintuc {ours:7.2f} s  plain trafilatura {plain:7.2f} s"
                  + (f"  | {stages}" if stages else ""), flush=True)
        growth = [b / a for a, b in zip(costs, costs[1:], strict=False) if a > 0.05]
        if growth:
            print(f"{shape:9} growth per doubling: " + " ".join(f"{g:.1f}" for g in growth))


if __name__ == "__main__":
    main()
