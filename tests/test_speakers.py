"""Who said it: titles and roles, descriptions, pronoun agreement, credits, groups and documents.

The paragraphs are invented (fictional people, clubs and towns) in the style of wire copy and
local news; each test is a case where the nearest name is the wrong answer.
"""

from __future__ import annotations

import pytest

from storyline import nlp
from storyline.extract.quotes import extract_quotes
from storyline.extract.referents import non_prose
from storyline.records import Article, Quote
from storyline.present import views


@pytest.fixture(scope="module")
def run():
    nlp.load()

    def extract(text: str) -> list[Quote]:
        doc = next(nlp.parse([text]))
        return extract_quotes(Article(id="s1", path="s1.txt", text=text), doc)

    return extract


def said(quotes: list[Quote], words: str) -> str | None:
    found = [q for q in quotes if words in q.text]
    assert found, f"no quote with {words!r} in {[q.text for q in quotes]}"
    return found[0].speaker


CASES = {
    "description_resolves_to_the_person_introduced_with_that_role": (
        "Jan Novak, the club's new goalkeeper, kept a clean sheet in his first game for Harnfjord on Saturday.\n\n"
        "Coach Ivo Sand praised the defence after the match.\n\n"
        "The goalkeeper said that the crowd had carried the team through the second half.",
        "crowd had carried", "Jan Novak"),
    "title_before_the_name_and_a_description_of_the_office": (
        "Secretary General Jens Halvorsen met the defence ministers in Tamsa on Tuesday.\n\n"
        "The secretary general said that the alliance would not send troops.",
        "not send troops", "Jens Halvorsen"),
    "a_rank_word_tells_two_offices_apart": (
        "Presidential nominee Ana Kovac and vice presidential nominee Karl Mott spoke in Dorvik.\n\n"
        "The presidential nominee said that the port would stay public.",
        "port would stay public", "Ana Kovac"),
    "she_goes_to_the_woman_not_to_the_latest_subject": (
        "Mayor Ana Kovac and her deputy, Karl Mott, toured the flooded harbour on Friday. "
        "Mott showed reporters the broken pier.\n\n"
        "“We will rebuild it before the summer,” she said.",
        "rebuild it", "Ana Kovac"),
    "he_skips_a_woman_named_with_an_honorific": (
        "Karl Mott met Mrs. Ilves at the town hall on Monday. Mrs. Ilves left after an hour.\n\n"
        "“Nothing was decided,” he said.",
        "Nothing was decided", "Karl Mott"),
    "a_venue_is_not_a_person": (
        "The Harbour Grill reopened on Monday after the flood. Owner Tomas Brenner repainted the dining room.\n\n"
        "“People came back on the first night,” he said.",
        "People came back", "Tomas Brenner"),
    "a_person_named_inside_the_quote_is_not_its_speaker": (
        "Coach Ivo Sand said having Jan Novak back in goal was a big boost for the team.\n\n"
        "“Jan makes everyone around him calmer, and Novak knows it,” he said.",
        "calmer", "Ivo Sand"),
    "a_day_after_the_verb_is_not_the_speaker_and_an_apposition_is_skipped": (
        "The harbour board met in Dorvik on Wednesday to discuss the pier.\n\n"
        "“We have waited long enough for this decision,” Ana Kovac, the board's longest-serving member, "
        "said Thursday on local radio.",
        "waited long enough", "Ana Kovac"),
    "an_inverted_cue_before_a_colon_names_its_speaker": (
        "The council voted against the new stadium on Monday.\n\n"
        "Said Brenner: “Nobody in this town asked for a stadium we cannot fill.”",
        "Nobody in this town", "Brenner"),
    "as_someone_put_it_introduces_a_quotation": (
        "The harbour fund lost money for a third year.\n\n"
        "As Marta Ilves, a trustee of the fund, put it last week, “We cannot keep paying for a pier nobody uses.”",
        "pier nobody uses", "Marta Ilves"),
    "a_response_speaks_for_whoever_gave_it": (
        "Residents wrote to Karl Mott in March about the ferry. He answered them on Tuesday.\n\n"
        "“The ferry will run through the winter, whatever it costs,” his response read.",
        "whatever it costs", "Karl Mott"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_nearest_name_is_not_the_speaker(run, case):
    text, words, speaker = CASES[case]
    assert said(run(text), words) == speaker


def test_a_capitalised_title_alone_is_the_person_who_holds_it(run):
    text = ("Ostrian Foreign Minister Ilse Brandt arrived in Veloria on Monday for two days of talks.\n\n"
            "The Foreign Minister further stated that talks on the border would resume in March.")
    quotes = run(text)
    assert said(quotes, "would resume in March") == "Ilse Brandt"
    assert "Foreign Minister" not in {q.speaker for q in quotes}


def test_a_photo_credit_or_a_byline_is_never_the_speaker(run):
    text = ("Marta Ilves stood in front of her flooded house on Tuesday morning.\n\n"
            "Lauren Smith/CBC News\n\n"
            "“We lost everything in one night,” she said.\n\n"
            "(Photo: Kevin Doran)\n\n"
            "“The insurance will not pay for the cellar,” she added.")
    quotes = run(text)
    assert said(quotes, "lost everything") == "Marta Ilves"
    assert said(quotes, "insurance will not pay") == "Marta Ilves"


def test_credit_caption_and_dateline_lines_are_not_prose():
    text = ("Port strike ends after nine days\n\n"
            "Jane Doe/CBC\n\n"
            "DORVIK — The strike ended on Monday, the union said.\n\n"
            "The talks went on all night (Photo: Kevin Doran) and ended at dawn.")
    ranges = [text[s:e] for s, e in non_prose(text)]
    assert ranges[:3] == ["Port strike ends after nine days", "Jane Doe/CBC", "DORVIK — "]
    assert ranges[3] == "(Photo: Kevin Doran)"
    assert not any("strike ended" in r for r in ranges)


def test_a_quote_only_paragraph_continues_the_named_speaker(run):
    text = ("“We defended as a unit,” coach Ivo Sand said after the game.\n\n"
            "“Nobody gave up, not even in the last minute.”\n\n"
            "Goalkeeper Jan Novak agreed. “It was our night.”")
    quotes = run(text)
    assert said(quotes, "Nobody gave up") == "Ivo Sand"
    assert said(quotes, "our night") == "Jan Novak"


def test_a_speaker_introduced_at_the_end_of_a_paragraph_takes_the_next_quotation(run):
    text = ("“We played well,” said coach Ivo Sand. Goalkeeper Jan Novak disagreed.\n\n"
            "“We were lucky tonight, and everybody in the room knows it.”")
    quotes = run(text)
    assert said(quotes, "played well") == "Ivo Sand"
    assert said(quotes, "lucky tonight") == "Jan Novak"


def test_groups_speak_when_no_person_is_named_and_link_to_their_organisation(run):
    text = ("The Dorvik Dockworkers Union called a strike on Monday.\n\n"
            "The union said that talks with the port had failed.\n\n"
            "Officials said the road to the harbour would stay closed.")
    quotes = run(text)
    union = next(q for q in quotes if "talks with the port" in q.text)
    assert union.speaker == "Dorvik Dockworkers Union" and union.speaker_how == "group"
    assert text[union.speaker_start:union.speaker_end] == "Dorvik Dockworkers Union"
    assert said(quotes, "road to the harbour") == "Officials"


def test_a_thing_or_an_event_is_not_a_speaker_but_a_body_of_people_is(run):
    text = ("The harbour board voted on the pier plan on Monday.\n\n"
            "The timing of the vote suggested that the board wanted the matter settled before the election.\n\n"
            "“We will appeal,” the opposition said on Tuesday.\n\n"
            "The crowd outside shouted that the pier belonged to the town.")
    quotes = run(text)
    assert not any(q.speaker and "timing" in q.speaker for q in quotes)
    assert not any("board wanted the matter settled" in q.text for q in quotes)
    assert said(quotes, "We will appeal") == "the opposition"
    assert said(quotes, "pier belonged") == "The crowd"


def test_an_office_speaks_for_its_holder_and_a_document_names_no_speaker(run):
    text = ("Mayor Ana Kovac did not attend the meeting on Monday. Her office said that she was ill.\n\n"
            "The agency published a first assessment, which said that the dam was safe.\n\n"
            "A release said the pool would reopen in June.")
    quotes = run(text)
    office = next(q for q in quotes if "she was ill" in q.text)
    assert office.speaker == "Ana Kovac" and office.speaker_how == "office"
    speakers = {q.speaker for q in quotes}
    assert not speakers & {"which", "a first assessment", "A release"}


def test_a_headline_verb_is_not_part_of_the_name(run):
    text = ("Brandt Says Talks Will Resume\n\n"
            "Ostrian Foreign Minister Ilse Brandt said on Monday that the talks would resume in March.")
    quotes = run(text)
    assert all(q.speaker in {"Brandt", "Ilse Brandt"} for q in quotes if q.speaker), [q.speaker for q in quotes]


def test_one_speaker_card_per_canonical_entity():
    def quote(n: int, speaker: str, entity: str | None) -> dict:
        return {"id": f"q{n}", "article_id": f"a{n}", "text": f"statement number {n} about the port",
                "speaker": speaker, "speaker_entity": entity, "start": 0, "end": 10}

    quotes = [quote(1, "Lavrov", "e-lavrov"), quote(2, "Sergey Lavrov", "e-lavrov"),
              quote(3, "Lavrov", "e-lavrov"), quote(4, "Ilse Brandvold", "e-brandvold"),
              quote(5, "Brandvold", "e-brandvold"), quote(6, "officials", None), quote(7, "Officials", None)]
    articles = {q["article_id"]: {"id": q["article_id"], "source": "x", "title": "t"} for q in quotes}
    cards, _ = views._quote_sections({"quote_groups": []}, quotes, articles)
    assert sorted((c["speaker"], c["count"]) for c in cards) == [
        ("Ilse Brandvold", 2), ("Sergey Lavrov", 3), ("officials", 2)]
