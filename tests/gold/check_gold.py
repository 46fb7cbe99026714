"""Self-check of tests/gold/examples.json against the example corpus.

Runs without storyline: it reads every article straight from its container (text file, HTML
page, JSONL line, feed entry, WARC record) with the standard library and warcio, and verifies
that the gold is internally consistent and that every quoted fragment really occurs where the
gold says it does.

    .venv/bin/python tests/gold/check_gold.py        # exit status 0 when the gold is consistent

It checks:
- refs are unique; every story / copy / claim / quote / figure / event ref names an article;
- every article with a story is listed in exactly that story, stand-alone articles in none;
- title, url, source and published agree with what the container states (meta tags, JSON
  fields, feed elements, WARC headers, datelines), and WARC locators point at response records;
- body_must_contain is in document order (first and last body sentence at the ends);
- every body_must_contain, boilerplate, may_remove, text_contains, sentence_contains, evidence
  and alias string occurs exactly (after collapsing runs of whitespace) in the article's text;
- boilerplate never overlaps body_must_contain;
- every event date follows from the article's publication date by the stated rule
  (weekday arithmetic is done with datetime, not by hand);
- speakers, attributions and distinct entities name entities in the gold;
- copies point from the later to the earlier article, and an exact duplicate really contains
  the whole original body;
- claim variants belong to their claim's story, each story has a conflicting claim.
"""

from __future__ import annotations

import calendar
import datetime as dt
import email.utils
import json
import re
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "tests" / "gold" / "examples.json"

BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "aside", "section",
              "header", "footer", "nav", "article", "blockquote", "figcaption", "figure", "title",
              "br", "tr", "td", "main", "form", "button", "span_block"}
WEEKDAYS = list(calendar.day_name)  # Monday .. Sunday


class _Text(HTMLParser):
    """Visible text of an HTML document (plus <title>), with newlines at block boundaries."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.meta: dict[str, str] = {}
        self.times: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style"):
            self.skip += 1
        if tag in BLOCK_TAGS:
            self.parts.append("\n")
        if tag == "meta":
            key = a.get("property") or a.get("name") or a.get("itemprop")
            if key and a.get("content") is not None:
                self.meta.setdefault(key, a["content"])
        if tag == "time" and a.get("datetime"):
            self.times.append(a["datetime"])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_text(html: str) -> tuple[str, _Text]:
    parser = _Text()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line), parser


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


class Doc:
    """One article as read from its container."""

    def __init__(self, text: str, lines: list[str], meta: dict):
        self.text = text
        self.flat = norm(text)
        self.lines = [line.strip() for line in lines]
        self.meta = meta

    def has(self, fragment: str) -> bool:
        return norm(fragment) in self.flat

    def has_line(self, line: str) -> bool:
        return line.strip() in self.lines


def load_docs(gold: dict, errors: list[str]) -> dict[str, Doc]:
    docs: dict[str, Doc] = {}
    field_map: dict[str, str] = gold["field_map"]
    mapped = {(x["path"], x["locator"]) for x in gold.get("field_map_applies_to", [])}
    cache: dict[str, object] = {}

    for art in gold["articles"]:
        ref, path, loc, fmt = art["ref"], art["path"], art["locator"], art["format"]
        full = REPO / path
        if not full.exists():
            errors.append(f"{ref}: file {path} does not exist")
            continue
        meta: dict = {}
        if fmt == "txt":
            raw = full.read_text(encoding="utf-8")
            lines = raw.splitlines()
            meta["title"] = lines[0].strip()
            docs[ref] = Doc(raw, lines, meta)
        elif fmt == "html":
            text, parser = html_text(full.read_text(encoding="utf-8"))
            meta.update(parser.meta)
            meta["times"] = parser.times
            docs[ref] = Doc(text, text.split("\n"), meta)
        elif fmt == "jsonl":
            n = int(loc.split()[1])
            physical = full.read_text(encoding="utf-8").split("\n")
            row = json.loads(physical[n - 1])
            if (path, loc) in mapped:
                if not art.get("uses_field_map"):
                    errors.append(f"{ref}: field_map_applies_to names it but uses_field_map is not set")
                row = {field_map.get(k, k): v for k, v in row.items()}
            elif art.get("uses_field_map"):
                errors.append(f"{ref}: uses_field_map set but not listed in field_map_applies_to")
            if "text" in row:
                text = row["text"]
            elif "html" in row:
                text, _ = html_text(row["html"])
            else:
                errors.append(f"{ref}: {path} {loc} has neither text nor html after field mapping")
                continue
            meta.update(row)
            docs[ref] = Doc(text, text.split("\n"), meta)
        elif fmt == "rss":
            if path not in cache:
                cache[path] = ET.parse(full).getroot()
            root = cache[path]
            ns = {"content": "http://purl.org/rss/1.0/modules/content/"}
            items = root.findall("./channel/item")
            n = int(loc.split()[1])
            item = items[n - 1]
            text, _ = html_text(item.findtext("content:encoded", namespaces=ns) or "")
            meta["title"] = item.findtext("title")
            meta["url"] = item.findtext("link")
            meta["source"] = root.findtext("./channel/title")
            meta["published"] = email.utils.parsedate_to_datetime(item.findtext("pubDate")).date().isoformat()
            docs[ref] = Doc(text, text.split("\n"), meta)
        elif fmt == "warc":
            from warcio.archiveiterator import ArchiveIterator

            if path not in cache:
                recs = []
                with full.open("rb") as fh:
                    for rec in ArchiveIterator(fh):
                        recs.append((rec.rec_type, rec.rec_headers.get_header("WARC-Target-URI"),
                                     rec.rec_headers.get_header("WARC-Date"), rec.content_stream().read()))
                cache[path] = recs
            n = int(loc.split()[1])
            rec_type, uri, warc_date, payload = cache[path][n - 1]
            if rec_type != "response":
                errors.append(f"{ref}: {loc} of {path} is a {rec_type} record, not a response")
                continue
            text, parser = html_text(payload.decode("utf-8"))
            meta.update(parser.meta)
            meta["times"] = parser.times
            meta["warc_uri"] = uri
            meta["warc_date"] = warc_date[:10]
            docs[ref] = Doc(text, text.split("\n"), meta)
        else:
            errors.append(f"{ref}: unknown format {fmt}")
    return docs


_MONTHS = {m: i for i, m in enumerate(calendar.month_name) if m}


def dateline_date(s: str) -> str | None:
    m = re.search(r"([A-Z][a-z]+) (\d{1,2}), (\d{4})", s)  # March 10, 2024
    if m and m.group(1) in _MONTHS:
        return dt.date(int(m.group(3)), _MONTHS[m.group(1)], int(m.group(2))).isoformat()
    m = re.search(r"(\d{1,2}) ([A-Z][a-z]+) (\d{4})", s)  # 12 March 2024
    if m and m.group(2) in _MONTHS:
        return dt.date(int(m.group(3)), _MONTHS[m.group(2)], int(m.group(1))).isoformat()
    m = re.search(r"(\d{2})\.(\d{2})\.(\d{4})", s)  # 11.03.2024 (day.month.year)
    if m:
        return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
    return None


def iso_date(value: str) -> str:
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        return email.utils.parsedate_to_datetime(value).date().isoformat()


def check_metadata(art: dict, doc: Doc, errors: list[str]) -> None:
    ref, fmt, meta = art["ref"], art["format"], doc.meta
    if fmt == "txt":
        # the title is the first line, or the first line that is not boilerplate (a nav line)
        head = [line for line in doc.lines if line][:3]
        first_content = next((line for line in head if line not in art["boilerplate"]), None)
        if first_content != art["title"]:
            errors.append(f"{ref}: first non-boilerplate line {first_content!r} != title {art['title']!r}")
        dl = art.get("dateline")
        if not dl or not doc.has_line(dl):
            errors.append(f"{ref}: dateline {dl!r} is not a line of the file")
        elif dateline_date(dl) != art["published"]:
            errors.append(f"{ref}: dateline {dl!r} gives {dateline_date(dl)}, gold says {art['published']}")
    elif fmt in ("html", "warc"):
        if meta.get("og:title") != art["title"]:
            errors.append(f"{ref}: og:title {meta.get('og:title')!r} != {art['title']!r}")
        if meta.get("og:site_name") != art["source"]:
            errors.append(f"{ref}: og:site_name {meta.get('og:site_name')!r} != {art['source']!r}")
        if meta.get("og:url") != art["url"]:
            errors.append(f"{ref}: og:url {meta.get('og:url')!r} != {art['url']!r}")
        stamps = [meta.get("article:published_time"), meta.get("datePublished")] + meta.get("times", [])
        stamps = [s for s in stamps if s]
        if not stamps or any(iso_date(s) != art["published"] for s in stamps):
            errors.append(f"{ref}: published dates in the page {stamps} disagree with {art['published']}")
        if art.get("author") and meta.get("author") != art["author"]:
            errors.append(f"{ref}: author meta {meta.get('author')!r} != {art['author']!r}")
        if fmt == "warc":
            if meta["warc_uri"] != art["url"]:
                errors.append(f"{ref}: WARC-Target-URI {meta['warc_uri']} != {art['url']}")
            if meta["warc_date"] != art.get("fetched"):
                errors.append(f"{ref}: WARC-Date {meta['warc_date']} != fetched {art.get('fetched')}")
    else:  # jsonl, rss
        for key in ("title", "url", "source"):
            if meta.get(key) != art[key]:
                errors.append(f"{ref}: {key} {meta.get(key)!r} != {art[key]!r}")
        if iso_date(meta["published"]) != art["published"]:
            errors.append(f"{ref}: published {meta['published']} != {art['published']}")


def expected_event_date(rule: dict, published: str) -> str:
    pub = dt.date.fromisoformat(published)
    if "weekday" in rule:
        target = WEEKDAYS.index(rule["weekday"])
        if rule["dir"] == "past":
            return (pub - dt.timedelta(days=(pub.weekday() - target) % 7)).isoformat()
        return (pub + dt.timedelta(days=(target - pub.weekday()) % 7)).isoformat()
    if "days" in rule:
        return (pub + dt.timedelta(days=rule["days"])).isoformat()
    if "months" in rule:
        y, m = pub.year, pub.month + rule["months"]
        while m < 1:
            y, m = y - 1, m + 12
        return f"{y:04d}-{m:02d}"
    if "years" in rule:
        return f"{pub.year + rule['years']:04d}"
    if "month_name" in rule:
        m = _MONTHS[rule["month_name"]]
        if rule["dir"] == "past":
            y = pub.year if m <= pub.month else pub.year - 1
        else:
            y = pub.year if m >= pub.month else pub.year + 1
        return f"{y:04d}-{m:02d}"
    if "absolute" in rule:
        return rule["absolute"]
    if "year_literal" in rule:
        return f"{rule['year_literal']:04d}"
    raise ValueError(f"unknown rule {rule}")


def main() -> int:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    errors: list[str] = []
    arts = {}
    for art in gold["articles"]:
        if art["ref"] in arts:
            errors.append(f"duplicate ref {art['ref']}")
        arts[art["ref"]] = art
        for key in ("ref", "path", "locator", "url", "source", "title", "published", "story",
                    "boilerplate", "body_must_contain"):
            if key not in art:
                errors.append(f"{art['ref']}: missing key {key}")
        dt.date.fromisoformat(art["published"])

    docs = load_docs(gold, errors)
    errors[:] = [e for e in errors if e]

    def need(ref: str, where: str) -> Doc | None:
        if ref not in arts:
            errors.append(f"{where}: unknown ref {ref}")
            return None
        return docs.get(ref)

    def frag(ref: str, text: str, where: str) -> None:
        doc = need(ref, where)
        if doc is not None and not doc.has(text):
            errors.append(f"{where}: {text!r} not found in {ref}")

    # articles
    for ref, art in arts.items():
        doc = docs.get(ref)
        if doc is None:
            continue
        check_metadata(art, doc, errors)
        if len(art["body_must_contain"]) < 2:
            errors.append(f"{ref}: fewer than 2 body_must_contain sentences")
        for s in art["body_must_contain"]:
            frag(ref, s, f"{ref}.body_must_contain")
        positions = [doc.flat.find(norm(s)) for s in art["body_must_contain"]]
        if all(p >= 0 for p in positions) and positions != sorted(positions):
            errors.append(f"{ref}: body_must_contain is not in document order")
        for b in art["boilerplate"] + art.get("may_remove", []):
            if len(b) < 12:
                if not doc.has_line(b):
                    errors.append(f"{ref}.boilerplate: short entry {b!r} is not a whole line")
            else:
                frag(ref, b, f"{ref}.boilerplate")
            for s in art["body_must_contain"]:
                if norm(b) in norm(s) and len(b) >= 12:
                    errors.append(f"{ref}: boilerplate {b!r} is inside body sentence {s!r}")
        for s in art["body_must_contain"]:
            for line in art["boilerplate"]:
                if len(line) >= 12 and norm(s) in norm(line):
                    errors.append(f"{ref}: body sentence {s!r} is inside boilerplate {line!r}")

    # field map
    if not gold.get("field_map") or not gold.get("field_map_applies_to"):
        errors.append("field_map / field_map_applies_to missing")

    # stories
    seen: dict[str, str] = {}
    for story, refs in gold["stories"].items():
        for ref in refs:
            if ref not in arts:
                errors.append(f"story {story}: unknown ref {ref}")
                continue
            if ref in seen:
                errors.append(f"{ref} is in stories {seen[ref]} and {story}")
            seen[ref] = story
            if arts[ref]["story"] != story:
                errors.append(f"{ref}: article says story {arts[ref]['story']}, listed under {story}")
    for ref, art in arts.items():
        if art["story"] and ref not in seen:
            errors.append(f"{ref}: story {art['story']} but not listed in stories")
        if not art["story"] and ref not in gold.get("stand_alone", []):
            errors.append(f"{ref}: no story but not in stand_alone")
    if len(gold["stories"]) < 3:
        errors.append("fewer than 3 stories")

    # copies
    kinds = {"duplicate", "near-duplicate", "excerpt", "rewrite", "translation"}
    for c in gold["copies"]:
        where = f"copy {c['copy']}<-{c['of']}"
        if c["kind"] not in kinds:
            errors.append(f"{where}: bad kind {c['kind']}")
        if c["copy"] in arts and c["of"] in arts:
            if arts[c["copy"]]["published"] < arts[c["of"]]["published"]:
                errors.append(f"{where}: the copy is older than the original")
            if arts[c["copy"]]["story"] != arts[c["of"]]["story"]:
                errors.append(f"{where}: copy and original are in different stories")
        for in_copy, in_orig in c.get("evidence", []):
            frag(c["copy"], in_copy, where)
            frag(c["of"], in_orig, where)
        if c["kind"] == "duplicate" and c["copy"] in docs and c["of"] in docs:
            if docs[c["of"]].flat not in docs[c["copy"]].flat:
                errors.append(f"{where}: the whole original body is not in the duplicate")
    for kind in kinds:
        if not any(c["kind"] == kind for c in gold["copies"]):
            errors.append(f"no copy of kind {kind}")
    for a, b in gold.get("not_copies", []):
        need(a, "not_copies"), need(b, "not_copies")

    # entities
    names = {e["name"]: e for e in gold["entities"]}
    if len(names) != len(gold["entities"]):
        errors.append("duplicate entity names")
    for e in gold["entities"]:
        for alias in e["aliases"]:
            pat = re.compile(r"(?<!\w)" + re.escape(alias) + r"(?!\w)")
            if not any(pat.search(d.flat) for d in docs.values()):
                errors.append(f"entity {e['name']}: alias {alias!r} occurs in no article")
        if e["name"] not in e["aliases"] and e["type"] != "ORG":
            errors.append(f"entity {e['name']}: canonical name not among aliases")
    for pair in gold["distinct_entities"]:
        for n in pair:
            if n not in names:
                errors.append(f"distinct_entities: unknown entity {n}")

    def entity_name(n, where):
        if n is not None and n not in names:
            errors.append(f"{where}: {n!r} is not an entity name")

    # quotes
    for qt in gold["quotes"]:
        where = f"quote {qt['ref']}:{qt['text_contains'][:30]!r}"
        if qt["kind"] not in ("direct", "indirect", "partial"):
            errors.append(f"{where}: bad kind")
        frag(qt["ref"], qt["text_contains"], where)
        if qt.get("also_contains"):
            frag(qt["ref"], qt["also_contains"], where)
        entity_name(qt["speaker"], where)
        doc = docs.get(qt["ref"])
        if doc and qt.get("marks") and qt["kind"] != "indirect":
            opener = qt["marks"][0]
            if not doc.has(opener + qt["text_contains"]) and opener not in doc.flat:
                errors.append(f"{where}: mark {opener} not in article")
        if doc and qt.get("speaker_surface") and not doc.has(qt["speaker_surface"]):
            errors.append(f"{where}: speaker surface {qt['speaker_surface']!r} not in article")
    for nq in gold["not_quotes"]:
        frag(nq["ref"], nq["text"], "not_quotes")
    direct_refs = {q["ref"] for q in gold["quotes"] if q["kind"] == "direct"}
    for ref in arts:
        doc = docs.get(ref)
        if doc and any(m in doc.flat for m in "“«") and ref not in direct_refs:
            # articles with direct quotes must have them in the gold
            if not any(nq["ref"] == ref for nq in gold["not_quotes"]):
                errors.append(f"{ref}: has quotation marks but no direct quote in gold")

    # figures
    for fg in gold["figures"]:
        where = f"figure {fg['ref']}:{fg['text_contains']!r}"
        frag(fg["ref"], fg["text_contains"], where)
        entity_name(fg["attributed_to"], where)
        v = fg["value"]
        if not (isinstance(v, (int, float)) or (isinstance(v, list) and len(v) == 2 and v[0] < v[1])):
            errors.append(f"{where}: bad value {v}")
    for nf in gold.get("not_figures", []):
        frag(nf["ref"], nf["text"], "not_figures")

    # events
    for ev in gold["events"]:
        where = f"event {ev['ref']}:{ev['expression']!r}"
        frag(ev["ref"], ev["sentence_contains"], where)
        if ev["expression"] not in ev["sentence_contains"]:
            errors.append(f"{where}: expression not inside sentence_contains")
        if ev["ref"] in arts:
            want = expected_event_date(ev["rule"], arts[ev["ref"]]["published"])
            if want != ev["date"]:
                errors.append(f"{where}: rule {ev['rule']} from {arts[ev['ref']]['published']} gives {want}, gold says {ev['date']}")
            if "weekday" in ev["rule"]:
                got = dt.date.fromisoformat(ev["date"]).strftime("%A")
                if got != ev["rule"]["weekday"]:
                    errors.append(f"{where}: {ev['date']} is a {got}, not a {ev['rule']['weekday']}")

    # claims
    statuses = {"corroborated", "single-source", "conflicting"}
    ids = set()
    for cl in gold["claims"]:
        where = f"claim {cl['id']}"
        if cl["id"] in ids:
            errors.append(f"{where}: duplicate id")
        ids.add(cl["id"])
        if cl["story"] not in gold["stories"]:
            errors.append(f"{where}: unknown story")
        if cl["status"] not in statuses:
            errors.append(f"{where}: bad status")
        outlets = set()
        for v in cl["variants"]:
            frag(v["ref"], v["text_contains"], where)
            if v["ref"] in arts:
                outlets.add(arts[v["ref"]]["source"])
                if arts[v["ref"]]["story"] != cl["story"]:
                    errors.append(f"{where}: variant {v['ref']} is not in story {cl['story']}")
        if cl["status"] == "corroborated" and len(outlets) < 2:
            errors.append(f"{where}: corroborated but only one outlet")
    for story in gold["stories"]:
        mine = [c for c in gold["claims"] if c["story"] == story]
        if not any(c["status"] == "conflicting" for c in mine):
            errors.append(f"story {story}: no conflicting claim")
        if not any(c["status"] == "single-source" for c in mine):
            errors.append(f"story {story}: no single-source claim")
        if not any(c["status"] == "corroborated" for c in mine):
            errors.append(f"story {story}: no corroborated claim")

    # conflicts
    for cf in gold["conflicts"]:
        where = f"conflict {cf['story']}:{cf['about']}"
        if cf["kind"] not in ("contradiction", "update"):
            errors.append(f"{where}: bad kind")
        for v in cf["values"]:
            frag(v["ref"], v["text_contains"], where)
            entity_name(v["attributed_to"], where)
            if v["ref"] in arts and arts[v["ref"]]["story"] != cf["story"]:
                errors.append(f"{where}: {v['ref']} not in story")

    # quote variants
    for qv in gold["quote_variants"]:
        where = f"quote_variants {qv['speaker']}"
        entity_name(qv["speaker"], where)
        refs = [r["ref"] for r in qv["renderings"]]
        for r in qv["renderings"]:
            frag(r["ref"], r["text_contains"], where)
        for r in qv["meaning_changed"]:
            if r not in refs:
                errors.append(f"{where}: meaning_changed {r} is not a rendering")
    if not any(len({arts[r["ref"]]["source"] for r in qv["renderings"] if r["ref"] in arts}) >= 3 and qv["meaning_changed"]
               for qv in gold["quote_variants"]):
        errors.append("no statement rendered by 3+ outlets with a meaning change")

    for e in errors:
        print("FAIL", e)
    n = len(gold["articles"])
    print(f"{'OK' if not errors else 'FAILED'}: {n} articles, {len(gold['quotes'])} quotes, "
          f"{len(gold['figures'])} figures, {len(gold['events'])} events, {len(gold['claims'])} claims, "
          f"{len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
