"""Word lists for quote extraction, kept apart so that the rules read without them.

The lists are lemma sets, not phrases: the dependency parse decides how a word is used.
"""

from __future__ import annotations

# verbs that report speech (or writing) and take what was said as a complement
SPEECH_LEMMAS = frozenset(
    """say tell state stress warn claim assert add note explain write insist argue accuse complain
    confirm deny reiterate announce suggest declare report reply respond answer ask urge demand
    acknowledge admit concede comment remark observe emphasize emphasise underline underscore
    maintain contend allege predict promise pledge vow threaten recall recount describe tweet
    reveal disclose indicate signal testify boast joke quip mention repeat reaffirm assure
    caution counter retort lament criticize criticise blame dismiss reject charge protest shout
    yell propose recommend advise inform agree disagree concur proclaim affirm deplore decry
    condemn hint speculate estimate forecast conclude call cite label brand term praise question
    echo""".split()
)

# verbs that introduce a quotation but never report a clause on their own ("…,” he continued)
QUOTE_ONLY_LEMMAS = frozenset("continue begin go read chant sing scream whisper muse quote".split())

# speech verbs whose object, not only a that-clause, is what was said ("denied the report")
OBJECT_CONTENT = frozenset(
    """accuse deny confirm announce urge demand call promise pledge vow reject dismiss criticize
    criticise blame predict warn acknowledge admit propose recommend describe reiterate question
    condemn ask threaten reveal disclose mention cite praise decry deplore echo""".split()
)

NAME_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"})

# adjectives that do not distinguish one role from another ("top diplomat", "former minister")
ROLE_ADJ = frozenset("top highest senior chief former current then new own".split())

# near-synonymous roles: (head nouns, word sets that spell the role)
ROLE_GROUPS = (
    (frozenset({"diplomat"}),
     (frozenset({"foreign", "minister"}), frozenset({"secretary", "state"}), frozenset({"foreign", "secretary"}),
      frozenset({"ambassador"}), frozenset({"envoy"}), frozenset({"diplomat"}))),
    (frozenset({"spokesman", "spokeswoman", "spokesperson"}),
     (frozenset({"spokesman"}), frozenset({"spokeswoman"}), frozenset({"spokesperson"}))),
)

# nouns that name a group, place or thing, never one person's office: "the campaign said" is not
# resolved to a person who works for a campaign
NOT_ROLES = frozenset(
    """campaign city town province state country government administration ministry department office
    police team club company firm union party council committee board agency court army military
    book report statement release letter ad advert speech poll survey study findings assessment
    data document memo email e-mail tweet post video article analysis figures record filing lawsuit
    complaint website site page newspaper paper network station show program programme""".split()
)

# things that say nothing themselves: their author speaks ("his letter", "a statement from the
# union", "NATO's assessment"), or nobody named does
DOCUMENTS = frozenset(
    """report statement release letter ad advert advertisement speech poll survey study findings
    assessment data document memo email e-mail tweet post video article analysis figures record
    records filing lawsuit complaint website headline caption note notice message announcement
    review audit estimate estimates projection projections calculation calculations book
    transcript interview comment comments remark remarks response answer words""".split()
)

# a person's office speaks for the person: "his office said" is that person
OFFICES = frozenset({"office", "offices"})

# last words of a proper name that make it a place, venue or thing, not a person the recogniser
# missed ("the Harbour Grill", "Maple Street", "Rideau Centre")
PLACE_HEADS = frozenset(
    """grill restaurant cafe café bar pub diner bistro kitchen bakery hotel inn motel park street st
    avenue ave road rd boulevard drive lane square place centre center hall arena stadium field
    gardens garden school academy university college hospital clinic church cathedral mosque temple
    bridge river lake bay harbour harbor port beach island mountain hill valley county district
    province region township village city town airport station mall market plaza tower building
    house museum gallery theatre theater library club tavern lodge farm""".split()
)

# roles that stand before a name like a title ("Goalkeeper Jan Novak", "Owner Tomas Brenner")
# but are not offices the entity stage knows
EXTRA_TITLES = frozenset(
    """goalkeeper defenceman defenseman defender forward striker midfielder winger quarterback pitcher
    rookie veteran owner resident student teacher nurse doctor farmer driver witness neighbour
    neighbor victim councillor councilor trustee chef constable sergeant detective firefighter
    paramedic pilot coach captain manager""".split()
)

# endings of abstract nouns ("the timing", "the proportion", "the first meeting"): a singular
# subject so ending is a thing or an event, not a speaker, unless it names a body of people
ABSTRACT_ENDINGS = ("tion", "sion", "ment", "ness", "ity", "ance", "ence", "ing", "ism")
# bodies of people whose nouns end like abstract ones, or that are singular collectives
COLLECTIVES = frozenset(
    """administration government department opposition coalition federation association foundation
    organization organisation institution delegation commission parliament management movement
    establishment leadership presidency authority community majority minority population nation
    crowd audience public family group panel jury staff faculty congregation delegation
    legislature ministry police team union party council committee board agency court campaign
    company firm army military office city county university municipality charity""".split()
)

# Speech verbs of other languages as the English parser sees them (one word form per token),
# mapped to the English lemma whose rules they should follow. Forms only: the English model
# gives a German or Spanish verb no useful lemma. Used only in articles known to be in that language.
_SPEECH_FORMS = {
    "de": {"say": "sagte sagten sagt sagen gesagt", "explain": "erklärte erklärten erklärt",
           "stress": "betonte betonten betont unterstrich unterstrichen", "warn": "warnte warnten warnt gewarnt",
           "demand": "forderte forderten fordert gefordert", "criticize": "kritisierte kritisierten kritisiert",
           "claim": "behauptete behaupteten behauptet", "assure": "versicherte versicherten versichert",
           "reaffirm": "bekräftigte bekräftigten bekräftigt", "add": "ergänzte ergänzten ergänzt fügte",
           "reply": "antwortete antworteten", "write": "schrieb schrieben", "confirm": "bestätigte bestätigten",
           "deny": "dementierte dementierten bestritt bestritten", "announce": "kündigte kündigten",
           "tweet": "twitterte", "insist": "beharrte", "note": "meinte meinten"},
    "es": {"say": "dijo dijeron dice dicen", "state": "afirmó afirmaron declaró declararon",
           "assure": "aseguró aseguraron", "explain": "explicó explicaron", "note": "señaló señalaron indicó",
           "add": "añadió añadieron agregó", "warn": "advirtió advirtieron", "stress": "subrayó destacó recalcó",
           "insist": "insistió", "acknowledge": "reconoció", "comment": "comentó", "reply": "respondió"},
    "it": {"say": "detto disse dice dicono", "state": "dichiarato affermato dichiarò affermò",
           "explain": "spiegato spiegò", "stress": "sottolineato sottolineò", "add": "aggiunto aggiunse",
           "announce": "annunciato annunciò", "warn": "avvertito avvertì", "note": "osservato osservò"},
    "nl": {"say": "zei zeiden zegt zeggen gezegd", "state": "verklaarde verklaarden stelde stelden",
           "stress": "benadrukte benadrukten", "warn": "waarschuwde waarschuwden", "add": "voegde",
           "explain": "legde", "write": "schreef schreven"},
    "fr": {"say": "dit disent déclaré", "state": "affirmé", "stress": "souligné", "add": "ajouté",
           "explain": "expliqué", "warn": "averti", "note": "estimé"},
}
SPEECH_FORMS = {lang: {form: lemma for lemma, forms in table.items() for form in forms.split()}
                for lang, table in _SPEECH_FORMS.items()}
