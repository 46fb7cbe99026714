"""Names in articles that are not in English: the English parser's slips there, and the names of
countries and cities in other languages.

No spaCy pipeline for German, Russian or current Spanish ships on PyPI, so every text is parsed
by the English model. In a Dutch or Spanish article its name spans swallow the words around a
name ("van Airbus", "el precio del iPhone", "alemana Lufthansa") and its labels are guesses
("Francia" as a person), so the same company or country in two languages never met as one
entity (bench/entities_languages.py). Two general repairs, both from data that ships in a package:

* a name in such an article is a run of capitalised words: lowercase words at its edges are
  cut, and a lowercase word inside splits it, unless it is a name particle between two parts of
  a person's name ("Louis van Gaal");
* countries and the larger cities are looked up in the CLDR names that `babel` ships (territory
  names and time-zone cities, in every language storyline detects), mapped to their English
  name: "Alemania", "Deutschland" and "Germany" are one key, "Moskau" and "Moscow" another, and
  a name found there is a place whatever label the parser gave it. Weekday and month names of
  the article's language (CLDR too) are never names.

German writes every noun with a capital, so there a capitalised run is also "Regierung",
"Sicherheitsgarantien" or "Außenminister Sergej Lawrow". The Hanover tagger (`HanTa`, its German
model ships in the package) tells common nouns (STTS NN) from proper nouns (NE) in context: a
run of common nouns only is no name, and a common noun before a name is a title or a
description that is cut off ("Außenminister", "Nato-Generalsekretär"); what follows such a
title is a person when it has two or more words and is no place.
"""

from __future__ import annotations

from functools import cache
from types import MappingProxyType
from typing import Mapping

from ..text import FUNCTION_WORDS

# languages that capitalise every noun, and the HanTa model that tells their common nouns from names
NOUN_MODELS = MappingProxyType({"de": "morphmodel_ger.pgz"})

# the languages whose CLDR names are read: those the function-word tables know, English first
LANGUAGES = ("en",) + tuple(sorted(set(FUNCTION_WORDS) - {"en"}))


def _normalize(text: str) -> str:
    from .names import normalize

    return normalize(text)


@cache
def exonyms() -> Mapping[str, str]:
    """Normalised country or city name in any known language -> its normalised English name.

    Names that two different places share in some language are left out (a key must have one
    meaning), as are names spelled like the English one."""
    from babel import Locale

    english = Locale("en")

    def english_city(zone: str) -> str:  # CLDR leaves out English city names spelled as in the zone id
        return english.time_zones.get(zone, {}).get("city") or zone.rsplit("/", 1)[-1].replace("_", " ")

    found: dict[str, set[str]] = {}
    for lang in LANGUAGES:
        try:
            locale = Locale(lang)
        except Exception:  # pragma: no cover - a language CLDR does not have
            continue
        for code, name in locale.territories.items():
            if code in english.territories:
                found.setdefault(_normalize(name), set()).add(_normalize(english.territories[code]))
        for zone, data in locale.time_zones.items():
            city = data.get("city")
            if city and "/" in zone:
                found.setdefault(_normalize(city), set()).add(_normalize(english_city(zone)))
    return MappingProxyType({name: next(iter(targets)) for name, targets in found.items()
                             if name and len(targets) == 1 and name not in targets})


@cache
def place_names() -> frozenset[str]:
    """Every normalised country or city name CLDR gives, English ones included."""
    return frozenset(exonyms()) | frozenset(exonyms().values())


@cache
def calendar_words(lang: str) -> frozenset[str]:
    """Lowercased weekday and month names of one language ("donnerstag", "marzo")."""
    from babel import Locale

    try:
        locale = Locale(lang)
    except Exception:
        return frozenset()
    words: set[str] = set()
    for table in (locale.days, locale.months):
        for width in ("wide", "abbreviated"):
            for names in (table.get("format", {}).get(width, {}), table.get("stand-alone", {}).get(width, {})):
                words.update(str(n).lower().rstrip(".") for n in names.values())
    return frozenset(w for w in words if len(w) > 2)


@cache
def stop_words(lang: str) -> frozenset[str]:
    """spaCy's stop-word list for the language (it ships with spaCy, no model needed)."""
    import spacy

    try:
        return frozenset(spacy.util.get_lang_class(lang).Defaults.stop_words)
    except Exception:  # a language spaCy has no class for
        return frozenset(FUNCTION_WORDS.get(lang, ()))


@cache
def dots_group(lang: str | None) -> bool | None:
    """Whether the language groups thousands with a dot (CLDR: German, Spanish, Italian, Dutch);
    None for English or a language not known, where the text's own number forms decide."""
    from babel import Locale

    from ..multilingual import ENGLISH

    if lang in ENGLISH:
        return None

    try:
        return Locale(lang).number_symbols["latn"]["group"] == "."
    except Exception:
        return None


def _opens_sentence(t) -> bool:
    """First word of a sentence, or of a quotation or bracket inside one („Die Lage ist ernst“)."""
    return t.i == 0 or bool(t.is_sent_start) or t.nbor(-1).is_quote or t.nbor(-1).is_left_punct


@cache
def _noun_tagger(lang: str):
    from HanTa import HanoverTagger

    return HanoverTagger.HanoverTagger(NOUN_MODELS[lang])


def common_nouns(doc, starts: list[int], lang: str) -> frozenset[int]:
    """Indices of the tokens the language's tagger calls common nouns, in the sentences of `doc`
    that hold a name span starting at one of the character offsets `starts`; empty for a
    language that does not capitalise its nouns.

    Each sentence is tagged once, in context: "Treffen" after "einem" is a noun, "Blinken"
    after "Antony" a name."""
    if lang not in NOUN_MODELS or not starts:
        return frozenset()
    tagger, found, wanted = _noun_tagger(lang), set(), sorted(set(starts))
    k = 0
    for sent in doc.sents:
        if k >= len(wanted):
            break
        end = sent.end_char
        if wanted[k] >= end:
            continue
        while k < len(wanted) and wanted[k] < end:
            k += 1
        words = [t for t in sent if not t.is_space]
        tags = tagger.tag_sent([t.text for t in words], taglevel=0)
        for j, (t, tag) in enumerate(zip(words, tags)):
            if not tag.startswith("NN"):
                continue
            found.add(t.i)
            # a compound joined by hyphens is the noun its last part is ("Nato-Generalsekretär")
            while j >= 2 and words[j - 1].text == "-" and not words[j - 1].whitespace_ \
                    and not words[j - 2].whitespace_:
                found.update((words[j - 1].i, words[j - 2].i))
                j -= 2
    return frozenset(found)


def _strip_titles(run: list, nouns: frozenset[int]) -> tuple[list[list], bool]:
    """A run split after each common noun that comes before a name: ([names...], a title was cut).

    The common nouns at its end stay ("Antony Blinken" with "Blinken" read as a verb noun)
    unless the run holds nothing else."""
    if not nouns:
        return [run], False
    words = [t for t in run if not t.is_punct]
    if all(t.i in nouns for t in words):
        return [], False
    last_name = max(k for k, t in enumerate(run) if not t.is_punct and t.i not in nouns)
    pieces, piece, cut = [], [], False
    for k, t in enumerate(run):
        if k < last_name and t.i in nouns:
            pieces.append(piece)
            piece, cut = [], True
        else:
            piece.append(t)
    pieces.append(piece)
    return [p for p in pieces if any(not t.is_punct and t.i not in nouns for t in p)], cut


def _trim_punct(run: list) -> list:
    """The tokens without punctuation at either end."""
    a, b = 0, len(run)
    while a < b and run[a].is_punct:
        a += 1
    while b > a and run[b - 1].is_punct:
        b -= 1
    return run[a:b]


def capitalised_runs(tokens: list, label: str, particles: frozenset[str], lang: str,
                     nouns: frozenset[int] = frozenset()) -> list[tuple[list, str]]:
    """The runs of a name span's tokens that can be names, with their label: split at lowercase
    words and numbers, a stop word of the language that opens a sentence cut off ("Der", "El"),
    and common nouns (`nouns`, token indices from `common_nouns`) dropped or cut off as titles.

    `tokens` are spaCy tokens. A particle stays inside a person's name between capitalised words
    ("Louis van Gaal"), unless what follows it is a country or city ("Vertretern von Deutschland")."""
    stops, places = stop_words(lang), place_names()
    runs: list[list] = [[]]
    for k, t in enumerate(tokens):
        lower = (t.text[:1].islower() and not any(c.isupper() for c in t.text)) or t.like_num  # "iPhone" is a name
        inside = 0 < k < len(tokens) - 1 and tokens[k + 1].text[:1].isupper()
        keep = label == "PERSON" and t.lower_ in particles and inside and runs[-1] \
            and _normalize(tokens[k + 1].text) not in places
        if lower and not keep:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append(t)
    out = []
    for run in runs:
        # a stop word opening a sentence is capitalised there, not a name ("Der", "El"); inside a
        # sentence it may be one ("Estados Unidos", "Nueva York")
        while run and (run[0].is_punct or run[0].lower_ in stops and _opens_sentence(run[0])):
            run = run[1:]
        run = _trim_punct(run)
        if not (run and any(c.isupper() for t in run for c in t.text)):
            continue
        pieces, titled = _strip_titles(run, nouns)
        for piece in map(_trim_punct, pieces):
            words = [t for t in piece if not t.is_punct]
            person = titled and len(words) > 1 and not any(_normalize(t.text) in places for t in words)
            if piece:
                out.append((piece, "PERSON" if person else label))
    return out


def mark_speech_verbs(doc, lang: str) -> None:
    """Give the speech verbs of an article in another language the English lemma and part of
    speech the quote rules look for ("sagte" -> say, "dijo" -> say).

    The English model reads "sagte Stoltenberg" as a noun phrase and gives "sagte" no lemma, so
    without this a German quotation never finds its cue. Edits the parsed `doc` in place, before
    the extractors read it."""
    from .lexicon import SPEECH_FORMS

    forms = SPEECH_FORMS.get(lang, {})
    for t in doc:
        lemma = forms.get(t.lower_)
        if lemma is not None:
            # "dep": no relation the rules read as a noun's modifier ("sagte" as a compound of "Stoltenberg")
            t.lemma_, t.pos_, t.dep_ = lemma, "VERB", "dep"


def read_as_other_language(doc, lang: str, mentions) -> None:
    """Prepare the English parse of an article in another language for the quote and figure
    rules: the repaired name spans (`mentions`, from `entities.entity_mentions`) replace the
    model's entities, and the language's speech verbs get their English lemma."""
    spans = []
    for m in sorted(mentions, key=lambda m: (m.start, -m.end)):
        span = doc.char_span(m.start, m.end, label=m.label)
        if span is not None and (not spans or span.start >= spans[-1].end):
            spans.append(span)
    doc.ents = spans
    mark_speech_verbs(doc, lang)


__all__ = ["dots_group", "read_as_other_language", "mark_speech_verbs", "exonyms", "place_names", "calendar_words",
           "stop_words", "common_nouns", "capitalised_runs"]
