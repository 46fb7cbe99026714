"""Builders for the ingest tests: realistic small inputs written into a test's tmp_path."""

from __future__ import annotations

import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


def page(title: str, body: str, *, date: str | None = None, author: str | None = None,
         site: str | None = None, url: str | None = None, lang: str = "en", charset: str = "utf-8") -> str:
    """A news page with the meta tags a CMS writes."""
    meta = [f'<meta charset="{charset}">', f"<title>{title} | {site or 'News'}</title>",
            f'<meta property="og:title" content="{title}">']
    if date:
        meta.append(f'<meta property="article:published_time" content="{date}">')
    if author:
        meta.append(f'<meta name="author" content="{author}">')
    if site:
        meta.append(f'<meta property="og:site_name" content="{site}">')
    if url:
        meta.append(f'<link rel="canonical" href="{url}">')
    paragraphs = "\n".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n' + "\n".join(meta) + "\n</head>\n<body>\n"
            f'<nav><a href="/">Home</a> | <a href="/world">World</a></nav>\n'
            f"<article><h1>{title}</h1>\n{paragraphs}\n</article>\n<footer>All rights reserved.</footer>\n"
            "</body>\n</html>\n")


def _http(status: str, content_type: str, body: bytes) -> StatusAndHeaders:
    return StatusAndHeaders(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))],
                            protocol="HTTP/1.1")


def write_warc(path: Path, records: list[tuple], *, gzip: bool = True) -> list[int]:
    """Write a WARC; each record is ("warcinfo",), ("request", url), ("response", url, status,
    content type, body bytes, date) or ("resource", url, content type, body bytes).
    Returns the byte offset where each record ends (to cut the file in tests)."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    ends = []
    for spec in records:
        kind = spec[0]
        if kind == "warcinfo":
            record = writer.create_warcinfo_record(path.name, {"software": "storyline-tests", "format": "WARC 1.1"})
        elif kind == "request":
            headers = StatusAndHeaders(f"GET {spec[1]} HTTP/1.1", [("Host", "example.org")], is_http_request=True)
            record = writer.create_warc_record(spec[1], "request", payload=io.BytesIO(b""), http_headers=headers)
        elif kind == "response":
            _, url, status, content_type, body, date = spec
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                               http_headers=_http(status, content_type, body),
                                               warc_headers_dict={"WARC-Date": date})
        elif kind == "resource":
            _, url, content_type, body = spec
            record = writer.create_warc_record(url, "resource", payload=io.BytesIO(body),
                                               warc_content_type=content_type)
        else:
            raise ValueError(kind)
        writer.write_record(record)
        ends.append(buffer.tell())
    path.write_bytes(buffer.getvalue())
    return ends


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Harbour Gazette</title>
  <link>https://gazette.example/</link>
  <description>Coastal news</description>
  <language>en-GB</language>
  <item>
    <title>Ferry service resumes after storm</title>
    <link>https://gazette.example/2024/03/14/ferry-resumes</link>
    <dc:creator>Maren Holt</dc:creator>
    <pubDate>Thu, 14 Mar 2024 23:30:00 -0500</pubDate>
    <description>Short teaser only.</description>
    <content:encoded><![CDATA[<p>The ferry between the two islands ran again on Thursday, the operator said.</p>
<p>Crews had checked the pier for damage overnight.</p>]]></content:encoded>
  </item>
  <item>
    <title>Council approves sea wall budget</title>
    <link>https://gazette.example/2024/03/15/sea-wall</link>
    <pubDate>Fri, 15 Mar 2024 09:00:00 +0100</pubDate>
    <description>The council voted 12 to 3 for the new sea wall, officials said.</description>
  </item>
  <item>
    <title>Photo gallery</title>
    <link>https://gazette.example/gallery</link>
  </item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Valley Courier</title>
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  <updated>2024-03-12T18:30:02Z</updated>
  <entry>
    <title>Bridge reopens to traffic</title>
    <link href="https://courier.example/bridge-reopens"/>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <updated>2024-03-12T18:30:02Z</updated>
    <published>2024-03-11T07:00:00+02:00</published>
    <author><name>Jonas Berg</name></author>
    <content type="html">&lt;p&gt;The bridge over the river reopened on Monday.&lt;/p&gt;</content>
  </entry>
</feed>
"""
