"""Copy detection on hand-written fictional news: each kind of copy, its direction, and the
articles that share a story but are not copies (the five real seeds among them)."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from storyline.copies import align
from storyline.copies import closest_originals, find_copies, signature
from storyline.records import Article, Copy
from storyline.text import sentence_spans

from conftest import SEEDS  # noqa: E402

ORIGINAL = """The regional council of Estmark approved a plan on Tuesday to expand the port of Varnholm, ending a dispute that had stalled the project for almost three years. The expansion will cost 2.4 billion kroner and add four deep-water berths, council chair Ingrid Solberg told reporters after the vote.

The vote passed 31 to 14. Opponents, led by the Green Coast party, argued that dredging the bay would damage fishing grounds used by about 600 local families. Party spokesman Anders Kjeldsen said the group would appeal to the national environment agency.

Port director Henrik Aalto said construction would begin in March 2025 and take four years. He expects the new berths to handle 1.2 million containers a year by 2030, roughly double the current volume.

The plan had been rejected twice before. In 2021 the council sent it back over cost concerns, and a second version failed in 2022 after the Ministry of Transport cut its share of the funding from 40 percent to 25 percent.

Business groups welcomed the decision. The Estmark Chamber of Commerce said the project would create about 1,800 jobs during construction and 450 permanent positions. Its president, Maria Lindqvist, called the vote "a turning point for the whole coast".

Fishermen gathered outside the council building in Varnholm during the debate. Some carried signs reading "No sand, no fish". Police said the protest was peaceful and that no arrests were made."""

SPUN = """The regional council of Estmark endorsed a proposal on Tuesday to enlarge the harbour of Varnholm, concluding a quarrel that had halted the venture for nearly three years. The enlargement will cost 2.4 billion kroner and add four deep-water moorings, council chair Ingrid Solberg informed journalists following the ballot.

The ballot succeeded 31 to 14. Adversaries, headed by the Green Coast party, contended that deepening the bay would harm fishing areas utilised by approximately 600 neighbourhood households. Party spokesperson Anders Kjeldsen stated the organisation would petition the national environment agency.

Harbour director Henrik Aalto stated building would commence in March 2025 and last four years. He anticipates the fresh moorings to manage 1.2 million containers annually by 2030, approximately twice the present quantity.

The proposal had been refused twice previously. In 2021 the council returned it over expense worries, and a subsequent version collapsed in 2022 after the Ministry of Transport reduced its portion of the financing from 40 percent to 25 percent.

Commerce organisations applauded the determination. The Estmark Chamber of Commerce stated the venture would generate approximately 1,800 positions throughout building and 450 lasting posts. Its president, Maria Lindqvist, termed the ballot "a pivotal moment for the entire shoreline".

Anglers assembled outside the council edifice in Varnholm throughout the discussion. Several held placards saying "No sand, no fish". Authorities stated the demonstration was calm and that no detentions occurred."""

GERMAN = """Der Regionalrat von Estmark hat am Dienstag einen Plan zum Ausbau des Hafens von Varnholm gebilligt und damit einen Streit beendet, der das Projekt fast drei Jahre lang blockiert hatte. Der Ausbau wird 2,4 Milliarden Kronen kosten und vier Tiefwasser-Liegeplätze schaffen, sagte die Ratsvorsitzende Ingrid Solberg nach der Abstimmung vor Journalisten.

Die Abstimmung endete mit 31 zu 14 Stimmen. Die Gegner, angeführt von der Partei Green Coast, argumentierten, das Ausbaggern der Bucht würde Fischgründe schädigen, von denen etwa 600 örtliche Familien leben. Parteisprecher Anders Kjeldsen sagte, die Gruppe werde bei der nationalen Umweltbehörde Einspruch einlegen.

Hafendirektor Henrik Aalto sagte, die Bauarbeiten würden im März 2025 beginnen und vier Jahre dauern. Er erwartet, dass die neuen Liegeplätze bis 2030 jährlich 1,2 Millionen Container abfertigen, etwa doppelt so viel wie heute.

Der Plan war bereits zweimal abgelehnt worden. Im Jahr 2021 schickte der Rat ihn wegen der Kosten zurück, und eine zweite Fassung scheiterte 2022, nachdem das Verkehrsministerium seinen Anteil an der Finanzierung von 40 Prozent auf 25 Prozent gekürzt hatte.

Wirtschaftsverbände begrüßten die Entscheidung. Die Handelskammer von Estmark erklärte, das Projekt werde während der Bauzeit etwa 1.800 Arbeitsplätze und 450 Dauerstellen schaffen. Ihre Präsidentin Maria Lindqvist nannte die Abstimmung „einen Wendepunkt für die ganze Küste“.

Fischer versammelten sich während der Debatte vor dem Ratsgebäude in Varnholm. Einige trugen Schilder mit der Aufschrift „No sand, no fish“. Die Polizei sagte, der Protest sei friedlich verlaufen, Festnahmen habe es keine gegeben."""

SPANISH = """El consejo regional de Estmark aprobó el martes un plan para ampliar el puerto de Varnholm, poniendo fin a una disputa que había paralizado el proyecto durante casi tres años. La ampliación costará 2.400 millones de coronas y añadirá cuatro atracaderos de aguas profundas, dijo a los periodistas la presidenta del consejo, Ingrid Solberg, tras la votación.

La votación se aprobó por 31 votos a 14. Los opositores, encabezados por el partido Green Coast, argumentaron que el dragado de la bahía dañaría los caladeros de unas 600 familias locales. El portavoz del partido, Anders Kjeldsen, dijo que el grupo recurrirá ante la agencia nacional de medio ambiente.

El director del puerto, Henrik Aalto, dijo que las obras comenzarán en marzo de 2025 y durarán cuatro años. Espera que los nuevos atracaderos muevan 1,2 millones de contenedores al año en 2030, aproximadamente el doble del volumen actual.

El plan ya había sido rechazado dos veces. En 2021 el consejo lo devolvió por su coste, y una segunda versión fracasó en 2022 después de que el Ministerio de Transporte redujera su parte de la financiación del 40 por ciento al 25 por ciento.

Las organizaciones empresariales celebraron la decisión. La Cámara de Comercio de Estmark afirmó que el proyecto creará unos 1.800 empleos durante las obras y 450 puestos permanentes. Su presidenta, Maria Lindqvist, calificó la votación de «un punto de inflexión para toda la costa».

Los pescadores se concentraron ante el edificio del consejo en Varnholm durante el debate. Algunos llevaban carteles con el lema «No sand, no fish». La policía dijo que la protesta fue pacífica y que no hubo detenciones."""

# A foreign outlet's English edition: translated out of English and machine-translated back.
MACHINE_TRANSLATED = """The regional council of Estmark has approved on Tuesday a plan to enlarge the port of Varnholm, putting an end to a dispute which had blocked the project during almost three years. The enlargement will cost 2.4 billion kroner and will add four berths of deep water, has declared to journalists the president of the council, Ingrid Solberg, after the vote.

The vote has passed by 31 votes against 14. The opponents, led by the party Green Coast, have argued that the dredging of the bay would damage the fishing grounds used by about 600 local families. The spokesman of the party, Anders Kjeldsen, has said that the group will appeal to the national agency of the environment.

The director of the port, Henrik Aalto, has said that the works will begin in March 2025 and will last four years. He expects that the new berths handle 1.2 million containers per year from here to 2030, roughly the double of the current volume.

The plan had already been rejected two times. In 2021 the council had sent it back because of its cost, and a second version has failed in 2022 after the Ministry of Transport had reduced its part of the financing from 40 percent to 25 percent.

The business organisations have welcomed the decision. The Chamber of Commerce of Estmark has affirmed that the project will create about 1,800 jobs during the works and 450 permanent posts. Its president, Maria Lindqvist, has qualified the vote of «a turning point for the whole coast».

Fishermen have gathered in front of the building of the council in Varnholm during the debate. Some carried signs with the slogan «No sand, no fish». The police has said that the protest was peaceful and that there was no arrest."""

# Same story, other outlet: shares names and figures, not the article.
SAME_STORY = """Varnholm will get its bigger port after all. After three years of wrangling, Estmark's regional council voted 31 to 14 on Tuesday in favour of a 2.4 billion kroner expansion that fishermen had fought at every step.

"We listened to everyone, and now we build," Ingrid Solberg, who chairs the council, said as protesters chanted outside. The Green Coast party, whose spokesman Anders Kjeldsen has led the campaign against dredging, said it was not finished and would take the case to the national environment agency.

For the business lobby the result is overdue. Maria Lindqvist of the Estmark Chamber of Commerce has argued for years that the region is losing cargo to rival ports further south, and her members expect thousands of construction jobs.

Henrik Aalto, who runs the port, now has to deliver. Earlier attempts collapsed in 2021 and 2022, the second after the Ministry of Transport reduced its contribution. Work on the four new berths is due to start in March 2025.

Local families who fish the bay remain unconvinced. Several told this newspaper that dredging would end a way of life that has lasted for generations, whatever the council promises about compensation."""

OTHER_STORY = """A small museum of mechanical clocks in the hill town of Orsdal reopened on Saturday after a two-year restoration paid for by local donations. Curator Lene Brandt said volunteers had cleaned and repaired more than 300 clocks, the oldest of them built in 1742.

Visitors queued in the rain before the doors opened at ten. Many had brought children, and a group of retired watchmakers demonstrated how a pendulum escapement works. The museum plans evening openings in the summer and a workshop for school classes from September."""


def article(article_id: str, text: str, published: str | None = None, language: str | None = None) -> Article:
    return Article(id=article_id, path=f"{article_id}.txt", text=text, published=published, language=language)


def links(copies) -> dict[tuple[str, str], str]:
    return {(c.article_id, c.of_article_id): c.kind for c in copies}


def no_embeddings(texts):
    raise AssertionError("embeddings should not be needed here")


def near_duplicate_text() -> str:
    paragraphs = ORIGINAL.split("\n\n")
    paragraphs[1] = paragraphs[1].replace("about 600 local families", "some 600 families in the area")
    del paragraphs[3]
    return "\n\n".join(paragraphs)


def test_exact_copy_with_other_whitespace_and_quotes_is_a_duplicate():
    copy = ORIGINAL.replace('"', "\u201c", 1).replace('"', "\u201d", 1).replace("\n\n", "\n  \n").replace(". ", ".  ")
    found = find_copies([article("a", ORIGINAL, "2024-05-02"), article("b", copy, "2024-05-03")], embedder=no_embeddings)
    assert links(found) == {("b", "a"): "duplicate"}
    assert found[0].similarity == 1.0 and found[0].evidence


def test_edited_copy_with_a_dropped_paragraph_is_a_near_duplicate():
    found = find_copies([article("a", ORIGINAL), article("b", near_duplicate_text())], embedder=no_embeddings)
    assert links(found) == {("b", "a"): "near-duplicate"}
    copy = found[0]
    assert 0.6 <= copy.similarity < 1.0
    assert any("some 600 families" in c and "about 600 local families" in o for c, o in copy.evidence)


def test_same_body_inside_a_dateline_and_credit_is_a_duplicate_of_the_bare_text():
    framed = "VARNHOLM, Estmark, May 14 (Nordic Wire) \u2014 " + ORIGINAL + "\n\nSource: Nordic Wire"
    found = find_copies([article("framed", framed, "2024-05-14"), article("wire", ORIGINAL, "2024-05-14")],
                        embedder=no_embeddings)
    assert links(found) == {("framed", "wire"): "duplicate"}


def test_paragraphs_lifted_into_another_outlets_framing_are_an_excerpt():
    lifted = "\n\n".join(ORIGINAL.split("\n\n")[:3])
    framed = ("Shipping lines calling at Varnholm should expect little change before 2025. Our correspondents "
              "in the region have followed the dispute from the start, and readers have asked us what the vote "
              "means for freight rates.\n\nBelow is the report from our partners, republished with permission.\n\n"
              + lifted + "\n\nOur view: the expansion is overdue, but the fishing families deserve a fair deal. "
              "We will follow the appeal and report on it here.")
    found = find_copies([article("blog", framed), article("full", ORIGINAL)], embedder=no_embeddings)
    assert links(found) == {("blog", "full"): "excerpt"}


def test_first_paragraphs_are_an_excerpt_of_the_longer_text():
    lead = "\n\n".join(ORIGINAL.split("\n\n")[:2])
    found = find_copies([article("lead", lead), article("full", ORIGINAL)], embedder=no_embeddings)
    assert links(found) == {("lead", "full"): "excerpt"}
    assert found[0].similarity > 0.95


def test_synonym_spun_copy_is_a_rewrite_found_without_embeddings():
    found = find_copies([article("spun", SPUN), article("orig", ORIGINAL)], embedder=no_embeddings)
    assert links(found) == {("spun", "orig"): "rewrite"}
    copy = found[0]
    assert 0.0 < copy.similarity <= 1.0
    assert any("endorsed a proposal" in c and "approved a plan" in o for c, o in copy.evidence)


def paraphrased() -> str:
    """The spun copy with its longest sentences reworded so that few words remain."""
    text = SPUN
    for before, after in {
        "The ballot succeeded 31 to 14.": "Backers won.",
        "The proposal had been refused twice previously.": "It is a third attempt.",
        "Commerce organisations applauded the determination.": "Employers cheered.",
        "Several held placards saying": "A few waved banners with",
        "Authorities stated the demonstration was calm and that no detentions occurred.": "Nobody was held.",
        "He anticipates the fresh moorings to manage": "Traffic should reach",
        "Adversaries, headed by the Green Coast party, contended that deepening the bay would harm fishing areas "
        "utilised by approximately 600 neighbourhood households.":
            "Digging up the seabed will ruin catches on which some 600 households depend, the Green Coast party fears.",
        "In 2021 the council returned it over expense worries, and a subsequent version collapsed in 2022 after the "
        "Ministry of Transport reduced its portion of the financing from 40 percent to 25 percent.":
            "Money sank the earlier versions, most recently when national government lowered what it would contribute.",
        "The Estmark Chamber of Commerce stated the venture would generate approximately 1,800 positions throughout "
        "building and 450 lasting posts.":
            "Local employers at the Estmark Chamber of Commerce expect 1,800 people to find work while it is built, "
            "and 450 afterwards.",
    }.items():
        assert before in text
        text = text.replace(before, after)
    return text


def test_paraphrased_copy_is_decided_by_sentence_embeddings():
    """Word overlap leaves this pair undecided: the embedder's verdict on the sentences decides."""
    original, copy = article("o", ORIGINAL), article("p", paraphrased())
    count = len(sentence_spans(ORIGINAL))

    def in_step(texts):  # sentence k of either text means the same as sentence k of the other
        return np.eye(len(texts), count + 1, dtype=np.float32)

    def unrelated(texts):
        return np.ones((len(texts), 1), dtype=np.float32) * -1 if texts[0].startswith("The regional council of Estmark endorsed") \
            else np.ones((len(texts), 1), dtype=np.float32)

    assert links(find_copies([copy, original], embedder=in_step)) == {("p", "o"): "rewrite"}
    assert find_copies([copy, original], embedder=unrelated) == []


def test_packaged_embedder_is_loaded_only_for_undecided_pairs():
    from storyline.embed import default_embedder

    model = default_embedder()  # a declared dependency: missing, it must fail, not skip
    calls = []

    def counting(texts):
        calls.append(len(texts))
        return model.encode(texts)

    find_copies([article("p", paraphrased()), article("o", ORIGINAL), article("c", OTHER_STORY)], embedder=counting)
    assert sorted(calls) == sorted(len(sentence_spans(t)) for t in (paraphrased(), ORIGINAL))


@pytest.mark.parametrize("language, text", [("de", GERMAN), ("es", SPANISH)])
def test_translation_is_found_from_names_numbers_and_dates(language, text):
    found = find_copies([article("en", ORIGINAL, language="en"), article(language, text)], embedder=no_embeddings)
    assert links(found) == {(language, "en"): "translation"} or links(found) == {("en", language): "translation"}
    assert found[0].evidence and all(c and o for c, o in found[0].evidence)


def test_machine_translated_english_edition_is_a_translation():
    found = find_copies([article("mt", MACHINE_TRANSLATED, "2024-05-15"), article("orig", ORIGINAL, "2024-05-14"),
                         article("other", SAME_STORY, "2024-05-15")])
    assert links(found) == {("mt", "orig"): "translation"}


def test_translation_direction_follows_the_majority_language_without_dates():
    corpus = [article("de", GERMAN), article("en", ORIGINAL), article("clock", OTHER_STORY), article("es", SPANISH)]
    found = links(find_copies(corpus, embedder=no_embeddings))
    assert found[("de", "en")] == "translation" and found[("es", "en")] == "translation"
    assert set(found.values()) == {"translation"}


def test_same_story_from_another_outlet_is_not_a_copy():
    corpus = [article("a", ORIGINAL), article("b", SAME_STORY), article("c", OTHER_STORY)]
    assert find_copies(corpus) == []


def test_direction_follows_dates_before_length():
    short_first = find_copies([article("full", ORIGINAL, "2024-05-04"), article("b", near_duplicate_text(), "2024-05-01")],
                              embedder=no_embeddings)
    assert links(short_first) == {("full", "b"): "near-duplicate"}
    spun_first = find_copies([article("orig", ORIGINAL, "2024-05-04"), article("spun", SPUN, "2024-05-03")],
                             embedder=no_embeddings)
    assert links(spun_first) == {("orig", "spun"): "rewrite"}


def test_direction_without_dates_prefers_the_fuller_plainer_text():
    found = links(find_copies([article("b", near_duplicate_text()), article("a", ORIGINAL), article("spun", SPUN)]))
    assert found[("b", "a")] == "near-duplicate"
    assert found[("spun", "a")] == "rewrite"
    assert set(found) <= {("b", "a"), ("spun", "a"), ("spun", "b"), ("b", "spun")}


def test_new_batch_is_compared_with_stored_articles_only_where_new():
    stored = [article("a", ORIGINAL, "2024-05-01"), article("a2", ORIGINAL + "\n", "2024-05-02")]
    assert find_copies([article("c", OTHER_STORY)], existing=stored) == []
    found = find_copies([article("spun", SPUN, "2024-05-06")], existing=stored, embedder=no_embeddings)
    assert links(found) in ({("spun", "a"): "rewrite"}, {("spun", "a2"): "rewrite"})


def test_signature_is_picklable_and_matches_what_find_copies_computes():
    items = [article("a", ORIGINAL), article("b", near_duplicate_text())]
    signatures = pickle.loads(pickle.dumps([signature(a) for a in items]))
    assert links(find_copies(items, signatures, embedder=no_embeddings)) == {("b", "a"): "near-duplicate"}
    assert signatures[0].language == "en" and len(signatures[0].anchors) > 20


def test_anchors_survive_translation():
    def anchors(text):
        return [a for s in align.sentence_anchors(text, sentence_spans(text)) for a in s]

    english = anchors("Shares fell in Oslo on 3 March 2008. Losses reached 40,000 kroner, said Ola Berg.")
    spanish = anchors("Las acciones cayeron en Oslo el 3 de marzo de 2008. Las pérdidas llegaron a 40.000 coronas, dijo Ola Berg.")
    assert english == spanish == ["oslo", "#3", "m3", "#2008", "#4", "ola", "berg"]


def test_alignment_helpers():
    assert align.lcs_length("abcbdab", "bdcaba") == 4
    assert align.normalise("He said: \u201cIt's  DONE.\u201d") == align.normalise('he said "it\'s done"')
    similarity = np.array([[0.9, 0.1, 0.1], [0.1, 0.2, 0.95], [0.1, 0.8, 0.1]])
    assert [(i, j) for i, j, _ in align.monotone_alignment(similarity, 0.5)] == [(0, 0), (1, 2)]


def test_real_seed_articles_are_not_copies_of_each_other():
    paths = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if len(paths) < 5:
        pytest.skip(f"{SEEDS} is not available")
    seeds = [article(p.stem, p.read_text(encoding="utf-8")) for p in paths]
    assert find_copies(seeds) == []


def test_a_copy_keeps_only_its_closest_original_within_one_family():
    links = [
        Copy("spun", "wire", "rewrite", 0.52),
        Copy("translated", "wire", "translation", 0.69),
        Copy("translated", "spun", "translation", 0.41),  # the wire's rewrite, not a second source
        Copy("roundup", "wire", "excerpt", 0.5),
        Copy("roundup", "other-wire", "excerpt", 0.45),  # unrelated originals both stay
    ]
    kept = {(c.article_id, c.of_article_id) for c in closest_originals(links)}
    assert kept == {("spun", "wire"), ("translated", "wire"), ("roundup", "wire"), ("roundup", "other-wire")}
