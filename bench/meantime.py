"""The MEANTIME documents every cross-language bench reads: (language, document) pairs.

../shared/data/meantime/{en,es,it,nl}/docs.jsonl: 120 English news articles and their human
translations, one JSON object per line with `doc_id`, `lang`, `topic`, `title` and `text`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
LANGUAGES = ("en", "es", "it", "nl")


def documents() -> Iterator[tuple[str, dict]]:
    """Each (language, document) in language order, then file order."""
    for lang in LANGUAGES:
        with open(SHARED / "meantime" / lang / "docs.jsonl", encoding="utf-8") as handle:
            for line in handle:
                yield lang, json.loads(line)
