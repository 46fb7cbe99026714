"""Words, sentences, stop-words and a language guess: the text primitives every stage shares.

Cleaning, copy detection, story clustering, comparison and the pages all cut text into words and
sentences; when each kept its own pattern, the same article had as many word counts as modules.
Here there are two kinds of word, each for a reason:

- `words`: words as written, keeping one inner apostrophe ("don't", "O’Brien"): counting words
  of a line or a statement, word-by-word differences between two renderings;
- `folded_words`: case-folded runs of letters and digits split at every mark, apostrophes
  included, so that a copy with curly quotes and the original with straight ones give the same
  words: the unit of every textual comparison between articles.

Sentences are cut by a regex (`sentence_spans`), not by the parser: copy detection and story
leads must run on 100k articles before any parse, and need only cut a copy and its original
alike. The language guess counts very common function words of the major European languages
news arrives in; a text too short or too mixed to decide gets None, since no language is better
than a wrong one. The same function words are the stop-words.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Sequence

WORD = re.compile(r"\w+(?:[’']\w+)?")
"""A word as written: letters, digits and underscores, with at most one inner apostrophe."""
WORD_OR_MARK = re.compile(WORD.pattern + r"|[^\w\s]")
"""A word or one punctuation mark: the tokens of a word-level difference."""
RUN = re.compile(r"[^\W_]+")
"""A run of letters and digits; any mark (apostrophe, hyphen, underscore) ends it."""

_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*\s+|\s*\n\s*")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Sr|Jr|St|Gen|Col|Lt|Sgt|Gov|Sen|Rep|Rev|No|vs|Jan|Feb|Mar|Apr|Jun|Jul|Aug|"
    r"Sep|Sept|Oct|Nov|Dec|Inc|Corp|Ltd|Co|approx|etc|Sra|Hr|Fr|Nr)|\b(?:[A-Z]\.)*[A-Z])\.\s+$"
)

# The most frequent function words of each language: enough to tell the languages apart on a
# few hundred words, and the stop-words of content-word comparisons. Copy detection also counts
# another language's function words in a text as remnants of a translation, so a word that is
# also an ordinary English word ("no", "ha", "er", "na") is left out of the other languages'
# lists: in English text it would read as a trace of Spanish or Dutch.
_FUNCTION_WORDS = {
    "en": "the of and to in is that for on was with said by from at as it his have has are were this be not but he",
    "de": "der die das und den dem des ist nicht ein eine mit von zu auf sich für im wurde auch es wird sind sagte",
    "fr": "le la les de des du et est une un que qui dans pour pas sur au avec il a été par en ont elle",
    "es": "el la los las de del que y en por con para una un es se su al como fue pero más sus dijo",
    "it": "il lo la gli le di del che e per con una un è si della dei alla nel non sono anche più",
    "pt": "o a os as de do da que e em um uma para com não por se dos das foi mais",
    "nl": "de het een van en in is dat op te zijn met voor niet aan bij ook door werd heeft naar maar als",
    "sv": "och att det som en på är av för med till den har inte om var ett jag",
    "pl": "i w nie na się z że do to jest jak o po ale tak dla przez od",
    "ru": "и в не на что с по это как из он к у за от его но она для",
    "uk": "і в на що не з до це як від за та його але він вона",
    "tr": "ve bir bu da de için ile ne çok daha olarak gibi ama",
}
FUNCTION_WORDS: dict[str, frozenset[str]] = {lang: frozenset(vocab.split()) for lang, vocab in _FUNCTION_WORDS.items()}
STOPWORDS: frozenset[str] = frozenset().union(*FUNCTION_WORDS.values())

LANGUAGE_SAMPLE_CHARS = 20_000  # the guess reads this much of a text
LANGUAGE_MIN_HITS = 5  # function words of the best language needed to decide at all
LANGUAGE_MARGIN = 1.3  # ... and this many times the runner-up's
LANGUAGE_MIN_SHARE = 0.08  # ... and this share of the words read

_LANGUAGE_TAG = re.compile(r"^([a-zA-Z]{2,3})(?:[-_][\w-]*)?$")


def words(text: str) -> list[str]:
    """The words of a text as written (see `WORD`)."""
    return WORD.findall(text)


def folded_words(text: str) -> list[str]:
    """Case-folded runs of letters and digits, after NFKC: the unit of textual comparison."""
    return RUN.findall(unicodedata.normalize("NFKC", text).casefold())


def run_count(text: str, start: int = 0, end: int | None = None) -> int:
    """How many runs of letters and digits `text[start:end]` holds (as `folded_words` counts)."""
    return len(RUN.findall(text, start, len(text) if end is None else end))


def content_words(tokens: Sequence[str]) -> list[str]:
    """Folded words that carry content in any of the known languages (function words dropped)."""
    return [t for t in tokens if t not in STOPWORDS]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence or line, without surrounding white space.

    A full stop after a title or an initial ("Mr.", "J.") and one followed by a lower-case word
    do not end a sentence; a line break always does."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        piece = text[start:end]
        if "\n" not in match.group() and _ABBREVIATION.search(text, max(start, end - 24), end):
            continue
        nxt = text[end : end + 1]
        if "\n" not in match.group() and nxt.islower():
            continue
        if piece.strip():
            spans.append(_strip_span(piece, start))
        start = end
    if text[start:].strip():
        spans.append(_strip_span(text[start:], start))
    return spans


def _strip_span(piece: str, start: int) -> tuple[int, int]:
    begin = start + len(piece) - len(piece.lstrip())
    return begin, start + len(piece.rstrip())


def guess_language(text: str) -> str | None:
    """ISO 639-1 code of the likeliest language, or None when the evidence is thin."""
    tokens = [t for t in folded_words(text[:LANGUAGE_SAMPLE_CHARS]) if not t.isdigit()]
    if not tokens:
        return None
    counts = Counter(tokens)
    scores = {lang: sum(counts[w] for w in vocab if w in counts) for lang, vocab in FUNCTION_WORDS.items()}
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    (best, hits), (_, second) = ranked[0], ranked[1]
    if hits < LANGUAGE_MIN_HITS or hits < LANGUAGE_MARGIN * second or hits < LANGUAGE_MIN_SHARE * len(tokens):
        return None
    return best


def language_code(value: object) -> str | None:
    """A language tag reduced to its primary subtag ("en-GB", "EN_us" -> "en"); other text kept
    as stated, since metadata spells languages many ways and a wrong code is worse than none."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    match = _LANGUAGE_TAG.match(value)
    return match.group(1).lower() if match else value
