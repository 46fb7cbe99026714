"""The pure batch functions of the analysis stages: records in, records out, no store.

These are what an engine ships to a worker process or a Ray task, so each must be a
module-level function of picklable records whose result depends on its batch alone: the same
batch gives the same result in this process, in a pool worker or on a cluster. `load_models`
is the worker initialiser, so every worker loads spaCy, the embedder and the pair model once.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable, Sequence

from .records import Article, EntityMention, Event, Figure, Quote, Sentence, Story

MULTILINGUAL = "multilingual"  # the story index's vector space when the corpus is not all English
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


def article_key(article: Article) -> str:
    return article.id


def item_key(item: tuple) -> str:
    return item[0].id


def story_key(records) -> str:
    return records.story.id


def load_models(threads: int | None = None) -> None:
    """Load every model a map step uses, once per worker process; `threads` caps the
    embedder's intra-op threads so that N workers on N cores do not fight over them."""
    from . import embed, nlp
    from .compare.pairs import default_model

    embed.use_threads(threads)
    nlp.load()
    embed.default_embedder()
    default_model()


def extract_articles(articles: Sequence[Article]) -> list[ArticleExtracts]:
    """Parse a batch and run every per-article extractor; a pure map step over articles."""
    from . import nlp
    from .extract.dates import extract_events
    from .extract.entities import entity_mentions
    from .extract.figures import extract_figures
    from .extract.other_languages import read_as_other_language
    from .extract.quotes import extract_quotes
    from .multilingual import ENGLISH

    out = []
    for article, doc in zip(articles, nlp.parse(a.text for a in articles)):
        mentions = entity_mentions(article, doc)
        if article.language not in ENGLISH:
            read_as_other_language(doc, article.language, mentions)
        sentences = [Sentence(article.id, i, s.start_char, s.end_char) for i, s in enumerate(doc.sents)]
        out.append(ArticleExtracts(
            article.id, sentences, mentions, extract_quotes(article, doc),
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


def story_features(items: Sequence[tuple[Article, set[str], str]]) -> list:
    """Embedding, names, date and source of each (article, its entity ids, vector space); a map step.

    The space ("english" or "multilingual") is the story index's, chosen by the stories stage
    for the whole corpus, so every vector of one index comes from one model."""
    from .stories import batch_features

    embedder = None
    if any(space == MULTILINGUAL for _, _, space in items):
        from .multilingual import default_multilingual

        embedder = default_multilingual()
    return batch_features([a for a, _, _ in items], embedder, entities={a.id: names for a, names, _ in items})


def compare_stories(records: Sequence) -> list[tuple[Story, bytes]]:
    """`compare_story` over a batch of `StoryRecords`; a pure map step over stories. With each
    story come the same-claim scores it asked for (and, in several languages, its statements'
    multilingual vectors), which its next comparison starts from."""
    from .compare import compare_story
    from .compare.crosslingual import VectorMemo, pack_memo, unpack_memo
    from .compare.pairs import LogitMemo, default_model
    from .multilingual import model_identity

    out = []
    for r in records:
        logits, vectors = unpack_memo(r.pair_logits)
        memo = LogitMemo(logits, default_model().identity)
        vector_memo = VectorMemo(vectors, model_identity())
        story = compare_story(r, memo=memo, vector_memo=vector_memo)
        out.append((story, pack_memo(memo.to_bytes(), vector_memo.to_bytes())))
    return out


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


def shared_names(named: dict[str, set[str]], entities, articles: set[str]) -> dict[str, set[str]]:
    """For the given articles, only the entities that some other article names too.

    The packaged parser is English: in a German or Spanish text it takes capitalised nouns and
    weekdays for names ("Gespräche", "Donnerstag"), and such one-article names would dilute the
    name overlap with the English coverage of the same event. A name another article shares
    (most often a person, place or body spelled alike in both languages) is kept."""
    spread = {e.id: len({m.article_id for m in e.mentions}) for e in entities}
    return {a: ({n for n in names if spread.get(n, 0) >= 2} if a in articles else names) for a, names in named.items()}
