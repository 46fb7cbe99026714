"""The corpus-learned boilerplate model: which lines recur across documents of different content.

A comment form or a share bar repeats on every page of an outlet; a syndicated article repeats
its sentences in every copy. Counting lines alone cannot tell the two apart, so each line also
keeps a few *content signatures* of documents it was seen in (the smallest hashes of their
sentence lines, a bottom-k sketch): copies share most of their sentences and so their
signatures, unrelated articles do not. Lines shared only by copies are not boilerplate.

The model stores hashes and counts, never text, is capped in size, and merges, so the model of
a growing corpus is the merge of its batches' models.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..records import Document
from .lines import is_sentence, key_of, normalise, split_units

SIGNATURE_SIZE = 4
"""Hashes per document signature; two documents whose signatures share two are copies."""
MAX_SIGNATURES = 4
"""Signatures kept per line: enough to tell "only copies" from "several outlets"."""
MAX_LINES = 30_000
"""Lines kept in the model; past this the rarest are dropped (they carry the least evidence)."""
MAX_HEADLINES = 20_000
MAX_LINES_PER_DOCUMENT = 5_000
"""A pathological document with a million lines teaches no more than its first few thousand."""

Signature = tuple[int, ...]


def signature(sentence_keys: Iterable[str]) -> Signature:
    """Bottom-k sketch of a document's sentence lines."""
    values = sorted({int(k[:8], 16) for k in sentence_keys})
    return tuple(values[:SIGNATURE_SIZE])


def same_content(a: Signature, b: Signature) -> bool:
    if not a or not b:
        return False
    need = min(2, len(a), len(b))
    return len(set(a) & set(b)) >= need


@dataclass(frozen=True, slots=True)
class DocumentLines:
    """What the model and the cleaner need to know about one text, computed once."""

    keys: list[str]  # per line ("" for blank lines)
    signature: Signature


def document_lines(lines: list[str]) -> DocumentLines:
    keys = []
    sentence_keys = []
    for line in lines[:MAX_LINES_PER_DOCUMENT]:
        norm = normalise(line)
        key = key_of(norm) if norm else ""
        keys.append(key)
        if key and is_sentence(line):
            sentence_keys.append(key)
    keys.extend("" for _ in lines[MAX_LINES_PER_DOCUMENT:])
    return DocumentLines(keys, signature(sentence_keys))


def text_lines(doc: Document) -> list[str]:
    """The lines the model learns from; HTML is left to trafilatura and not learned here."""
    return split_units(doc.content) if doc.kind == "text" else []


@dataclass
class BoilerplateModel:
    """Line-repetition evidence across a corpus; see the module docstring for the idea."""

    documents: int = 0
    lines: dict[str, tuple[int, tuple[Signature, ...]]] = field(default_factory=dict)
    headlines: dict[str, int] = field(default_factory=dict)  # normalised titles seen in the corpus

    @classmethod
    def learn(cls, documents: Iterable[Document]) -> BoilerplateModel:
        model = cls()
        for doc in documents:
            model._add(doc)
        model._prune()
        return model

    def _add(self, doc: Document) -> None:
        self.documents += 1
        raw = text_lines(doc)
        info = document_lines(raw)
        for key in set(info.keys):
            if not key:
                continue
            count, sigs = self.lines.get(key, (0, ()))
            if len(sigs) < MAX_SIGNATURES:
                sigs = (*sigs, info.signature)
            self.lines[key] = (count + 1, sigs)
        titles = {normalise(doc.title)} if doc.title else set()
        first = next((line for line in raw[:50] if line.strip()), None)
        if first is not None:
            titles.add(normalise(first))
        for norm in titles:
            if norm:
                key = key_of(norm)
                self.headlines[key] = self.headlines.get(key, 0) + 1
        if len(self.lines) > 2 * MAX_LINES:  # prune as we go so one huge batch stays bounded
            self._prune()

    def _prune(self) -> None:
        if len(self.lines) > MAX_LINES:
            keep = sorted(self.lines.items(), key=lambda item: (-item[1][0], item[0]))[:MAX_LINES]
            self.lines = dict(keep)
        if len(self.headlines) > MAX_HEADLINES:
            keep_h = sorted(self.headlines.items(), key=lambda item: (-item[1], item[0]))[:MAX_HEADLINES]
            self.headlines = dict(keep_h)

    def merge(self, other: BoilerplateModel) -> BoilerplateModel:
        merged = BoilerplateModel(self.documents + other.documents, dict(self.lines), dict(self.headlines))
        for key, (count, sigs) in other.lines.items():
            old_count, old_sigs = merged.lines.get(key, (0, ()))
            combined = list(old_sigs)
            combined.extend(sigs[: MAX_SIGNATURES - len(combined)])
            merged.lines[key] = (old_count + count, tuple(combined))
        for key, count in other.headlines.items():
            merged.headlines[key] = merged.headlines.get(key, 0) + count
        merged._prune()
        return merged

    def to_dict(self) -> dict:
        return {
            "version": 1,
            "documents": self.documents,
            "lines": {key: [count, [list(sig) for sig in sigs]] for key, (count, sigs) in self.lines.items()},
            "headlines": dict(self.headlines),
        }

    @classmethod
    def from_dict(cls, data: dict) -> BoilerplateModel:
        """Rebuild a stored model; anything malformed is skipped rather than trusted."""
        model = cls(documents=int(data.get("documents", 0) or 0))
        for key, value in (data.get("lines") or {}).items():
            try:
                count, sigs = value
                model.lines[str(key)] = (int(count), tuple(tuple(int(v) for v in sig) for sig in sigs)[:MAX_SIGNATURES])
            except (TypeError, ValueError):
                continue
        for key, count in (data.get("headlines") or {}).items():
            if isinstance(count, int):
                model.headlines[str(key)] = count
        model._prune()
        return model

    # --- questions the cleaner asks ---------------------------------------------------------

    def repeats(self, key: str, own: Signature = ()) -> int:
        """How many *other* documents of different content carry the line with this key.

        Documents whose signature matches `own` are copies of the asking document and do not
        count; when more documents were seen than signatures kept, the kept ones are taken as
        a sample of the rest.
        """
        count, sigs = self.lines.get(key, (0, ()))
        if count <= 0:
            return 0
        if not sigs:
            return max(count - 1, 0)
        # an empty signature cannot recognise itself: count the asker as its own one copy
        copies = sum(1 for sig in sigs if same_content(sig, own)) if own else 1
        if count <= len(sigs):
            return max(count - copies, 0)
        other = round(count * (len(sigs) - copies) / len(sigs))
        return max(other - (1 if copies == 0 else 0), 0)

    def is_headline(self, norm: str) -> int:
        return self.headlines.get(key_of(norm), 0) if norm else 0

    def is_boilerplate(self, line: str, own: Signature = ()) -> bool:
        """A line that at least two other documents of different content carry."""
        return self.repeats(key_of(normalise(line)), own) >= 2

    def __len__(self) -> int:
        return len(self.lines)
