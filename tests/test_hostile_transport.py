"""Issue #5, the hostile web below the page (sixteenth session): certificates, broken HTTP and
broken compression, redirects that lead nowhere, sitemaps served as gzip. Each local site is
crawled with the real CLI; what was silent or said in Scrapy's words before:

=======================================  =========================================================
HTTPS, self-signed / expired / other     fetched and stored as before (Scrapy does not verify),
name certificate                         and now one crawl error per host saying what is wrong
                                         with it (was: nothing anywhere)
TLS handshake refused                    "TLS handshake failed: …" (was: "DownloadFailedError:
                                         [<twisted.python.failure.Failure OpenSSL.SSL.Error…>]")
301 to ``ftp:``                          "redirected to 'ftp://…', not a web page" (was: "HTTP 301")
302 without Location                     "… without a Location header" (was: "HTTP 302")
broken gzip Content-Encoding             "broken Content-Encoding: …" (was: "error: Error -3 …")
a status line that is not HTTP           "malformed HTTP response: …" (was: a Twisted repr)
connection closed before any answer      "the server closed the connection without answering"
``/sitemap.xml`` sent as                 read, its articles stored (was: refused unread, as "not
``application/x-gzip``                   an HTML page", and nothing recorded)
a gzip sitemap cut short                 a crawl error saying so (was: nothing recorded)
``Location: /bài-viết/…`` (raw UTF-8)     the capture's final_url percent-encoded, as followed
                                         (was: decoded as Latin-1, "/bÃ i-viáº¿t/…")
=======================================  =========================================================
"""

from __future__ import annotations

import datetime
import gzip
import html
import ipaddress
import ssl
from pathlib import Path

import pytest
from conftest import PagesHandler, crawl_site, query, run_tintuc, serving
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from crawler.middlewares import certificate_problems

PARAS = (
    "Sáng nay, Ủy ban nhân dân tỉnh tổ chức hội nghị tổng kết công tác phòng chống thiên tai "
    "năm qua, với sự tham gia của đại diện các sở, ngành và địa phương trong tỉnh.",
    "Theo báo cáo, mưa lũ đã làm hư hỏng nhiều tuyến đường giao thông nông thôn, kênh mương "
    "thủy lợi và hàng trăm héc-ta lúa, hoa màu của người dân các huyện miền núi.",
)
NOW = datetime.datetime(2026, 12, 2, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


def page(title: str) -> bytes:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in PARAS)
    return (f"<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><title>{title}</title>"
            "</head><body><nav><a href='/'>Trang chủ</a></nav><article><h1>" + title + "</h1>"
            f"<div class='date'>12/03/2025 08:15</div><div class='content'>{body}</div>"
            "</article></body></html>").encode()  # fmt: skip


def home(*paths: str) -> bytes:
    items = "".join(f"<li><h3><a href='{p}'>Tin tức tỉnh nhà hôm nay số {i}</a></h3></li>"
                    for i, p in enumerate(paths))  # fmt: skip
    return f"<html><head><meta charset='utf-8'><title>Trang chủ</title></head><body><ul>{items}</ul></body></html>".encode()  # noqa: E501


# --- certificates ---------------------------------------------------------------------------
def certificate(*, name="127.0.0.1", valid=(NOW - DAY, NOW + 365 * DAY), issuer_key=None):
    """A certificate for ``name`` (an IP or a host in its subjectAltName) and its key:
    self-signed, or signed by ``issuer_key`` under another name (a CA's)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    issuer = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Tổ chức chứng thực thử")])
    try:
        alt = x509.IPAddress(ipaddress.ip_address(name))
    except ValueError:
        alt = x509.DNSName(name)
    cert = (x509.CertificateBuilder().subject_name(subject)
            .issuer_name(issuer if issuer_key else subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(valid[0]).not_valid_after(valid[1])
            .add_extension(x509.SubjectAlternativeName([alt]), critical=False)
            .sign(issuer_key or key, hashes.SHA256()))  # fmt: skip
    return cert, key


def test_a_certificate_is_judged_by_what_it_says():
    ca_key = ec.generate_private_key(ec.SECP256R1())
    good, _ = certificate(name="sonoivu.quangninh.gov.vn", issuer_key=ca_key)
    assert certificate_problems(good, "sonoivu.quangninh.gov.vn", NOW) == []
    assert certificate_problems(good, "quangninh.gov.vn", NOW) == [
        "not issued for quangninh.gov.vn"]
    lapsed, _ = certificate(valid=(NOW - 400 * DAY, NOW - 30 * DAY), issuer_key=ca_key)
    assert certificate_problems(lapsed, "127.0.0.1", NOW) == ["expired on 2026-11-02"]
    early, _ = certificate(valid=(NOW + DAY, NOW + 9 * DAY), issuer_key=ca_key)
    assert certificate_problems(early, "127.0.0.1", NOW) == ["not valid before 2026-12-03"]
    own, _ = certificate()
    assert certificate_problems(own, "127.0.0.1", NOW) == ["self-signed"]


def write_pem(folder: Path, cert, key) -> tuple[Path, Path]:
    cert_path, key_path = folder / "site.crt", folder / "site.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))  # fmt: skip
    return cert_path, key_path


ARTICLE = "/bai-viet/tin-qua-https-7001.html"


class HttpsSite(PagesHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        self.send_answer({"/": home(ARTICLE), ARTICLE: page("Tin qua kết nối HTTPS")}.get(
            self.path))  # fmt: skip


@pytest.mark.e2e
def test_a_site_with_a_self_signed_certificate_is_stored_and_the_certificate_recorded(tmp_path):
    cert_path, key_path = write_pem(tmp_path, *certificate())
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    db_path = tmp_path / "archive.db"
    with serving(HttpsSite) as (base, server):
        server.socket = context.wrap_socket(server.socket, server_side=True)
        base = base.replace("http:", "https:")
        run_tintuc("crawl", "--start-url", base + "/", "--db", str(db_path),
                   "-s", "DOWNLOAD_DELAY=0", "-s", "TINTUC_EXTRACT_WORKERS=1")  # fmt: skip
    stored = query(db_path, "SELECT url, text FROM articles")
    assert [r["url"] for r in stored] == [base + ARTICLE] and PARAS[1] in stored[0]["text"]
    errors = [r["error"] for r in query(db_path, "SELECT error FROM crawl_errors")]
    host = base.removeprefix("https://")
    assert errors == [f"TLS certificate of {host} not valid: self-signed; its pages are fetched "
                      "and kept all the same, over a connection that could not be "
                      "authenticated"]  # fmt: skip


class RefusesTls(PagesHandler):
    def handle(self):  # a TLS alert (handshake_failure) to whatever the client says first
        self.request.recv(4096)
        self.request.sendall(b"\x15\x03\x03\x00\x02\x02\x28")


@pytest.mark.e2e
def test_a_refused_tls_handshake_says_so_in_words(tmp_path):
    db_path = tmp_path / "archive.db"
    with serving(RefusesTls) as (base, _):
        base = base.replace("http:", "https:")
        result = run_tintuc("crawl", "--start-url", base + "/", "--db", str(db_path),
                            "-s", "RETRY_TIMES=0", check=False)  # fmt: skip
    assert result.returncode == 1  # nothing answered: the crawl failed, as before
    errors = [r["error"] for r in query(db_path, "SELECT error FROM crawl_errors")]
    assert errors == ["TLS handshake failed: tls alert handshake failure"]


# --- broken HTTP, redirects to nowhere, sitemaps as gzip ------------------------------------
FTP, NOWHERE = "/bai-viet/chuyen-sang-ftp-7002.html", "/bai-viet/chuyen-di-dau-7003.html"
DEFLATED, NOT_HTTP = "/bai-viet/nen-hong-7004.html", "/bai-viet/khong-phai-http-7005.html"
HUNG_UP = "/bai-viet/dong-ket-noi-7006.html"
UTF8_LOCATION = "/bai-viet/duong-dan-tieng-viet-7007.html"
ONLY_IN_SITEMAP = "/bai-viet/chi-co-trong-so-do-7008.html"
MOVED_TO = "/bài-viết/đã-chuyển-7009.html"
MOVED_TO_SPELT = "/b%C3%A0i-vi%E1%BA%BFt/%C4%91%C3%A3-chuy%E1%BB%83n-7009.html"  # as followed


def sitemap(base: str, *paths: str) -> bytes:
    urls = "".join(f"<url><loc>{base}{p}</loc></url>" for p in paths)
    return ("<?xml version='1.0' encoding='UTF-8'?><urlset xmlns='http://www.sitemaps.org/"
            f"schemas/sitemap/0.9'>{urls}</urlset>").encode()  # fmt: skip


class BrokenSite(PagesHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        base = f"http://{self.headers['Host']}"
        if self.path == NOT_HTTP:
            self.wfile.write(b"KHONG PHAI HTTP\r\n\r\nxin chao")
        elif self.path == HUNG_UP:
            self.close_connection = True  # not a byte of answer
        elif self.path == "/robots.txt":
            self.send_answer((200, {"Content-Type": "text/plain"}, f"User-agent: *\nAllow: /\n"
                              f"Sitemap: {base}/sitemap.xml\nSitemap: {base}/so-do-hong.xml\n"))
        else:
            self.send_answer(answer(self.path, base))


def answer(path: str, base: str):
    gz = {"Content-Type": "application/x-gzip"}
    return {
        "/": home(FTP, NOWHERE, DEFLATED, NOT_HTTP, HUNG_UP, UTF8_LOCATION),
        FTP: (301, {"Location": "ftp://127.0.0.1/tin.html"}, b""),
        NOWHERE: (302, {}, b""),
        DEFLATED: (200, {"Content-Encoding": "gzip"}, gzip.compress(page("Nén hỏng"))[:12]
                   + b"\0khong phai gzip" * 8),
        # http.server sends header values as Latin-1: these are the raw UTF-8 bytes
        UTF8_LOCATION: (301, {"Location": MOVED_TO.encode().decode("latin-1")}, b""),
        MOVED_TO_SPELT: page("Đã chuyển"),
        "/sitemap.xml": (200, gz, gzip.compress(sitemap(base, ONLY_IN_SITEMAP))),
        "/so-do-hong.xml": (200, gz, gzip.compress(sitemap(base, "/bai-viet/x-7010.html"))[:40]),
        ONLY_IN_SITEMAP: page("Bài chỉ có trong sơ đồ trang"),
    }.get(path)


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    return crawl_site({}, tmp_path_factory.mktemp("broken"), "-s", "DOWNLOAD_DELAY=0",
                      "-s", "RETRY_TIMES=0", "-s", "TINTUC_EXTRACT_WORKERS=1",
                      handler=BrokenSite)  # fmt: skip


def errors_of(crawled, path: str) -> list[str]:
    return [r["error"] for r in query(crawled.db_path, "SELECT error FROM crawl_errors WHERE "
                                      "url = ?", [crawled.base + path])]  # fmt: skip


@pytest.mark.e2e
@pytest.mark.parametrize(("path", "error"), [
    (FTP, "IgnoreRequest: redirected to 'ftp://127.0.0.1/tin.html', not a web page (HTTP 301)"),
    (NOWHERE, "IgnoreRequest: HTTP 302 without a Location header: a redirect to nowhere"),
    (HUNG_UP, "the server closed the connection without answering"),
])  # fmt: skip
def test_a_fetch_that_fails_says_why_in_words(broken, path, error):
    assert errors_of(broken, path) == [error]


@pytest.mark.e2e
@pytest.mark.parametrize(("path", "start"), [
    (DEFLATED, "broken Content-Encoding: the compressed body cannot be read ("),
    (NOT_HTTP, "malformed HTTP response: "),
])  # fmt: skip
def test_a_broken_answer_says_what_was_broken(broken, path, start):
    (error,) = errors_of(broken, path)
    assert error.startswith(start) and "Failure" not in error


@pytest.mark.e2e
def test_a_sitemap_sent_as_gzip_is_read_and_a_broken_one_recorded(broken):
    stored = [r["url"][len(broken.base):] for r in query(broken.db_path,
                                                          "SELECT url FROM articles")]  # fmt: skip
    assert ONLY_IN_SITEMAP in stored
    assert errors_of(broken, "/sitemap.xml") == []
    assert errors_of(broken, "/so-do-hong.xml") == [
        "sitemap or feed: gzip data cut short; 0 links read from what unpacked"]


@pytest.mark.e2e
def test_a_raw_utf8_location_is_recorded_as_it_was_followed(broken):
    (row,) = query(broken.db_path, "SELECT final_url FROM captures WHERE url = ? AND status = "
                   "301", [broken.base + UTF8_LOCATION])  # fmt: skip
    assert row["final_url"] == broken.base + MOVED_TO_SPELT
    assert query(broken.db_path, "SELECT title FROM articles WHERE url = ?",
                 [row["final_url"]]) == [{"title": "Đã chuyển"}]  # fmt: skip
