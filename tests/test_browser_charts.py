"""Charts and feeds in the real browser: Debian's headless Chromium (the ``browser`` fixture of
test_browser.py) against ``tintuc serve``.

Each chart page is opened from the charts page, must draw its marks (plotly's SVG: a bar or a
point per row of the canned query's JSON) and is saved as a screenshot, to the test's tmp dir
and to ``test-output/browser/`` (git-ignored). The article page's feed link opens as Atom.
"""

from __future__ import annotations

import json
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from test_browser import OUTPUT, browser  # noqa: F401 (browser: fixture)
from test_datasette import build_archive
from test_serve_concurrency import serve_archive

from tintuc.web.charts import CHARTS

pytestmark = pytest.mark.e2e  # drives chromium against a served archive

# the SVG marks plotly draws: one per row of the query
MARKS = {
    "bars": "#tintuc-chart .barlayer .point path",
    "lines": "#tintuc-chart .scatterlayer .point",
}
LINES = "#tintuc-chart .scatterlayer path.js-line"
ARGS = {"term-over-time": "?term=da+nang"}


def query_rows(base: str, driver) -> list[dict]:
    json_url = driver.find_element(By.ID, "tintuc-chart").get_attribute("data-json")
    with urllib.request.urlopen(base + json_url, timeout=30) as response:
        return json.load(response)["rows"]


def test_each_chart_draws_its_rows_and_the_feed_link_opens(browser, tmp_path):  # noqa: F811
    archive = build_archive(tmp_path / "archive.db")
    wait = WebDriverWait(browser, 30)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with serve_archive(archive) as base:
        browser.get(base + "/archive")
        wait.until(ec.element_to_be_clickable((By.ID, "tintuc-charts-link"))).click()
        links = wait.until(
            ec.presence_of_all_elements_located((By.CSS_SELECTOR, "#tintuc-charts a"))
        )
        hrefs = [a.get_attribute("href") for a in links]
        assert hrefs == [f"{base}/-/tintuc/charts/archive/{slug}" for slug in CHARTS]
        for slug, href in zip(CHARTS, hrefs, strict=True):
            browser.get(href + ARGS.get(slug, ""))
            chart = wait.until(ec.presence_of_element_located((By.ID, "tintuc-chart")))
            wait.until(lambda d: d.find_element(By.ID, "tintuc-chart").get_attribute("data-state")
                       != "loading")  # fmt: skip
            note = browser.find_element(By.ID, "tintuc-chart-note").text
            assert chart.get_attribute("data-state") == "drawn", (slug, note)
            rows = query_rows(base, browser)
            marks = browser.find_elements(By.CSS_SELECTOR, MARKS[CHARTS[slug].kind])
            assert rows and len(marks) == len(rows), (slug, len(marks), rows)
            # counts: whole-number ticks only (0.2, 0.4 … were drawn for small counts)
            ticks = [t.text for t in browser.find_elements(By.CSS_SELECTOR,
                                                           "#tintuc-chart .ytick text")]
            assert ticks and all(t.replace(",", "").isdigit() for t in ticks), (slug, ticks)
            if CHARTS[slug].kind == "lines":
                lines = browser.find_elements(By.CSS_SELECTOR, LINES)
                drawn = [p.get_attribute("d") for p in lines]
                assert drawn and all(drawn), slug
            assert browser.save_screenshot(str(tmp_path / f"chart-{slug}.png"))
            browser.save_screenshot(str(OUTPUT / f"chart-{slug}.png"))

        browser.get(base + "/archive/articles/1")
        feed_link = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, "a.tintuc-feed-site")))
        assert feed_link.get_attribute("href") == f"{base}/archive/feed_site.atom?site=baodanang"
        feed_link.click()
        wait.until(ec.url_to_be(f"{base}/archive/feed_site.atom?site=baodanang"))
        # Chromium shows a feed as its text
        source = browser.find_element(By.TAG_NAME, "body").text
        assert '<feed xmlns="http://www.w3.org/2005/Atom">' in source
        assert "<title>tintuc: newest articles of baodanang</title>" in source
