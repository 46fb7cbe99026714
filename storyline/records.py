"""Typed records that flow between storyline's stages.

Every stage is a function from these records to these records; nothing else crosses a stage
boundary. Offsets (`start`, `end`) are always character offsets into `Article.text`, so any
extract can be shown in context. Records are plain dataclasses so that they pickle cheaply
(Ray workers) and serialise to the JSON export with `as_dict` (see `record_dicts`). Each checks
its invariants when it is built (`invariants`: ordered offsets, allowed kinds and statuses) and
raises `RecordError` if one fails.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

from . import invariants as check
from .invariants import RecordError
from .record_dicts import as_dict, from_dict

__all__ = [
    "Article", "Citation", "Claim", "ClaimStatus", "Conflict", "ConflictKind", "ConflictValue", "Copy",
    "CopyKind", "Document", "DocumentKind", "Entity", "EntityMention", "Event", "Figure", "Mention",
    "Precision", "Problem", "Quote", "QuoteGroup", "QuoteKind", "RecordError", "Removed", "Rendering",
    "Sentence", "SourceProfile", "Story", "SummarySentence", "TimelineEntry", "Variant", "as_dict",
    "content_hash", "from_dict",
]

DocumentKind = Literal["text", "html"]
CopyKind = Literal["duplicate", "near-duplicate", "excerpt", "rewrite", "translation"]
QuoteKind = Literal["direct", "indirect", "partial"]
ClaimStatus = Literal["corroborated", "single-source", "conflicting"]
Precision = Literal["year", "month", "day"]
ConflictKind = Literal["figure", "date", "place", "statement"]
_DOCUMENT_KINDS, _COPY_KINDS, _QUOTE_KINDS = check.choices(DocumentKind), check.choices(CopyKind), check.choices(QuoteKind)
_CLAIM_STATUSES, _PRECISIONS, _CONFLICT_KINDS = check.choices(ClaimStatus), check.choices(Precision), check.choices(ConflictKind)


def content_hash(text: str) -> str:
    """Stable identity of a piece of content: the same bytes always give the same id."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class Problem:
    """A file or record that could not be used, and why. Reported, never fatal to a batch."""

    path: str
    reason: str
    locator: str | None = None  # where inside a container: "line 12", "record 3", "entry 5"

    def __str__(self) -> str:
        where = f"{self.path} ({self.locator})" if self.locator else self.path
        return f"{where}: {self.reason}"


@dataclass(slots=True)
class StageProblem:
    """An article or a story that one analysis stage could not process, and why.

    Stored and exported; the stage leaves its subject unmarked, so the next run tries it again
    and the problem goes away once it succeeds. `subject` is the article id (`kind`
    "article"), the story id ("story"), or empty when the stage failed as a whole ("stage")."""

    stage: str
    subject: str
    kind: Literal["article", "story", "stage"]
    reason: str

    def __str__(self) -> str:
        what = f"{self.kind} {self.subject}" if self.subject else "the whole stage"
        return f"{self.stage}: {what}: {self.reason}"


@dataclass(slots=True)
class Document:
    """One article as found in the input, before cleaning.

    `content` is raw text or raw HTML (see `kind`). Metadata fields hold what the container
    itself states (feed entry, JSONL field, WARC header, HTML meta); cleaning may fill gaps.
    """

    path: str
    kind: DocumentKind
    content: str
    locator: str | None = None
    url: str | None = None
    source: str | None = None
    title: str | None = None
    published: str | None = None  # ISO date YYYY-MM-DD
    author: str | None = None
    language: str | None = None
    fetched: str | None = None  # when a crawler fetched it (WARC-Date), ISO date

    def __post_init__(self) -> None:
        check.one_of(f"document {self.path}", "kind", self.kind, _DOCUMENT_KINDS)

    @property
    def hash(self) -> str:
        return content_hash(self.kind + "\0" + self.content)

    @property
    def where(self) -> str:
        return f"{self.path} ({self.locator})" if self.locator else self.path


@dataclass(frozen=True, slots=True)
class Removed:
    """A piece of the input that cleaning dropped, kept so a user can audit the decision."""

    text: str
    reason: str


@dataclass(slots=True)
class Article:
    """A cleaned article: the body text every later stage reads, with its metadata."""

    id: str
    path: str
    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: str | None = None  # ISO date YYYY-MM-DD
    language: str | None = None
    author: str | None = None
    locator: str | None = None
    removed: list[Removed] = field(default_factory=list)
    content_hash: str = ""  # hash of the Document it came from (idempotent ingest)


# --- extraction (per article) -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence boundary from the NLP stage; its text is `article.text[start:end]`."""

    article_id: str
    index: int
    start: int
    end: int
    vector: bytes | None = None  # float16 sentence embedding, computed once at extract time (see embed.pack)

    def __post_init__(self) -> None:
        check.span(f"sentence {self.article_id}#{self.index}", self.start, self.end)


@dataclass(slots=True)
class EntityMention:
    """One named mention in one article, before corpus-level merging into an `Entity`."""

    article_id: str
    start: int
    end: int
    text: str
    label: str
    role: str | None = None
    expansion: str | None = None

    def __post_init__(self) -> None:
        check.span(f"mention {self.article_id} {self.text!r}", self.start, self.end)


@dataclass(frozen=True, slots=True)
class Mention:
    article_id: str
    start: int
    end: int

    def __post_init__(self) -> None:
        check.span(f"mention {self.article_id}", self.start, self.end)


@dataclass(slots=True)
class Entity:
    """One real-world person, organisation or place, across the whole corpus."""

    id: str
    name: str
    type: str  # PERSON | ORG | GPE | LOC | NORP | ...
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)  # "Russian Foreign Minister", ...


@dataclass(slots=True)
class Quote:
    """One statement: what one speaker is reported to have said at one place in an article.

    A quotation split around its attribution ("“A,” Lee said, “B.”") or carried on without a cue
    of its own is still one statement: `parts` holds the character ranges of its own words (the
    attribution between them excluded), `start`/`end` the whole, and `text` the parts joined by a
    space. Quoted words inside reported speech ("Lee called the plan “reckless”") are `marked`
    ranges of the indirect quote that holds them, not a quote of their own; `partial` is left for
    quoted words whose reported clause was not found.
    """

    id: str
    article_id: str
    text: str
    kind: QuoteKind
    start: int
    end: int
    speaker: str | None = None  # the speaker's name (the mention it resolves to), or the words at the cue
    speaker_entity: str | None = None  # Entity.id
    cue: str | None = None
    # offsets of the named mention the speaker resolves to (after pronoun/role resolution),
    # so the entity stage can link it to a canonical Entity
    speaker_start: int | None = None
    speaker_end: int | None = None
    parts: list[tuple[int, int]] = field(default_factory=list)  # empty: the one part [start, end)
    marked: list[tuple[int, int]] = field(default_factory=list)  # quoted words inside an indirect quote
    speaker_how: str | None = None  # name | pronoun | role | group | carried | surface

    def __post_init__(self) -> None:
        what = f"quote {self.id}"
        check.one_of(what, "kind", self.kind, _QUOTE_KINDS)
        check.span(what, self.start, self.end)
        check.parts(what, self.start, self.end, self.parts)
        check.inside(what, self.start, self.end, self.marked)
        if self.marked and self.kind != "indirect":
            raise check.RecordError(f"{what}: only an indirect quote has marked parts")
        check.optional_span(f"{what} speaker", self.speaker_start, self.speaker_end)

    def spans(self) -> list[tuple[int, int]]:
        """The character ranges of the statement's own words."""
        return [tuple(p) for p in self.parts] or [(self.start, self.end)]


@dataclass(slots=True)
class Figure:
    id: str
    article_id: str
    text: str
    value: float | tuple[float, float]
    start: int
    end: int
    unit: str | None = None  # "%", "USD", ...
    counts: str | None = None  # what is counted: "soldiers"
    attributed_to: str | None = None
    approximate: str | None = None  # "about", "more than", ...

    def __post_init__(self) -> None:
        check.span(f"figure {self.id}", self.start, self.end)


@dataclass(slots=True)
class Event:
    """A sentence anchored to a calendar date resolved from a temporal expression."""

    id: str
    article_id: str
    date: str  # YYYY | YYYY-MM | YYYY-MM-DD
    precision: Precision
    expression: str  # the temporal expression as written: "the day before yesterday"
    text: str  # the sentence
    start: int
    end: int

    def __post_init__(self) -> None:
        check.one_of(f"event {self.id}", "precision", self.precision, _PRECISIONS)
        check.date(f"event {self.id}", self.date, self.precision)
        check.span(f"event {self.id}", self.start, self.end)


# --- corpus level ---------------------------------------------------------------------------


@dataclass(slots=True)
class Copy:
    """`article_id` is a copy of `of_article_id` (the original)."""

    article_id: str
    of_article_id: str
    kind: CopyKind
    similarity: float
    evidence: list[tuple[str, str]] = field(default_factory=list)  # aligned passages (copy, original)

    def __post_init__(self) -> None:
        what = f"copy {self.article_id} of {self.of_article_id}"
        check.one_of(what, "kind", self.kind, _COPY_KINDS)
        check.share(what, "similarity", self.similarity)
        if self.article_id == self.of_article_id:
            raise check.RecordError(f"{what}: an article is not a copy of itself")


@dataclass(slots=True)
class Variant:
    article_id: str
    text: str
    start: int
    end: int
    attributed_to: str | None = None

    def __post_init__(self) -> None:
        check.span(f"variant in {self.article_id}", self.start, self.end)


@dataclass(slots=True)
class Claim:
    id: str
    text: str
    article_ids: list[str]
    status: ClaimStatus
    variants: list[Variant] = field(default_factory=list)
    sources: int = 1  # independent sources: copies of one original count once
    speakers: list[str] = field(default_factory=list)  # who voices it, in any variant ("Lavrov", "Patrushev")
    differs_in: list[str] = field(default_factory=list)  # for a conflicting claim: figure | date | negation | place
    confidence: float = 1.0  # the lowest same-claim probability between two of its variants

    def __post_init__(self) -> None:
        check.one_of(f"claim {self.id}", "status", self.status, _CLAIM_STATUSES)
        check.share(f"claim {self.id}", "confidence", self.confidence)


@dataclass(slots=True)
class Citation:
    """Where a cited passage stands: the report and web pages highlight it without searching."""

    article_id: str
    start: int
    end: int

    def __post_init__(self) -> None:
        check.span(f"citation of {self.article_id}", self.start, self.end)


@dataclass(slots=True)
class ConflictValue:
    value: Any
    text: str
    article_id: str
    attributed_to: str | None = None
    date: str | None = None
    start: int | None = None  # offsets of `text` in the article
    end: int | None = None

    def __post_init__(self) -> None:
        check.optional_span(f"conflict value in {self.article_id}", self.start, self.end)


@dataclass(slots=True)
class Conflict:
    about: str
    values: list[ConflictValue] = field(default_factory=list)
    kind: ConflictKind = "figure"
    update: bool = False  # the values come from one source over time: more likely an update than a contradiction
    claim_id: str | None = None  # the verified claim whose variants disagree

    def __post_init__(self) -> None:
        check.one_of(f"conflict about {self.about!r}", "kind", self.kind, _CONFLICT_KINDS)


@dataclass(slots=True)
class TimelineEntry:
    date: str
    text: str
    article_ids: list[str]
    precision: Precision = "day"
    citations: list[Citation] = field(default_factory=list)

    def __post_init__(self) -> None:
        check.one_of(f"timeline entry {self.date}", "precision", self.precision, _PRECISIONS)
        check.date(f"timeline entry {self.text[:40]!r}", self.date, self.precision)


@dataclass(slots=True)
class SummarySentence:
    text: str
    article_ids: list[str]
    status: ClaimStatus | None = None
    claim_id: str | None = None
    citations: list[Citation] = field(default_factory=list)  # the verified variants it cites, one per article

    def __post_init__(self) -> None:
        check.one_of(f"summary sentence {self.text[:40]!r}", "status", self.status, _CLAIM_STATUSES, optional=True)


@dataclass(slots=True)
class Rendering:
    """One outlet's wording of a quote, compared word by word with the group's reference wording."""

    article_id: str
    quote_id: str
    text: str
    start: int
    end: int
    diff: list[tuple[str, str, str]] = field(default_factory=list)  # (op, reference words, these words)
    flags: list[str] = field(default_factory=list)  # "negation changed", "number changed", "truncated", ...

    def __post_init__(self) -> None:
        check.span(f"rendering of {self.quote_id}", self.start, self.end)


@dataclass(slots=True)
class QuoteGroup:
    """The same statement by one speaker as rendered by different outlets."""

    id: str
    text: str  # the reference wording
    speaker: str | None
    speaker_entity: str | None
    renderings: list[Rendering] = field(default_factory=list)
    meaning_changed: list[str] = field(default_factory=list)  # article ids whose rendering changes the meaning


@dataclass(slots=True)
class SourceProfile:
    """How one article stands among the story's sources."""

    article_id: str
    source: str | None
    statements: int = 0
    attributed: int = 0
    quotes: int = 0
    speakers: dict[str, int] = field(default_factory=dict)
    unique_claims: list[str] = field(default_factory=list)  # claim ids no other source carries
    copy_of: list[str] = field(default_factory=list)  # article ids it copies
    copied_by: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Story:
    id: str
    title: str
    article_ids: list[str]
    claims: list[Claim] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    summary: list[SummarySentence] = field(default_factory=list)
    quote_groups: list[QuoteGroup] = field(default_factory=list)
    profiles: list[SourceProfile] = field(default_factory=list)
