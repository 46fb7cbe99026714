"""String rules for deciding when two written names can denote the same thing.

Everything here is a pure function of strings, so the merge in `entities` can be explained one
rule at a time and re-run with identical results. The rules are general: spelling folds for the
systematic ways one name is written in Latin letters (transliteration, British/American spelling),
a small table of English hypocorisms, a small table of country-name variants, acronym
initials, and the word lists that tell a title from a name. No rule knows any particular person.

Fuzzy similarity is used in exactly one place, given names of people whose surnames already agree
after folding; places and organisations must agree exactly after folding, because edit distance
alone happily joins neighbours (Iran/Iraq, Gaza/Giza, Slovakia/Slovenia).
"""

from __future__ import annotations

import re
import unicodedata
from types import MappingProxyType

from .other_languages import exonyms

HONORIFICS = frozenset("mr mrs ms miss mx dr prof sir dame lord lady madam mme mlle herr frau rev".split())
SUFFIXES = frozenset("jr sr ii iii iv phd".split())
# lowercase words that belong to a surname ("Le Marrec", "van der Meer", "bin Tariq")
PARTICLES = frozenset("le la de del della di da du des dos das van von der den ter ten al el bin ben ibn st".split())
# nouns that make the words around a name a role ("Kestrian Foreign Minister", "his Ardesian counterpart")
ROLE_HEADS = frozenset(
    """minister ministers secretary secretaries president presidents chancellor premier general chief head
    leader leaders spokesman spokeswoman spokesperson ambassador envoy diplomat counterpart counterparts
    director governor mayor chairman chairwoman chair commissioner senator congressman congresswoman
    lawmaker mp deputy king queen prince princess emperor pope ceo executive founder official officer
    commander colonel captain lieutenant admiral judge prosecutor attorney lawyer analyst expert professor
    economist researcher correspondent editor reporter journalist curator manager coach champion emir sultan
    aide adviser advisor negotiator inspector sheriff marshal dean rector bishop archbishop cardinal
    rabbi imam cleric activist representative delegate speaker superintendent vice master""".split())
TITLE_WORDS = ROLE_HEADS | HONORIFICS | frozenset("foreign prime federal acting interim former state".split())
NOT_NAMES = frozenset("state states government ministry department council parliament court army police "
                       "agency committee related analysis source sources".split())
HEADLINE_VERBS = frozenset("""says said tells told warns urges briefs claims calls denies vows slams rejects
    accuses insists asks meets visits signs gives gave wants backs blasts demands seeks sees""".split())
LEADING_PARTICLES = PARTICLES - {"al", "el", "bin", "ben", "ibn", "st"}
FUNCTION_WORDS = frozenset("of the and for in on at to a an de du des la le von van der und et y e".split())

_TRANSLIT = (("sch", "sh"), ("kh", "h"), ("ph", "f"), ("th", "t"), ("ck", "k"), ("ks", "x"), ("cs", "x"),
             ("ou", "u"), ("w", "v"))
_VOWELS = "aeiou"

# English short forms whose link to the full name is not a plain prefix or suffix
_HYPOCORISMS = {
    "robert": "bob bobby rob robbie bert", "william": "bill billy will willie liam",
    "richard": "dick rick ricky rich", "james": "jim jimmy jamie", "john": "jack johnny",
    "anthony": "tony", "antony": "tony", "elizabeth": "liz lizzie beth betty eliza",
    "margaret": "maggie meg peggy", "katherine": "kate kathy katie kat", "catherine": "kate cathy",
    "edward": "ed eddie ted ned", "thomas": "tom tommy", "michael": "mike mick mickey",
    "charles": "charlie chuck", "joseph": "joe joey", "daniel": "dan danny", "david": "dave",
    "stephen": "steve", "steven": "steve", "andrew": "andy drew", "christopher": "chris",
    "nicholas": "nick", "benjamin": "ben", "samuel": "sam", "matthew": "matt", "patrick": "pat paddy",
    "peter": "pete", "timothy": "tim", "jennifer": "jen jenny", "rebecca": "becky", "susan": "sue",
    "deborah": "deb debbie", "patricia": "pat patty trish", "theodore": "ted teddy theo",
    "henry": "harry hank", "lawrence": "larry", "gerald": "gerry jerry", "ronald": "ron ronnie",
    "donald": "don", "kenneth": "ken", "douglas": "doug", "gregory": "greg", "jeffrey": "jeff",
    "geoffrey": "geoff jeff", "alexander": "alex sasha", "alexandra": "alex sasha", "frederick": "fred",
    "albert": "al bert", "alfred": "alf fred", "victoria": "vicky", "abigail": "abby",
    "jacqueline": "jackie", "francis": "frank", "franklin": "frank", "leonard": "leo len",
}

# the usual names of countries that are not spelled from one another (dotted forms fold first)
_COUNTRIES = {
    "united states": "us|usa|america|united states of america|eeuu|eua",
    "united kingdom": "uk|britain|great britain|united kingdom of great britain and northern ireland",
    "russia": "russian federation", "netherlands": "holland", "czech republic": "czechia",
    "myanmar": "burma", "turkey": "turkiye", "ivory coast": "cote d'ivoire|cote divoire",
    "united arab emirates": "uae", "china": "prc|people republic of china", "taiwan": "republic of china",
    "south korea": "rok|republic of korea", "north korea": "dprk|democratic people republic of korea",
    "dr congo": "drc|democratic republic of the congo|democratic republic of congo",
    "eswatini": "swaziland", "north macedonia": "macedonia",
}
COUNTRY_VARIANTS = MappingProxyType({v: k for k, vs in _COUNTRIES.items() for v in vs.split("|")})
_PAREN_ACRONYM = re.compile(r"\(\s*((?:[A-Z]\.){2,8}|[A-Z][A-Z0-9&]{1,9}s?)\s*\)")
_ACRONYM_PAREN = re.compile(r"\b((?:[A-Z]\.){2,8}|[A-Z][A-Z0-9&]{1,9})\s*\(([^()\n]{4,160})\)")

_STATE_FORM = re.compile(
    r"^(?:(?:federal|democratic|islamic|socialist|people|peoples|arab|plurinational|bolivarian|"
    r"independent|united|cooperative|hashemite)\s+)*(?:republic|kingdom|federation|commonwealth|state|"
    r"principality|grand duchy|sultanate|emirate|duchy)\s+of\s+(?:the\s+)?(.+)$")
_DOTTED = re.compile(r"\b(?:[A-Za-z]\.){2,}(?![A-Za-z])")
_ACRONYM = re.compile(r"^(?:[A-Z]\.){2,8}$|^[A-Z][A-Z0-9&]{1,9}s?$")


def strip_accents(text: str) -> str:
    """Latin letters without diacritics, so that one name typed with and without them agrees."""
    if text.isascii():
        return text
    text = text.replace("ß", "ss").replace("ø", "o").replace("Ø", "O").replace("æ", "ae").replace("ł", "l")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


_NON_LETTER = re.compile(r"[^a-z]")
_SOFT_C = re.compile(r"c(?!h)")
_DOUBLE = re.compile(r"(.)\1+")
_FINAL_H = re.compile(r"(?<=[aeiou])h$")
_POSSESSIVE = re.compile(r"'s\b")
_WORD_HYPHEN = re.compile(r"(?<=[a-z])-(?=[a-z])")
_NON_WORD = re.compile(r"[^\w']+")
_LOOSE_APOSTROPHE = re.compile(r"\s+'|'\s+|^'|'$")
_SPELLINGS = ((re.compile(r"our$"), "or"), (re.compile(r"(?<=[^aeiou])tre$"), "ter"), (re.compile(r"ence$"), "ense"))


def fold(word: str) -> str:
    """A spelling key for one word: the common Latin renderings of one sound collapse.

    Covers kh/h, ph/f, th/t, ks/x, ou/u, w/v, c/k, initial j/y/i before a vowel, y/i elsewhere,
    ie/i, doubled letters and a final h after a vowel (Dmitri/Dmitry/Dmitrij, Iouri/Yuri,
    Odessa/Odesa, Tarassov/Tarasov, Mathew/Matthew, Sarah/Sara). A word without a Latin letter
    (Cyrillic, Greek, digits, stray punctuation) is its own casefolded key: it never folds to
    nothing, which would make every such word the same name.
    """
    w = _NON_LETTER.sub("", strip_accents(word).lower())
    if not w:
        return word.casefold()
    for a, b in _TRANSLIT:
        w = w.replace(a, b)
    if len(w) > 1 and w[0] in "jyi" and w[1] in _VOWELS:
        w = "y" + w[1:]
    w = w[:1] + w[1:].replace("y", "i").replace("j", "i")
    w = _DOUBLE.sub(r"\1", _SOFT_C.sub("k", w).replace("ie", "i"))
    return _FINAL_H.sub("", w) if len(w) > 3 else w


def spelling(word: str) -> str:
    """British and American spellings of one word agree (organisation/organization, harbour/harbor)."""
    w = word.replace("isation", "ization").replace("ising", "izing")
    for pattern, replacement in _SPELLINGS:
        w = pattern.sub(replacement, w)
    return w


def normalize(text: str) -> str:
    """Casefolded text with accents, dots in acronyms, possessives, hyphens and a leading 'the' gone."""
    t = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), strip_accents(text))
    t = _POSSESSIVE.sub("", t.replace("’", "'").replace("&", " and ").casefold())
    t = _NON_WORD.sub(" ", _WORD_HYPHEN.sub("", t)).replace("_", " ").strip()
    t = _LOOSE_APOSTROPHE.sub(" ", t).strip()
    return t[4:].lstrip() if t.startswith("the ") else t


def is_acronym(text: str) -> bool:
    """All-capital short forms: IAEA, U.K., DHWU (not a capitalised ordinary word)."""
    t = text.strip()
    return bool(_ACRONYM.match(t))


def acronym_letters(text: str) -> str:
    return "".join(c for c in text if c.isupper() or c.isdigit())


def name_key(text: str, label: str) -> str:
    """The key under which non-person names merge: country variants, 'Republic of X' for a
    state, spelling and transliteration folds, and word order for multi-word names, since
    translations reorder them ("National Agency of Civil Protection")."""
    t = normalize(text)
    t = COUNTRY_VARIANTS.get(t) or exonyms().get(t, t)  # a variant, or a place's name in another language
    t = COUNTRY_VARIANTS.get(t, t)
    if label == "GPE":
        m = _STATE_FORM.match(t)
        if m:
            t = COUNTRY_VARIANTS.get(m.group(1), m.group(1))
    words = t.split()
    content = [w for w in words if w not in FUNCTION_WORDS] or words
    keys = [fold(spelling(w.replace("'", ""))) for w in content]
    return " ".join(sorted(keys) if len(keys) > 1 else keys)


def content_initials(text: str) -> str:
    """Initial letters of the content words, the usual way an acronym is made."""
    words = re.findall(r"[\w'’.-]+", strip_accents(text).replace("&", " and "))
    return "".join(w[0].upper() for w in words if w.lower() not in FUNCTION_WORDS and w[0].isalpha())


def spells_acronym(letters: str, text: str) -> bool:
    """Whether `letters` are the initials of `text`: every content word gives its first letter
    (a hyphenated word one letter or one per part), a function word may give one or none."""
    words = re.findall(r"[\w'’-]+", strip_accents(text).replace("&", " and "))
    options: list[tuple[tuple[str, ...], bool]] = []
    for w in words:
        parts = [p for p in w.split("-") if p]
        if not parts:
            continue
        first = parts[0][0].upper()
        choices = {first, "".join(p[0].upper() for p in parts)}
        options.append((tuple(sorted(choices, key=len)), w.lower() in FUNCTION_WORDS))
    target = letters.upper()
    memo: dict[tuple[int, int], bool] = {}

    def walk(i: int, j: int) -> bool:
        if (i, j) in memo:
            return memo[(i, j)]
        if i == len(options):
            ok = j == len(target)
        else:
            choices, optional = options[i]
            ok = (optional and walk(i + 1, j)) or any(
                target.startswith(c, j) and walk(i + 1, j + len(c)) for c in choices)
        memo[(i, j)] = ok
        return ok

    return len(options) >= 2 and walk(0, 0)


# --- people ------------------------------------------------------------------------------------


def person_parts(text: str) -> tuple[tuple[str, ...], str]:
    """(given names, surname) of a personal name; honorifics and suffixes are not part of either.

    Particles before the last word belong to the surname ("Jean-Luc Le Marrec" -> "Le Marrec",
    "Pieter van der Meer" -> "van der Meer"), and a name that starts with one is all surname
    ("Le Marrec" alone), so a bare surname finds the full name it shortens.
    """
    words = [w.strip(",") for w in strip_accents(text).replace("’", "'").split()]
    words = [w for w in words if w and w.rstrip(".").lower() not in HONORIFICS]
    while len(words) > 1 and _is_suffix(words[-1]):
        words.pop()
    if not words:
        return (), ""
    i = len(words) - 1
    while i > 1 and words[i - 1].lower() in PARTICLES:
        i -= 1
    if i == 1 and words[0].lower() in LEADING_PARTICLES:
        i = 0
    return tuple(words[:i]), " ".join(words[i:])


def _is_suffix(word: str) -> bool:
    return word.rstrip(".").lower() in SUFFIXES


def surname_key(surname: str) -> str:
    return " ".join(fold(w) for w in surname.replace("-", " ").split())


def _nickname_table() -> MappingProxyType:
    table: dict[str, frozenset[str]] = {}
    for full, shorts in _HYPOCORISMS.items():
        for short in shorts.split():
            table[fold(short)] = table.get(fold(short), frozenset()) | {fold(full)}
    return MappingProxyType(table)


NICKNAMES = _nickname_table()


def is_initial(word: str) -> bool:
    return len(word.rstrip(".")) == 1 and word[0].isalpha()


def jaro_winkler(a: str, b: str) -> float:
    """Jaro-Winkler similarity (prefix scale 0.1, up to four characters)."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    reach = max(max(len(a), len(b)) // 2 - 1, 0)
    taken = [False] * len(b)
    matched_a = []
    for i, ch in enumerate(a):
        for j in range(max(0, i - reach), min(len(b), i + reach + 1)):
            if not taken[j] and b[j] == ch:
                taken[j] = True
                matched_a.append(ch)
                break
    if not matched_a:
        return 0.0
    matched_b = [b[j] for j in range(len(b)) if taken[j]]
    m = len(matched_a)
    transpositions = sum(x != y for x, y in zip(matched_a, matched_b)) / 2
    jaro = (m / len(a) + m / len(b) + (m - transpositions) / m) / 3
    prefix = 0
    for x, y in zip(a[:4], b[:4]):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * 0.1 * (1 - jaro)


GIVEN_SIMILARITY = 0.93


def given_names_match(a: str, b: str) -> bool:
    """Whether two given names can name the same person.

    Yes for one spelling under `fold`, an initial and a name with that letter, an English
    hypocorism (Bob/Robert), a short form that is a prefix (Alex/Alexander) or a suffix
    (Tina/Christina) of the long one, and close transliterations (Aleksandr/Alexander). No
    when one ends in -a and the other does not, since that is how many languages mark a different
    person (Paul/Paula, Daniel/Daniela, Mario/Maria).
    """
    fa, fb = fold(a), fold(b)
    if not fa or not fb:  # nothing to compare: no evidence that it is the same person
        return False
    if is_initial(a) or is_initial(b):
        return fold(a[0]) == fold(b[0]) or a[0].lower() == b[0].lower()
    if fa == fb:
        return True
    long_a, long_b = NICKNAMES.get(fa, frozenset()), NICKNAMES.get(fb, frozenset())
    if fa in long_b or fb in long_a or long_a & long_b:
        return True
    if fa.endswith("a") != fb.endswith("a"):
        return False
    short, long = sorted((fa, fb), key=len)
    if (len(short) >= 3 and long.startswith(short)) or (len(short) >= 4 and long.endswith(short)):
        return True
    return fa[0] == fb[0] and abs(len(fa) - len(fb)) <= 2 and jaro_winkler(fa, fb) >= GIVEN_SIMILARITY


def is_short_form(a: str, b: str) -> bool:
    """Whether given name `a` is a shorter everyday form of `b` (Bob of Robert, Alex of Alexander)."""
    fa, fb = fold(a), fold(b)
    if not fa or fa == fb or len(fa) >= len(fb):
        return False
    return fb in NICKNAMES.get(fa, ()) or fb.startswith(fa) or fb.endswith(fa)


def shorter_given(a: str, b: str) -> bool:
    """Whether full name `a` is `b` with a shorter everyday first name (Bob Harwell of Robert Harwell)."""
    ga, gb = person_parts(a)[0], person_parts(b)[0]
    return bool(ga and gb) and is_short_form(ga[0], gb[0])


def people_match(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Given-name lists (surnames already agree): first names match, and so do middle names
    where both are written."""
    if not a or not b:
        return False
    if not given_names_match(a[0], b[0]):
        return False
    return all(given_names_match(x, y) for x, y in zip(a[1:], b[1:]))


def cluster_people(forms: dict[str, tuple[str, ...]], weight: dict[str, int]) -> list[list[str]]:
    """Full-name forms that share a surname (key -> given names), clustered greedily, most used
    first: a form joins the one cluster all of whose given names it matches; a form matching
    several (an initial, a bare short form) stays apart rather than chain two people together."""
    order = sorted(forms, key=lambda k: (all(is_initial(g) for g in forms[k]), -weight.get(k, 0), k))
    clusters: list[list[str]] = []
    for key in order:
        fits = [c for c in clusters if all(people_match(forms[key], forms[other]) for other in c)]
        if len(fits) == 1:
            fits[0].append(key)
        else:
            clusters.append([key])
    return clusters


def acronym_definitions(text: str) -> dict[str, tuple[tuple[int, int], tuple[int, int]]]:
    """Acronyms a text spells out, "Long Name (LN)" or "LN (Long Name)", on one line:
    letters -> (acronym span, long-form span); the first definition of each wins."""
    found: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {}
    for m in _PAREN_ACRONYM.finditer(text):
        letters = acronym_letters(m.group(1))
        line = text.rfind("\n", 0, m.start()) + 1
        words = list(re.finditer(r"[\w’'&.-]+", text[line:m.start()]))[-(2 * len(letters) + 4):]
        for w in reversed(words):
            if w.group(0)[0].isupper() and spells_acronym(letters, text[line + w.start():m.start()]):
                found.setdefault(letters, ((m.start(1), m.end(1)), (line + w.start(), line + words[-1].end())))
                break
    for m in _ACRONYM_PAREN.finditer(text):
        letters, inner = acronym_letters(m.group(1)), m.group(2).strip()
        if inner[:1].isupper() and spells_acronym(letters, inner):
            at = m.start(2) + m.group(2).index(inner)
            found.setdefault(letters, ((m.start(1), m.end(1)), (at, at + len(inner))))
    return found


class KeyUnion:
    """Union-find over string keys; the smaller key is the root, so a sorted input gives one result."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        while self.parent.get(key, key) != key:
            self.parent[key] = self.parent.get(self.parent[key], self.parent[key])
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        ra, rb = sorted((self.find(a), self.find(b)))
        if ra != rb:
            self.parent[rb] = ra


def repeated_people(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Where the model missed a person it found elsewhere in the same article: the full name
    written again, or the bare surname with no capitalised word beside it (which would make it
    part of another name)."""
    names = {text[a:b] for a, b, label in spans if label == "PERSON" and person_parts(text[a:b])[0]}
    surnames = {person_parts(n)[1] for n in names} - names
    found = []
    for name in sorted(names | surnames, key=lambda n: (-len(n), n)):
        for m in re.finditer(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", text):
            before = re.search(r"([\w.’'-]+)\s*$", text[max(0, m.start() - 40):m.start()])
            after = re.match(r"\s*([\w’'-]+)", text[m.end():m.end() + 40])
            prev = before.group(1) if before else "."
            if name in surnames and (prev[0].isupper() and not prev.endswith(".") and prev.lower() not in TITLE_WORDS
                                     or after and after.group(1)[0].isupper()):
                continue
            found.append((m.start(), m.end(), "PERSON"))
    return found
