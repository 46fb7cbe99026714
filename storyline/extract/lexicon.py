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
    condemn hint speculate estimate forecast conclude call cite label brand term""".split()
)

# verbs that introduce a quotation but never report a clause on their own ("…,” he continued)
QUOTE_ONLY_LEMMAS = frozenset("continue begin go read chant sing scream whisper muse quote".split())

# speech verbs whose object, not only a that-clause, is what was said ("denied the report")
OBJECT_CONTENT = frozenset(
    """accuse deny confirm announce urge demand call promise pledge vow reject dismiss criticize
    criticise blame predict warn acknowledge admit propose recommend describe reiterate question
    condemn ask threaten reveal disclose mention cite praise decry deplore""".split()
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
