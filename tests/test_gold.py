"""The whole pipeline on the example corpus, checked against its gold annotations.

One `storyline.run` over examples/corpus feeds every test here, so what is asserted is what a
user gets, not what one stage does in isolation. Where a stage is not perfect the test holds
it to its measured rate (README, "Measured") so a regression fails.
"""

from __future__ import annotations

import pytest

from gold_match import Stored, load_gold, squash
from storyline import pipeline
from storyline.store import Store

from conftest import EXAMPLES

GOLD = load_gold()


@pytest.fixture(scope="module")
def stored(tmp_path_factory) -> Stored:
    out = tmp_path_factory.mktemp("gold")
    result = pipeline.run([EXAMPLES], out, db=out / "store.duckdb", field_map=GOLD["field_map"])
    assert result.ingest.problems == []
    with Store(out / "store.duckdb", read_only=True) as store:
        return Stored.read(store, GOLD)


def test_every_document_becomes_one_article(stored):
    assert len(stored.articles) == len(GOLD["articles"]) == GOLD["corpus"]["documents"]


@pytest.mark.parametrize("field", ["title", "source", "published"])
def test_article_metadata(stored, field):
    wrong = {g["ref"]: (getattr(stored.articles[g["ref"]], field), g[field])
             for g in GOLD["articles"] if getattr(stored.articles[g["ref"]], field) != g[field]}
    assert wrong == {}


def test_copies_found_with_kind_and_direction(stored):
    ids = {ref: a.id for ref, a in stored.articles.items()}
    found = {(c.article_id, c.of_article_id): c.kind for c in stored.copies}
    expected = {(ids[c["copy"]], ids[c["of"]]): c["kind"] for c in GOLD["copies"]}
    assert {k: found.get(k) for k in expected} == expected


def test_no_copy_links_where_gold_has_none(stored):
    ids = {ref: a.id for ref, a in stored.articles.items()}
    linked = {frozenset((c.article_id, c.of_article_id)) for c in stored.copies}
    wrong = [pair for pair in GOLD["not_copies"] if frozenset(ids[r] for r in pair) in linked]
    assert wrong == []
    gold_pairs = {frozenset((ids[c["copy"]], ids[c["of"]])) for c in GOLD["copies"]}
    assert linked <= gold_pairs


def test_stories_match_gold(stored):
    by_gold = {name: {stored.story_of(ref) for ref in refs} for name, refs in GOLD["stories"].items()}
    assert all(len(found) == 1 and None not in found for found in by_gold.values()), by_gold
    story_ids = [found.pop() for found in by_gold.values()]
    assert len(set(story_ids)) == len(story_ids)  # two floods stay two stories
    solos = [stored.story_of(ref) for ref in GOLD["stand_alone"]]
    assert len(set(solos)) == len(solos) and not set(solos) & set(story_ids)


def _entities_named(stored: Stored, name: str) -> set[str]:
    wanted = squash(name)
    return {e.id for e in stored.entities if wanted in {squash(n) for n in [e.name, *e.aliases]}}


def test_aliases_seen_are_merged(stored):
    """Every pair of gold aliases that were both recognised lands on the same entity."""
    split = []
    for e in GOLD["entities"]:
        seen = [(alias, _entities_named(stored, alias)) for alias in e["aliases"]]
        seen = [(alias, ids) for alias, ids in seen if ids]
        if len(seen) > 1 and not set.intersection(*(ids for _, ids in seen)):
            split.append(e["name"])
    assert split == []


def test_alias_recall(stored):
    aliases = [a for e in GOLD["entities"] for a in e["aliases"]]
    recalled = sum(bool(_entities_named(stored, a)) for a in aliases)
    assert recalled / len(aliases) >= 0.85


def test_distinct_people_and_places_stay_apart(stored):
    merged = [(a, b) for a, b in GOLD["distinct_entities"] if _entities_named(stored, a) & _entities_named(stored, b)]
    assert merged == []


def test_quotes_found_with_kind_and_speaker(stored):
    found = speaker = kind = 0
    for g in GOLD["quotes"]:
        quote = stored.quote_for(g)
        if quote is None:
            continue
        found += 1
        kind += stored.kind_of(quote, g) == g["kind"]
        speaker += squash(g["speaker"]) in stored.names(quote.speaker_entity)
    total = len(GOLD["quotes"])
    assert found / total >= 0.9
    assert speaker / found >= 0.95
    assert kind / found >= 0.95


def test_scare_quotes_and_titles_are_not_quotes(stored):
    wrong = [g for g in GOLD["not_quotes"]
             if any(squash(q.text) == squash(g["text"]) for q in stored.in_article(stored.quotes, g["ref"]))]
    assert wrong == []


def test_figures_values_and_attribution(stored):
    matched = [(g, stored.figure_for(g)) for g in GOLD["figures"]]
    missing = [g["text_contains"] for g, f in matched if f is None]
    assert missing == []
    attributed = sum(1 for g, f in matched if g["attributed_to"] and f.attributed_to
                     and squash(g["attributed_to"]) in {squash(f.attributed_to)} | _alias_forms(stored, f.attributed_to))
    unattributed_right = sum(1 for g, f in matched if g["attributed_to"] is None and f.attributed_to is None)
    assert (attributed + unattributed_right) / len(matched) >= 0.75


def _alias_forms(stored: Stored, surface: str) -> set[str]:
    return {squash(n) for eid in _entities_named(stored, surface) for n in stored.names(eid)}


def test_years_and_dates_are_not_figures(stored):
    wrong = [g for g in GOLD["not_figures"]
             if any(squash(f.text) == squash(g["text"]) for f in stored.in_article(stored.figures, g["ref"]))]
    assert wrong == []


def test_dates_resolved_against_publication(stored):
    wrong = []
    for g in GOLD["events"]:
        event = stored.event_for(g)
        if event is None or event.date != g["date"]:
            wrong.append((g["ref"], g["expression"], g["date"], event and event.date))
    assert len(wrong) <= 1, wrong
