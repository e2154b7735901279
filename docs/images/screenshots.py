"""Regenerate the README tour's pictures (docs/images/*.png) from the demo archive.

    .venv/bin/pip install -e '.[test,docs]'     # selenium; pillow makes the PNGs small
    .venv/bin/python docs/images/screenshots.py [--out docs/images]

Runs ``tintuc demo`` into a temporary archive and adds what one crawl of the sample portal
cannot show, through the archive library as a later crawl would: the portal's newest article
edited on the portal (an earlier version, so a diff) and carried, lightly edited, by a second
site (a syndicated copy). Then ``tintuc serve`` and Debian's headless Chromium (as in
tests/test_browser.py; nothing is downloaded) save one picture of each view; with Pillow each
is reduced to a 256-colour palette (a third of the size, text stays sharp).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from pipelines.archive.schema import open_archive
from pipelines.archive.store import save_articles

HERE = Path(__file__).resolve().parent
COPY_SITE = "baoquangninh-demo"
CHARTS = "/-/tintuc/charts/archive"
# (file name, path, CSS selector to wait for, the chart's state to wait for)
VIEWS = [
    ("search", "/archive/articles?_search=tet+nguyen+dan", "#result-count", None),
    ("article", "/archive/articles/{edited}#story-copies", "#story-copies", None),
    ("diff", "/-/tintuc/diff/archive/{edited}", "#diff-text", None),
    ("archived", "/-/tintuc/archived/archive/{edited}", "#tintuc-archived-banner", None),
    ("charts", "/-/tintuc/charts/archive", "#tintuc-charts", None),
    ("chart-articles-per-day", f"{CHARTS}/articles-per-day", "#tintuc-chart", "drawn"),
    ("chart-term-over-time", f"{CHARTS}/term-over-time?term=Quảng+Ninh", "#tintuc-chart", "drawn"),
    ("chart-related-promotion", f"{CHARTS}/related-promotion", "#tintuc-chart", "drawn"),
]  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build_archive(path: Path) -> int:
    """The demo archive plus an edit and a syndicated copy; the edited article's id."""
    subprocess.run([sys.executable, "-m", "tintuc", "demo", "--db", str(path),
                    "--port", str(free_port())], check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    db = open_archive(path)
    columns = "id, url, site, province, title, description, text, published, author"
    row = db.execute(f"select {columns} from articles order by published desc limit 1").fetchone()
    article = dict(zip(columns.split(", "), row, strict=True))
    edited_id = article.pop("id")
    paragraphs = article["text"].split("\n")
    text = "\n".join([paragraphs[0].replace("vừa", "đã"), *paragraphs[1:-1]])
    edited = {**article, "title": article["title"] + " (cập nhật)", "text": text}
    db["sites"].upsert({"id": COPY_SITE, "name": "Báo mẫu (a second demo site)",
                        "province": "Quảng Ninh", "kind": "newspaper",
                        "base_url": "https://example.org/", "checked_live": 0},
                       pk="id")  # fmt: skip
    copy = {**edited, "site": COPY_SITE, "author": None,
            "url": "https://example.org/tin-tuc/" + article["url"].rsplit("/", 1)[-1],
            "published": article["published"].replace("T16:", "T18:"),
            "related": [{"url": article["url"], "text": article["title"], "block": "Tin liên quan",
                         "position": 0}]}  # fmt: skip
    save_articles(db, [edited])
    save_articles(db, [copy])
    db.close()
    return edited_id


def chromium(size: str) -> webdriver.Chrome:
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must not download anything
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    flags = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update",
             "--disable-dev-shm-usage", "--hide-scrollbars", f"--window-size={size}")  # fmt: skip
    for flag in flags:
        options.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def shrink(png: Path) -> None:
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(png) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(png, optimize=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HERE)
    parser.add_argument("--size", default="1100,820", help="browser window, pixels")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "archive.db"
        edited = build_archive(archive)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "tintuc", "serve", "--db", str(archive), "--port", str(port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        driver = None
        try:
            for _ in range(150):
                try:
                    urllib.request.urlopen(base + "/-/versions.json", timeout=2).read()
                    break
                except OSError:
                    time.sleep(0.2)
            driver = chromium(args.size)
            wait = WebDriverWait(driver, 30)
            for name, path, selector, state in VIEWS:
                driver.get(base + path.format(edited=edited))
                element = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, selector)))
                if state:
                    wait.until(lambda d, e=element: e.get_attribute("data-state") != "loading")
                    assert element.get_attribute("data-state") == state, name
                time.sleep(0.3)  # fonts and plotly's transitions settle
                png = args.out / f"{name}.png"
                driver.save_screenshot(str(png))
                shrink(png)
                print(f"{png}  {png.stat().st_size // 1024} KB")
        finally:
            if driver is not None:
                driver.quit()
            server.terminate()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
