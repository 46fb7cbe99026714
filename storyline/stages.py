"""The pipeline as declared stages, in the order they run.

Every stage says its name, the record types it reads and writes, the unit of its batch
function (a file, a document, an article, a story, or the corpus) and that pure function; the
analysis stages also give their store side, the step that finds what is new, has the engine
map the batch function over it and writes the results. `pipeline.analyse` runs `STAGES` in
this order and nothing else, `check_order` proves each stage reads only what an earlier stage
wrote, and `flow_diagram` is the README's flow line (a test holds them equal). The shape is
spaCy's: components registered by a decorator that names what each requires and assigns, in a
pipeline whose order is checked, as `Language.analyze_pipes` does.

Ingest and clean are declared here too, although `pipeline.ingest_paths` runs them batch by
batch as files are read, so the registry shows the whole flow.

A step never raises for one bad article or story: the engine isolates it (`engine.Isolated`),
the step records a `StageProblem` naming it and leaves it unmarked, and the next run tries it
again. Only the store side knows which articles are new, and only `store` knows SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable, Iterable, Sequence

from . import clean as clean_stage
from . import ingest as ingest_stage
from . import map_steps
from .engine import Engine, Failed, Isolated
from .multilingual import ENGLISH, needs_multilingual
from .records import Article, Copy, Entity, EntityMention, Event, Figure, Quote, Sentence, StageProblem, Story
from .store import Store

# (what is happening, how many units are done so far, total units or None)
Progress = Callable[[str, int, int | None], None]

EXTRACT, ENTITIES, COPIES, STORIES, COMPARE = "extract", "entities", "copies", "stories", "compare"
STORY_INDEX_STATE = "story_index"
PENDING_STATE = "stories_to_compare"  # survives a crash between placing articles and comparing
ARTICLES_LOADED = 1024  # new articles read from the store at a time
PARSE_CHUNK = 32  # articles per extract task: bounds memory held in spaCy Docs, and keeps workers evenly busy
FEATURE_CHUNK = 64  # articles embedded per story-features task (the model batches well)
COMPARE_CHUNK = 2  # stories per compare task (largest first: one long story must not start last)
STORIES_LOADED = 256  # stories whose records are read from the store at a time


@dataclass(frozen=True)
class Stage:
    name: str
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    unit: str  # what one item of `batch` is: file, document, article, story; corpus for a whole-corpus step
    batch: Callable | None  # the pure function an engine maps over batches of units
    step: Callable[["StageRun"], None] | None  # the store side; None when ingest runs the stage
    purpose: str = ""


STAGES: list[Stage] = []


def stage(name: str, *, reads: Iterable[str], writes: Iterable[str], unit: str, batch: Callable | None = None):
    """Register the decorated store-side step as the next analysis stage."""

    def register(step: Callable[["StageRun"], None]) -> Callable[["StageRun"], None]:
        purpose = (step.__doc__ or "").strip().split("\n")[0]
        STAGES.append(Stage(name, tuple(reads), tuple(writes), unit, batch, step, purpose))
        return step

    return register


STAGES.append(Stage("ingest", ("files",), ("Document",), "file", ingest_stage.read_file, None,
                    "Read files, folders and feeds into documents; bad files become problems."))
STAGES.append(Stage("clean", ("Document",), ("Article",), "document", clean_stage.clean, None,
                    "Main text, title, date and source of each document, boilerplate learned from the corpus."))


def analysis_stages() -> list[Stage]:
    return [s for s in STAGES if s.step is not None]


def check_order(stages: Sequence[Stage] = STAGES) -> None:
    """Raise ValueError when a stage reads a record type no earlier stage writes."""
    written = {"files"}
    for s in stages:
        missing = [r for r in s.reads if r not in written]
        if missing:
            raise ValueError(f"stage {s.name!r} reads {', '.join(missing)} before any stage writes it")
        written.update(s.writes)


def flow_diagram(stages: Sequence[Stage] = STAGES) -> str:
    """The one-line flow the README shows, from the registry."""
    return " ─▶ ".join(["files/feeds", *(s.name for s in stages), "store", "report / web / export"])


@dataclass
class StageRun:
    """What a step needs: the store, the engine, progress, and the problems of this run."""

    store: Store
    engine: Engine
    progress: Progress
    problems: list[StageProblem] = field(default_factory=list)
    entities: list[Entity] | None = None  # merged by the entities stage in this run, for the stories stage

    def map(self, name: str, items: Sequence, size: int, key: Callable) -> Iterable[tuple[Sequence, list, list[Failed]]]:
        """(batch, results, failures) per batch of the stage's function over `items`."""
        fn = next(s.batch for s in STAGES if s.name == name)
        for batch, out in self.engine.map_batches(Isolated(fn, key), items, size):
            yield batch, [r for r in out if not isinstance(r, Failed)], [r for r in out if isinstance(r, Failed)]

    def settle(self, name: str, kind: str, done: Iterable[str], failed: Iterable[Failed]) -> None:
        """Clear the problems of what now worked and store those of what failed (in the caller's batch)."""
        self.store.clear_stage_problems(name, done)
        found = [StageProblem(name, f.subject, kind, f.reason) for f in failed]
        self.store.put(found)
        self.problems.extend(found)


def _chunks(items: Sequence, size: int) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


@stage(EXTRACT, reads=("Article",), writes=("Sentence", "EntityMention", "Quote", "Figure", "Event"), unit="article",
       batch=map_steps.extract_articles)
def extract(run: StageRun) -> None:
    """Parse each new article and run every extractor on it; each sentence is embedded once."""
    store, todo, finished = run.store, run.store.pending_ids(EXTRACT), 0
    for page in _chunks(todo, ARTICLES_LOADED):
        for chunk, found, failed in run.map(EXTRACT, store.articles(page), PARSE_CHUNK, map_steps.article_key):
            ids = [f.article_id for f in found]
            with store.batch():
                for cls, attr in ((Sentence, "sentences"), (EntityMention, "mentions"), (Quote, "quotes"),
                                  (Figure, "figures"), (Event, "events")):
                    store.replace_for_articles(cls, ids, [r for f in found for r in getattr(f, attr)])
                store.mark_analysed(EXTRACT, ids)
                run.settle(EXTRACT, "article", ids, failed)
            finished += len(chunk)
            run.progress("extract", finished, len(todo))


@stage(ENTITIES, reads=("EntityMention", "Quote"), writes=("Entity", "Quote"), unit="corpus")
def entities(run: StageRun) -> None:
    """Merge mentions into canonical entities and link quote speakers to them.

    Merging reads every mention, since a new article can join two spellings that were apart;
    speakers are relinked only in new articles and where an entity changed, and only rows
    that changed are written."""
    from .extract.entities import EntityIndex, canonicalize

    store = run.store
    new = store.pending_ids(ENTITIES, after=EXTRACT)
    if not new:
        return
    previous = store.get(Entity)
    merged = canonicalize(store.get(EntityMention))
    was = {(m.article_id, m.start, m.end): e.id for e in previous for m in e.mentions}
    touched = set(new) | {m.article_id for e in merged for m in e.mentions
                          if was.get((m.article_id, m.start, m.end)) != e.id}
    quotes = store.for_articles(Quote, sorted(touched))
    with store.batch():
        store.update_table(Entity, merged, previous)
        store.update_table(Quote, map_steps.link_speakers(quotes, EntityIndex(merged)), quotes)
        store.mark_analysed(ENTITIES, new)
    run.entities = merged


class _StoredArticle:
    """An old article known by id, whose text is read from the store only if copy
    confirmation asks for it (most old articles are never a candidate)."""

    def __init__(self, store: Store, article_id: str) -> None:
        self.id, self._store, self._loaded = article_id, store, None

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        if self._loaded is None:
            self._loaded = self._store.article(self.id)
        return getattr(self._loaded, name)


def _signatures(articles: Sequence[Article]) -> tuple[list, list[Failed]]:
    """Copy signatures, one article at a time in this process (cheap: no model), each failure alone."""
    from .copies import signature
    from .engine import failure_reason

    sigs, failed = [], []
    for a in articles:
        try:
            sigs.append(signature(a))
        except Exception as exc:
            failed.append(Failed(a.id, failure_reason(exc)))
    return sigs, failed


@stage(COPIES, reads=("Article",), writes=("Copy",), unit="corpus")
def copies(run: StageRun) -> None:
    """Copy links between new articles and between them and the stored ones.

    Old articles take part through their stored signatures; their texts are read only when
    one is a candidate."""
    from . import signature_codec
    from .copies import closest_originals, find_copies

    store = run.store
    new_ids = store.pending_ids(COPIES)
    if not new_ids:
        return
    unsigned = store.articles(store.unsigned_ids())  # analysed by a version that kept no signatures
    old_sigs, _ = _signatures(unsigned)
    store.put_signatures([(s.article_id, signature_codec.to_bytes(s)) for s in old_sigs])
    stored = [signature_codec.from_bytes(data) for _, data in store.signatures()]
    new = store.articles(new_ids)
    sigs, failed = _signatures(new)
    signed = {s.article_id for s in sigs}
    found = find_copies([a for a in new if a.id in signed], signatures=sigs,
                        existing=[_StoredArticle(store, s.article_id) for s in stored], existing_signatures=stored)
    previous = store.get(Copy)
    done = [s.article_id for s in sigs]
    with store.batch():
        store.update_table(Copy, closest_originals(previous + found), previous)
        store.put_signatures([(s.article_id, signature_codec.to_bytes(s)) for s in sigs])
        store.mark_analysed(COPIES, done)
        run.settle(COPIES, "article", done, failed)


@stage(STORIES, reads=("Article", "Entity"), writes=("Story",), unit="article", batch=map_steps.story_features)
def stories(run: StageRun) -> None:
    """Place new articles into stories and remember which stories must be compared again."""
    from .stories import StoryIndex, assign_stories

    store = run.store
    new_ids = store.pending_ids(STORIES, after=EXTRACT)
    if not new_ids:
        return
    saved = store.get_state(STORY_INDEX_STATE)
    index = StoryIndex.from_dict(saved) if saved else StoryIndex()
    new = store.articles(new_ids)
    if index.space != map_steps.MULTILINGUAL and needs_multilingual(a.language for a in new):
        index = _to_multilingual(run, index)
    merged = run.entities if run.entities is not None else store.get(Entity)
    named = map_steps.article_entities(merged, set(new_ids))
    if index.space == map_steps.MULTILINGUAL:
        named = map_steps.shared_names(named, merged, {a.id for a in new if a.language not in ENGLISH})
    features, failed = [], []
    items = [(a, named[a.id], index.space) for a in new]
    for _, found, bad in run.map(STORIES, items, FEATURE_CHUNK, map_steps.item_key):
        features.extend(found)
        failed.extend(bad)
    placed = {f.article_id for f in features}
    touched, index = assign_stories([a for a in new if a.id in placed], index, features=features)
    pending = set(store.get_state(PENDING_STATE) or []) | {s.id for s in touched}
    with store.batch():
        store.set_state(STORY_INDEX_STATE, index.to_dict())
        store.set_state(PENDING_STATE, sorted(pending))
        store.mark_analysed(STORIES, sorted(placed))
        run.settle(STORIES, "article", placed, failed)


def _to_multilingual(run: StageRun, index):
    """The index in the multilingual space: the first article not in English turns the whole
    corpus multilingual, and the stories already made are re-embedded once, so old and new
    articles are compared in one space (English-only corpora never pay for the larger model)."""
    members = [a for st in index.stories.values() for a in st.article_ids]
    if not members:
        return replace(index, space=map_steps.MULTILINGUAL)
    vectors = {}
    for page in _chunks(members, ARTICLES_LOADED):
        items = [(a, set(), map_steps.MULTILINGUAL) for a in run.store.articles(page)]
        for _, found, failed in run.map(STORIES, items, FEATURE_CHUNK, map_steps.item_key):
            if failed:  # an old article that cannot be embedded again keeps the whole index as it was
                raise RuntimeError(f"re-embedding stories for other languages failed: {failed[0].reason}")
            vectors.update((f.article_id, f.vector) for f in found)
    return index.respaced(vectors, map_steps.MULTILINGUAL)


def story_records(store: Store, story: Story, pair_logits: bytes = b""):
    from .compare import StoryRecords

    ids = list(story.article_ids)
    return StoryRecords(
        story=story, articles=store.articles(ids), sentences=store.for_articles(Sentence, ids),
        quotes=store.for_articles(Quote, ids), figures=store.for_articles(Figure, ids),
        events=store.for_articles(Event, ids), copies=store.for_articles(Copy, ids),
        mentions=store.for_articles(EntityMention, ids), pair_logits=pair_logits)


@stage(COMPARE, reads=("Story", "Article", "Sentence", "Quote", "Figure", "Event", "Copy", "EntityMention"),
       writes=("Story",), unit="story", batch=map_steps.compare_stories)
def compare(run: StageRun) -> None:
    """Compare the stories new articles joined; the others keep their stored results. Each
    story's same-claim scores are stored with it, so comparing it again scores only new pairs."""
    from .stories import StoryIndex

    store = run.store
    saved = store.get_state(STORY_INDEX_STATE)
    if not saved:
        return
    pending = set(store.get_state(PENDING_STATE) or [])
    if not pending:  # the stories stage names every story it changed
        return
    stored = store.keys(Story)
    current = StoryIndex.from_dict(saved).to_stories()
    gone = stored - {s.id for s in current}
    todo = sorted((s for s in current if s.id in pending or s.id not in stored), key=lambda s: (-len(s.article_ids), s.id))
    if gone:
        with store.batch():
            store.delete_keys(Story, [(i,) for i in sorted(gone)])
            store.put_pair_logits([], gone=sorted(gone))
    finished = 0
    for group in _chunks(todo, STORIES_LOADED):
        known = store.pair_logits([s.id for s in group])
        records = [story_records(store, s, known.get(s.id, b"")) for s in group]
        for batch, results, failed in run.map(COMPARE, records, COMPARE_CHUNK, map_steps.story_key):
            bad = {f.subject for f in failed}
            compared = [story for story, _ in results]
            pending -= {s.id for s in compared}
            with store.batch():
                # a story that failed keeps its members (and is compared again next run)
                store.put(compared + [r.story for r in batch if r.story.id in bad])
                store.put_pair_logits([(story.id, logits) for story, logits in results])
                store.set_state(PENDING_STATE, sorted(pending))
                run.settle(COMPARE, "story", [s.id for s in compared], failed)
            finished += len(batch)
            run.progress("compare", finished, len(todo))


check_order()
