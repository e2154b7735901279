"""A reader in a real browser: Debian's headless Chromium, driven by Selenium.

Search "da nang" in Datasette's search box, open the "Đà Nẵng" article, follow a related link
to the archived article, download the CSV of the search. Nothing is downloaded by Selenium
(driver path given, SE_OFFLINE); if Chromium is missing the test fails (``.ci/run`` installs
it). The screenshot of the results goes to ``test-output/browser/`` (git-ignored).
"""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from test_datasette import ARTICLES, DANANG_TITLE, HALONG_TITLE, build_archive
from test_serve_concurrency import serve_archive

pytestmark = pytest.mark.e2e  # drives chromium against a served archive

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
OUTPUT = Path(__file__).resolve().parent.parent / "test-output" / "browser"
HEADER = ["title", "published", "site", "url", "author", "description", "text", "removed",
          "removed_reason", "part_of", "part", "language"]  # fmt: skip


@pytest.fixture
def browser(tmp_path, monkeypatch):
    assert CHROMIUM.exists() and CHROMEDRIVER.exists(), (
        "install Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)"
    )
    monkeypatch.setenv("SE_OFFLINE", "true")  # Selenium Manager must not download anything
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=1280,1600",
    ):  # fmt: skip
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
            "safebrowsing.enabled": False,
        },
    )
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    driver.downloads = downloads
    try:
        yield driver
    finally:
        driver.quit()


def wait_for_download(folder: Path, timeout: float = 30) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in folder.iterdir() if p.suffix == ".csv"]
        partial = [p for p in folder.iterdir() if p.suffix == ".crdownload"]
        if done and not partial:
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no CSV downloaded into {folder}: {list(folder.iterdir())}")


def test_search_read_follow_and_download_in_chromium(browser, tmp_path):
    archive = build_archive(tmp_path / "archive.db")
    wait = WebDriverWait(browser, 20)
    with serve_archive(archive) as base:
        browser.get(base + "/archive/articles")
        box = wait.until(ec.presence_of_element_located((By.ID, "_search")))
        box.send_keys("da nang")
        box.send_keys(Keys.ENTER)

        count = wait.until(ec.presence_of_element_located((By.ID, "result-count")))
        assert count.text == "2 articles match “da nang”, best matches first"
        results = browser.find_elements(By.CSS_SELECTOR, ".tintuc-results a.title")
        assert [r.text for r in results] == [DANANG_TITLE, ARTICLES[1]["title"]]
        marks = browser.find_elements(By.CSS_SELECTOR, ".tintuc-results a.title mark")
        assert [m.text for m in marks][:2] == ["Đà", "Nẵng"]
        OUTPUT.mkdir(parents=True, exist_ok=True)
        assert browser.save_screenshot(str(OUTPUT / "search-da-nang.png"))
        browser.save_screenshot(str(tmp_path / "search-da-nang.png"))
        search_url = browser.current_url

        results[0].click()
        title = wait.until(ec.presence_of_element_located((By.ID, "article-title")))
        assert title.text == DANANG_TITLE
        assert browser.current_url == base + "/archive/articles/1"
        paragraphs = browser.find_elements(By.CSS_SELECTOR, ".tintuc-body p")
        assert [p.text for p in paragraphs] == ARTICLES[0]["text"].split("\n")

        browser.find_element(By.CSS_SELECTOR, "a.related-archived").click()
        wait.until(ec.url_to_be(base + "/archive/articles/2"))
        title = wait.until(ec.presence_of_element_located((By.ID, "article-title")))
        assert title.text == HALONG_TITLE

        # crawled text carrying <script> is shown, never run
        browser.get(base + "/archive/articles/3")
        body = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".tintuc-body")))
        assert "<script>alert('xss')</script> Đoạn cuối." in body.text
        with pytest.raises(NoAlertPresentException):
            browser.switch_to.alert.text  # noqa: B018

        browser.get(search_url)
        wait.until(ec.element_to_be_clickable((By.ID, "tintuc-export-csv"))).click()
        downloaded = wait_for_download(browser.downloads)
    data = downloaded.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets read UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == HEADER
    assert [r[0] for r in rows[1:]] == [DANANG_TITLE, HALONG_TITLE]
    assert rows[1] == [ARTICLES[0].get(c) or "" for c in HEADER]
    assert downloaded.name == "tintuc-da-nang.csv"
