"""Reading numbers as news text writes them: digits, words, magnitudes and currencies.

The figure and date extractors both need to know what a number is worth and whether a bare
four-digit number is a year; keeping that here means they never disagree about "2010".
Everything is a pure function of strings (and, for the year test, of the parse).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
NUMBER_WORDS = tuple(SMALL) + tuple(TENS) + tuple(SCALES) + ("dozen",)

# magnitude suffixes written after a number ("1.2 million", "€40m", "$3bn")
MAGNITUDES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6,
              "billion": 1e9, "bn": 1e9, "trillion": 1e12, "tn": 1e12}
# abbreviations that only mean a magnitude when glued to a sum of money ("40m" alone is metres)
MONEY_ONLY_MAGNITUDES = frozenset({"k", "m", "mn", "bn", "tn"})

CURRENCY_SYMBOLS = {"US$": "USD", "A$": "AUD", "C$": "CAD", "HK$": "HKD", "NZ$": "NZD", "$": "USD",
                    "€": "EUR", "£": "GBP", "¥": "JPY", "₽": "RUB", "₹": "INR", "₴": "UAH", "₩": "KRW",
                    "₺": "TRY", "CHF": "CHF", "Fr.": "CHF"}
CURRENCY_CODES = frozenset("USD EUR GBP JPY RUB CHF CNY INR UAH PLN SEK NOK DKK CAD AUD TRY KRW BRL ZAR".split())
CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "pound": "GBP", "pounds": "GBP",
    "sterling": "GBP", "yen": "JPY", "rouble": "RUB", "roubles": "RUB", "ruble": "RUB", "rubles": "RUB",
    "yuan": "CNY", "renminbi": "CNY", "rupee": "INR", "rupees": "INR", "franc": "CHF", "francs": "CHF",
    "hryvnia": "UAH", "hryvnias": "UAH", "zloty": "PLN", "zlotys": "PLN", "lira": "TRY", "won": "KRW",
}
MONEY_UNITS = frozenset(CURRENCY_SYMBOLS.values()) | CURRENCY_CODES | frozenset(CURRENCY_WORDS.values())
# an adjective before "dollars" that names another currency
DOLLAR_KINDS = {"australian": "AUD", "canadian": "CAD", "hong kong": "HKD", "new zealand": "NZD",
                "singapore": "SGD", "us": "USD", "u.s.": "USD", "american": "USD"}

PERCENT_WORDS = {"%": "%", "percent": "%", "per cent": "%", "pc": "%",
                 "percentage point": "percentage points", "percentage points": "percentage points"}

# measurement units, singular or plural as written -> the unit as reported
MEASURES = {
    "km": "km", "kilometre": "km", "kilometres": "km", "kilometer": "km", "kilometers": "km",
    "mile": "miles", "miles": "miles", "metre": "m", "metres": "m", "meter": "m", "meters": "m",
    "cm": "cm", "mm": "mm", "kg": "kg", "kilogram": "kg", "kilograms": "kg", "kilo": "kg", "kilos": "kg",
    "tonne": "tonnes", "tonnes": "tonnes", "ton": "tonnes", "tons": "tonnes", "litre": "litres",
    "litres": "litres", "liter": "litres", "liters": "litres", "barrel": "barrels", "barrels": "barrels",
    "hectare": "hectares", "hectares": "hectares", "acre": "acres", "acres": "acres", "mph": "mph",
    "km/h": "km/h", "mw": "MW", "gw": "GW", "kwh": "kWh", "degree": "degrees", "degrees": "degrees",
    "°c": "°C", "second": "seconds", "seconds": "seconds", "minute": "minutes", "minutes": "minutes",
    "hour": "hours", "hours": "hours", "day": "days", "days": "days", "week": "weeks", "weeks": "weeks",
    "month": "months", "months": "months", "year": "years", "years": "years",
}
# words after which a number is a label, not a quantity ("page 3", "Article 5", "flight 370")
INDEX_WORDS = frozenset("""page pages p pp section article chapter paragraph clause item no number nos
    room flight route highway road bus line gate platform seat vol volume issue episode season part
    level grade phase stage round resolution protocol annex rule act amendment point step verse
    table figure fig exhibit channel version v model type class division district ward unit
    apartment floor block lot case file tel phone fax call hotline box code week day""".split())

_DEFINITE = frozenset("the this that these those its their his her our my your".split())
TIME_UNITS = frozenset({"seconds", "minutes", "hours", "days", "weeks", "months", "years"})

_DIGITS_EN = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_DIGITS_EU = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$|^\d+,\d{1,2}$")


def digits_value(text: str, european: bool = False) -> float | None:
    """The value of a digit string. "100.000" is a hundred thousand only in a text that writes
    numbers the European way; elsewhere a single dot is a decimal point, because that reading
    is right far more often in English news."""
    if european and _DIGITS_EU.match(text) and not _DIGITS_EN.match(text):
        return float(text.replace(".", "").replace(",", "."))
    if european and re.fullmatch(r"\d{1,3}(?:\.\d{3})+", text):
        return float(text.replace(".", ""))
    if _DIGITS_EN.match(text):
        return float(text.replace(",", ""))
    if re.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}", text):
        return float(text.replace(".", ""))  # two dot groups cannot be a decimal
    return None


def _word_kind(word: str) -> str | None:
    if word in SMALL:
        return "unit" if SMALL[word] < 10 else "teen"
    if word in TENS:
        return "tens"
    if word in ("hundred", "dozen"):
        return "hundred"
    if word in SCALES:
        return "scale"
    return None


def words_value(words: list[str]) -> float | None:
    """The value of a run of number words ("twenty five", "one hundred and six", "a dozen",
    "two million"), or None when the run does not spell one number ("two three", "one and two").
    A leading "a"/"an" counts as one, so "a dozen" is 12 and "a million" is 1e6."""
    words = [w.lower() for w in words if w]
    if not words:
        return None
    if words[0] in ("a", "an"):
        if len(words) < 2 or _word_kind(words[1]) not in ("hundred", "scale"):
            return None
        words = ["one"] + words[1:]
    total, current, prev, last_scale = 0.0, 0.0, None, None
    for i, w in enumerate(words):
        if w == "and":
            if prev not in ("hundred", "scale") or i == len(words) - 1:
                return None
            continue
        kind = _word_kind(w)
        if kind is None:
            return None
        if kind in ("unit", "teen"):
            if prev in ("unit", "teen") or (prev == "tens" and kind == "teen"):
                return None
            current += SMALL[w]
        elif kind == "tens":
            if prev in ("unit", "teen", "tens"):
                return None
            current += TENS[w]
        elif kind == "hundred":
            if prev == "hundred" or current >= 100:
                return None
            current = (current or 1) * (100 if w == "hundred" else 12)
        else:
            scale = SCALES[w]
            if last_scale is not None and scale >= last_scale:
                return None
            total += (current or 1) * scale
            last_scale = scale
            current = 0.0
        prev = kind
    return total + current


def longest_words_value(words: list[str]) -> tuple[float, int] | None:
    """The value of the longest prefix of `words` that spells a number, and its length."""
    for n in range(len(words), 0, -1):
        if words[n - 1].lower() == "and":
            continue
        value = words_value(words[:n])
        if value is not None:
            return value, n
    return None


def plural_range(words: list[str]) -> tuple[float, float] | None:
    """"hundreds", "tens of thousands", "several million": a count known only by its order of
    magnitude, as the range of values the phrase allows (hundreds: 200-999)."""
    words = [w.lower() for w in words if w.lower() not in ("of",)]
    base = 1.0
    for w in words:
        stem = w[:-1] if w.endswith("s") else w
        if stem == "ten":
            base *= 10
        elif stem == "dozen":
            base *= 12
        elif stem in SCALES:
            base *= SCALES[stem]
        elif w not in ("several", "a", "few"):
            return None
    if base == 1:
        return None
    high = base * (12 if words[-1].startswith("dozen") else 10) - 1
    return 2 * base, high


def year_like(token) -> bool:
    """Whether a spaCy token holding a four-digit number reads as a year rather than a count.

    "in 2010", "the 2010 rules", "1995 tax filings" are years; "2000 people" is a count: news
    style writes counts of that size with a separator, so only a number directly before the
    plural noun it counts, with no determiner before it, is read as a count.
    """
    if not re.fullmatch(r"1\d{3}|20\d{2}", token.text):
        return False
    doc, head = token.doc, token.head
    prev = doc[token.i - 1] if token.i > 0 else None
    nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
    if nxt is not None and (nxt.text == "%" or nxt.lower_ in MAGNITUDES or nxt.lower_ in PERCENT_WORDS
                            or nxt.lower_ in CURRENCY_WORDS):
        return False
    if prev is not None and (prev.text in CURRENCY_SYMBOLS or prev.text.upper() in CURRENCY_CODES
                             or prev.lower_.rstrip(".") in INDEX_WORDS or prev.text == "#"):
        return False
    determined = prev is not None and (prev.lower_ in _DEFINITE or prev.tag_ == "POS")
    counts = (token.dep_ in ("nummod", "quantmod") and head.tag_ in ("NNS", "NNPS") and head.lower_ not in MEASURES
              and all(t.dep_ == "amod" for t in doc[token.i + 1:head.i]))
    return not counts or determined


# --- quantities in running text -----------------------------------------------------------------

_WORDS = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_NUMW = (rf"\b(?i:(?:an?\s+(?=(?:dozen|hundred|thousand|million|billion|trillion)\b))?(?:{_WORDS})"
         rf"(?:(?:\s*-\s*|\s+|\s+and\s+)(?:{_WORDS}))*\b)")
_DIGITS = r"(?<![\w.,])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?)"
_CODES = "|".join(sorted(CURRENCY_CODES))
_SYMBOLS = "|".join(re.escape(s) for s in sorted(CURRENCY_SYMBOLS, key=len, reverse=True) if not s.isalpha())
_CUR_WORDS = "|".join(sorted(CURRENCY_WORDS, key=len, reverse=True))
_MEASURES = "|".join(re.escape(m) for m in sorted(MEASURES, key=len, reverse=True) if m != "m")
_CURRENCY_BEFORE = re.compile(rf"(?:{_SYMBOLS}|\b(?:{_CODES})\s?)$")
_AMOUNT = re.compile(
    rf"(?P<num>{_DIGITS}|{_NUMW})"
    rf"(?:(?<=\d)(?P<mag1>bn|mn|mln|m|k|tn)\b|\s*(?P<mag2>(?i:thousand|million|billion|trillion))\b"
    rf"|\s(?P<mag3>bn|mn|mln)\b)?"
    rf"(?P<unit>\s?%|\s?(?i:per\s?cent|percent|percentage\s+points?)\b"
    rf"|\s(?:(?P<kind>US|U\.S\.|Australian|Canadian|Hong\s+Kong|New\s+Zealand|Singapore)\s+)?(?i:{_CUR_WORDS})\b"
    rf"|\s(?:{_CODES})\b|(?:\s|-)(?i:{_MEASURES})(?![\w/]))?"
)
_PLURAL = re.compile(r"(?i)\b(?:(?:tens|hundreds|dozens)\s+of\s+)?(?:dozens|hundreds|thousands|millions|billions)"
                     r"(?=\s+of\b)"
                     r"|\b(?:several|a\s+few)\s+(?:dozen|hundred|thousand|million|billion)\b")
_RATIO_GAP = re.compile(r"\s+(?:in|out\s+of)\s+")


@dataclass(frozen=True, slots=True)
class Amount:
    """A quantity as written, with character offsets; figures add context to it."""

    start: int
    end: int
    value: float | tuple[float, float]
    unit: str | None = None
    words: bool = False  # written in words
    approximate: str | None = None
    bare: bool = True  # no currency, magnitude or unit
    scale: float = 1.0  # the magnitude word applied ("million")


def _european(text: str) -> bool:
    """Whether the text writes thousands with dots: only a form no English writer uses decides."""
    return bool(re.search(r"(?<![\d.])\d{1,3}(?:\.\d{3}){2,}(?![\d.])|(?<![\d.,])\d+,\d{1,2}(?![\d,])\s?(?:%|[A-Za-z])",
                          text))


def _unit_of(m: re.Match, cur: str | None) -> str | None:
    if cur:
        cur = cur.strip()
        return CURRENCY_SYMBOLS.get(cur, cur.upper())
    raw = (m.group("unit") or "").strip().lstrip("-").lower()
    if not raw:
        return None
    raw = " ".join(raw.split())
    if raw in PERCENT_WORDS or raw.startswith("per"):
        return PERCENT_WORDS.get(raw, "%")
    if raw.upper() in CURRENCY_CODES:
        return raw.upper()
    last = raw.split()[-1]
    if last in CURRENCY_WORDS:
        kind = (m.group("kind") or "").lower().replace("  ", " ")
        return DOLLAR_KINDS.get(kind, CURRENCY_WORDS[last]) if last.startswith("dollar") else CURRENCY_WORDS[last]
    return MEASURES.get(raw, raw)


def find_amounts(text: str, dots_group: bool | None = None) -> list[Amount]:
    """Every quantity the patterns see in `text`, in order, before any context decides whether
    it is a figure. `dots_group`: the text's language writes thousands with dots ("100.000
    Soldaten"); None when that is not known, and then only the text's own forms decide."""
    european = _european(text) if dots_group is None else dots_group
    out: list[Amount] = []
    taken: list[tuple[int, int]] = []
    for m in _PLURAL.finditer(text):
        value = plural_range(m.group().split())
        if value and not overlaps(m.span(), taken):
            phrase = " ".join(m.group().lower().split())
            out.append(Amount(m.start(), m.end(), value, approximate=phrase + (" of" if "several" not in phrase
                                                                                  and "few" not in phrase else "")))
            taken.append(m.span())
    for m in _AMOUNT.finditer(text):
        if overlaps(m.span(), taken):
            continue
        parsed = _number(m.group("num"), european)
        if parsed is None:
            continue
        value, used = parsed
        num_start = m.start("num")
        if used < len(m.group("num")):  # "a two-day": keep the part that spells a number
            out.append(Amount(num_start, num_start + used, value, words=True))
            continue
        cur_match = _CURRENCY_BEFORE.search(text, max(0, num_start - 4), num_start)
        cur = cur_match.group() if cur_match else None
        mag = m.group("mag1") or m.group("mag2") or m.group("mag3")
        unit = _unit_of(m, cur)
        if mag and mag.lower() in MONEY_ONLY_MAGNITUDES and unit not in MONEY_UNITS:
            continue
        scale = MAGNITUDES[mag.lower()] if mag else 1.0
        out.append(Amount(cur_match.start() if cur_match else num_start, m.end(), value * scale, unit,
                          words=not m.group("num")[0].isdigit(), bare=not (cur or mag or m.group("unit")),
                          scale=scale))
    return _ratios(text, sorted(out, key=lambda a: a.start))


def _ratios(text: str, amounts: list[Amount]) -> list[Amount]:
    """"seven in ten", "one out of five": a share, read as a percentage."""
    out: list[Amount] = []
    for a in amounts:
        prev = out[-1] if out else None
        if (prev is not None and prev.bare and a.bare and _RATIO_GAP.fullmatch(text, prev.end, a.start)
                and isinstance(prev.value, float) and isinstance(a.value, float) and 0 < prev.value < a.value <= 100):
            out[-1] = Amount(prev.start, a.end, round(100 * prev.value / a.value, 1), "%",
                             words=prev.words and a.words, bare=False)
        else:
            out.append(a)
    return out


def _number(raw: str, european: bool) -> tuple[float, int] | None:
    """(value, characters used) of digits or number words."""
    if raw[0].isdigit():
        value = digits_value(raw, european)
        return (value, len(raw)) if value is not None else None
    words = list(re.finditer(r"[A-Za-z]+", raw))
    found = longest_words_value([w.group() for w in words])
    return (found[0], words[found[1] - 1].end()) if found else None


def overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in spans)
