"""The one ask pipeline, used by HTTP, the command line and the evaluation alike: route, then retrieve,
then quote.  Nothing here writes prose about medicine.

    begin     checks, then the safety rules (`safety.Router.screen`); a crisis is answered here
    encode    the caller embeds ``Pending.texts`` (the routing texts, then the retrieval query)
    complete  the learned safety layer (`safety.Router.decide`), then retrieval and the quotes

`Answerer.ask` runs the three in one call; `Answerer.ask_async` awaits the encode instead (the server).
The fixed texts and help lines come from `safety.notices`; the suggested questions are below.
"""
from __future__ import annotations

import dataclasses
import functools
import math
import re
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from index.passages import PassageTable
from index.embed import Embedder
from index.lexical import term_counts, tokenize
from index.rank import FEATURES as RANK_FEATURES, NO_ANSWER_FEATURES, NO_ANSWER_PATH, Ranker
from index.search import Hit, Mode, Searcher
from index.store import LoadedIndex
from index.topics import NO_NEIGHBOUR
from ingest.records import PASSAGE_REFERENCE, PROSE_KINDS
from safety import Route, Router, Screen, is_follow_up
from safety.notices import DISCLAIMER, notice, resources
from service.compose import Catalog
from service.schemas import AskResponse, EvidenceOut, PassageOut, ReferenceHit, SpanOut, VerifyResponse

# General questions the articles answer, offered instead of advice; chosen by what the question mentions.
SUGGESTIONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"alcohol|drink|booze|\baud\b", re.I), "What do the articles say about ketamine for alcohol use disorder?"),
    (
        re.compile(r"opi|heroin|methadone|suboxone|buprenorphine|fentanyl|oxy|morphine|codeine|withdraw", re.I),
        "What do the articles say about ketamine for opioid withdrawal?",
    ),
    (re.compile(r"cocaine|stimulant|meth\b|crack", re.I), "What do the articles say about ketamine for cocaine use disorder?"),
    (re.compile(r"depress|anxi|ptsd|trauma|mood", re.I), "What do the articles say about ketamine for depression?"),
    (re.compile(r"dose|how much|mg|taper|how often", re.I), "What doses were used in the studies the articles describe?"),
    (
        re.compile(r"safe|risk|side effect|combine|mix|with my|pregnan|blood pressure|heart|addictive", re.I),
        "What side effects and risks of ketamine do the articles mention?",
    ),
]
DEFAULT_SUGGESTIONS = [
    "What do the articles say about ketamine-assisted therapy for addiction?",
    "Who is ketamine therapy not suitable for, according to the articles?",
]
MAX_SUGGESTIONS = 3

# No-answer decision (README, "When Verbatim says the articles do not cover it"):
#  1. a question that names a word the articles never use and that is rare in English
#     (Zipf frequency below UNKNOWN_TERM_ZIPF: kratom, ibogaine, tinnitus) is about
#     something the articles do not discuss;
#  2. otherwise the best passage must be close in meaning (cosine) or match most of the
#     question's words weighted by rarity (coverage: author names, DOIs, figures).
UNKNOWN_TERM_ZIPF = 3.5
MIN_COSINE = 0.24
MIN_COVERAGE = 0.75
NEAR_DUPLICATE_COSINE = 0.95
REFERENCE_MIN_COSINE = 0.30  # a reference with no word in common with the query must be this close
MAX_PER_ARTICLE_SHARE = 0.6  # of top_k, while other articles still have relevant passages
# A question that looks a cited work up ("Which 2015 paper by Chen ... does it cite?", "the full citation
# of ...", "where was ... published?"): its answer is a reference entry, so entries are ranked first.
# Naming a journal is not enough ("what did the 2019 American Journal of Psychiatry study combine ketamine
# with?" asks for the study's content, and its answer is prose).
REFERENCE_LOOKUP = re.compile(
    r"\b(?:cites?|cited|citing|citations?|references?|referenced|bibliograph\w*|doi|full\s+title|published\s+(?:in|where|by))\b"
    r"|\bwhere\s+was\b.{0,80}\bpublished\b"
    r"|\b(?:paper|study|article|review|report|perspective|analysis|meta-analysis|trial|book)\s+(?:by|from)\s+(?-i:[A-Z])"
    r"|\bby\s+(?-i:[A-Z][\w'’-]+)(?:\s+(?:and\s+colleagues|et\s+al)|,\s+(?-i:[A-Z]))",  # "a synthesis by Aureli and colleagues"
    re.IGNORECASE,
)
RANKER_CANDIDATES = 30  # fused candidates the learned ranker reorders
# A plain question, and one with a word no index holds (the no-answer test then reads word frequencies).
WARM_UP_QUESTIONS = ("What did the studies find about treatment?", "What do the articles say about qxzvwy?")
TOKEN_CACHE = 65_536  # passages whose words (and sentences' words) stay tokenized between questions
REFERENCE_LOOKUP_ENTRIES = 2  # reference entries put first for such a question, when they match its words
# Words of the question itself, never a sign of an uncovered topic.
QUESTION_WORDS = frozenset(
    "what which when where does doing about tell know help article articles source sources say says said "
    "research study studies there their please anything something".split()
)
# Words that never name a topic, for the topic test (`index.topics`): contractions written without their
# apostrophe, and words about documents, which a staff question uses for any cited work.  The list was drawn up
# by reading the tuning split's answer questions whose unknown words had no close neighbour (without it the
# test gained nothing there); the held-out split was not read.
NOT_TOPICS = frozenset((
    "dont doesnt didnt isnt arent wasnt werent cant couldnt wouldnt shouldnt wont whats thats theres hows whos "
    "im ive youre theyre ur ppl "
    "cite cited citing citation citations reference references title titles chapter chapters paper papers page "
    "pages url link links web website journal journals published publish author authors book books source sources "
    "quote quoted article articles"
).split())
# An unknown word whose nearest corpus word is less close than this names an uncovered topic ("quit" 0.64,
# "weed" 0.84 are covered; "gambling" 0.49, "asthma" 0.49 are not).  The no-answer model stores the value it
# was trained with (`eval.train_ranker.UNCOVERED_GRID`, chosen by cross-validation); this is the default for an
# answerer without one.
UNCOVERED_COSINE = 0.55
# "do the articles list", "according to the articles": how the question is framed, not what it is about.
FRAMING = re.compile(
    r"\b(?:according to|in|from)?\s*(?:the|these|your|any)\s+(?:articles?|sources?|texts?|papers?|authors?)"
    r"(?:\s+(?:say|says|said|list|lists|mention|mentions|describe|report|reports|tell us|cover|discuss))?\b",
    re.I,
)
# Verbatim never writes text of its own: a request to compose something, or to change its instructions,
# is not a question the articles answer.
NOT_A_QUESTION = re.compile(
    r"\b(?:write|compose|generate|create|make up|draft|sing)\s+(?:me\s+|us\s+)?(?:a|an|some|the)?\s*"
    r"(?:poem|story|song|essay|joke|haiku|limerick|rap|lyrics|tweet|post|speech|script)\b"
    r"|\b(?:ignore|disregard|forget)\s+(?:all\s+|any\s+)?(?:your\s+|the\s+)?(?:previous|prior|above|earlier)?\s*"
    r"(?:instructions|rules|prompt)\b|\bsystem prompt\b",
    re.I,
)
# Clinical words the articles express in plain language; the plain words are added to the search.
EXPANSIONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bcontra-?indicat\w*", re.I), "not candidates, not safe for patients with"),
]
HIGHLIGHT_LEXICAL_WEIGHT = 0.3  # sentence score = cosine + weight * share of the question's words it has
# "I'm a nurse: ..." or "I'm on suboxone right now. ..." describes the asker; it is not what the
# question is about.  Only a leading clause or sentence, and only when a question follows it.
SELF_DESCRIPTION = re.compile(
    r"^\s*(?:(?:i['’]?m|i am|as)\s+(?:a|an)\s+[\w\s-]{1,30}?\s*[:,;—–-]"
    r"|(?:i['’]?m|i am|i have|i['’]?ve been|i take|my\s+\w+(?:\s+\w+)?\s+(?:is|has|was))\b[^.?!:;]{0,80}[.:;!]\s+(?=\S))\s*",
    re.I,
)
SLANG = [(re.compile(r"\bket\b|\bspecial k\b", re.I), "ketamine")]

def _core(question: str) -> str:
    """The question without a self-description or framing; the original if nothing would be left."""
    core = SELF_DESCRIPTION.sub("", question)
    for pattern, word in SLANG:
        core = pattern.sub(word, core)
    core = " ".join(FRAMING.sub(" ", core).split())
    core = core if len(core.strip(" ?.!")) >= 2 else question
    for pattern, plain in EXPANSIONS:
        if pattern.search(core):
            core = f"{core} ({plain})"
    return core


def suggestions_for(question: str) -> list[str]:
    picked = [text for pattern, text in SUGGESTIONS if pattern.search(question)]
    for text in DEFAULT_SUGGESTIONS:
        if len(picked) >= MAX_SUGGESTIONS:
            break
        if text not in picked:
            picked.append(text)
    return picked[:MAX_SUGGESTIONS]


@dataclass(frozen=True)
class Pending:
    """A question between `Answerer.begin` and `Answerer.complete`: it waits for ``texts`` to be embedded.

    ``texts`` are the routing texts of ``screen`` (the message, then each of its sentences when it has
    several), then the retrieval query unless it is the message itself; ``query_row`` says which vector
    is the query's."""

    question: str
    top_k: int
    query: str
    screen: Screen  # what the safety rules said; the learned layer may still raise it
    texts: list[str]
    query_row: int
    articles: frozenset[str] | None = None  # the retrieval is limited to these articles (None: all)


@dataclass(frozen=True)
class Scored:
    hit: Hit
    coverage: float  # IDF-weighted share of the question's words found in the passage
    relevant: bool  # cosine >= MIN_COSINE or coverage >= MIN_COVERAGE


@dataclass(frozen=True)
class QueryTerms:
    """A question's distinct words with their idf weights, made once per question: `coverage` runs about 140
    times an answer (candidates, their sentences and headings, the highlights)."""

    pairs: tuple[tuple[str, float], ...]
    total: float

    def coverage(self, p_tokens: "set[str] | frozenset[str]") -> float:
        """The idf-weighted share of the question's words that ``p_tokens`` holds (0 for a question of none)."""
        if not self.pairs:
            return 0.0
        return sum(w for t, w in self.pairs if t in p_tokens) / self.total


class Answerer:
    """Answers questions over one loaded index.  Safe to share between requests (read-only)."""

    def __init__(
        self,
        index: LoadedIndex,
        embedder: Embedder,
        router: Router,
        min_cosine: float = MIN_COSINE,
        min_coverage: float = MIN_COVERAGE,
        unknown_term_zipf: float = UNKNOWN_TERM_ZIPF,
        mode: Mode = "hybrid",
        searcher: Searcher | None = None,
        include_references: bool = True,
        fusion: str = "convex",
        ranker: "Ranker | None | str" = "default",
        no_answer_model: "Ranker | None | str" = "default",
        uncovered_cosine: float | None = None,
    ):
        self.index = index
        self.embedder = embedder
        self.searcher = searcher or Searcher(index, embedder, fusion=fusion)
        self.router = router  # no default: rules without the learned layer are asked for, as Router()
        self.mode = mode
        self.kinds = None if include_references else set(PROSE_KINDS)
        self.catalog = Catalog(index.data)
        self.min_cosine = min_cosine
        self.min_coverage = min_coverage
        self.unknown_term_zipf = unknown_term_zipf
        table = self.catalog.table  # the passages' columns (`index.passages`)
        self._offsets = table.sentence_offsets
        self._row = table.row_of
        # A passage's words, and each of its sentences' words, are tokenized when a question first needs them
        # (a few dozen candidates per question), not all at start: at 100k passages that took 50 s.
        self._tokens = functools.lru_cache(maxsize=TOKEN_CACHE)(self._passage_tokens)
        self._sentence_tokens = functools.lru_cache(maxsize=TOKEN_CACHE)(self._passage_sentence_tokens)
        self._heading_tokens = functools.lru_cache(maxsize=TOKEN_CACHE)(lambda heading: frozenset(tokenize(heading)))
        # How many passages hold each word: counted at ingest (terms.json), or here for an index without it.
        df = index.terms if index.terms is not None else term_counts(p.text for p in index.data.passages)
        n = max(1, len(index.data.passages))
        self._idf = {t: math.log(1 + n / c) for t, c in df.items()}
        self._idf_unknown = math.log(1 + n)  # a word the articles never use weighs the most
        self._prefixes = {t[:5] for t in df if len(t) >= 5}
        self._lengths = table.n_tokens.astype(np.float64)
        # The learned ranker (index/rank.py): "default" is the stored model, None ranks by the fused score.
        self.ranker = Ranker.load() if ranker == "default" else ranker
        if ranker == "default" and self.ranker is not None and not self._mostly(self.ranker.meta.get("formats", ["text"]), index, table):
            # Trained on web articles only: on an index mostly of papers it lowered the papers' tuning set A
            # (recall@1 0.512 -> 0.463), so there the fused score ranks, as before (docs/evaluation.md).
            self.ranker = None
        # The learned no-answer test (index/rank.py); it reads the ranker's probability, so it needs a ranker,
        # and the ranker runs on hybrid retrieval only (`_score`).
        if no_answer_model == "default":
            no_answer_model = Ranker.load(NO_ANSWER_PATH, NO_ANSWER_FEATURES) if ranker == "default" else None
        self.no_answer_model = no_answer_model if self.ranker is not None and mode == "hybrid" else None
        # The rare-word rule (a word no passage uses and rare in English means no_answer), unless the learned
        # test was trained to decide those questions itself (it sees the same words as features) and runs here:
        # with dense or BM25 retrieval alone (`verbatim ask --mode`) the rule holds.  The shipped test only adds
        # to the rule (`eval.train_ranker.KEPT_MODE` says why); training asks the other way for comparison.
        self.rare_word_rule = not (self.no_answer_model is not None and self.no_answer_model.meta.get("replaces_rare_word_rule"))
        # The topic test's cut-off: given (training tries several), else the one the no-answer model was trained with
        if uncovered_cosine is None:
            meta = self.no_answer_model.meta if self.no_answer_model is not None else {}
            uncovered_cosine = float(meta.get("uncovered_cosine", UNCOVERED_COSINE))
        self.uncovered_cosine = uncovered_cosine

        self._verifier = None
        self._sources: dict = {}  # source id -> index.evidence.SourceView, for evidence_for
        self._verifier_lock = threading.Lock()

    @staticmethod
    def _mostly(formats: list[str], index: LoadedIndex, table: PassageTable) -> bool:
        """Whether at least half of the index's prose passages (``table``: their columns) come from articles of
        ``formats``."""
        fmt = {a.id: a.source_format for a in index.data.articles}
        prose = table.kind_mask(PROSE_KINDS)
        ours = table.article_mask([a for a, f in fmt.items() if f in formats])
        return not prose.any() or 2 * int((prose & ours).sum()) >= int(prose.sum())

    # -- public ---------------------------------------------------------------------------

    def evidence_for(self, sentence: str, source_id: str, k: int = 2, weights: tuple[float, float, float] | None = None) -> list[EvidenceOut]:
        """The passages of source ``source_id`` that best support ``sentence``: the scoring that precomputes every
        citing sentence's evidence at ingest (`index.evidence`), for any sentence.  ``weights`` varies the blend."""
        from index.evidence import WEIGHTS, rank_evidence, source_view

        if source_id not in self._sources:
            d = self.index.data
            self._sources[source_id] = source_view(source_id, self.catalog.table, d.vectors, d.sentence_vectors, self._offsets,
                                                   self.catalog.articles[source_id].text)
        vector = self.embedder.encode([sentence])[0]
        found = rank_evidence(self._sources[source_id], sentence, vector, k=k, weights=weights or WEIGHTS)
        return [self.catalog.evidence_out(e) for e in found]

    def verify(self, text: str, thresholds: tuple[float, float] | None = None) -> VerifyResponse:
        """Claim check of staff text (`service.verify`): no safety routing, since it is not a visitor's question.
        ``thresholds`` (near ratio, near coverage) replace the calibrated ones, for the calibration sweep."""
        from service.verify import Verifier

        with self._verifier_lock:  # built on first use: a few hundred ms per thousand sentences
            if self._verifier is None:
                d = self.index.data
                self._verifier = Verifier(self.catalog, d.passages, d.sentence_vectors, self._offsets, self.embedder)
        return self._verifier.verify(text, thresholds)

    def warm_up(self) -> None:
        """Answer `WARM_UP_QUESTIONS` once, so that what loads on first use (wordfreq's table for a word the
        index never uses, regular expressions compiled on first use, the encoder's first run) loads at a
        server's start rather than on a visitor's first question: 0.4-0.7 s of it at 100k passages."""
        for q in WARM_UP_QUESTIONS:
            self.ask(q)

    def ask(self, question: str, top_k: int = 5, history: Sequence[str] = (), articles: Sequence[str] | None = None) -> AskResponse:
        pending = self.begin(question, top_k, history, articles)
        if isinstance(pending, AskResponse):
            return pending
        return self.complete(pending, self.embedder.encode(pending.texts))

    async def ask_async(
        self, question: str, top_k: int = 5, history: Sequence[str] = (), lone: bool = False,
        timing: list | None = None, limiter=None, articles: Sequence[str] | None = None,
    ) -> AskResponse:
        """`ask` for the event loop: the checks and rules run here (well under a millisecond), the encode is
        awaited while the encoder's threads batch it with other requests' questions, and the rest (safety's
        learned layer, search, quotes: a few milliseconds of Python) runs here too.  Python work cannot run
        in parallel under the GIL, so a worker thread would only add two thread switches to every answer.

        ``lone``: the visitor has the service to themselves, so the encoder may spin its threads.
        ``timing`` receives (name, ms) for ``prepare``, ``encode`` and ``answer``.  ``limiter`` bounds the
        worker threads of an embedder without a batching queue."""
        import asyncio
        import time

        import anyio

        t0 = time.perf_counter()
        pending = self.begin(question, top_k, history, articles)
        if isinstance(pending, AskResponse):
            return pending
        t1 = time.perf_counter()
        emb = self.embedder
        if hasattr(emb, "submit"):
            vectors = await asyncio.wrap_future(emb.submit(pending.texts, lone=lone))
        else:  # an embedder without a batching queue: its encode blocks, so it runs in a worker thread
            vectors = await anyio.to_thread.run_sync(emb.encode, pending.texts, limiter=limiter)
        t2 = time.perf_counter()
        out = self.complete(pending, vectors)
        if timing is not None:
            timing += [("prepare", (t1 - t0) * 1000), ("encode", (t2 - t1) * 1000), ("answer", (time.perf_counter() - t2) * 1000)]
        return out

    def begin(self, question: str, top_k: int = 5, history: Sequence[str] = (), articles: Sequence[str] | None = None) -> AskResponse | Pending:
        """The part of `ask` before the encode: checks, the safety rules, the texts to embed.
        ``articles`` limits the retrieval to those articles; routing is the same whatever the scope.

        Returns the answer itself when no encode is needed (a crisis), else a `Pending` whose
        ``texts`` the caller embeds (with ``self.embedder``) and passes to `complete`.  A server
        awaits that encode without holding a thread; `ask` does all three steps in one call."""
        question = question.strip()
        if not question:
            raise ValueError("question must not be empty")
        if not 1 <= top_k <= 10:
            raise ValueError("top_k must be between 1 and 10")
        scope = None
        if articles:
            unknown = [a for a in articles if a not in self.catalog.articles]
            if unknown:
                raise ValueError(f"unknown article id {unknown[0]!r}; GET /articles lists them")
            scope = frozenset(articles)
        screen = self.router.screen(question, history)
        if screen.route.kind == "crisis":
            out = self._fixed(screen.route, question)
            return out.model_copy(update={"articles": sorted(scope)}) if scope else out
        query = self.retrieval_query(question, history)
        texts = list(screen.texts)
        if query in texts[:1]:
            query_row = 0
        else:
            texts.append(query)
            query_row = len(texts) - 1
        return Pending(question=question, top_k=top_k, query=query, screen=screen, texts=texts, query_row=query_row,
                       articles=scope)

    def complete(self, pending: Pending, vectors: np.ndarray) -> AskResponse:
        """The rest of `ask`, given the vectors of ``pending.texts``: safety's learned layer, retrieval, the quotes.

        A question limited to some articles that they do not answer gets its own question as the suggestion:
        to ask it of all the articles."""
        out = self._complete(pending, vectors)
        if pending.articles is None:
            return out
        update: dict = {"articles": sorted(pending.articles)}
        if out.kind == "no_answer" and out.rule != "no_answer.not_a_question":
            update["suggestions"] = [pending.question]
        return out.model_copy(update=update)

    def _complete(self, pending: Pending, vectors: np.ndarray) -> AskResponse:
        question, query, top_k = pending.question, pending.query, pending.top_k
        n = len(pending.screen.texts)
        decision = self.router.decide(pending.screen, vectors[:n] if n else None)
        qv = vectors[pending.query_row]
        if decision.kind != "answer":
            return self._fixed(decision, question)
        if NOT_A_QUESTION.search(question):
            return self._fixed(decision, question, "no_answer", "no_answer.not_a_question")
        unknown = self.unknown_terms(query) if self.rare_word_rule else []
        if unknown:
            return self._fixed(decision, question, "no_answer", f"no_answer.unknown_term:{unknown[0]}")
        terms = self._terms(query)
        lookup = self.looks_up_reference(query)
        scored, ranked = self._score(query, qv, top_k, lookup, pending.articles, terms)
        if self.no_answer_model is not None and ranked is not None:  # the learned topic test adds to the two rules
            p = float(self.no_answer_model.probability(self.question_features(query, ranked, terms)[None, :])[0])
            if p >= self.no_answer_model.meta["threshold"]:
                return self._fixed(decision, question, "no_answer", "no_answer.learned")
        last = max((i for i, s in enumerate(scored) if s.relevant), default=None)
        if last is None:
            return self._fixed(decision, question, "no_answer", "no_answer.low_relevance")
        relevant = scored[: last + 1]  # ranking decides the order; relevance decides where the list ends
        return AskResponse(
            kind="answer",
            question=question,
            notice=notice("answer", decision.signal, decision.lang),
            disclaimer=DISCLAIMER,
            passages=[self._passage_out(s.hit, qv, terms) for s in self._select(relevant, top_k, lookup)],
            resources=resources("answer", decision.signal, decision.lang, decision.spanish_option),
            suggestions=[],
        )

    def search_references(self, q: str, limit: int = 10) -> list[ReferenceHit]:
        """Reference entries matching an author, title, year or DOI; one hit per cited work."""
        hits = self.searcher.search(q, top_k=3 * limit, kinds={PASSAGE_REFERENCE})
        out: list[ReferenceHit] = []
        seen: set[str] = set()
        for h in hits:
            if h.bm25 <= 0 and h.dense < REFERENCE_MIN_COSINE:
                continue
            ref_id = h.passage.ref_ids[0]
            key = self.catalog.work_of.get(ref_id, ref_id)
            if key in seen:
                continue
            seen.add(key)
            work = self.catalog.works.get(key)
            out.append(
                ReferenceHit(
                    reference=self.catalog.reference_out(ref_id),
                    score=round(h.score, 6),
                    articles=self.catalog.citing_articles(ref_id),
                    work=self.catalog.work_summary(work) if work else None,
                    citing=self.catalog.work_citing(work) if work else [],
                )
            )
            if len(out) == limit:
                break
        return out

    def unknown_terms(self, query: str) -> list[str]:
        """Words of the question that the articles never use and that are rare in English."""
        from wordfreq import zipf_frequency

        out = []
        for t in dict.fromkeys(tokenize(query)):
            if len(t) < 3 or not t.isalpha() or t in QUESTION_WORDS or t in self._idf or t[:5] in self._prefixes:
                continue
            if zipf_frequency(t, "en") < self.unknown_term_zipf:
                out.append(t)
        return out

    def retrieval_query(self, question: str, history: Sequence[str]) -> str:
        """What to search for: the question without a self-description ("I'm a nurse:"),
        with the previous question prepended when this one is a follow-up."""
        q = _core(question)
        if history and is_follow_up(q):
            return f"{_core(history[-1])} {q}"
        return q

    def looks_up_reference(self, query: str) -> bool:
        return self.kinds is None and bool(REFERENCE_LOOKUP.search(query))

    def score(self, query: str, qv: np.ndarray, top_k: int, lookup: bool | None = None) -> list[Scored]:
        """Candidates with the features the no-answer decision uses, best first.

        For a reference lookup, the best matching reference entries (sharing words with the question)
        come first; the prose follows."""
        return self._score(query, qv, top_k, lookup)[0]

    def _score(self, query: str, qv: np.ndarray, top_k: int, lookup: bool | None = None,
               articles: frozenset[str] | None = None, terms: QueryTerms | None = None):
        """`score`, and the ranker's (features, probabilities) of its candidates (None without a ranker).
        ``terms`` is `_terms(query)` when the caller has it already."""
        lookup = self.looks_up_reference(query) if lookup is None else lookup
        terms = self._terms(query) if terms is None else terms
        ranked = None
        keep = max(3 * top_k, 15)
        if self.ranker is not None and self.mode == "hybrid":
            hits = self.searcher.search_vector(query, qv, top_k=RANKER_CANDIDATES, mode=self.mode, kinds=self.kinds, articles=articles)
            x = self.features(query, qv, hits, lookup, terms)
            prob = self.ranker.probability(x)
            order = np.argsort(-prob, kind="stable")
            hits = [dataclasses.replace(hits[i], score=float(prob[i])) for i in order[:keep]]
            ranked = (x, prob)
        else:
            hits = self.searcher.search_vector(query, qv, top_k=keep, mode=self.mode, kinds=self.kinds, articles=articles)
        if lookup:
            entries = self.searcher.search_vector(query, qv, top_k=REFERENCE_LOOKUP_ENTRIES, mode=self.mode,
                                                  kinds={PASSAGE_REFERENCE}, articles=articles)
            entries = [h for h in entries if h.bm25 > 0]
            first = {h.passage.id for h in entries}
            hits = entries + [h for h in hits if h.passage.id not in first]
        out = []
        for h in hits:
            cov = terms.coverage(self._tokens(self._row[h.passage.id]))
            out.append(Scored(hit=h, coverage=cov, relevant=h.dense >= self.min_cosine or cov >= self.min_coverage))
        return out, ranked

    def features(self, query: str, qv: np.ndarray, hits: list[Hit], lookup: bool,
                 terms: QueryTerms | None = None) -> np.ndarray:
        """One row of `index.rank.FEATURES` per candidate."""
        if not hits:
            return np.zeros((0, len(RANK_FEATURES)))
        terms = self._terms(query) if terms is None else terms
        rows = [self._row[h.passage.id] for h in hits]
        sv = self.index.data.sentence_vectors
        best_sentence, sentence_cov = [], []
        for i in rows:
            a, b = self._offsets[i], self._offsets[i + 1]
            sims = sv[a:b] @ qv if b > a else np.zeros(1)
            j = int(np.argmax(sims))
            best_sentence.append(float(sims[j]))
            toks = self._sentence_tokens(i)
            sentence_cov.append(max(map(terms.coverage, toks), default=0.0))
        top_bm25 = max((h.bm25 for h in hits), default=0.0) or 1.0
        x = np.array([
            [
                h.dense,
                h.bm25 / top_bm25,
                h.score,
                best_sentence[k],
                terms.coverage(self._tokens(i)),
                sentence_cov[k],
                terms.coverage(self._heading_tokens(hits[k].passage.section or "")),
                float(h.passage.kind == PASSAGE_REFERENCE),
                float(h.passage.kind == PASSAGE_REFERENCE and lookup),
                float(h.passage.kind == "caption"),
                1.0 / h.dense_rank if h.dense_rank else 0.0,
                1.0 / h.bm25_rank if h.bm25_rank else 0.0,
                self._lengths[i] / 200.0,
            ]
            for k, (h, i) in enumerate(zip(hits, rows))
        ], dtype=np.float64)
        return x

    def question_features(self, query: str, ranked: tuple[np.ndarray, np.ndarray] | None,
                          terms: QueryTerms | None = None) -> np.ndarray:
        """One row of `index.rank.NO_ANSWER_FEATURES`: the best candidates' scores and the topic test."""
        from wordfreq import zipf_frequency

        x, prob = ranked if ranked is not None and len(ranked[0]) else (np.zeros((1, len(RANK_FEATURES))), np.zeros(1))
        terms = self._terms(query) if terms is None else terms
        tokens = [t for t, _ in terms.pairs]
        content = [t for t in tokens if t.isalpha() and len(t) >= 3 and t not in QUESTION_WORDS]
        unknown = [t for t in content if t not in self._idf and t[:5] not in self._prefixes]
        zipfs = [zipf_frequency(t, "en") for t in unknown]
        unknown_mass = sum(self._idf_unknown for _ in unknown)
        # The nearest corpus word of each unknown word that can name a topic; an index without the table
        # (built before it) reads none, as if every word were covered.
        table = self.index.data.topics
        near = [] if table is None else [table.get(t, NO_NEIGHBOUR) for t in dict.fromkeys(unknown) if t not in NOT_TOPICS]
        return np.array([
            float(prob.max()), float(x[:, 0].max()), float(x[:, 3].max()), float(x[:, 4].max()),
            unknown_mass / (terms.total if terms.pairs else 1.0), float(len(unknown)), min(zipfs, default=8.0),
            float(sum(z < self.unknown_term_zipf for z in zipfs)), float(len(tokens)),
            min(near, default=1.0), float(sum(c < self.uncovered_cosine for c in near)),
        ], dtype=np.float64)

    def no_answer_row(self, question: str, history: Sequence[str]) -> np.ndarray:
        """The no-answer test's features for a question, as the pipeline computes them (for its training)."""
        query = self.retrieval_query(question.strip(), history)
        qv = self.embedder.encode([query])[0]
        return self.question_features(query, self._score(query, qv, 5, self.looks_up_reference(query))[1])

    def training_rows(self, question: str, history: Sequence[str], evidence: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """The ranker's candidates for a question, as (features, labels): label 1 when the passage holds one of
        the evidence strings.  What `eval/train_ranker.py` fits the model on."""
        query = self.retrieval_query(question.strip(), history)
        qv = self.embedder.encode([query])[0]
        hits = self.searcher.search_vector(query, qv, top_k=RANKER_CANDIDATES, mode="hybrid", kinds=self.kinds)
        x = self.features(query, qv, hits, self.looks_up_reference(query))
        y = np.array([int(any(e in h.passage.text for e in evidence)) for h in hits], dtype=np.int64)
        return x, y

    # -- internals ------------------------------------------------------------------------

    def _passage_tokens(self, row: int) -> frozenset[str]:
        return frozenset(tokenize(self.index.data.passages[row].text))

    def _passage_sentence_tokens(self, row: int) -> tuple[frozenset[str], ...]:
        p = self.index.data.passages[row]
        text = self.catalog.articles[p.article_id].text
        return tuple(frozenset(tokenize(text[s:e])) for s, e in p.sentences)

    def _terms(self, query: str) -> QueryTerms:
        tokens = list(dict.fromkeys(tokenize(query)))
        weights = [self._idf.get(t, self._idf_unknown) for t in tokens]
        return QueryTerms(tuple(zip(tokens, weights)), sum(weights))

    def _select(self, scored: list[Scored], top_k: int, lookup: bool = False) -> list[Scored]:
        """Best first, near-duplicates collapsed, no one article crowding out the others.

        A reference entry that a passage of prose ranked above it cites is folded into that passage (it is
        among its citations), unless the question looks the entry itself up (author, year, DOI).
        """
        # ref id -> the best rank of a prose passage citing it; an entry ranked above all of them stays
        cited_by_prose: dict[str, int] = {}
        for rank, s in enumerate(scored):
            if s.hit.passage.kind != PASSAGE_REFERENCE:
                for r in s.hit.passage.ref_ids:
                    cited_by_prose.setdefault(r, rank)
        if lookup:
            cited_by_prose = {}  # the question looks the entry itself up (see `score`)
        scored = [
            s
            for rank, s in enumerate(scored)
            if not (
                s.hit.passage.kind == PASSAGE_REFERENCE
                and s.coverage < self.min_coverage
                and cited_by_prose.get(s.hit.passage.ref_ids[0], len(scored)) < rank
            )
        ]
        vectors = self.index.data.vectors
        cap = max(1, math.ceil(top_k * MAX_PER_ARTICLE_SHARE))
        chosen: list[Scored] = []
        deferred: list[Scored] = []
        per_article: Counter[str] = Counter()
        for s in scored:
            row = self._row[s.hit.passage.id]
            if any(float(vectors[row] @ vectors[self._row[c.hit.passage.id]]) >= NEAR_DUPLICATE_COSINE for c in chosen):
                continue
            if per_article[s.hit.passage.article_id] >= cap:
                deferred.append(s)
                continue
            chosen.append(s)
            per_article[s.hit.passage.article_id] += 1
            if len(chosen) == top_k:
                return chosen
        for s in deferred:  # only when no other article has more to say
            if len(chosen) == top_k:
                break
            chosen.append(s)
        return chosen

    def _passage_out(self, hit: Hit, qv: np.ndarray, terms: QueryTerms) -> PassageOut:
        return self.catalog.passage_out(hit, self._highlight(hit, qv, terms))

    def _highlight(self, hit: Hit, qv: np.ndarray, terms: QueryTerms) -> SpanOut:
        """The sentence that best matches the question (meaning plus shared words), offsets within the quote."""
        p = hit.passage
        i = self._row[p.id]
        rows = self.index.data.sentence_vectors[self._offsets[i] : self._offsets[i + 1]]
        if not p.sentences or not len(rows):
            return SpanOut(start=0, end=p.char_end - p.char_start)
        scores = rows @ qv + HIGHLIGHT_LEXICAL_WEIGHT * np.array(
            [terms.coverage(toks) for toks in self._sentence_tokens(i)]
        )
        s, e = p.sentences[int(np.argmax(scores))]
        return SpanOut(start=s - p.char_start, end=e - p.char_start)

    def _fixed(self, decided: Route, question: str, kind: str | None = None, rule: str | None = None) -> AskResponse:
        """A response without quotes: ``decided``'s kind (or ``kind``, for a no_answer decided by retrieval),
        with its notice and help lines; the crisis lines whenever the message carries a crisis signal."""
        kind = kind or decided.kind
        return AskResponse(
            kind=kind,
            question=question,
            notice=notice(kind, decided.signal, decided.lang),
            disclaimer=DISCLAIMER,
            passages=[],
            resources=resources(kind, decided.signal, decided.lang, decided.spanish_option),
            suggestions=suggestions_for(question) if kind == "advice" else [],
            rule=rule or decided.rule,
        )
