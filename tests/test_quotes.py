"""Quote extraction: direct, partial and indirect quotes with resolved speakers.

The paragraphs are invented (fictional people and places) but written the way news agencies
write; the last tests run on the real seed articles in ../shared/seeds.
"""

from __future__ import annotations


import pytest

from storyline import nlp
from storyline.extract.quotemarks import quoted_spans
from storyline.extract.quotes import extract_quotes
from storyline.records import Article

from conftest import SEEDS  # noqa: E402


@pytest.fixture(scope="module")
def run():
    """Extract quotes from a text, checking the offset contract on every quote."""
    nlp.load()  # a declared dependency: missing, it must fail loudly, not skip

    def extract(text: str, article_id: str = "a1"):
        article = Article(id=article_id, path=f"{article_id}.txt", text=text)
        doc = next(nlp.parse([text]))
        quotes = extract_quotes(article, doc)
        for q in quotes:
            assert " ".join(text[s:e] for s, e in q.spans()) == q.text
            assert q.article_id == article_id
            assert all(any(s <= ms and me <= e for s, e in q.spans()) for ms, me in q.marked)
            if q.speaker is not None:
                assert text[q.speaker_start:q.speaker_end] == q.speaker
        return quotes

    return extract


def one(quotes, kind: str, containing: str):
    found = [q for q in quotes if q.kind == kind and containing in q.text]
    assert found, f"no {kind} quote containing {containing!r} in {[(q.kind, q.text) for q in quotes]}"
    return found[0]


def texts(quotes, kind: str | None = None) -> list[str]:
    return [q.text for q in quotes if kind is None or q.kind == kind]


# --- pairing quotation marks (no model needed) ---------------------------------------------


def inner(text: str) -> list[str]:
    return [text[q.start:q.end] for q in quoted_spans(text)]


def test_marks_of_many_conventions_pair_up():
    text = ("He said “we won” and «nous gagnons» and „wir siegen“ and ‹vinceremo› and "
            "‘we shall’ and \"we did\" and ''we will''.")
    assert inner(text) == ["we won", "nous gagnons", "wir siegen", "vinceremo", "we shall", "we did", "we will"]


def test_apostrophes_are_not_quotation_marks():
    text = "‘Orlen’s board doesn’t want it,’ she said, and the Smiths’ lawyer agreed. Rock 'n' roll."
    assert inner(text) == ["Orlen’s board doesn’t want it,"]


def test_nested_quotes_stay_inside_the_outer_quote():
    text = "“They told us ‘wait’ and we waited,” she said."
    assert inner(text) == ["They told us ‘wait’ and we waited,"]


def test_unclosed_quote_does_not_swallow_the_next_paragraph():
    text = "A stray “mark here.\n\nThe next paragraph has “a real quote” in it."
    assert inner(text) == ["a real quote"]


def test_multi_paragraph_quote_is_one_span():
    text = "“First paragraph of the quote.\n\n“Second paragraph, the end,” she said."
    spans = quoted_spans(text)
    assert len(spans) == 1 and spans[0].paragraphs == 2
    assert text[spans[0].start:spans[0].end] == "First paragraph of the quote.\n\n“Second paragraph, the end,"


# --- direct quotes --------------------------------------------------------------------------


def test_direct_quote_with_speaker_after(run):
    text = "The mayor spoke on Monday.\n\n“We will rebuild every bridge in Dorvik,” Ana Kovac said on Monday."
    q = one(run(text), "direct", "rebuild")
    assert q.text == "We will rebuild every bridge in Dorvik,"
    assert (q.speaker, q.cue) == ("Ana Kovac", "said")
    assert q.id == "a1-q1"


def test_inverted_speaker_with_long_apposition(run):
    text = ('"The budget is balanced for the first time in a decade," said Tomas Brenner, '
            "the finance minister of Veloria and a former banker.")
    q = one(run(text), "direct", "budget")
    assert q.speaker == "Tomas Brenner" and q.cue == "said"


def test_guillemets_and_low_high_quotes(run):
    text = ("«Nobody will be left behind,» Marta Ilves told reporters. "
            "„The harbour stays open,“ Jonas Weber added.")
    quotes = run(text)
    assert one(quotes, "direct", "left behind").speaker == "Marta Ilves"
    assert one(quotes, "direct", "harbour").speaker == "Jonas Weber"


def test_single_quotes_with_apostrophes_inside(run):
    text = "‘Dorvik’s mayor doesn’t understand the port,’ Karl Mott said."
    q = one(run(text), "direct", "port")
    assert q.text == "Dorvik’s mayor doesn’t understand the port,"
    assert q.speaker == "Karl Mott"


def test_quote_split_around_the_speech_verb_is_one_statement(run):
    text = "“It doesn’t work that way,” Petra Lind writes, “but the treaty binds everyone.”"
    quotes = run(text)
    assert len(quotes) == 1
    q = quotes[0]
    assert q.text == "It doesn’t work that way, but the treaty binds everyone."
    assert [text[s:e] for s, e in q.parts] == ["It doesn’t work that way,", "but the treaty binds everyone."]
    assert (q.speaker, q.cue, q.kind) == ("Petra Lind", "writes", "direct")


def test_multi_paragraph_quote_is_one_quote_with_the_closing_speaker(run):
    text = ("Interior Minister Petra Lind spoke after the vote.\n\n"
            "“We have waited too long for this law. The police asked for it for years.\n\n"
            "“Now the work starts, and it will be hard,” Lind said.")
    quotes = run(text)
    direct = [q for q in quotes if q.kind == "direct"]
    assert len(direct) == 1
    q = direct[0]
    assert q.text.startswith("We have waited") and q.text.endswith("it will be hard,")
    assert q.speaker == "Lind"


def test_speaker_in_the_following_paragraph(run):
    text = ("Jonas Weber met the press on Friday.\n\n"
            "“The strike is over. We cannot accept another one,”\n\n"
            "he asserted.")
    q = one(run(text), "direct", "strike")
    assert q.cue == "asserted"
    assert q.speaker == "Jonas Weber"
    assert text[q.speaker_start:q.speaker_end] == "Jonas Weber"


def test_quote_introduced_by_a_colon(run):
    text = ("Karl Mott explained: “The canal was never meant for ships this large.” "
            "Mott continued his explanation, saying: “We need a new lock.”")
    quotes = run(text)
    assert one(quotes, "direct", "canal").speaker == "Karl Mott"
    assert one(quotes, "direct", "canal").cue == "explained"
    assert one(quotes, "direct", "new lock").speaker == "Mott"
    assert one(quotes, "direct", "new lock").cue == "saying"


def test_quoted_as_saying_resolves_the_pronoun(run):
    text = ("Harbour master Ilse Brandt rejected the report. "
            "“This is completely wrong,” she was quoted as saying by the Dorvik Ledger.")
    q = one(run(text), "direct", "completely wrong")
    assert q.cue == "quoted as saying"
    assert q.speaker == "Ilse Brandt"


def test_quote_without_a_verb_carries_on_the_previous_speaker(run):
    text = ("“The strike is illegal,” said union leader Marek Hollis. “We will go to court.”\n\n"
            "Navy chief Oskar Vale confirmed that no ships would sail. “Nobody leaves the port until Friday.”")
    quotes = run(text)
    assert one(quotes, "direct", "go to court").speaker == "Marek Hollis"
    assert one(quotes, "direct", "Nobody leaves").speaker == "Oskar Vale"


def test_signature_name_colon_and_announcing_sentence(run):
    text = ("“We will appeal the ruling in every court we can find.” ― Marta Ilves\n\n"
            "Harbour master Karl Mott spoke to the board.\n\n"
            "Mott: “The dredging must start this week.”\n\n"
            "Ilse Brandt disagreed. “The plan has no money behind it.”")
    quotes = run(text)
    signed = one(quotes, "direct", "appeal")
    assert (signed.speaker, signed.cue) == ("Marta Ilves", "―")
    colon = one(quotes, "direct", "dredging")
    assert (colon.speaker, colon.cue) == ("Mott", ":")
    announced = one(quotes, "direct", "no money")
    assert (announced.speaker, announced.cue) == ("Ilse Brandt", "disagreed")


def test_participle_and_relative_clause_speakers(run):
    text = ("Her campaign sent an email to supporters stating, “Our opponent is wrong and he knows it.” "
            "Ana Kovac, who said last week that the port would close, changed her mind.")
    quotes = run(text)
    assert one(quotes, "direct", "opponent").speaker == "Her campaign"
    assert one(quotes, "direct", "opponent").cue == "stating"
    assert one(quotes, "indirect", "port would close").speaker == "Ana Kovac"


# --- partial quotes and scare quotes --------------------------------------------------------


def marked(text: str, q) -> list[str]:
    return [text[s:e] for s, e in q.marked]


def test_quoted_words_inside_reported_speech_are_marked_parts_of_one_statement(run):
    text = ("Ana Kovac accused the council of “deliberately” delaying the repairs. "
            "Jonas Weber called the plan “reckless and unfunded”.")
    quotes = run(text)
    assert [q.kind for q in quotes] == ["indirect", "indirect"]
    adverb = one(quotes, "indirect", "deliberately")
    assert marked(text, adverb) == ["deliberately"]
    assert (adverb.speaker, adverb.cue) == ("Ana Kovac", "accused")
    plan = one(quotes, "indirect", "reckless")
    assert marked(text, plan) == ["reckless and unfunded"]
    assert (plan.speaker, plan.cue) == ("Jonas Weber", "called")


def test_partial_quote_deep_in_the_sentence_still_has_its_speaker(run):
    text = ("Foreign Minister Petra Lind spoke on Tuesday. She repeated her criticism of the alliance, "
            "whose ships have now come “very close” to the island.")
    quotes = run(text)
    assert len(quotes) == 1  # "repeated her criticism" reports no clause: the quoted words stand alone
    q = quotes[0]
    assert (q.kind, q.text, q.marked) == ("partial", "very close", [])
    assert q.speaker == "Petra Lind" and q.cue == "repeated"


def test_scare_quotes_and_names_in_quotation_marks_are_not_quotes(run):
    text = ("According to the ministry, the army has moved “Falcon” drones to the border. "
            "The council kept its “open books” policy, and the so-called \"Lakeside group\" met again. "
            "The ferry “Northern Star” sailed at noon.")
    quoted = texts(run(text))
    for name in ("Falcon", "open books", "Lakeside group", "Northern Star"):
        assert all(name not in t or len(t) > len(name) + 10 for t in quoted), (name, quoted)


# --- indirect quotes ------------------------------------------------------------------------


def test_indirect_quotes_from_speech_verbs(run):
    text = ("Ana Kovac said that the bridge would reopen in May. "
            "Jonas Weber warned the port could close within weeks. "
            "Marta Ilves stressed that no jobs would be lost. "
            "Karl Mott claimed the figures had been changed.")
    quotes = run(text)
    cases = {"bridge would reopen in May": ("Ana Kovac", "said"),
             "port could close within weeks": ("Jonas Weber", "warned"),
             "no jobs would be lost": ("Marta Ilves", "stressed"),
             "figures had been changed": ("Karl Mott", "claimed")}
    for content, (speaker, cue) in cases.items():
        q = one(quotes, "indirect", content)
        assert q.text == ("the " if content[0] in "bpf" else "") + content
        assert (q.speaker, q.cue) == (speaker, cue)


def test_praise_questions_and_echoes_report_what_was_said(run):
    text = ("Mayor Ana Kovac praised the volunteers who rebuilt the pier in three weeks. "
            "Karl Mott questioned whether the harbour fund could pay for a second pier. "
            "Jonas Weber echoed the mayor's call for a new ferry timetable.")
    quotes = run(text)
    for content, speaker in (("volunteers who rebuilt the pier", "Ana Kovac"),
                             ("harbour fund could pay", "Karl Mott"),
                             ("new ferry timetable", "Jonas Weber")):
        assert one(quotes, "indirect", content).speaker == speaker


def test_quoted_words_take_the_complement_that_holds_them(run):
    text = "Jonas Weber commented on the “shameful state” of the harbour after the storm."
    q = one(run(text), "indirect", "shameful state")
    assert q.text == "on the “shameful state” of the harbour after the storm"
    assert q.speaker == "Jonas Weber" and [text[s:e].strip("“”") for s, e in q.marked] == ["shameful state"]


def test_according_to(run):
    text = "According to Marta Ilves, the tunnel will cost twice the estimate."
    q = one(run(text), "indirect", "tunnel")
    assert q.text == "the tunnel will cost twice the estimate"
    assert (q.speaker, q.cue) == ("Marta Ilves", "according to")


def test_reported_clause_around_a_parenthetical_verb(run):
    text = "The museum, Ana Kovac said, will stay closed until spring."
    quotes = run(text)
    assert [(q.kind, q.text, q.speaker) for q in quotes] == [
        ("indirect", "The museum will stay closed until spring", "Ana Kovac")]
    assert [text[s:e] for s, e in quotes[0].parts] == ["The museum", "will stay closed until spring"]


def test_a_report_inside_a_report_keeps_the_outer_speaker(run):
    text = "Ana Kovac said that Karl Mott had denied the report about the harbour."
    quotes = [q for q in run(text) if q.kind == "indirect"]
    assert [(q.text, q.speaker) for q in quotes] == [("Karl Mott had denied the report about the harbour", "Ana Kovac")]


def test_direct_quote_is_not_repeated_as_an_indirect_one(run):
    text = "“The port will stay open all winter,” Jonas Weber said."
    assert [q.kind for q in run(text)] == ["direct"]


# --- speaker resolution ---------------------------------------------------------------------


def test_role_resolves_to_the_person_who_carried_it(run):
    text = ("Interior Minister Petra Lind visited Dorvik on Monday with Jonas Weber, the city's police chief.\n\n"
            "The minister said that the new station would open in June.\n\n"
            "The police chief said the patrols would double.")
    quotes = run(text)
    minister = one(quotes, "indirect", "station")
    assert minister.speaker == "Petra Lind"
    assert text[minister.speaker_start:minister.speaker_end] == "Petra Lind"
    chief = one(quotes, "indirect", "patrols")
    assert chief.speaker == "Jonas Weber"


def test_role_synonym_and_nationality(run):
    text = ("Veloria's Foreign Minister Tomas Brenner met Ostrian Foreign Minister Ilse Brandt.\n\n"
            "Veloria's top diplomat said that the border would stay open.\n\n"
            "The Ostrian foreign minister said that talks would resume.")
    quotes = run(text)
    assert one(quotes, "indirect", "border").speaker == "Tomas Brenner"
    assert one(quotes, "indirect", "talks").speaker == "Ilse Brandt"


def test_unresolvable_role_keeps_its_own_words(run):
    text = "The ministry said the figures were final."
    q = one(run(text), "indirect", "figures")
    assert q.speaker == "The ministry"
    assert (q.speaker_start, q.speaker_end) == (0, len("The ministry"))


def test_pronoun_prefers_the_previous_speaker_over_names_in_what_was_said(run):
    text = ("“We are ready,” said Marek Hollis. Hollis said Ilse Brandt had signed the deal. "
            "He added that the vote was on Friday.")
    q = one(run(text), "indirect", "vote was on Friday")
    assert q.speaker in {"Hollis", "Marek Hollis"}


def test_it_resolves_to_an_organisation(run):
    text = "The Dorvik Ledger published the figures on Monday. It said that the deficit had doubled."
    q = one(run(text), "indirect", "deficit")
    assert q.speaker == "Dorvik Ledger"
    assert text[q.speaker_start:q.speaker_end] == "Dorvik Ledger"


def test_pronoun_prefers_the_subject_of_the_latest_sentence(run):
    text = "Ana Kovac met Karl Mott on Friday. “We agreed on nothing,” she said."
    assert one(run(text), "direct", "agreed on nothing").speaker == "Ana Kovac"


def test_as_clause_reports_the_main_clause(run):
    text = "The port will close in May, as Ana Kovac said on Monday."
    q = one(run(text), "indirect", "port")
    assert (q.text, q.speaker) == ("The port will close in May", "Ana Kovac")


def test_ids_count_in_text_order(run):
    text = "“One,” said Ana Kovac. “Two, three and four,” said Karl Mott. Ana Kovac said that five was next."
    quotes = run(text, article_id="x9")
    assert [q.id for q in quotes] == [f"x9-q{n}" for n in range(1, len(quotes) + 1)]
    assert [q.start for q in quotes] == sorted(q.start for q in quotes)


# --- the real seed articles -----------------------------------------------------------------


def seed(run, stem: str):
    if not SEEDS.exists():
        pytest.skip(f"{SEEDS} is not available")
    path = next(SEEDS.glob(f"{stem}_*.txt"))
    text = path.read_text(encoding="utf-8")
    return text, run(text, article_id=stem)


def test_seed_000_speakers(run):
    text, quotes = seed(run, "000")
    assert one(quotes, "direct", "completely ridiculous").speaker.endswith("Patrushev")
    assert one(quotes, "direct", "need it at all").speaker.endswith("Patrushev")
    assert one(quotes, "direct", "difference between being a member").speaker.endswith("Stoltenberg")
    assert one(quotes, "direct", "mutually respectful").speaker.endswith("Lavrov")
    for name in ("Iskander", "open door"):
        assert not [q for q in quotes if q.text.strip() == name and q.speaker]


def test_seed_003_lavrov_long_quotes(run):
    text, quotes = seed(run, "003")
    for words in ("there will be no war", "the Americans and NATO", "any room for compromise"):
        assert one(quotes, "direct", words).speaker.endswith("Lavrov")
    assert not [q for q in quotes if q.text.strip() == "open door" and q.speaker]


def test_seed_004_lavrov_multi_paragraph_quotes(run):
    text, quotes = seed(run, "004")
    direct = [q for q in quotes if q.kind == "direct"]
    assert len(direct) >= 5
    assert len({q.start for q in quotes}) == len(quotes)  # one record per statement
    for q in direct:
        assert q.speaker is not None and q.speaker.endswith("Lavrov"), (q.text[:60], q.speaker)
    asserted = one(quotes, "direct", "We cannot accept this")
    assert asserted.cue == "asserted"
    concluded = one(quotes, "direct", "During my talks")
    assert "Other than that" in concluded.text  # runs over two paragraphs
    assert "\n" in one(quotes, "direct", "Precisely" if "Precisely" in text else "recisely").text


# --- cues the parse gets wrong --------------------------------------------------------------


def test_a_paragraph_ending_in_a_colon_introduces_the_next_quotation(run):
    text = ("Harbour master Karl Mott spoke for twenty minutes.\n\n"
            "Mott continued:\n\n"
            "“The dredging has to start this week, or the ferries will stop in May.”\n\n"
            "The Dorvik Ledger reports:\n\n"
            "“The council has not yet set aside any money for the dredging.”")
    quotes = run(text)
    assert one(quotes, "direct", "dredging has to start").speaker == "Mott"
    assert one(quotes, "direct", "not yet set aside").speaker == "Dorvik Ledger"


def test_a_signature_dash_glued_to_the_closing_mark(run):
    text = ("“The new bridge is a waste of money and everyone in town knows it.”― Marta Ilves\n"
            "“I cross it twice a day and I am glad it is there.”― Tomas Brenner")
    quotes = run(text)
    assert [(q.speaker, q.cue) for q in quotes] == [("Marta Ilves", "―"), ("Tomas Brenner", "―")]


def test_a_long_title_and_name_between_the_quotation_and_its_verb(run):
    text = ("“We will find whoever did this, and we will do it quickly,” Dorvik harbour police Chief "
            "Ana Kovac said Monday.")
    q = one(run(text), "direct", "whoever did this")
    assert (q.speaker, q.cue) == ("Ana Kovac", "said")


# --- the record -----------------------------------------------------------------------------


def test_a_quote_record_checks_its_own_ranges():
    from storyline.records import Quote

    ok = Quote(id="q", article_id="a", text="A B", kind="direct", start=0, end=20, parts=[(0, 5), (15, 20)])
    assert ok.spans() == [(0, 5), (15, 20)]
    bad = [dict(kind="direct", parts=[(15, 20), (0, 5)]),  # out of order
           dict(kind="direct", parts=[(0, 12), (10, 20)]),  # overlapping
           dict(kind="direct", parts=[(2, 5), (15, 20)]),  # not starting at start
           dict(kind="direct", marked=[(3, 6)]),  # marked words belong to reported speech only
           dict(kind="indirect", marked=[(18, 25)]),  # outside the quote
           dict(kind="quoted"),  # not a kind
           dict(kind="direct", speaker_start=3)]  # half a speaker range
    for fields in bad:
        with pytest.raises(ValueError):
            Quote(id="q", article_id="a", text="x", start=0, end=20, **fields)
