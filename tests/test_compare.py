"""The compare stage on realistic text: the example corpus through the real pipeline, scored
against its gold claims, conflicts, quote variants and events; the five seed articles; and small
hand-written cases for alignment flags, independence, timeline merging and summary citations."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from storyline.compare import StoryRecords, compare_story
from storyline.compare.quotes import align, flags_for
from storyline.compare.summary import summarise
from storyline.compare.timeline import build_timeline
from storyline.compare.units import independent_groups
from storyline.records import Article, Claim, Copy, Event, Story, Variant

from conftest import EXAMPLES, GOLD, shared_path
from gold_match import articles_by_ref, claim_link_counts, find_span

FIELD_MAP = {"headline": "title", "body": "text", "date": "published", "outlet": "source", "link": "url"}




def _run(paths, tmp_path_factory, name, field_map=None):
    from storyline.stages import story_records as _story_records
    from storyline.pipeline import run
    from storyline.store import Store

    out = tmp_path_factory.mktemp(name)
    db = out / "s.duckdb"
    run(paths, out / "report", db=str(db), field_map=field_map)
    with Store(db) as store:
        records = [_story_records(store, s) for s in store.get(Story)]
        stored = {s.id: s for s in store.get(Story)}
    return records, stored


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """(gold, ref -> Article, [(StoryRecords, compared Story)]) for the example corpus."""
    gold = json.loads(GOLD.read_text())
    records, stored = _run([EXAMPLES], tmp_path_factory, "examples", FIELD_MAP)
    by_ref = articles_by_ref([a for r in records for a in r.articles], gold)
    compared = [(r, compare_story(r)) for r in records]
    return gold, by_ref, compared, stored


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    from pathlib import Path

    records, _ = _run([shared_path("seeds")], tmp_path_factory, "seeds")
    record = max(records, key=lambda r: len(r.articles))
    name = {a.id: Path(a.path).name[:3] for a in record.articles}
    return record, compare_story(record), name


def _story_of(compared, article_id):
    return next((r, s) for r, s in compared if article_id in s.article_ids)


def _gold_variants(claim, by_ref):
    out = []
    for v in claim["variants"]:
        a = by_ref[v["ref"]]
        span = find_span(a.text, v["text_contains"])
        assert span, v
        out.append((a.id, *span))
    return out


def _claims_holding(story, article_id, start, end):
    return {k for k, c in enumerate(story.claims) for v in c.variants
            if v.article_id == article_id and v.start < end and v.end > start}


# --- example corpus against its gold ----------------------------------------------------------


def test_claim_links_agree_with_gold(example):
    gold, by_ref, compared, _ = example
    tp = fp = fn = 0
    for story_id, refs in gold["stories"].items():
        _, story = _story_of(compared, by_ref[refs[0]].id)
        counts = claim_link_counts(story, [c for c in gold["claims"] if c["story"] == story_id], by_ref)
        tp, fp, fn = tp + counts[0], fp + counts[1], fn + counts[2]
    precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
    # floors a little under bench/claims.py's figures at the default threshold: precision first.
    # Recall measured 0.491 (78 of 159) once each pair is scored alone, against 0.509 when pairs
    # were scored in batches, which on the real held-out pairs scored worse (bench/pairs.py:
    # ECB+ P 0.856 vs 0.882, STS-B news 0.814 vs 0.822); the floor follows the real data
    assert precision >= 0.8, (precision, tp, fp)
    assert recall >= 0.47, (recall, tp, fn)


def test_every_variant_points_at_its_own_wording(example):
    gold, by_ref, compared, _ = example
    texts = {a.id: a.text for r, _ in compared for a in r.articles}
    for _, story in compared:
        for claim in story.claims:
            assert claim.article_ids == list(dict.fromkeys(v.article_id for v in claim.variants))
            for v in claim.variants:
                assert texts[v.article_id][v.start:v.end] == v.text


def test_copies_of_one_original_count_once(example):
    """The Valley Gazette is a near-duplicate of the Courier: their shared inquiry claim is single-source;
    two articles of one outlet (The Varne Observer) do not corroborate each other either."""
    gold, by_ref, compared, _ = example
    for gold_id in ("flood-c11", "fish-c7"):
        claim = next(c for c in gold["claims"] if c["id"] == gold_id)
        _, story = _story_of(compared, by_ref[claim["variants"][0]["ref"]].id)
        holding = set.intersection(*(_claims_holding(story, *v) for v in _gold_variants(claim, by_ref)))
        assert holding, gold_id
        for k in holding:
            assert story.claims[k].sources == 1 and story.claims[k].status == "single-source", story.claims[k]


def test_corroborated_gold_claims_are_corroborated(example):
    gold, by_ref, compared, _ = example
    agree = total = 0
    for claim in gold["claims"]:
        if claim["status"] != "corroborated":
            continue
        _, story = _story_of(compared, by_ref[claim["variants"][0]["ref"]].id)
        statuses = [story.claims[k].status for v in _gold_variants(claim, by_ref)
                    for k in _claims_holding(story, *v) if len(story.claims[k].article_ids) > 1]
        total += 1
        agree += bool(statuses) and statuses.count("single-source") < len(statuses)
    # measured 13 of 21 with the model trained with same-story negatives (15-16 before it): that
    # model is stricter, for precision on real stories (bench/pairs.py, ECB+ same-story pairs)
    assert agree / total >= 0.6, (agree, total)


@pytest.mark.xfail(strict=True, reason="known gap (docs/status.md): the stricter same-claim model no longer "
                   "verifies the machine translation that lost its negation against the other tellings")
def test_negation_dropped_by_machine_translation_makes_the_claim_conflicting(example):
    gold, by_ref, compared, _ = example
    claim = next(c for c in gold["claims"] if c["id"] == "flood-c7")
    _, story = _story_of(compared, by_ref["flood-mt"].id)
    mt = next(v for v in claim["variants"] if v["ref"] == "flood-mt")
    span = find_span(by_ref["flood-mt"].text, mt["text_contains"])
    statuses = {story.claims[k].status for k in _claims_holding(story, by_ref["flood-mt"].id, *span)}
    assert "conflicting" in statuses
    assert any(c.kind == "statement" and by_ref["flood-mt"].id in {v.article_id for v in c.values}
               for c in story.conflicts)


def _value_matches(predicted, wanted) -> bool:
    if isinstance(wanted, list):
        return isinstance(predicted, list) and [float(x) for x in predicted] == [float(x) for x in wanted]
    return not isinstance(predicted, list) and float(predicted) == float(wanted)


def test_gold_figure_conflicts_are_found_with_sources(example):
    gold, by_ref, compared, _ = example
    found = []
    for conflict in gold["conflicts"]:
        ids = {by_ref[v["ref"]].id: v for v in conflict["values"]}
        _, story = _story_of(compared, next(iter(ids)))
        hit = None
        for c in story.conflicts:
            if c.kind != "figure":
                continue
            got = {v.article_id: v for v in c.values if v.article_id in ids and _value_matches(v.value, ids[v.article_id]["value"])}
            if len({str(v.value) for v in got.values()}) >= 2:
                hit = c
                for aid, v in got.items():
                    article = next(a for a in by_ref.values() if a.id == aid)
                    assert v.date == article.published
                    assert v.text and v.text in article.text
        found.append((conflict["about"], conflict["kind"], hit))
    contradictions = [f for f in found if f[1] == "contradiction"]
    # conflicts come only from verified claims: precise, but the example's most differently
    # worded contradictions are missed (docs/status.md)
    assert sum(1 for f in contradictions if f[2]) >= 1, found
    for about, kind, hit in found:
        if hit is not None and kind == "contradiction":
            assert {v.attributed_to for v in hit.values} != {None}, about
        if hit is not None:
            assert hit.update == (kind == "update"), (about, kind, hit.values)


@pytest.mark.parametrize("dated, update", [
    ([("2024-03-10", 2), ("2024-03-11", 2), ("2024-03-12", 5)], True),  # a toll rising day by day
    ([("2024-03-11", 4.5), ("2024-03-16", 6), ("2024-03-18", 6.5)], True),  # an offer improving
    ([("2024-03-12", 2), ("2024-03-12", 3)], False),  # two values on one day
    ([("2024-03-11", 2300), ("2024-03-12", 1400), ("2024-03-19", 2300)], False),  # a value coming back
    ([("2024-03-11", [100, 120]), ("2024-03-14", [120, 150])], True),  # ranges moving up
    ([(None, 2), ("2024-03-12", 5)], False),  # undated: cannot tell
])
def test_values_moving_one_way_over_days_read_as_an_update(dated, update):
    from storyline.compare.conflicts import _reads_as_update
    from storyline.records import ConflictValue

    values = [ConflictValue(value=v, text=str(v), article_id=f"a{i}", date=d) for i, (d, v) in enumerate(dated)]
    assert _reads_as_update(values) is update


def test_quote_variants_follow_gold_and_flag_the_lost_negation(example):
    gold, by_ref, compared, _ = example
    grouped = 0
    for qv in gold["quote_variants"]:
        spans = {}
        for r in qv["renderings"]:
            a = by_ref[r["ref"]]
            spans[a.id] = find_span(a.text, r["text_contains"])
        _, story = _story_of(compared, next(iter(spans)))
        best = max(story.quote_groups, default=None, key=lambda g: sum(
            1 for x in g.renderings if x.article_id in spans and x.start < spans[x.article_id][1] and x.end > spans[x.article_id][0]))
        if best is None:
            continue
        hits = [x for x in best.renderings if x.article_id in spans and x.start < spans[x.article_id][1]
                and x.end > spans[x.article_id][0]]
        if len({x.article_id for x in hits}) >= 2:
            grouped += 1
            # a changed rendering the quote extractor did not find cannot be flagged here
            changed = {by_ref[ref].id for ref in qv["meaning_changed"]} & {x.article_id for x in best.renderings}
            assert changed <= set(best.meaning_changed), (qv["speaker"], best.meaning_changed)
            unchanged = {x.article_id for x in hits} - changed
            wrong = unchanged & set(best.meaning_changed)
            assert not wrong or len(wrong) < len(unchanged), (qv["speaker"], best)
    assert grouped >= len(gold["quote_variants"]) - 2


def test_timeline_merges_outlets_and_keeps_date_order(example):
    gold, by_ref, compared, _ = example
    for _, story in compared:
        keys = [(t.date, t.precision) for t in story.timeline]
        assert [d for d, _ in keys] == sorted(d for d, _ in keys)
        for t in story.timeline:
            assert len(t.date) == {"year": 4, "month": 7, "day": 10}[t.precision]
    merged = [t for _, s in compared for t in s.timeline if len(t.article_ids) >= 3]
    assert merged, "no event reported by three outlets became one entry"
    cited = 0
    for e in gold["events"]:
        a = by_ref[e["ref"]]
        _, story = _story_of(compared, a.id)
        cited += any(t.date == e["date"] and a.id in t.article_ids for t in story.timeline)
    assert cited / len(gold["events"]) >= 0.6, cited


def test_summary_cites_every_article_of_its_claim(example):
    _, _, compared, _ = example
    texts = {a.id: a.text for r, _ in compared for a in r.articles}
    for _, story in compared:
        assert 1 <= len(story.summary) <= 5
        by_id = {c.id: c for c in story.claims}
        for s in story.summary:
            claim = by_id[s.claim_id]
            assert s.text == claim.text and s.article_ids == claim.article_ids and s.status == claim.status
            assert [(c.article_id, texts[c.article_id][c.start:c.end]) for c in s.citations] == \
                [(v.article_id, v.text) for v in claim.variants]


def test_compare_is_pure_and_matches_what_the_pipeline_stored(example):
    _, _, compared, stored = example
    record, story = compared[0]
    again = compare_story(record)
    assert [c.text for c in again.claims] == [c.text for c in story.claims]
    assert [c.text for c in stored[story.id].claims] == [c.text for c in story.claims]


def test_source_profiles(example):
    gold, by_ref, compared, _ = example
    _, story = _story_of(compared, by_ref["flood-courier-dup"].id)
    profiles = {p.article_id: p for p in story.profiles}
    assert by_ref["flood-wire"].id in profiles[by_ref["flood-courier-dup"].id].copy_of
    assert by_ref["flood-courier-dup"].id in profiles[by_ref["flood-wire"].id].copied_by
    wire = profiles[by_ref["flood-wire"].id]
    assert wire.quotes >= 3 and wire.attributed >= wire.quotes and wire.statements > wire.quotes


# --- the seed articles ------------------------------------------------------------------------


def test_seed_principle_is_one_claim_across_four_articles(seeds):
    record, story, name = seeds
    # every wording must be verified against every other, so the five wordings of the principle
    # need not all meet in one claim; at least three articles' wordings must
    spans = [c for c in story.claims if len({"000", "001", "002", "004"} & {name[a] for a in c.article_ids}) >= 3]
    assert any(all(re.search(r"expense|cost", v.text) for v in c.variants) for c in spans), \
        [[v.text for v in c.variants] for c in spans]


def test_seed_troop_figures_conflict(seeds):
    record, story, name = seeds
    troops = [c for c in story.conflicts if c.kind == "figure"
              and {"000", "001"} <= {name[v.article_id] for v in c.values}]
    assert troops
    values = {name[v.article_id]: v for v in troops[0].values}
    assert values["000"].value == [100000.0, 120000.0] and values["000"].attributed_to == "NATO"
    assert values["001"].value == 130000.0 and "United States" in values["001"].attributed_to


def test_seed_timeline_and_summary(seeds):
    record, story, name = seeds
    dates = {t.date for t in story.timeline}
    assert {"2022-02-07", "2022-01-26"} <= dates
    assert story.summary and all(s.article_ids for s in story.summary)


# --- small hand-written cases -----------------------------------------------------------------


def test_alignment_flags_negation_number_and_truncation():
    ref = "The dam did not fail because of neglect, the governor said on 10 March"
    dropped = "The dam failed because of neglect, the governor said on 10 March"
    assert "negation changed" in flags_for(ref, dropped, align(ref, dropped))
    number = "The dam did not fail because of neglect, the governor said on 12 March"
    assert "number changed" in flags_for(ref, number, align(ref, number))
    cut = "The dam did not fail because of neglect"
    flags = flags_for(ref, cut, align(ref, cut))
    assert "truncated" in flags and "negation changed" not in flags
    same = flags_for(ref, ref, align(ref, ref))
    assert same == []
    assert [op for op, _, _ in align(ref, dropped)].count("equal") >= 2


def test_independence_joins_copies_and_one_outlet():
    ids = ["a", "b", "c", "d"]
    groups = independent_groups(ids, [Copy("b", "a", "duplicate", 1.0)], {"a": "Wire", "b": "Paper", "c": "Paper", "d": None})
    assert groups["a"] == groups["b"] == groups["c"]  # b copies a; c is the same outlet as b
    assert groups["d"] != groups["a"]


def _bag_embed(texts):
    """Deterministic bag-of-words vectors: similar wording gives similar vectors."""
    out = np.zeros((len(texts), 256), dtype=np.float32)
    for i, t in enumerate(texts):
        for w in re.findall(r"\w+", t.lower()):
            out[i, hash(w) % 256] += 1.0
    return out / np.clip(np.linalg.norm(out, axis=1, keepdims=True), 1e-9, None)


def test_timeline_merges_one_event_and_keeps_others_apart():
    events = [
        Event("e1", "a", "2024-03-09", "day", "on Saturday", "The dam gave way on Saturday night near Aldmoor.", 0, 10),
        Event("e2", "b", "2024-03-09", "day", "on Saturday", "On Saturday night the dam gave way near Aldmoor.", 0, 10),
        Event("e3", "c", "2024-03-09", "day", "Saturday", "Ministers met in Lorsund on Saturday for fish quota talks.", 0, 10),
        Event("e4", "a", "2024-03", "month", "in March", "An inquiry will report in March.", 20, 30),
    ]
    tl = build_timeline(events, _bag_embed, {"a": "2024-03-10", "b": "2024-03-11", "c": "2024-03-10"})
    assert [(t.date, t.precision) for t in tl] == [("2024-03", "month"), ("2024-03-09", "day"), ("2024-03-09", "day")]
    dam = next(t for t in tl if "dam" in t.text)
    assert dam.article_ids == ["a", "b"]


def test_summary_cites_all_articles_and_marks_status():
    claims = [
        Claim("c1", "The eastern wall of the dam gave way shortly before midnight on Saturday.", ["a", "b", "c"], "corroborated",
              [Variant(x, "", 0, 0) for x in "abc"], sources=3),
        Claim("c2", "The eastern wall of the dam gave way just before midnight on Saturday night.", ["d"], "single-source",
              [Variant("d", "", 0, 0)], sources=1),
        Claim("c3", "The death toll is disputed between two and five people killed.", ["a", "d"], "conflicting",
              [Variant(x, "", 0, 0) for x in "ad"], sources=2),
        Claim("c4", "The regional governor rejected suggestions of poor maintenance at the dam.", ["b"], "single-source",
              [Variant("b", "", 0, 0)], sources=1),
    ]
    out = summarise(claims, _bag_embed, 3)
    assert len(out) == 3
    assert out[0].text == claims[0].text and out[0].article_ids == ["a", "b", "c"]
    assert claims[1].text not in [s.text for s in out]  # redundant with the first
    statuses = {s.text: s.status for s in out}
    assert statuses.get(claims[2].text) == "conflicting"
    assert summarise(claims, _bag_embed, 0) == []


def test_compare_story_on_a_tiny_story_without_extracts():
    article = Article("a", "a.txt", "Nothing to see here at all today.", published="2024-01-01")
    story = compare_story(StoryRecords(Story("s", "t", ["a"]), [article]), _bag_embed)
    assert story.claims == [] and story.timeline == [] and story.summary == []
    assert story.profiles[0].statements == 0


def _story(bodies: dict[str, str], published: dict[str, str] | None = None):
    """Hand-written articles through the real extract step and compare_story."""
    from storyline.map_steps import extract_articles

    articles = [Article(key, f"{key}.txt", body, title=f"Report {key}", source=f"Outlet {key}",
                        published=(published or {}).get(key, "2024-05-13")) for key, body in bodies.items()]
    extracts = extract_articles(articles)
    return compare_story(StoryRecords(Story("s", "t", list(bodies)), articles,
                                      sentences=[s for x in extracts for s in x.sentences],
                                      quotes=[q for x in extracts for q in x.quotes],
                                      figures=[f for x in extracts for f in x.figures],
                                      events=[e for x in extracts for e in x.events],
                                      mentions=[m for x in extracts for m in x.mentions]))


TALKS = {
    "a": ("Negotiators from both countries met in Geneva on Tuesday to discuss a ceasefire along the border. "
          "The government has wanted to join the trade bloc for more than a decade. "
          "Both delegations agreed that prisoners of war should be exchanged before the end of the month."),
    "b": ("Talks on a ceasefire along the disputed border began in Geneva on Tuesday between delegations of the two states. "
          "The council of the trade bloc also dealt with the question at its spring meeting. "
          "An exchange of prisoners of war before the month is out was agreed by both sides."),
    "c": ("The two countries sent negotiators to Geneva on Tuesday for talks about a ceasefire at the border. "
          "Officials in the capital said a new hospital would open in the autumn, funded by the health ministry. "
          "Farmers near the frontier complained that the fighting had ruined this year's harvest."),
}


def test_claims_join_tellings_of_one_fact_and_keep_same_topic_sentences_apart():
    story = _story(TALKS)
    by_article = lambda c: {v.article_id: v.text for v in c.variants}  # noqa: E731
    shared = [c for c in story.claims if len(c.article_ids) >= 2]
    talks = [c for c in shared if all("Geneva" in t for t in by_article(c).values())]
    assert talks and set(talks[0].article_ids) == {"a", "b", "c"}, [by_article(c) for c in shared]
    assert talks[0].status == "corroborated" and talks[0].sources == 3
    for c in shared:
        texts = " | ".join(by_article(c).values())
        assert not ("wanted to join" in texts and "council" in texts), texts  # one topic, two claims
        assert not ("hospital" in texts or "harvest" in texts), texts
        assert len(c.article_ids) == len(set(c.article_ids))
    alone = next(c for c in story.claims if "hospital" in c.text)
    assert alone.status == "single-source" and alone.article_ids == ["c"]


def test_one_claim_voiced_by_two_speakers_keeps_both():
    story = _story({
        "a": 'The country does not want a war with its neighbour, Foreign Minister Anna Berg told reporters on Monday.',
        "b": '"We do not want any war with our neighbour," Defence Minister Karl Lind said on Monday.',
    })
    claim = next(c for c in story.claims if len(c.article_ids) == 2)
    assert len(claim.speakers) == 2 and any("Berg" in s for s in claim.speakers) and any("Lind" in s for s in claim.speakers)


def test_figures_of_two_authorities_on_the_same_days_disagree():
    story = _story({
        "a": "The union said 2,300 dock workers joined the strike at the port on Monday.",
        "b": "The port authority said 1,400 dock workers joined the strike at the port on Monday.",
    }, {"a": "2024-05-13", "b": "2024-05-14"})
    figures = [c for c in story.conflicts if c.kind == "figure"]
    assert len(figures) == 1 and not figures[0].update, story.conflicts
    assert {v.value for v in figures[0].values} == {2300.0, 1400.0}
    claim = next(c for c in story.claims if c.id == figures[0].claim_id)
    assert claim.status == "conflicting" and claim.differs_in == ["figure"]


def test_one_event_given_two_different_days_is_a_date_conflict():
    from storyline.map_steps import extract_articles
    from storyline.records import Article, Story

    body = ("The ferry Marisol ran aground off the island of Vesk {when}, the coast guard said. "
            "All 212 passengers were taken ashore by lifeboats and nobody was hurt.\n\n"
            "Divers will inspect the damaged hull before the ship is towed to the port of Brenna.")
    articles = [Article("a", "a.txt", body.format(when="on Sunday night"), title="Ferry runs aground", published="2024-05-13",
                        source="Island Post"),
                Article("b", "b.txt", body.format(when="on Saturday night"), title="Ferry aground off Vesk", published="2024-05-13",
                        source="Coast Courier")]
    extracts = extract_articles(articles)
    story = compare_story(StoryRecords(Story("s", "Ferry", ["a", "b"]), articles,
                                       sentences=[s for x in extracts for s in x.sentences],
                                       events=[e for x in extracts for e in x.events]))
    dates = [c for c in story.conflicts if c.kind == "date"]
    assert len(dates) == 1
    assert {(v.article_id, v.value) for v in dates[0].values} == {("a", "2024-05-12"), ("b", "2024-05-11")}
    assert "ran aground" in dates[0].about


def _robbery_story(places: dict[str, str]):
    from storyline.map_steps import extract_articles
    from storyline.records import Article, Story

    body = ("Police arrested three men after a jewellery shop was robbed in {where} on Friday afternoon, "
            "a police spokesman said. The stolen rings were worth about 40,000 euros.\n\n"
            "Two of the suspects will appear in court next week.")
    articles = [Article(key, f"{key}.txt", body.format(where=where), title="Shop robbed", published="2024-05-13")
                for key, where in places.items()]
    extracts = extract_articles(articles)
    return compare_story(StoryRecords(Story("s", "Robbery", list(places)), articles,
                                      sentences=[s for x in extracts for s in x.sentences],
                                      mentions=[m for x in extracts for m in x.mentions]))


def test_one_event_placed_in_two_different_cities_is_a_place_conflict():
    story = _robbery_story({"a": "Manchester", "b": "Liverpool"})
    places = [c for c in story.conflicts if c.kind == "place"]
    assert len(places) == 1 and "robbed" in places[0].about
    assert {(v.article_id, v.value) for v in places[0].values} == {("a", "Manchester"), ("b", "Liverpool")}


def test_two_names_of_one_country_are_not_a_place_conflict():
    story = _robbery_story({"a": "the United States", "b": "the U.S.", "c": "the USA"})
    assert [c for c in story.conflicts if c.kind == "place"] == []
    story = _robbery_story({"a": "the United States", "b": "Canada"})  # while different ones are
    assert [c.kind for c in story.conflicts].count("place") == 1


def _overlap_judge(asked: list):
    """A stand-in for the model that says "same" for closely worded statements, and logs what it is asked."""
    from storyline.compare.pairs import PairJudgement

    def run(pairs):
        asked.extend(pairs)
        out = []
        for a, b in pairs:
            wa, wb = set(re.findall(r"\w+", a.lower())), set(re.findall(r"\w+", b.lower()))
            same = len(wa & wb) / max(1, len(wa | wb)) >= 0.5
            out.append(PairJudgement(0.9 if same else 0.1, "same" if same else "different"))
        return out

    return run


def _units(texts: dict[str, str]):
    from storyline.compare.units import Unit, clauses

    units = [Unit(a, 0, len(t), t, "sentence") for a, t in texts.items()]
    units += [c for u in units for c in clauses(u)]
    return units, _bag_embed([u.text for u in units])


def test_a_clause_joins_a_claim_that_whole_sentences_share():
    from storyline.compare.claims import ClaimParams, PairCache, attach_clauses, clause_parents, grow_claims

    units, vectors = _units({
        "a": "The ministry said the bridge over the river would reopen to traffic in June.",
        "b": "The bridge over the river would reopen to traffic in June, the ministry said.",
        "c": ("Drivers who have queued for months on the ring road, many of them commuters from the northern "
              "suburbs, learned on Friday that the bridge over the river would reopen to traffic in June."),
    })
    asked: list = []
    cache, params = PairCache(units, _overlap_judge(asked)), ClaimParams(candidate=0.3)
    groups = grow_claims(units, vectors, cache, params)
    assert [sorted(units[i].article_id for i in g) for g in groups if len(g) >= 2] == [["a", "b"]]
    # c's long sentence is near the shared claim, so its clauses are worth embedding
    parents = {units[i].article_id for i in clause_parents(units, vectors, groups, params)}
    assert "c" in parents
    attach_clauses(units, vectors, cache, params, groups)
    shared = [g for g in groups if len(g) >= 2]
    assert len(shared) == 1
    kinds = {units[i].article_id: units[i].kind for i in shared[0]}
    assert kinds == {"a": "sentence", "b": "sentence", "c": "clause"}


def test_clauses_alone_never_start_a_claim():
    from storyline.compare.claims import ClaimParams, PairCache, attach_clauses, grow_claims

    units, vectors = _units({
        "a": ("After a winter of delays blamed on the contractor and on the weather, the council confirmed, "
              "with some embarrassment, that the bridge over the river would reopen to traffic in June."),
        "b": ("Commuters from the northern suburbs, who have queued for months on the crowded ring road, "
              "heard from the mayor on Friday that the bridge over the river would reopen to traffic in June."),
    })
    assert any(u.kind == "clause" for u in units)
    asked: list = []
    cache, params = PairCache(units, _overlap_judge(asked)), ClaimParams(candidate=0.3)
    groups = grow_claims(units, vectors, cache, params)
    attach_clauses(units, vectors, cache, params, groups)
    assert all(len(g) == 1 for g in groups) or not groups
    clause_texts = {u.text for u in units if u.kind == "clause"}
    assert not any(a in clause_texts and b in clause_texts for a, b in asked)


def test_only_sentences_near_a_shared_claim_of_another_article_have_their_clauses_embedded():
    from storyline.compare.claims import ClaimParams, clause_parents
    from storyline.compare.units import Unit

    texts = {"a": "Officials said the bridge would reopen in June.", "b": "The bridge would reopen in June, officials said.",
             "c": "Commuters heard on Friday that the bridge would reopen in June.", "d": "Farmers asked for flood relief."}
    units = [Unit(a, 0, len(t), t, "sentence") for a, t in texts.items()]
    vectors = np.array([[1, 0, 0], [0.98, 0.2, 0], [0.8, 0.6, 0], [0.1, 0, 0.995]], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    parents = clause_parents(units, vectors, [[0, 1], [2], [3]], ClaimParams(clause_parent=0.4))
    assert [units[i].article_id for i in parents] == ["a", "b", "c"]
    assert clause_parents(units, vectors, [[0], [1], [2], [3]], ClaimParams()) == []  # nothing shared yet


def _without_article(record: StoryRecords, article_id: str) -> StoryRecords:
    from dataclasses import replace

    keep = lambda items: [x for x in items if getattr(x, "article_id", None) != article_id]  # noqa: E731
    return replace(record, story=replace(record.story, article_ids=[i for i in record.story.article_ids if i != article_id]),
                   articles=[a for a in record.articles if a.id != article_id], sentences=keep(record.sentences),
                   quotes=keep(record.quotes), figures=keep(record.figures), events=keep(record.events),
                   mentions=keep(record.mentions),
                   copies=[c for c in record.copies if article_id not in (c.article_id, c.of_article_id)])


def test_a_story_compared_again_from_its_stored_scores_runs_the_model_only_on_new_pairs(seeds, monkeypatch):
    """What an incremental run does when an article joins a story: the scores stored by the
    story's last comparison answer the old pairs, and the result is the fresh comparison's."""
    from dataclasses import replace

    from storyline.compare.pairs import LogitMemo, PairModel, default_model

    record, fresh, _ = seeds
    model = default_model()
    scored: list[int] = []
    real = PairModel.logits
    monkeypatch.setattr(PairModel, "logits", lambda self, pairs: scored.append(len(pairs)) or real(self, pairs))

    before = LogitMemo(None, model.identity)
    compare_story(_without_article(record, record.articles[-1].id), memo=before)
    stored = before.to_bytes()
    assert stored[:len(model.identity)] == model.identity and len(before.asked) > 10

    scored.clear()
    again = LogitMemo(stored, model.identity)
    story = compare_story(replace(record, pair_logits=stored), memo=again)
    with_memo = sum(scored)
    scored.clear()
    compare_story(record)
    without = sum(scored)
    assert 0 < with_memo < without / 2  # the new article's pairs are scored, the old ones are not
    # each pair is scored alone, so a stored score is the score a fresh run gives
    assert [(c.text, [(v.article_id, v.start, v.end) for v in c.variants], c.status) for c in story.claims] == \
        [(c.text, [(v.article_id, v.start, v.end) for v in c.variants], c.status) for c in fresh.claims]
    assert [(c.kind, c.about) for c in story.conflicts] == [(c.kind, c.about) for c in fresh.conflicts]
    # what it stores next is what this comparison asked, not the union of every run's pairs
    assert set(LogitMemo(again.to_bytes(), model.identity).known) == set(again.asked)
    # scores kept by another model are not used
    assert LogitMemo(stored, b"other model!").known == {}
