"""WARC files: every fetch kept as request + response records (warcio), readable one by one.

Each crawl writes one gzip-compressed WARC file; each record is its own gzip member, so a
record is read back from its file offset alone (``captures.warc_offset``).
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import zlib
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

# Headers describing how bytes travelled, not what they are: the WARC record has its own length.
HOP_HEADERS = {"transfer-encoding", "connection", "keep-alive"}


@dataclass
class StoredRecord:
    offset: int
    length: int
    sha1: str  # hex SHA-1 of the HTTP payload as received (before content decoding)


class WarcFile:
    """An append-only WARC file for one crawl.

    Each record is compressed as its own gzip member at ``level`` (``TINTUC_WARC_GZIP_LEVEL``).
    warcio always uses 9: 10 ms of the crawl's reactor thread per 170 KB page, against 2 ms at
    level 1 for files about 20 % larger.
    """

    def __init__(self, path: str | Path, level: int = 1):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.level = level
        self.fh = open(self.path, "ab")
        self.buffer = io.BytesIO()
        self.writer = WARCWriter(self.buffer, gzip=False)
        if self.fh.tell() == 0:
            self._append(
                self.writer.create_warcinfo_record(
                    self.path.name, {"software": "tintuc", "format": "WARC File Format 1.1"}
                )
            )

    def _append(self, record) -> None:
        """Serialise ``record`` and append it to the file as one gzip member."""
        self.buffer.seek(0)
        self.buffer.truncate()
        self.writer.write_record(record)
        compressor = zlib.compressobj(self.level, zlib.DEFLATED, zlib.MAX_WBITS + 16)
        self.fh.write(compressor.compress(self.buffer.getvalue()) + compressor.flush())

    def write_exchange(
        self,
        url: str,
        method: str,
        request_headers: list[tuple[str, str]],
        status: int,
        reason: str,
        response_headers: list[tuple[str, str]],
        body: bytes,
    ) -> StoredRecord:
        """Write the response record, then its request record; return where the response is."""
        headers = [(k, v) for k, v in response_headers if k.lower() not in HOP_HEADERS]
        http = StatusAndHeaders(f"{status} {reason}".strip(), headers, protocol="HTTP/1.1")
        # Hash the payload once, here: given the length and the payload digest, warcio neither
        # spools the body to a temporary file nor hashes it again (only the block digest).
        sha1 = hashlib.sha1(body).digest()
        response = self.writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            warc_headers_dict={"WARC-Payload-Digest": "sha1:" + base64.b32encode(sha1).decode()},
            http_headers=http,
        )
        offset = self.fh.tell()
        self._append(response)
        length = self.fh.tell() - offset
        path = url.split("/", 3)[3] if url.count("/") >= 3 else ""
        request_http = StatusAndHeaders(
            f"{method} /{path} HTTP/1.1", request_headers, is_http_request=True
        )
        request = self.writer.create_warc_record(url, "request", http_headers=request_http)
        request.rec_headers.add_header(
            "WARC-Concurrent-To", response.rec_headers.get_header("WARC-Record-ID")
        )
        self._append(request)
        self.fh.flush()
        return StoredRecord(offset, length, sha1.hex())

    def close(self) -> None:
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.fh.close()


@dataclass
class ReadRecord:
    url: str
    status: int
    headers: dict[str, str]
    payload: bytes  # as received (possibly gzip/deflate/br encoded)
    content: bytes  # content-decoded
    payload_digest: str | None


def read_record(path: str | Path, offset: int) -> ReadRecord:
    """Read the response record at ``offset`` of a WARC file."""
    with open(path, "rb") as fh:
        fh.seek(offset)
        record = next(iter(ArchiveIterator(fh)))
        if record.rec_type != "response":
            raise ValueError(f"{path}@{offset}: a {record.rec_type} record, not a response")
        payload = record.raw_stream.read()
    with open(path, "rb") as fh:
        fh.seek(offset)
        content = next(iter(ArchiveIterator(fh))).content_stream().read()
    http = record.http_headers
    return ReadRecord(
        url=record.rec_headers.get_header("WARC-Target-URI"),
        status=int(http.get_statuscode()),
        headers={k.lower(): v for k, v in http.headers},
        payload=payload,
        content=content,
        payload_digest=record.rec_headers.get_header("WARC-Payload-Digest"),
    )
