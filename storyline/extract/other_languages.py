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
"""

from __future__ import annotations

from functools import cache
from types import MappingProxyType
from typing import Mapping

from ..text import FUNCTION_WORDS

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


def capitalised_runs(tokens: list, label: str, particles: frozenset[str], lang: str) -> list[list]:
    """The runs of a name span's tokens that can be names: split at lowercase words, and a stop
    word of the language that opens a sentence cut off ("Der", "El").

    `tokens` are spaCy tokens. A particle stays inside a person's name between capitalised words
    ("Louis van Gaal"), unless what follows it is a country or city ("Vertretern von Deutschland")."""
    stops, places = stop_words(lang), place_names()
    runs: list[list] = [[]]
    for k, t in enumerate(tokens):
        lower = t.text[:1].islower() and not any(c.isupper() for c in t.text)  # "iPhone" is a name
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
        while run and (run[0].is_punct or run[0].lower_ in stops and (run[0].is_sent_start or run[0].i == 0)):
            run = run[1:]
        while run and run[-1].is_punct:
            run = run[:-1]
        if run and any(c.isupper() for t in run for c in t.text):
            out.append(run)
    return out


__all__ = ["exonyms", "place_names", "calendar_words", "stop_words", "capitalised_runs"]
