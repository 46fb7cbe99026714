"""Build examples/corpus/crawl.warc.gz from the HTML pages in examples/warc-src/.

The archive imitates a small crawl of The Varne Observer (a fictional outlet): one warcinfo
record, then a request and a response record per page, in this order:

    record 1  warcinfo
    record 2  request   observer-blue-corridor-row.html
    record 3  response  observer-blue-corridor-row.html
    record 4  request   observer-lorsund-deal.html
    record 5  response  observer-lorsund-deal.html
    record 6  request   observer-chess-champion.html
    record 7  response  observer-chess-champion.html

The output is deterministic: record ids are derived from the URLs, every date is fixed, and
warcio writes each record as its own gzip member with a zero timestamp, so running this script
twice gives byte-identical files. The crawl date (WARC-Date, 2024-03-22) is deliberately later
than the publication dates inside the pages, which is what an ingester should report.

Usage:  .venv/bin/python examples/build_warc.py
"""

from __future__ import annotations

import uuid
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).resolve().parent
SRC = HERE / "warc-src"
OUT = HERE / "corpus" / "crawl.warc.gz"
HOST = "www.varneobserver.example"

# (source file, URL path, WARC-Date of the fetch, HTTP Date header)
PAGES = [
    ("observer-blue-corridor-row.html", "/fisheries/blue-corridor-row-overshadows-lorsund-talks",
     "2024-03-22T06:15:03Z", "Fri, 22 Mar 2024 06:15:03 GMT"),
    ("observer-lorsund-deal.html", "/fisheries/lorsund-deal-cuts-cod-quota",
     "2024-03-22T06:15:09Z", "Fri, 22 Mar 2024 06:15:09 GMT"),
    ("observer-chess-champion.html", "/people/lorsund-chess-champion",
     "2024-03-22T06:15:14Z", "Fri, 22 Mar 2024 06:15:14 GMT"),
]
USER_AGENT = "Mozilla/5.0 (compatible; ExampleCrawler/0.9; +https://crawler.example/about)"


def record_id(kind: str, key: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, kind + ':' + key)}>"


def build(out: Path = OUT) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)

        info = (
            "software: warcio/1.8 (examples/build_warc.py)\r\n"
            "format: WARC File Format 1.0\r\n"
            f"hostname: {HOST}\r\n"
            "description: Example crawl of The Varne Observer (fictional outlet) for the storyline example corpus\r\n"
            "isPartOf: storyline-examples\r\n"
        ).encode("utf-8")
        warcinfo = writer.create_warc_record(
            "", "warcinfo", payload=BytesIO(info), length=len(info),
            warc_content_type="application/warc-fields",
            warc_headers_dict={
                "WARC-Record-ID": record_id("warcinfo", OUT.name),
                "WARC-Date": "2024-03-22T06:15:00Z",
                "WARC-Filename": OUT.name,
            },
        )
        writer.write_record(warcinfo)

        for name, path, warc_date, http_date in PAGES:
            url = f"https://{HOST}{path}"
            body = (SRC / name).read_bytes()
            resp_id = record_id("response", url)

            req_headers = StatusAndHeaders(f"GET {path} HTTP/1.1", [
                ("Host", HOST),
                ("User-Agent", USER_AGENT),
                ("Accept", "text/html,application/xhtml+xml"),
                ("Accept-Language", "en"),
                ("Connection", "close"),
            ], is_http_request=True)
            request = writer.create_warc_record(
                url, "request", payload=BytesIO(b""), length=0, http_headers=req_headers,
                warc_headers_dict={
                    "WARC-Record-ID": record_id("request", url),
                    "WARC-Date": warc_date,
                    "WARC-Concurrent-To": resp_id,
                },
            )

            resp_headers = StatusAndHeaders("200 OK", [
                ("Date", http_date),
                ("Server", "nginx"),
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", str(len(body))),
                ("Cache-Control", "max-age=300"),
            ], protocol="HTTP/1.1")
            response = writer.create_warc_record(
                url, "response", payload=BytesIO(body), length=len(body), http_headers=resp_headers,
                warc_headers_dict={
                    "WARC-Record-ID": resp_id,
                    "WARC-Date": warc_date,
                    "WARC-IP-Address": "192.0.2.44",
                },
            )
            writer.write_record(request)
            writer.write_record(response)
    return out


if __name__ == "__main__":
    print(build())
