"""Records refuse to be built broken: offsets out of order, unknown kinds, statuses and dates."""

from __future__ import annotations

import pytest

from storyline.invariants import RecordError, within
from storyline.records import (
    Citation,
    Claim,
    Conflict,
    ConflictValue,
    Copy,
    Document,
    EntityMention,
    Event,
    Figure,
    Mention,
    Quote,
    Rendering,
    Sentence,
    SummarySentence,
    TimelineEntry,
    Variant,
    as_dict,
    from_dict,
)


def quote(**changes) -> Quote:
    fields = dict(id="a-q1", article_id="a", text="It is done", kind="direct", start=4, end=14)
    fields.update(changes)
    return Quote(**fields)


def test_valid_records_build_and_round_trip():
    q = quote(parts=[(4, 8), (10, 14)], speaker_start=20, speaker_end=23)
    assert from_dict(Quote, as_dict(q)) == q
    event = Event(id="a-d1", article_id="a", date="2022-01", precision="month", expression="in January",
                  text="It began in January.", start=0, end=20)
    assert from_dict(Event, as_dict(event)) == event
    assert Copy("b", "a", "rewrite", 0.8).kind == "rewrite"
    assert Conflict(about="troops", kind="figure", values=[ConflictValue(1, "one", "a")]).values[0].start is None


@pytest.mark.parametrize("build", [
    lambda: Sentence("a", 0, 5, 3),
    lambda: Sentence("a", 0, -1, 3),
    lambda: EntityMention("a", 9, 2, "NATO", "ORG"),
    lambda: Mention("a", -2, 4),
    lambda: Figure(id="a-f1", article_id="a", text="100", value=100.0, start=10, end=7),
    lambda: Variant("a", "text", 8, 2),
    lambda: Citation("a", 3, 1),
    lambda: Rendering("a", "a-q1", "text", 5, 4),
    lambda: ConflictValue(1, "one", "a", start=3),
    lambda: ConflictValue(1, "one", "a", start=3, end=1),
    lambda: quote(start=14, end=4),
    lambda: quote(parts=[(10, 14), (4, 8)]),
    lambda: quote(parts=[(4, 9), (8, 14)]),
    lambda: quote(kind="indirect", marked=[(2, 6)]),
    lambda: quote(marked=[(5, 6)]),
    lambda: quote(speaker_start=3),
    lambda: quote(speaker_start=9, speaker_end=3),
], ids=["sentence-reversed", "sentence-negative", "mention-reversed", "corpus-mention-negative", "figure",
        "variant", "citation", "rendering", "conflict-value-unpaired", "conflict-value-reversed", "quote-reversed",
        "quote-parts-unordered", "quote-parts-overlap", "quote-marked-outside", "quote-marked-on-direct",
        "quote-speaker-unpaired", "quote-speaker-reversed"])
def test_bad_offsets_raise(build):
    with pytest.raises(RecordError):
        build()


@pytest.mark.parametrize("build", [
    lambda: Document(path="x.txt", kind="pdf", content="..."),
    lambda: quote(kind="paraphrase"),
    lambda: Copy("b", "a", "plagiarism", 0.5),
    lambda: Claim(id="c1", text="t", article_ids=["a"], status="likely"),
    lambda: SummarySentence(text="t", article_ids=["a"], status="maybe"),
    lambda: Conflict(about="x", kind="opinion"),
    lambda: TimelineEntry(date="2022-01-05", text="t", article_ids=["a"], precision="week"),
    lambda: Event(id="e", article_id="a", date="2022", precision="hour", expression="x", text="x", start=0, end=1),
], ids=["document", "quote", "copy", "claim", "summary", "conflict", "timeline", "event"])
def test_unknown_kinds_and_statuses_raise(build):
    with pytest.raises(RecordError):
        build()


@pytest.mark.parametrize("build", [
    lambda: Copy("b", "a", "duplicate", 1.5),
    lambda: Copy("a", "a", "duplicate", 1.0),
    lambda: Claim(id="c1", text="t", article_ids=["a"], status="corroborated", confidence=-0.1),
    lambda: Event(id="e", article_id="a", date="2022-01", precision="day", expression="x", text="x", start=0, end=1),
    lambda: TimelineEntry(date="January", text="t", article_ids=["a"], precision="month"),
], ids=["similarity", "self-copy", "confidence", "event-date-precision", "timeline-date"])
def test_values_out_of_range_raise(build):
    with pytest.raises(RecordError):
        build()


def test_record_error_is_a_value_error_naming_the_record():
    with pytest.raises(ValueError, match="quote a-q1: bad range 14..4"):
        quote(start=14, end=4)


def test_within_checks_offsets_against_the_article_text():
    text = "Lee said it was done."
    fine = [quote(start=0, end=21, text=text, speaker_start=0, speaker_end=3)]
    assert within(text, fine) == fine
    with pytest.raises(RecordError, match="in a text of 21 characters"):
        within(text, [Figure(id="a-f1", article_id="a", text="5", value=5.0, start=20, end=25)])
    with pytest.raises(RecordError, match="speaker offsets"):
        within(text, [quote(start=0, end=21, speaker_start=22, speaker_end=30)])
