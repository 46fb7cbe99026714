"""Names in articles that are not in English: one entity across languages, no parser slips as names."""

from __future__ import annotations

from storyline.extract.entities import canonicalize
from storyline.extract.other_languages import calendar_words, exonyms
from storyline.map_steps import extract_articles
from storyline.records import Article

# One fictional meeting, told in German, Spanish, Dutch and English.
TEXTS = {
    "de": ("Der russische Außenminister ist am Donnerstag in Moskau mit Vertretern von Deutschland und "
           "Frankreich zusammengetroffen. Die Gespräche dauerten nach Angaben der Delegationen sechs Stunden."),
    "es": ("El ministro ruso se reunió el jueves en Moscú con representantes de Alemania. El precio del "
           "contrato de Airbus no fue revelado por la empresa."),
    "nl": "De topman van Airbus zei donderdag in Londen dat de Duitse Lufthansa tien toestellen heeft besteld.",
    "en": ("Russian officials met envoys from Germany and France in Moscow on Thursday. Airbus said Lufthansa had "
           "ordered ten aircraft at a meeting in London."),
}


SLIPS = ("Donnerstag", "Der", "El", "van Airbus", "de Airbus", "Vertretern von Deutschland", "Duitse Lufthansa")


def _entities(languages=None):
    articles = [Article(id=lang, path=f"{lang}.txt", text=text, title="Report",
                        language=(languages or {}).get(lang, lang)) for lang, text in TEXTS.items()]
    extracts = extract_articles(articles)
    mentions = [m for x in extracts for m in x.mentions]
    return mentions, canonicalize(mentions)


def _articles_of(entities, name: str) -> set[str]:
    entity = next((e for e in entities if e.name == name), None)
    assert entity is not None, sorted(e.name for e in entities)
    return {m.article_id for m in entity.mentions}


def test_a_place_or_company_in_four_languages_is_one_entity_named_in_english():
    mentions, entities = _entities()
    assert _articles_of(entities, "Moscow") == {"de", "es", "en"}
    assert _articles_of(entities, "Germany") == {"de", "es", "en"}
    assert _articles_of(entities, "London") == {"nl", "en"}
    assert _articles_of(entities, "Airbus") == {"es", "nl", "en"}
    texts = {m.text for m in mentions}
    assert {"Moskau", "Moscú", "Alemania", "Londen"} <= texts


def test_words_around_a_name_and_calendar_words_are_not_names():
    mentions, _ = _entities()
    texts = {m.text for m in mentions}
    for slip in SLIPS:
        assert slip not in texts, sorted(texts)
    for m in mentions:
        assert m.text == TEXTS[m.article_id][m.start:m.end]


def test_read_with_english_rules_the_slips_stay():
    mentions, _ = _entities({lang: None for lang in TEXTS})
    texts = {m.text for m in mentions}
    assert texts & set(SLIPS), sorted(texts)  # the repairs apply to articles known to be in another language


def test_cldr_tables_give_english_names_and_calendar_words():
    names = exonyms()
    assert names["deutschland"] == names["alemania"] == "germany"
    assert names["moskau"] == "moscow" and names["londen"] == "london"
    assert "germany" not in names  # an English name is not a key of its own
    assert {"donnerstag", "dezember"} <= calendar_words("de") and "jueves" in calendar_words("es")
