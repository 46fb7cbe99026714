"""Story clustering on fictional coverage: events that must stay apart, paraphrases that must join,
incremental batches, stable ids, the persisted index, and the five real seed articles."""

from __future__ import annotations

import json
import pickle
import random

import numpy as np
import pytest

from storyline.records import Article
from storyline.stories import (
    ArticleFeatures,
    StoryIndex,
    StoryParams,
    article_features,
    assign_stories,
    batch_features,
)

from conftest import SEEDS  # noqa: E402


def art(article_id: str, title: str, text: str, published: str | None, source: str = "wire") -> Article:
    return Article(id=article_id, path=f"{article_id}.txt", text=text, title=title, published=published, source=source)


# Two floods of the same kind in two regions, a month apart.
NORTH_FLOOD = [
    art("n1", "Floods force thousands from homes in Tarsova",
        "Heavy rain pushed the Elbrin river over its banks on Monday, flooding the town of Veldhaven in Tarsova "
        "province. Governor Anika Solberg said 4,000 residents had been evacuated. Rescue teams in boats reached "
        "villages cut off by the water.", "2024-03-04", "Tarsova Herald"),
    art("n2", "Elbrin river bursts its banks, Veldhaven under water",
        "Thousands of people fled Veldhaven after the Elbrin river flooded the town overnight. Tarsova governor "
        "Anika Solberg declared an emergency and asked the army for help. Two people are missing.", "2024-03-04",
        "National Daily"),
    art("n3", "Tarsova governor says flood damage will take months to repair",
        "Anika Solberg, governor of Tarsova, toured flooded streets of Veldhaven on Tuesday as the Elbrin began to "
        "recede. She said repairs to roads and the rail bridge would take months. The two missing residents were "
        "found alive.", "2024-03-05", "Radio North"),
    art("n4", "Army engineers shore up levees after Veldhaven flood",
        "Army engineers worked through the night to rebuild levees along the Elbrin near Veldhaven, Tarsova "
        "officials said. Governor Solberg thanked volunteers who filled sandbags after the flood.", "2024-03-06",
        "Wire Service"),
]
SOUTH_FLOOD = [
    art("s1", "Flash floods sweep through Port Lessing in Corvane",
        "Torrential rain caused flash floods in the coastal city of Port Lessing in the Corvane region on Saturday. "
        "Mayor Tomas Reyes said 2,500 people were moved to shelters. Rescue crews pulled drivers from cars trapped "
        "on the Marisol highway.", "2024-04-06", "Corvane Post"),
    art("s2", "Port Lessing mayor: worst flooding in decades",
        "Tomas Reyes, mayor of Port Lessing, called the floods the worst the Corvane coast had seen in decades. "
        "The Marisol highway remained closed and schools were shut.", "2024-04-07", "National Daily"),
    art("s3", "Corvane floods: shelters fill as rain continues",
        "Shelters in Port Lessing filled up as rain kept falling across Corvane on Sunday. Mayor Reyes asked "
        "residents of low-lying districts to leave before the tide.", "2024-04-07", "Wire Service"),
]
FACTORY_FIRE = [
    art("f1", "Fire destroys Halvard chemical plant near Ostmere",
        "A fire tore through the Halvard chemical plant outside Ostmere on Thursday, sending black smoke over the "
        "city. Fire chief Lena Brandt said all 120 workers got out safely.", "2024-03-07", "Ostmere Times"),
    art("f2", "Ostmere residents told to keep windows shut after plant blaze",
        "Authorities in Ostmere told residents to keep windows closed after a blaze at the Halvard chemical works. "
        "Chief Lena Brandt said firefighters had the flames under control by evening.", "2024-03-07", "Wire Service"),
    art("f3", "Investigators search for cause of Halvard plant fire",
        "Investigators began examining the ruins of the Halvard plant in Ostmere on Friday. Lena Brandt, the city's "
        "fire chief, said it was too early to say what started the fire.", "2024-03-08", "Radio North"),
]
LATE_FLOOD_REPORT = art(
    "n5", "Veldhaven begins clean-up as Elbrin falls",
    "Residents of Veldhaven returned to mud-filled homes as the Elbrin river fell back, Tarsova governor Anika "
    "Solberg said on Thursday. Insurers began assessing the flood damage.", "2024-03-07", "Tarsova Herald")
MINE_COLLAPSE = [
    art("m1", "Twelve miners trapped after collapse at Grauberg mine",
        "Twelve miners were trapped underground on Friday after a tunnel collapsed at the Grauberg copper mine in "
        "the Selvin hills. The operator, Kopra Mining, said rescuers were drilling toward them.", "2024-03-08",
        "Wire Service"),
    art("m2", "Rescuers drill toward miners trapped in Selvin hills",
        "Rescue teams at the Grauberg mine drilled through the night to reach 12 workers trapped by a collapse, "
        "Kopra Mining said. Families waited at the gate of the site in the Selvin hills.", "2024-03-09", "Radio North"),
]


def groups(stories) -> list[set[str]]:
    return [set(story.article_ids) for story in stories]


def story_of(stories, article_id: str):
    return next(story for story in stories if article_id in story.article_ids)


def test_two_floods_a_month_apart_stay_apart_and_each_flood_is_one_story():
    stories, _ = assign_stories(NORTH_FLOOD + SOUTH_FLOOD)
    north, south = {a.id for a in NORTH_FLOOD}, {a.id for a in SOUTH_FLOOD}
    assert north in groups(stories)
    assert south in groups(stories)


def test_paraphrased_headlines_of_one_event_join_and_other_events_do_not():
    stories, _ = assign_stories(FACTORY_FIRE + NORTH_FLOOD[:2] + MINE_COLLAPSE)
    assert sorted(map(sorted, groups(stories))) == [["f1", "f2", "f3"], ["m1", "m2"], ["n1", "n2"]]
    fire = story_of(stories, "f1")
    assert fire.title in {a.title for a in FACTORY_FIRE}
    assert fire.article_ids == ["f1", "f2", "f3"]  # by date


def test_incremental_batch_joins_existing_story_and_starts_a_new_one():
    first, index = assign_stories(NORTH_FLOOD[:3] + FACTORY_FIRE)
    before = json.dumps(index.to_dict(), sort_keys=True)
    flood_id = story_of(first, "n1").id
    second, index2 = assign_stories([LATE_FLOOD_REPORT] + MINE_COLLAPSE, index)
    assert json.dumps(index.to_dict(), sort_keys=True) == before  # the given index is not modified
    assert story_of(second, "n5").id == flood_id
    assert story_of(second, "n5").article_ids == ["n1", "n2", "n3", "n5"]
    mine = story_of(second, "m1")
    assert set(mine.article_ids) == {"m1", "m2"} and mine.id not in {s.id for s in first}
    assert len(second) == 2  # only stories this batch touched; the fire story is untouched
    assert len(index2.to_stories()) == 3 and index2.articles == 9
    again, index3 = assign_stories([LATE_FLOOD_REPORT], index2)  # already stored: skipped
    assert again == [] and index3 is index2


def test_ids_are_deterministic_and_input_order_does_not_matter():
    batch = NORTH_FLOOD + SOUTH_FLOOD + FACTORY_FIRE
    one, _ = assign_stories(batch)
    two, _ = assign_stories(list(batch))
    shuffled = list(batch)
    random.Random(7).shuffle(shuffled)
    three, _ = assign_stories(shuffled)
    assert [(s.id, s.title, s.article_ids) for s in one] == [(s.id, s.title, s.article_ids) for s in two]
    assert [(s.id, s.article_ids) for s in one] == [(s.id, s.article_ids) for s in three]
    assert all(s.id.startswith("s-") for s in one)


def test_story_index_round_trips_through_json_and_pickle():
    _, index = assign_stories(NORTH_FLOOD[:3] + FACTORY_FIRE)
    data = json.loads(json.dumps(index.to_dict()))
    restored = StoryIndex.from_dict(data)
    assert restored.to_dict() == index.to_dict()
    assert pickle.loads(pickle.dumps(index)).to_dict() == index.to_dict()
    state = next(iter(restored.stories.values()))
    assert state.centroid.shape == (384,) and abs(float(np.linalg.norm(state.centroid)) - 1) < 1e-5
    assert state.first <= state.last and state.sources
    batch = [LATE_FLOOD_REPORT] + MINE_COLLAPSE
    a, ia = assign_stories(batch, index)
    b, ib = assign_stories(batch, restored)
    assert [(s.id, s.title, s.article_ids) for s in a] == [(s.id, s.title, s.article_ids) for s in b]
    assert ia.to_dict() == ib.to_dict()


def test_article_features_names_dates_and_given_entities():
    f = article_features(NORTH_FLOOD[0])
    assert {"anika solberg", "veldhaven", "tarsova", "elbrin"} <= f.entities
    assert "heavy" not in f.entities and "monday" not in f.entities
    assert f.day is not None and f.source == "Tarsova Herald" and f.headline == NORTH_FLOOD[0].title
    assert f.vector.shape == (384,) and abs(float(np.linalg.norm(f.vector)) - 1) < 1e-4
    given = article_features(NORTH_FLOOD[0], entities={"E1", "E2"})
    assert given.entities == frozenset({"E1", "E2"})
    untitled = Article(id="u", path="u.txt", text="Rain fell on Veldhaven again. The river rose.")
    untitled_features = article_features(untitled)
    assert untitled_features.headline == "Rain fell on Veldhaven again."
    assert untitled_features.entities == {"veldhaven"}  # "Rain" and "The" start sentences; not names


class _OneDirection:
    """Every text maps to the same vector: only names and dates can tell stories apart."""

    def encode(self, texts):
        vectors = np.zeros((len(texts), 4), dtype=np.float32)
        vectors[:, 0] = 1.0
        return vectors


def test_time_window_and_penalty_separate_the_same_names_months_apart():
    text = "The Lowmark harvest fair opened in Brenvik with Mayor Ida Lunde."
    early = [art("h1", "Lowmark fair opens", text, "2023-09-01"), art("h2", "Lowmark fair begins", text, "2023-09-02")]
    late = [art("h3", "Lowmark fair opens", text, "2024-09-01")]
    stories, _ = assign_stories(early + late, embedder=_OneDirection())
    assert sorted(map(sorted, groups(stories))) == [["h1", "h2"], ["h3"]]
    undated = [art(f"x{i}", "Lowmark fair opens", text, None) for i in range(3)]
    stories, _ = assign_stories(undated, embedder=_OneDirection())
    assert len(stories) == 1  # without dates time plays no role


def test_precomputed_features_give_the_same_stories():
    batch = NORTH_FLOOD + FACTORY_FIRE
    features = batch_features(batch)
    assert all(isinstance(f, ArticleFeatures) for f in features)
    for k in (0, 5):  # texts are embedded sorted by length: each vector must come back to its article
        assert np.allclose(features[k].vector, article_features(batch[k]).vector, atol=1e-5)
    direct, _ = assign_stories(batch)
    given, _ = assign_stories([], features=features)
    assert [(s.id, s.article_ids) for s in direct] == [(s.id, s.article_ids) for s in given]
    tighter, _ = assign_stories([], features=features, params=StoryParams(threshold=0.99))
    assert len(tighter) == len(batch)


SEED_DATES = {"000": "2022-01-30", "001": "2022-02-01", "002": "2022-04-01", "003": "2022-01-28", "004": "2022-01-27"}


def test_seed_articles_on_lavrovs_security_guarantees():
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} is not available")
    articles = []
    for path in sorted(SEEDS.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        title, _, body = raw.strip().partition("\n")
        key = path.name[:3]
        articles.append(Article(id=key, path=str(path), text=body.strip(), title=title.strip(),
                                published=SEED_DATES.get(key)))
    stories, _ = assign_stories(articles)
    grouping = [s.article_ids for s in stories]
    print("seed stories:", [(s.id, s.title, s.article_ids) for s in stories])
    lavrov = story_of(stories, "000")
    assert {"000", "003", "004"} <= set(lavrov.article_ids), grouping
