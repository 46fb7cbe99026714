"""The HTML report: self-contained, and article content is always shown, never run."""

from __future__ import annotations

import random
import re

from storyline.present.pages import _marked_nested
from storyline.present.report import Span, highlight, render

HOSTILE_TEXT = 'Officials met. <script>alert("x")</script> <img src=x onerror="alert(1)"> The port reopened.'


def _data(text: str = HOSTILE_TEXT, title: str = "<b>Port</b> reopens") -> dict:
    article = {"id": "a1", "path": "in/a.html", "url": "javascript:alert(1)", "source": "Harbour <Gazette>",
               "title": title, "published": "2024-03-12", "language": "en", "text": text,
               "removed": [{"text": "<iframe src=//evil>", "reason": "repeated in 3 other documents"}]}
    return {"articles": [article], "copies": [], "entities": [], "figures": [], "events": [], "stories": [],
            "problems": [{"path": "in/<bad>.bin", "locator": None, "reason": "binary content, not text"}],
            "quotes": [{"id": "a1-q1", "article_id": "a1", "text": "The port reopened", "kind": "direct",
                        "speaker": "<Marchetti>", "cue": "said", "start": text.index("The port"), "end": len(text) - 1}]}


def test_article_content_is_escaped_everywhere():
    page = render(_data())
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "onerror=&#34;alert(1)&#34;" in page
    assert "<iframe" not in page and "&lt;iframe src=//evil&gt;" in page
    assert "<b>Port</b>" not in page and "&lt;b&gt;Port&lt;/b&gt; reopens" in page
    assert "Harbour &lt;Gazette&gt;" in page and "&lt;Marchetti&gt;" in page
    assert 'href="javascript:' not in page
    assert "in/&lt;bad&gt;.bin" in page


def test_report_loads_nothing_from_the_network():
    page = render(_data())
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)=["']?(https?:)?//""", page)
    assert "Content-Security-Policy" in page


def test_highlight_nests_overlapping_spans_and_keeps_text():
    text = "Elena Marchetti said 1,200 people left on Friday."
    spans = [Span(0, 15, "entity", "PERSON"), Span(21, 33, "figure"), Span(0, 49, "event", "dated", "ev1")]
    html = str(highlight(text, spans))
    assert re.sub(r"<[^>]+>", "", html) == text
    assert html.count('class="hl-entity hl-event"') == 1 and '<a id="ev1"></a>' in html


def test_highlight_ignores_spans_outside_the_text():
    assert str(highlight("<short>", [Span(3, 99, "quote"), Span(-1, 2, "entity")])) == "&lt;short&gt;"


def test_highlight_of_spans_apart_is_the_nested_markup():
    """Spans that do not overlap take a one-pass path; it must give what splitting at every
    boundary gives, for any such spans, touching ones and anchors included."""
    rng = random.Random(3)
    text = "Mayor Ana Ruiz said <b>1,200</b> homes & 3 schools were flooded on Friday, officials said."
    for _ in range(300):
        cuts = sorted(rng.choices(range(len(text) + 1), k=rng.choice([2, 4, 6, 8])))
        spans = [Span(a, b, rng.choice(["match", "entity", "quote"]), rng.choice(["", "PERSON", "a<b"]),
                      rng.choice([None, "q1", 'x"y']))
                 for a, b in zip(cuts[::2], cuts[1::2]) if a < b]
        rng.shuffle(spans)
        assert str(highlight(text, spans)) == str(_marked_nested(text, spans))
