"""Dated events: temporal expressions resolved against the publication date, tense deciding the week."""

from __future__ import annotations

import datetime as dt

import pytest

from storyline import nlp
from storyline.records import Article
from storyline.extract.dates import extract_events

from conftest import SEEDS  # noqa: E402
WEDNESDAY = "2024-03-13"


@pytest.fixture(scope="module")
def events():
    model = nlp.load()

    def run(text: str, published: str | None = WEDNESDAY, reference: dt.date | None = None, article_id: str = "a1"):
        article = Article(id=article_id, path="test.txt", text=text, published=published)
        found = extract_events(article, model(text), reference)
        for e in found:
            assert text[e.start:e.end] == e.text
            assert e.expression in e.text
        return found

    return run


def dates(found) -> list[tuple[str, str]]:
    return [(e.date, e.precision) for e in found]


def test_past_weekdays_look_back_including_the_day_itself(events):
    assert dates(events("The minister said on Monday that the levee would hold.")) == [("2024-03-11", "day")]
    assert dates(events("The bridge collapsed on Wednesday.")) == [("2024-03-13", "day")]
    assert dates(events("Rescuers reached the village on Thursday evening.")) == [("2024-03-07", "day")]
    assert dates(events("Crews have been clearing debris since Tuesday.")) == [("2024-03-12", "day")]


def test_future_weekdays_look_ahead(events):
    assert dates(events("The delegation will travel to Orsk on Friday.")) == [("2024-03-15", "day")]
    assert dates(events("The talks are due to resume on Monday.")) == [("2024-03-18", "day")]
    assert dates(events("Both ministers plan to visit the dam on Saturday.")) == [("2024-03-16", "day")]
    assert dates(events("More rain was expected in the hills on Thursday.")) == [("2024-03-14", "day")]
    assert dates(events("She said the mayor would be told on Tuesday.")) == [("2024-03-19", "day")]


def test_last_and_next_weekday_skip_the_reference_day(events):
    assert dates(events("The pumps failed last Wednesday.")) == [("2024-03-06", "day")]
    assert dates(events("The council meets next Wednesday.")) == [("2024-03-20", "day")]


def test_this_weekday_follows_tense_and_may_be_the_reference_day(events):
    assert dates(events("The council meets this Wednesday.")) == [("2024-03-13", "day")]
    assert dates(events("The levee failed this Monday.")) == [("2024-03-11", "day")]
    assert dates(events("The council will meet this Friday.")) == [("2024-03-15", "day")]


def test_relative_days(events):
    found = events("Yesterday the river rose. The day before yesterday it rained. Today the roads are shut. "
                   "Tomorrow the army arrives.")
    assert dates(found) == [("2024-03-12", "day"), ("2024-03-11", "day"), ("2024-03-13", "day"),
                            ("2024-03-14", "day")]
    assert [e.expression for e in found] == ["Yesterday", "The day before yesterday", "Today", "Tomorrow"]


def test_weeks_keep_month_precision_only_inside_one_month(events):
    assert dates(events("The levee was inspected last week.")) == [("2024-03", "month")]
    assert dates(events("Earlier this week the mayor resigned.")) == [("2024-03", "month")]
    assert dates(events("The levee was inspected last week.", published="2024-03-06")) == []
    assert dates(events("Earlier this week the mayor resigned.", published="2024-03-12")) == [("2024-03-11", "day")]


def test_months_and_years_relative_to_the_reference(events):
    found = events("Prices rose last month and will fall next month. Exports grew this year after a slump last year.")
    assert dates(found) == [("2024-02", "month"), ("2024-04", "month"), ("2024", "year"), ("2023", "year")]


def test_month_names_follow_tense(events):
    assert dates(events("The warning came in February.")) == [("2024-02", "month")]
    assert dates(events("The dam was last inspected in November.")) == [("2023-11", "month")]
    assert dates(events("The inquiry will report by the end of June.")) == [("2024-06", "month")]
    assert dates(events("The summit will be held in January.")) == [("2025-01", "month")]
    assert dates(events("An engineers' report from mid-December warned of leaks.")) == [("2023-12", "month")]
    assert dates(events("Repairs began in early March.")) == [("2024-03", "month")]


def test_day_and_month_without_year(events):
    found = events("The ministers plan to travel to Orsk together on February 7.", published="2024-01-30")
    assert dates(found) == [("2024-02-07", "day")]
    assert found[0].expression == "on February 7"
    assert dates(events("The ferry sank on December 20.", published="2024-01-10")) == [("2023-12-20", "day")]
    found = events("Speaking on Friday, January 26, the minister defended the plan.")
    assert dates(found) == [("2024-01-26", "day")]


def test_explicit_dates(events):
    text = ("The treaty was signed on Jan. 27, 2022. The memo is dated 28.01.2022. The form was filed "
            "on 01/30/2022. Inflation peaked in December 2021. The charter was adopted in 1999.")
    assert dates(events(text, published=None)) == [
        ("2022-01-27", "day"), ("2022-01-28", "day"), ("2022-01-30", "day"), ("2021-12", "month"),
        ("1999", "year")]


def test_several_dates_in_one_sentence(events):
    found = events("The charter, adopted in 1999 and expanded in 2010, was cited on Monday.")
    assert dates(found) == [("1999", "year"), ("2010", "year"), ("2024-03-11", "day")]
    assert len({(e.start, e.end) for e in found}) == 1
    assert [e.id for e in found] == ["a1-d1", "a1-d2", "a1-d3"]


def test_not_dates(events):
    text = ("Some 2000 people marched. May I add that April said nothing? "
            "Velmora Today reported the story. The 1990s were calm.")
    assert events(text) == []


def test_a_date_that_modifies_a_noun_ignores_the_clause_tense(events):
    found = events("The senator is still answering questions about Monday's debate.")
    assert dates(found) == [("2024-03-11", "day")]


def test_since_always_looks_back(events):
    found = events("Thousands of homes have been flooded since January 1.", published="2024-09-20")
    assert dates(found) == [("2024-01-01", "day")]


def test_named_days_are_not_dates(events):
    assert events("Shoppers crowded the malls on Black Friday.") == []


def test_lines_without_a_verb_give_no_event(events):
    assert events("Posted 12.03.2024 | 09:14\n\nPhoto: the dam, January 2024") == []


def test_reference_from_the_text_when_unpublished(events):
    text = "Valley Courier, 12.03.2024\n\nThe river burst its banks yesterday."
    assert dates(events(text, published=None)) == [("2024-03-11", "day")]
    assert events("The river burst its banks yesterday.", published=None) == []
    explicit = events("The river burst its banks yesterday.", published=None, reference=dt.date(2024, 5, 2))
    assert dates(explicit) == [("2024-05-01", "day")]


def test_event_offsets_are_the_sentence(events):
    text = "Floods hit the north.  The dam broke on Saturday night.  Nobody was hurt."
    (e,) = events(text)
    assert e.text == "The dam broke on Saturday night."
    assert e.expression == "on Saturday night"
    assert (e.date, e.precision) == ("2024-03-09", "day")


def _seed(name: str) -> str:
    path = SEEDS / name
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path.read_text(encoding="utf-8")


def test_seed_000_planned_trip(events):
    found = events(_seed("000_309f94c7ba4b279f.txt"), published="2022-01-30", article_id="000")
    trip = [e for e in found if "plan to travel" in e.text]
    assert [(e.date, e.precision) for e in trip] == [("2022-02-07", "day")]


def test_seed_003_relative_and_explicit(events):
    found = events(_seed("003_673722c9126a6c20.txt"), published="2022-01-28", article_id="003")
    by_expression = {e.expression: (e.date, e.precision) for e in found}
    assert by_expression["the day before yesterday"] == ("2022-01-26", "day")
    assert by_expression["on Friday, January 28"] == ("2022-01-28", "day")
    assert by_expression["in mid-December"] == ("2021-12", "month")


def test_seed_001_years_without_publication_date(events):
    found = events(_seed("001_131be89640c3f2b5.txt"), published=None, article_id="001")
    assert ("1999", "year") in dates(found) and ("2010", "year") in dates(found)
    assert {e.expression for e in found} >= {"in 1999", "in 2010"}
    assert all(e.precision == "year" for e in found)
