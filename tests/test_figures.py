"""Figures: values, units, what is counted, who gives the number, and what is not a figure."""

from __future__ import annotations


import pytest

from storyline import nlp
from storyline.records import Article
from storyline.extract.figures import extract_figures

from conftest import SEEDS  # noqa: E402


@pytest.fixture(scope="module")
def figures():
    model = nlp.load()

    def run(text: str, article_id: str = "a1"):
        article = Article(id=article_id, path="test.txt", text=text)
        found = extract_figures(article, model(text))
        for f in found:
            assert text[f.start:f.end] == f.text
            assert f.article_id == article_id
        return found

    return run


def one(found, fragment: str):
    hits = [f for f in found if fragment in f.text]
    assert len(hits) == 1, (fragment, [f.text for f in found])
    return hits[0]


def test_range_with_according_to_and_count(figures):
    found = figures("According to Harlow Institute estimates, the rebels have gathered between "
                    "4,000 and 4,500 fighters near the river.")
    f = one(found, "4,000")
    assert f.text == "between 4,000 and 4,500 fighters"
    assert f.value == (4000.0, 4500.0)
    assert f.counts == "fighters"
    assert f.attributed_to == "Harlow Institute"
    assert f.unit is None and f.approximate is None


def test_subject_of_estimating_verb_without_article(figures):
    f = one(figures("The Coastal Authority is now assuming 8,500 evacuees."), "8,500")
    assert (f.value, f.counts, f.attributed_to) == (8500.0, "evacuees", "Coastal Authority")


def test_trailing_police_said_and_approximations(figures):
    found = figures("Nearly 600 homes lost power, almost 30 schools closed, more than 1,000 passengers "
                    "were stranded and over 50 flights were cancelled, police said.")
    expected = {"600": ("nearly", "homes"), "30": ("almost", "schools"),
                "1,000": ("more than", "passengers"), "50": ("over", "flights")}
    for number, (approx, counts) in expected.items():
        f = one(found, number)
        assert (f.approximate, f.counts, f.attributed_to) == (approx, counts, "police")
    assert one(found, "600").text == "Nearly 600 homes"


def test_puts_the_number_at(figures):
    f = one(figures("The Blue Crescent Society puts the number of displaced residents at 3,400."), "3,400")
    assert f.value == 3400.0
    assert f.attributed_to == "Blue Crescent Society"
    assert f.counts == "displaced residents"


def test_claimed_by_names_the_source(figures):
    text = "The port counted 900 strikers, far fewer than the 2,100 claimed by the Ferry Workers' Guild."
    f = one(figures(text), "2,100")
    assert f.attributed_to == "Ferry Workers' Guild"


def test_other_approximations(figures):
    found = figures("At least 14 people died, up to 300 were hurt, some 80 remain missing, about 40 homes "
                    "burned and around 70 cars were lost.")
    assert [f.approximate for f in found] == ["at least", "up to", "some", "about", "around"]
    assert [f.value for f in found] == [14.0, 300.0, 80.0, 40.0, 70.0]


def test_money_units_and_magnitudes(figures):
    found = figures("The new bridge cost 1.2 million dollars, the tunnel $3 billion, the ferry €40m and the "
                    "depot EUR 40 million; schools got 40 million euros, museums £2.5bn, the zoo ¥500,000, "
                    "the railway 5 billion roubles and the port 3 million rubles.")
    got = [(f.value, f.unit) for f in found]
    assert got == [(1.2e6, "USD"), (3e9, "USD"), (4e7, "EUR"), (4e7, "EUR"), (4e7, "EUR"), (2.5e9, "GBP"),
                   (5e5, "JPY"), (5e9, "RUB"), (3e6, "RUB")]
    assert one(found, "€40m").text == "€40m"
    assert one(found, "EUR 40").text == "EUR 40 million"


def test_money_counts_the_fund(figures):
    found = figures("Ministers set up an emergency fund of EUR 75 million and a 20 million euro grant scheme.")
    assert one(found, "EUR 75").counts == "emergency fund"
    assert one(found, "20 million").unit == "EUR"


def test_written_numbers(figures):
    found = figures("Rescuers reached three bridges, twenty-five villages and a dozen farms while hundreds "
                    "of people waited on rooftops.")
    assert [(f.value, f.counts) for f in found] == [
        (3.0, "bridges"), (25.0, "villages"), (12.0, "farms"), ((200.0, 999.0), "people")]
    assert one(found, "hundreds").approximate == "hundreds of"
    assert one(found, "hundreds").text == "hundreds of people"


def test_ranges(figures):
    found = figures("Between 100,000-120,000 fans came, turnout was from 10 to 12 percent, the army sent "
                    "two or three helicopters and prices stayed 10 to 12 per cent higher.")
    assert [f.value for f in found] == [(100000.0, 120000.0), (10.0, 12.0), (2.0, 3.0), (10.0, 12.0)]
    assert [f.unit for f in found] == [None, "%", None, "%"]
    assert one(found, "from 10").text == "from 10 to 12 percent"


def test_shared_magnitude_in_range(figures):
    f = one(figures("Between 1.2 and 1.5 million visitors are expected."), "1.2")
    assert f.value == (1.2e6, 1.5e6)


def test_percentages(figures):
    found = figures("Support rose to 12%, inflation hit 12 percent and unemployment reached 12 per cent.")
    assert [(f.value, f.unit) for f in found] == [(12.0, "%")] * 3


def test_a_change_is_two_figures(figures):
    found = figures("The port raised its offer from 4.5% to 6% on the second day.")
    assert [(f.value, f.unit) for f in found] == [(4.5, "%"), (6.0, "%")]
    found = figures("Prices rose from 10 to 12 percent in a year.")
    assert [(f.value, f.unit) for f in found] == [(10.0, "%"), (12.0, "%")]


def test_european_thousands_only_when_unambiguous(figures):
    found = figures("The region has 1.200.000 inhabitants and 100.000 cattle.")
    assert [f.value for f in found] == [1200000.0, 100000.0]
    assert one(figures("The channel is 2.500 km long."), "2.500").value == 2.5


def test_measurements_and_durations(figures):
    found = figures("Lorries were diverted about 200 km along the coast after almost fourteen hours of "
                    "talks during a two-day strike.")
    assert [(f.value, f.unit, f.approximate) for f in found] == [
        (200.0, "km", "about"), (14.0, "hours", "almost"), (2.0, "days", None)]
    assert one(found, "two-day").counts == "strike"


def test_dates_times_and_years_are_not_figures(figures):
    text = ("The pact was signed in 1999 and renewed in 2010; the 1999 charter was amended on January 28. "
            "The memo dated 28.01.2022 was sent at 4:42 p.m. and again at 6 a.m. on the 7th, two years ago.")
    assert figures(text) == []


def test_labels_names_and_phone_numbers_are_not_figures(figures):
    text = ("Details are on page 12, section 4 and in Article 5. The G7 discussed COVID-19 and the F-16 deal "
            "in the so-called Weimar format. Call +44 20 7946 0958 or 555-123-4567, or see version 3.8.2.")
    assert figures(text) == []


def test_one_as_pronoun_and_fused_kind_words_are_dropped(figures):
    found = figures("Security was one of the main topics. In a four-page letter the minister proposed a "
                    "three-way alliance. Two sides were silent.")
    assert [(f.text, f.value, f.counts) for f in found] == [("Two sides", 2.0, "sides")]


def test_a_year_that_counts_is_a_figure(figures):
    f = one(figures("Organisers said 2000 people joined the march."), "2000")
    assert (f.value, f.counts, f.attributed_to) == (2000.0, "people", "Organisers")


def test_ids_and_order(figures):
    found = figures("Three ferries and 40 lorries waited, and 12 trains were cancelled.", article_id="x9")
    assert [f.id for f in found] == ["x9-f1", "x9-f2", "x9-f3"]
    assert [f.start for f in found] == sorted(f.start for f in found)


def _seed(name: str) -> str:
    path = SEEDS / name
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path.read_text(encoding="utf-8")


def test_seed_000_nato_range(figures):
    found = figures(_seed("000_309f94c7ba4b279f.txt"), article_id="000")
    f = one(found, "100,000")
    assert f.value == (100000.0, 120000.0)
    assert f.counts == "soldiers"
    assert f.attributed_to == "NATO"


def test_seed_001_assumed_soldiers_and_no_years(figures):
    found = figures(_seed("001_131be89640c3f2b5.txt"), article_id="001")
    f = one(found, "130,000")
    assert (f.value, f.counts, f.attributed_to) == (130000.0, "soldiers", "United States")
    texts = " | ".join(x.text for x in found)
    assert "1999" not in texts and "2010" not in texts


def test_seed_000_time_is_not_a_figure(figures):
    found = figures(_seed("000_309f94c7ba4b279f.txt"), article_id="000")
    assert not [f for f in found if "4:42" in f.text or "2022" in f.text or f.value in (4.0, 42.0, 30.0)]
