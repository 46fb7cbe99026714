"""Across languages: the multilingual vectors, and a German report joining the English story."""

from __future__ import annotations

import json

import numpy as np

from storyline import map_steps, multilingual, pipeline
from storyline.multilingual import default_multilingual, needs_multilingual
from storyline.records import Article
from storyline.stories import StoryIndex, assign_stories

# A fictional summit and a fictional harbour fire, told in English and in German.
SUMMIT_EN = ("Foreign ministers of Valdoria and Merenia met in Geneva on Thursday and agreed to resume talks "
             "on the disputed border next month. Valdorian minister Elena Kastor said both sides would "
             "withdraw troops from the frontier villages.")
SUMMIT_EN_2 = ("Valdoria and Merenia will reopen border negotiations in March after their foreign ministers held "
               "talks in Geneva, officials said. Minister Kastor announced a withdrawal of soldiers from the "
               "border area.")
SUMMIT_DE = ("Die Außenminister von Valdoria und Merenia haben sich am Donnerstag in Genf getroffen und "
             "vereinbart, die Gespräche über die umstrittene Grenze im kommenden Monat wieder aufzunehmen. Die "
             "valdorische Ministerin Elena Kastor sagte, beide Seiten würden Truppen aus den Grenzdörfern abziehen.")
FIRE_EN = ("A fire destroyed three warehouses in the port of Lindmark overnight, the fire brigade said. Nobody was "
           "hurt, but shipping was halted for most of Friday while crews cooled the burning containers.")
FIRE_EN_2 = ("Firefighters in Lindmark battled a blaze at the harbour through the night; three storage halls burned "
             "down and ships were kept out of the port on Friday. No injuries were reported.")


def art(article_id: str, title: str, text: str, language: str) -> Article:
    return Article(id=article_id, path=f"{article_id}.txt", text=text, title=title, published="2025-02-13",
                   language=language)


def test_only_articles_in_other_languages_ask_for_the_larger_model():
    assert not needs_multilingual(["en", "en", None])
    assert needs_multilingual(["en", "de"])


def test_a_translation_is_close_and_an_unrelated_report_is_not():
    vectors = default_multilingual().encode([SUMMIT_EN, SUMMIT_DE, FIRE_EN])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    translation, unrelated = float(vectors[0] @ vectors[1]), float(vectors[1] @ vectors[2])
    assert translation > 0.6
    assert unrelated < 0.3
    assert translation - unrelated > 0.4


def test_the_german_report_joins_the_english_story_with_multilingual_vectors():
    articles = [art("e1", "Valdoria and Merenia agree to resume border talks", SUMMIT_EN, "en"),
                art("e2", "Border talks to reopen after Geneva meeting", SUMMIT_EN_2, "en"),
                art("f1", "Fire destroys warehouses in Lindmark port", FIRE_EN, "en"),
                art("f2", "Lindmark harbour blaze halts shipping", FIRE_EN_2, "en"),
                art("d1", "Valdoria und Merenia wollen wieder über die Grenze verhandeln", SUMMIT_DE, "de")]
    _, index = assign_stories(articles, StoryIndex(space=map_steps.MULTILINGUAL), embedder=default_multilingual())
    story_of = {a: sid for sid, st in index.stories.items() for a in st.article_ids}
    assert story_of["d1"] == story_of["e1"] == story_of["e2"]
    assert story_of["f1"] == story_of["f2"] != story_of["e1"]


def test_english_only_story_features_never_load_the_multilingual_model(monkeypatch):
    def refuse():
        raise AssertionError("the multilingual model was loaded for English articles")

    monkeypatch.setattr(multilingual, "default_multilingual", refuse)
    items = [(art("f1", "Fire destroys warehouses", FIRE_EN, "en"), set(), "english")]
    features = map_steps.story_features(items)
    assert features[0].vector.shape == (384,)


def test_respacing_keeps_stories_and_records_the_space():
    articles = [art("f1", "Fire destroys warehouses", FIRE_EN, "en"), art("f2", "Harbour blaze", FIRE_EN_2, "en")]
    _, index = assign_stories(articles)
    assert index.space == "english"
    vectors = dict(zip(("f1", "f2"), default_multilingual().encode([FIRE_EN, FIRE_EN_2])))
    moved = index.respaced(vectors, map_steps.MULTILINGUAL)
    assert [s.article_ids for s in moved.stories.values()] == [s.article_ids for s in index.stories.values()]
    restored = StoryIndex.from_dict(json.loads(json.dumps(moved.to_dict())))
    assert restored.space == "multilingual"
    only = next(iter(restored.stories.values()))
    assert np.allclose(only.vector_sum, sum(vectors[a] for a in only.article_ids), atol=1e-5)
    assert StoryIndex.from_dict({"stories": []}).space == "english"  # indexes stored before spaces existed


def test_a_german_batch_turns_the_stored_english_stories_multilingual(tmp_path):
    first = tmp_path / "first"
    first.mkdir()
    (first / "summit.txt").write_text("Valdoria and Merenia agree to resume border talks\n\n" + SUMMIT_EN, encoding="utf-8")
    (first / "summit2.txt").write_text("Border talks to reopen after Geneva meeting\n\n" + SUMMIT_EN_2, encoding="utf-8")
    (first / "fire.txt").write_text("Fire destroys warehouses in Lindmark port\n\n" + FIRE_EN, encoding="utf-8")
    db = tmp_path / "s.duckdb"
    pipeline.run([first], tmp_path / "a", db=db, workers=1)
    second = tmp_path / "second"
    second.mkdir()
    (second / "gipfel.txt").write_text("Valdoria und Merenia wollen wieder über die Grenze verhandeln\n\n" + SUMMIT_DE,
                                       encoding="utf-8")
    pipeline.run([first, second], tmp_path / "b", db=db, workers=1)
    export = json.loads((tmp_path / "b" / "storyline.json").read_text(encoding="utf-8"))
    language = {a["path"].rsplit("/", 1)[-1]: a["language"] for a in export["articles"]}
    assert language == {"summit.txt": "en", "summit2.txt": "en", "fire.txt": "en", "gipfel.txt": "de"}
    by_path = {a["id"]: a["path"].rsplit("/", 1)[-1] for a in export["articles"]}
    groups = [sorted(by_path[i] for i in s["article_ids"]) for s in export["stories"]]
    assert ["gipfel.txt", "summit.txt", "summit2.txt"] in groups
    assert ["fire.txt"] in groups


def test_names_only_one_foreign_article_has_are_dropped_from_its_features():
    from storyline.records import Entity, Mention

    def entity(eid, name, articles):
        return Entity(id=eid, name=name, type="GPE", mentions=[Mention(a, 0, 4) for a in articles])

    merged = [entity("e-mer", "Merenia", ["en1", "de1"]), entity("e-don", "Donnerstag", ["de1"]),
              entity("e-lin", "Lindmark", ["en2"])]
    named = map_steps.article_entities(merged, {"en1", "en2", "de1"})
    kept = map_steps.shared_names(named, merged, {"de1"})
    assert kept["de1"] == {"e-mer"}
    assert kept["en2"] == {"e-lin"}  # English articles keep every name, as before


# One fictional round of talks, told by two English outlets and one German one.
TALKS_EN_1 = ("Negotiators from Valdoria and Merenia met in Geneva on Tuesday to discuss a ceasefire along the border. "
              "Both delegations agreed that prisoners of war should be exchanged before the end of the month. "
              "The government has wanted to join the trade bloc for more than a decade.")
TALKS_EN_2 = ("Talks on a ceasefire along the disputed border began in Geneva on Tuesday between delegations of "
              "Valdoria and Merenia. An exchange of prisoners of war before the month is out was agreed by both sides. "
              "Farmers near the frontier complained that the fighting had ruined this year's harvest.")
TALKS_DE = ("Unterhändler aus Valdoria und Merenia haben sich am Dienstag in Genf getroffen, um über eine Waffenruhe "
            "an der Grenze zu beraten. Beide Delegationen vereinbarten, die Kriegsgefangenen noch vor Ende des Monats "
            "auszutauschen. In der Hauptstadt soll im Herbst ein neues Krankenhaus eröffnet werden, teilte das "
            "Gesundheitsministerium mit.")


def _talks_story(params=None):
    from storyline.compare import ClaimParams, StoryRecords, compare_story
    from storyline.map_steps import extract_articles
    from storyline.records import Story

    articles = [art("en1", "Ceasefire talks in Geneva", TALKS_EN_1, "en"),
                art("en2", "Border talks begin", TALKS_EN_2, "en"),
                art("de1", "Waffenruhe: Gespräche in Genf", TALKS_DE, "de")]
    extracts = extract_articles(articles)
    records = StoryRecords(Story("s", "t", [a.id for a in articles]), articles,
                           sentences=[s for x in extracts for s in x.sentences],
                           quotes=[q for x in extracts for q in x.quotes],
                           figures=[f for x in extracts for f in x.figures],
                           events=[e for x in extracts for e in x.events],
                           mentions=[m for x in extracts for m in x.mentions])
    return compare_story(records, params=params or ClaimParams())


def _claim_holding(story, words: str):
    return next(c for c in story.claims if any(words in v.text for v in c.variants))


def test_a_german_telling_joins_the_english_claim_and_its_own_news_stays_apart():
    story = _talks_story()
    talks = _claim_holding(story, "Waffenruhe")
    assert set(talks.article_ids) == {"en1", "en2", "de1"}, [v.text for v in talks.variants]
    assert talks.status == "corroborated" and talks.sources == 3
    assert talks.confidence < 0.65  # a cross-language pair joins at the measured threshold, below the seed
    hospital = _claim_holding(story, "Krankenhaus")
    assert hospital.article_ids == ["de1"] and hospital.status == "single-source"
    for claim in story.claims:
        assert len(claim.article_ids) == len(set(claim.article_ids))
        assert not any("harvest" in v.text for v in claim.variants) or claim.article_ids == ["en2"]


def test_without_the_multilingual_judge_the_german_telling_stands_alone():
    from storyline.compare import ClaimParams

    story = _talks_story(ClaimParams(across_languages=False))
    assert _claim_holding(story, "Waffenruhe").article_ids == ["de1"]
    assert set(_claim_holding(story, "Geneva").article_ids) == {"en1", "en2"}


def test_an_english_story_compares_without_loading_the_multilingual_model(monkeypatch):
    from storyline.compare import StoryRecords, compare_story
    from storyline.map_steps import extract_articles
    from storyline.records import Story

    def refuse():
        raise AssertionError("the multilingual model was loaded for an English story")

    monkeypatch.setattr(multilingual, "default_multilingual", refuse)
    articles = [art("en1", "Ceasefire talks", TALKS_EN_1, "en"), art("en2", "Border talks", TALKS_EN_2, None)]
    extracts = extract_articles(articles)
    story = compare_story(StoryRecords(Story("s", "t", ["en1", "en2"]), articles,
                                       sentences=[s for x in extracts for s in x.sentences]))
    assert set(_claim_holding(story, "Geneva").article_ids) == {"en1", "en2"}


def test_a_mixed_story_compared_again_reuses_its_stored_multilingual_vectors(monkeypatch):
    from dataclasses import replace

    from storyline.compare import StoryRecords
    from storyline.compare.crosslingual import unpack_memo
    from storyline.map_steps import extract_articles
    from storyline.records import Story

    articles = [art("en1", "Ceasefire talks in Geneva", TALKS_EN_1, "en"),
                art("en2", "Border talks begin", TALKS_EN_2, "en"),
                art("de1", "Waffenruhe: Gespräche in Genf", TALKS_DE, "de")]
    extracts = extract_articles(articles)
    records = StoryRecords(Story("s", "t", [a.id for a in articles]), articles,
                           sentences=[s for x in extracts for s in x.sentences])
    model = default_multilingual()
    embedded: list[str] = []

    class Counting:
        def encode(self, texts):
            embedded.extend(texts)
            return model.encode(texts)

    monkeypatch.setattr(multilingual, "default_multilingual", lambda: Counting())
    (first, blob), = map_steps.compare_stories([records])
    assert embedded and unpack_memo(blob)[1]  # the vectors are stored with the scores
    count = len(embedded)
    (again, blob_again), = map_steps.compare_stories([replace(records, pair_logits=blob)])
    assert len(embedded) == count  # nothing embedded a second time
    assert [(c.text, c.article_ids) for c in again.claims] == [(c.text, c.article_ids) for c in first.claims]
    assert unpack_memo(blob_again)[1] == unpack_memo(blob)[1]
