"""The analysis stages, run over the store after ingest.

Each stage has a pure part (records in, records out: what a Ray task would run on a batch) and
a thin store part here that reads what is new, calls it and writes the result in one
transaction. Only articles a stage has not seen are processed again, so a grown folder costs
the new articles plus the corpus-level steps (entity merging, story assignment) and the
stories those articles touched.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable, Sequence

from .engine import Engine, LocalEngine
from .records import Article, Copy, EntityMention, Event, Figure, Quote, Sentence, Story
from .store import Store

# (what is happening, how many units are done so far, total units or None)
Progress = Callable[[str, int, int | None], None]

EXTRACT = "extract"
COPIES = "copies"
STORIES = "stories"
STORY_INDEX_STATE = "story_index"
PENDING_STATE = "stories_to_compare"  # survives a crash between placing articles and comparing
PARSE_CHUNK = 64  # articles parsed per store write: bounds memory held in spaCy Docs
FEATURE_CHUNK = 256  # articles embedded per task (the model batches well)
COMPARE_CHUNK = 8  # stories per compare task
STORIES_LOADED = 256  # stories whose records are read from the store at a time
STORY_ENTITY_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"})


@dataclass
class ArticleExtracts:
    """Everything the per-article extract step finds in one article."""

    article_id: str
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[EntityMention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


def extract_articles(articles: Sequence[Article]) -> list[ArticleExtracts]:
    """Parse a batch and run every per-article extractor; a pure map step over articles."""
    from . import nlp
    from .extract.dates import extract_events
    from .extract.entities import entity_mentions
    from .extract.figures import extract_figures
    from .extract.quotes import extract_quotes

    out = []
    for article, doc in zip(articles, nlp.parse(a.text for a in articles)):
        sentences = [Sentence(article.id, i, s.start_char, s.end_char) for i, s in enumerate(doc.sents)]
        out.append(ArticleExtracts(
            article.id, sentences, entity_mentions(article, doc), extract_quotes(article, doc),
            extract_figures(article, doc), extract_events(article, doc)))
    return with_sentence_vectors(articles, out)


def with_sentence_vectors(articles: Sequence[Article], extracts: list[ArticleExtracts]) -> list[ArticleExtracts]:
    """Each sentence embedded once, here, and stored: stories, claims and search reuse the vector.

    The whole batch goes to the model at once, sorted by length inside `embed`, so padding stays small."""
    from .compare.units import trimmed
    from .embed import embed, pack

    text_of = {a.id: a.text for a in articles}
    spans = [(x, k, trimmed(text_of[x.article_id], s.start, s.end)) for x in extracts for k, s in enumerate(x.sentences)]
    vectors = embed([text for _, _, text in spans])
    for (x, k, _), vector in zip(spans, vectors):
        x.sentences[k] = replace(x.sentences[k], vector=pack(vector))
    return extracts


def compare_stories(records: Sequence) -> list[Story]:
    """`compare_story` over a batch of `StoryRecords`; a pure map step over stories."""
    from .compare import compare_story

    return [compare_story(r) for r in records]


def story_features(items: Sequence[tuple[Article, set[str]]]) -> list:
    """Embedding, names, date and source of each (article, its entity ids); a map step."""
    from .stories import batch_features

    return batch_features([a for a, _ in items], entities={a.id: names for a, names in items})


def link_speakers(quotes: Iterable[Quote], index) -> list[Quote]:
    """Quotes with `speaker_entity` set from the canonical entity at the speaker's span."""
    linked = []
    for q in quotes:
        entity = None
        if q.speaker_start is not None and q.speaker_end is not None:
            entity = index.at(q.article_id, q.speaker_start, q.speaker_end)
        linked.append(replace(q, speaker_entity=entity.id if entity else None))
    return linked


def article_entities(entities, wanted: set[str]) -> dict[str, set[str]]:
    """Canonical entity ids named in each wanted article (the stories stage's name features)."""
    named: dict[str, set[str]] = {a: set() for a in wanted}
    for e in entities:
        if e.type not in STORY_ENTITY_TYPES:
            continue
        for m in e.mentions:
            if m.article_id in named:
                named[m.article_id].add(e.id)
    return named


# --- the store side ---------------------------------------------------------------------------


def _extract(store: Store, engine: Engine, progress: Progress) -> list[str]:
    done = store.analysed(EXTRACT)
    todo = [a for a in store.articles() if a.id not in done]
    finished = 0
    for chunk, found in engine.map_batches(extract_articles, todo, PARSE_CHUNK):
        ids = [a.id for a in chunk]
        with store.batch():
            for cls, attr in ((Sentence, "sentences"), (EntityMention, "mentions"), (Quote, "quotes"),
                              (Figure, "figures"), (Event, "events")):
                store.replace_for_articles(cls, ids, [r for f in found for r in getattr(f, attr)])
            store.mark_analysed(EXTRACT, ids)
        finished += len(chunk)
        progress("extract", finished, len(todo))
    return [a.id for a in todo]


def _entities(store: Store) -> list:
    """Merge every stored mention into canonical entities and relink quote speakers to them.

    Corpus-level on purpose: a new article can join two spellings that were apart before."""
    from .extract.entities import EntityIndex, canonicalize
    from .records import Entity

    entities = canonicalize(store.get(EntityMention))
    quotes = link_speakers(store.get(Quote), EntityIndex(entities))
    with store.batch():
        store.replace_all(Entity, entities)
        store.replace_all(Quote, quotes)
    return entities


def _copies(store: Store, new_ids: set[str]) -> None:
    from .copies import closest_originals, find_copies

    if not new_ids:
        return
    articles = store.articles()
    new = [a for a in articles if a.id in new_ids]
    old = [a for a in articles if a.id not in new_ids]
    links = closest_originals(store.get(Copy) + find_copies(new, existing=old))
    with store.batch():
        store.replace_all(Copy, links)
        store.mark_analysed(COPIES, new_ids)


def _stories(store: Store, new_ids: set[str], entities, engine: Engine) -> None:
    """Place new articles into stories and remember which stories must be compared again."""
    from .stories import StoryIndex, assign_stories

    saved = store.get_state(STORY_INDEX_STATE)
    index = StoryIndex.from_dict(saved) if saved else StoryIndex()
    new = store.articles(sorted(new_ids))
    named = article_entities(entities, new_ids)
    features = [f for _, batch in engine.map_batches(story_features, [(a, named[a.id]) for a in new], FEATURE_CHUNK)
                for f in batch]
    touched, index = assign_stories(new, index, features=features)
    pending = set(store.get_state(PENDING_STATE) or []) | {s.id for s in touched}
    with store.batch():
        store.set_state(STORY_INDEX_STATE, index.to_dict())
        store.set_state(PENDING_STATE, sorted(pending))
        store.mark_analysed(STORIES, new_ids)


def _compare(store: Store, engine: Engine, progress: Progress) -> None:
    """Compare the stories new articles joined; the others keep their stored results."""
    from .stories import StoryIndex

    index = StoryIndex.from_dict(store.get_state(STORY_INDEX_STATE) or {})
    kept = {s.id: s for s in store.get(Story)}
    pending = set(store.get_state(PENDING_STATE) or [])
    results: list[Story] = []
    todo: list[Story] = []
    finished = 0
    for story in index.to_stories():
        if story.id in kept and story.id not in pending:
            results.append(replace(kept[story.id], title=story.title, article_ids=story.article_ids))
        else:
            todo.append(story)
    for start in range(0, len(todo), STORIES_LOADED):
        records = [_story_records(store, s) for s in todo[start:start + STORIES_LOADED]]
        for batch, compared in engine.map_batches(compare_stories, records, COMPARE_CHUNK):
            results.extend(compared)
            finished += len(batch)
            progress("compare", finished, len(todo))
    with store.batch():
        store.replace_all(Story, results)
        store.set_state(PENDING_STATE, [])


def _story_records(store: Store, story: Story):
    from .compare import StoryRecords

    ids = list(story.article_ids)
    where, params = "article_id IN (SELECT unnest(?))", [ids]
    return StoryRecords(
        story=story, articles=store.articles(ids),
        sentences=store.get(Sentence, where, params), quotes=store.get(Quote, where, params),
        figures=store.get(Figure, where, params), events=store.get(Event, where, params),
        copies=store.get(Copy, where, params), mentions=store.get(EntityMention, where, params))


def analyse_store(store: Store, *, progress: Progress, engine: Engine | None = None) -> dict[str, float]:
    """Seconds spent per stage; every stage reads from and writes to `store`.

    `engine` runs the per-batch steps (extraction, comparison): in-process by default, or on
    Ray (`storyline.engine.RayEngine`)."""
    engine = engine or LocalEngine()
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[stage] = round(now - clock, 3)
        clock = now

    _extract(store, engine, progress)
    lap("extract")
    entities = _entities(store)
    lap("entities")
    ids = store.article_ids()
    _copies(store, ids - store.analysed(COPIES))
    lap("copies")
    _stories(store, ids - store.analysed(STORIES), entities, engine)
    lap("stories")
    _compare(store, engine, progress)
    lap("compare")
    return seconds
