"""Hybrid retrieval: dense and lexical candidates, each turn read with its neighbours, ranked
by relevance; recency and confidence only order hits of comparable relevance."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache

import numpy as np

from longmem.core import query as q
from longmem.core import ranking
from longmem.core.change import asks_about_self, asks_now, says_change, states_change
from longmem.core.concreteness import tangibility
from longmem.core.lexical import (
    Bag,
    TermStats,
    bag_of,
    bm25_rows,
    term_counts,
    windows,
    words_read,
)
from longmem.core.rarity import rarity
from longmem.core.scoring import (
    Evidence,
    access_frequency,
    composite,
    disclosure,
    familiarity,
    recency,
    relevance,
    speaks_of_self,
)
from longmem.core.speakers import as_said, named
from longmem.core.subject import asks_about_someone, own_news, people_asked, statements
from longmem.core.text import by_term, compound_parts, content_words, stem, term_tuple
from longmem.core.when import dates_named, is_year, without_dates
from longmem.engine import Engine
from longmem.models import MemoryKind, MemoryRecord, ScoreParts, SearchHit
from longmem.store.base import MemoryFilter, Vector

# Candidates per retriever: wide enough that an answer ranked low by one retriever still
# reaches scoring through the other (measured: recall@10 stops rising past ~40).
CANDIDATES = 50
# The turns next to the best LEADS of each retriever join the candidates (next to all 100,
# they cost a third of a search in record reads and moved REALTALK recall@10 by under 0.005).
LEADS = 15
# A turn whose every extracted fact has been superseded ("I live in Paris" after the move to
# Berlin), or that a later correction made out of date, is what the user said then, not what
# is true now: it keeps half its calibrated relevance.
STALE_TURN_FACTOR = 0.5
# A question about a named day ("where was Elise on 31 Dec 2023?") is answered by what was said
# that day or the next or previous one (REALTALK: 35 of 42 such questions); what was said on
# other days keeps this share of its relevance, so that the same topic on another day does not
# read as the answer.
OFF_DAY_FACTOR = 0.5
# How hard words the user never said weigh against a question being answered (relevance is
# multiplied by `familiarity` to this power). Once words for categories ("hobbies") stopped
# counting as never said (`core.concreteness`), squared let too many never-said questions in:
# on REALTALK, the floor chosen on conversations 1-5 (the most found evidence in the prompt at
# no more than 5% never-said) let in 6.7% of conversations 6-10's never-said questions squared
# (floor 0.32, 88.5% of found evidence), 3.3% cubed (floor 0.32, 86.9%).
FAMILIARITY_POWER = 3.0
# A question that names the chat's people is embedded as they would say it (`as_said`: "What
# did I research?" for "What did Caroline research?"), blended with the question as asked: the
# first-person reading found more of REALTALK's evidence (recall@10 0.612 -> 0.644, session
# R@5 0.910 -> 0.929), and the question's own wording keeps a share so that one odd cosine of
# the rewritten question does not decide alone (MiniLM puts "What did I research?" at 0.07 from
# "I'm researching adoption agencies"). Shares 0.6-1.0 gave recall@10 within 0.002 of each
# other on conversations 1-5. The second model call costs 4 ms on 2 cores; embedding the
# first-person reading alone saved it (REALTALK search p50 26.8 -> 19.0 ms) but let 4 of the
# 60 never-said questions of conversations 6-10 into the prompt at every AS_SAID_RELEVANCE
# from 0.75 to 0.8 that keeps conversations 1-5 at most 3, against 2 with the blend.
AS_SAID_SHARE = 0.6
# A question put in the first person draws nearer to everything its subject said, whether it
# answers or not: on REALTALK the best match of a question about something never said rises as
# much as an answer's. Its relevance is scaled by this so that the one floor, calibrated on
# questions as asked, keeps the same share of never-said questions out of the prompt. On
# conversations 1-5, 0.75-0.85 let 1-2 of their 60 never-said questions in and 0.9 lets 7: 0.8
# stays a step from that edge (conversations 6-10 report it).
AS_SAID_RELEVANCE = 0.8
# How much never having said a compound tells when the user said both its parts ("snow fall"
# for "snowfall"): the parts put the question near what was said, not on it ("bird" and
# "watching" are not birdwatching).
COMPOUND_TELLING = 0.5
# The share of its rank that a remark of the asker's keeps, for a question about the asker's
# own present, when it is no news of that present (`core.subject`: someone else's, wished
# for, long past, for a while, or a question). Measured on the blind sets (tests/blind), at
# 0.7: the fact that still holds ranks above such a remark in 51.7 / 32.5 / 50.0 / 41.7% of
# the four control sets studied (39.2 / 27.5 / 47.5 / 35.8% without), and in 52.5% of a fifth
# written blind and committed before its first run (49.2% without); of 1,200 change
# scenarios, 5 fewer put the new value first (a diet "for 6 weeks", "SHE SAID YES!!!"), and
# none of the 120 of a set written with that fifth. Lowered to 0.35 once the speaker had to be
# a clause's subject (`subject._speaker_is_subject`), which made the remarks it catches fewer
# and surer: the eight control sets 57.5 / 40.8 / 61.7 / 49.2 / 65.8 / 47.5 / 45.0 / 45.0% ->
# 64.2 / 45.8 / 65.8 / 60.0 / 71.7 / 50.0 / 55.0 / 50.8%, the thirteen change sets as before
# but one scenario more (0.5: 44 of those 61 controls, one change fewer).
NOT_OWN_NEWS_RANK = 0.35
# The rank an extracted fact gains when the question asks about its slot ("what should I
# avoid ordering?" -> the allergy), however the two are worded.
SLOT_RANK_BONUS = 0.4


def _blend(first: Vector, second: Vector, share: float) -> Vector:
    mixed = share * first + (1.0 - share) * second
    return (mixed / max(float(np.linalg.norm(mixed)), 1e-12)).astype(np.float32)


def _telling(word: str) -> float:
    return rarity(word) * tangibility(word)


class _Query:
    """A search's text, the days it names, and its words without those dates (the pieces of
    "19.01.2024" are no words a memory could share); then, read from the user's index, how
    often the user uses its words and which of them name one of the user's speakers."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.days = dates_named(text)
        self.words = without_dates(text)
        self.analysis = q.analyse(self.words)
        self.offered = q.alternatives(self.words)
        self.terms = tuple(dict.fromkeys(self.analysis.terms))  # distinct, in order
        self.stats = TermStats({}, 0, 0.0)
        self._parts_df: dict[str, int] = {}  # how often the user says the parts of compounds
        self.speakers: frozenset[str] = frozenset()
        self.naming: dict[str, str] = {}
        self.rewritten = False  # embedded as the person it names would say it

    def telling(self) -> dict[str, float]:
        """How much never having said each term tells: rare in English and names a thing.
        A year tells nothing; a compound the user said in two words ("snow fall") half."""
        return by_term(self.words, self._telling)

    def _telling(self, word: str) -> float:
        if is_year(word):
            return 0.0
        df = self._parts_df
        if any(df.get(a) and df.get(b) for a, b in compound_parts(word)):
            return COMPOUND_TELLING * _telling(word)
        return _telling(word)

    def read(self, engine: Engine, user_id: str) -> None:
        store, tenant = engine.store, engine.tenant_id
        terms = self.analysis.terms
        parts = {t for w in content_words(self.words) for pair in compound_parts(w) for t in pair}
        read = store.term_statistics(tenant, user_id, (*terms, *parts))
        df = {t: read.df.get(t, 0) for t in terms}
        self.stats = TermStats(df, read.documents, read.average_length)
        self._parts_df = {t: read.df.get(t, 0) for t in parts}
        self.speakers = frozenset(s for s in store.speakers(tenant, user_id) if named(s))
        self.naming = ranking.name_words(
            self.text, self.speakers, known=lambda w: self.stats.df.get(stem(w), 0) > 0
        )


def _time(memory: MemoryRecord) -> datetime:
    """A memory's time is when its source turn was said, never when it was last searched."""
    return memory.valid_from or memory.metadata.created_at


def _corrections(
    engine: Engine,
    user_id: str,
    candidates: list[MemoryRecord],
    vector: Vector,
    dense: dict[str, float],
) -> dict[str, list[str]]:
    """For each out-of-date turn among the candidates, the chunks of the user's turn that
    corrected it (`valid_to_turn`), following chains of corrections; the chunks are added to
    `candidates` and `dense`: what is true now comes with what was. One read per link of the
    chains, not one per turn."""
    store, tenant = engine.store, engine.tenant_id
    found: dict[str, list[str]] = {}
    chunks: dict[int, list[str]] = {}
    pending = [m for m in candidates if m.kind is MemoryKind.episodic and m.valid_to_turn]
    while pending:
        turns = sorted({m.valid_to_turn for m in pending if m.valid_to_turn} - chunks.keys())
        for turn in turns:
            chunks[turn] = []
        for row in store.turn_texts(tenant, user_id, turns):
            if row.role == "user":
                chunks[row.turn].append(row.memory_id)
        fresh = [c for t in turns for c in chunks[t] if c not in dense]
        if fresh:
            dense.update(store.cosines(tenant, user_id, vector, fresh))
        new = engine.records(user_id, [c for c in fresh if c in dense])
        candidates.extend(new)
        for memory in pending:
            if memory.valid_to_turn:
                found[memory.memory_id] = chunks[memory.valid_to_turn]
        pending = [m for m in new if m.valid_to_turn]
    return found


def _inherit(
    values: dict[str, float], corrections: dict[str, list[str]], lead: float = 0.0
) -> None:
    """The turn that corrected another answers whatever that one answered, down a chain of
    corrections (Paris -> Berlin -> Rome): it gets at least the old turn's value plus `lead`.
    Values only rise."""
    changed = True
    while changed:
        changed = False
        for old, fixes in corrections.items():
            for fix in fixes:
                if fix in values and old in values and values[fix] < values[old] + lead:
                    values[fix] = values[old] + lead
                    changed = True


@lru_cache(maxsize=131072)
def _bag(speaker: str | None, content: str) -> Bag:
    return bag_of(words_read(speaker, content))


def _speaker_of(memory: MemoryRecord) -> str | None:
    return memory.metadata.speaker if memory.kind is MemoryKind.episodic else None


class _Neighbourhood:
    """The turns around the candidates, read once per search (text only, no records), and
    each turn's words read with its neighbours'."""

    def __init__(
        self, engine: Engine, user_id: str, turns: set[int], terms: tuple[str, ...]
    ) -> None:
        wanted = sorted({t + d for t in turns for d in range(-ranking.WINDOW, ranking.WINDOW + 1)})
        self.rows = engine.store.turn_texts(engine.tenant_id, user_id, wanted)  # by turn
        self._turns = [r.turn for r in self.rows]
        self._counts, self._lengths = term_counts((r.bag for r in self.rows), terms)
        self._terms = terms
        self._bags = {r.memory_id: r.bag for r in self.rows}

    def bag(self, memory: MemoryRecord) -> Bag:
        """A candidate's words: a turn's as the index counted them, a fact's counted here."""
        found = self._bags.get(memory.memory_id)
        return found if found is not None else _bag(_speaker_of(memory), memory.content)

    def window_lexical(self, turns: list[int], stats: TermStats) -> dict[int, float]:
        """BM25 of each turn read with the turns within `ranking.WINDOW` of it, its length
        normalised against as many average turns; a turn with no words read is left out."""
        counts, lengths, n = windows(
            self._turns, self._counts, self._lengths, turns, ranking.WINDOW
        )
        scores = bm25_rows(counts, lengths, self._terms, stats, length_scale=np.maximum(n, 1))
        return {t: float(v) for t, v, k in zip(turns, scores, n, strict=True) if k > 0}


def search(
    engine: Engine,
    user_id: str,
    text: str,
    *,
    top_k: int,
    current_turn: int,
    flt: MemoryFilter,
    at: datetime,
    min_relevance: float = 0.0,
) -> list[SearchHit]:
    query = _Query(text)
    with engine.store.reading(engine.tenant_id, user_id):
        query.read(engine, user_id)
        # Asked as the person it names would say it: what they said is in the first person.
        said = as_said(text, query.naming)
        if said == text:
            vector = engine.embed_query(user_id, text)
        else:
            query.rewritten = True
            as_they_would, as_asked = engine.embed_queries(user_id, [said, text])
            vector = _blend(as_they_would, as_asked, AS_SAID_SHARE)
        return _search(
            engine,
            user_id,
            query,
            vector,
            top_k=top_k,
            current_turn=current_turn,
            flt=flt,
            at=at,
            min_relevance=min_relevance,
        )


def _search(
    engine: Engine,
    user_id: str,
    query: _Query,
    vector: Vector,
    *,
    top_k: int,
    current_turn: int,
    flt: MemoryFilter,
    at: datetime,
    min_relevance: float,
) -> list[SearchHit]:
    store, tenant = engine.store, engine.tenant_id
    analysis = query.analysis
    dense = dict(store.dense_search(tenant, user_id, vector, CANDIDATES, flt))
    lexical = store.lexical_search(tenant, user_id, analysis.terms, CANDIDATES, flt)
    leads = {*list(dense)[:LEADS], *(m for m, _ in lexical[:LEADS])}
    # Third retriever: extracted facts in the slot the question asks about.
    slots = store.slots(tenant, user_id)
    asked = {slot for slot in {s for _, s in slots} if analysis.slot_matches(slot)}
    slotted = [m for m, slot in slots if slot in asked]
    if flt.kinds is not None and MemoryKind.semantic not in flt.kinds:
        slotted = []
    missing = [m for m in (*(m for m, _ in lexical), *slotted) if m not in dense]
    if missing:
        dense.update(store.cosines(tenant, user_id, vector, missing))
    if not dense:
        return []
    candidates = engine.records(user_id, list(dense))
    corrections = _corrections(engine, user_id, candidates, vector, dense)
    turns = {
        m.metadata.source_turn
        for m in candidates
        if m.kind is MemoryKind.episodic and m.metadata.source_turn is not None
    }
    around = _Neighbourhood(engine, user_id, turns, query.terms)
    # The replies and questions next to a leading candidate are candidates too: the answer is
    # often the turn beside the one that shares the question's words.
    lead_turns = {
        t for m in candidates if m.memory_id in leads and (t := m.metadata.source_turn) is not None
    }
    next_to = {t + d for t in lead_turns for d in (-1, 0, 1)}
    beside = [r.memory_id for r in around.rows if r.memory_id not in dense and r.turn in next_to]
    if beside:
        dense.update(store.cosines(tenant, user_id, vector, beside))
        candidates.extend(engine.records(user_id, [m for m in beside if m in dense]))
    stale = store.stale_turns(
        tenant,
        user_id,
        sorted(
            {
                t
                for m in candidates
                if m.kind is MemoryKind.episodic and (t := m.metadata.source_turn) is not None
            }
        ),
    )
    candidates = [
        m
        for m in candidates
        if (flt.types is None or m.type in flt.types) and (flt.kinds is None or m.kind in flt.kinds)
    ]
    return _rank(
        engine,
        candidates,
        dense,
        corrections,
        stale,
        around,
        query,
        top_k=top_k,
        current_turn=current_turn,
        at=at,
        min_relevance=min_relevance,
    )


def _rank(
    engine: Engine,
    candidates: list[MemoryRecord],
    dense: dict[str, float],
    corrections: dict[str, list[str]],
    stale: set[int],
    around: _Neighbourhood,
    query: _Query,
    *,
    top_k: int,
    current_turn: int,
    at: datetime,
    min_relevance: float,
) -> list[SearchHit]:
    analysis, stats, naming, terms = query.analysis, query.stats, query.naming, query.terms
    by_id = {m.memory_id: m for m in candidates}
    own = bm25_rows(*term_counts((around.bag(m) for m in by_id.values()), terms), terms, stats)
    turn_of = {
        k: m.metadata.source_turn
        for k, m in by_id.items()
        if m.kind is MemoryKind.episodic and m.metadata.source_turn is not None
    }
    window = around.window_lexical(sorted(set(turn_of.values())), stats)
    signals: dict[str, ranking.Signals] = {}
    shown: dict[str, float] = {}  # disclosure
    for (key, memory), alone in zip(by_id.items(), own.tolist(), strict=True):
        turn = turn_of.get(key)
        signals[key] = ranking.Signals(
            own_lexical=alone,
            window_lexical=window.get(turn, alone) if turn is not None else alone,
            dense=dense[key],
            speaker=memory.metadata.speaker,
            day=_time(memory).date(),
            of_self=memory.kind is MemoryKind.episodic and speaks_of_self(memory.content),
        )
        shown[key] = disclosure(
            memory.kind.value, memory.metadata.role, memory.content, analysis.about_replies
        )
    rank = ranking.rank_scores(signals, frozenset(naming.values()), query.days)
    for key, memory in by_id.items():
        rank[key] *= shown[key]
        if _slot_match(memory, analysis):
            rank[key] += SLOT_RANK_BONUS
    # What replaced an old statement ranks just above it. The old one keeps its rank: with
    # several speakers a turn's facts are often superseded by the other person's, and
    # halving such turns' rank cost REALTALK recall@10 0.07. Its calibrated relevance is
    # halved, so `context` admits it only on strong evidence of its own.
    _inherit(rank, corrections, lead=ranking.COMPARABLE * 2)
    if not query.days and asks_now(query.text):
        about_self = asks_about_self(query.text, names_someone=bool(naming))
        about_someone = asks_about_someone(query.text)
        mine = about_self and not about_someone
        # Asked about their kids or their dog, the asker's news of them answers, and no one
        # else's: "my best friend just had twins" is not what became of "I have two kids".
        people = people_asked(query.text) if about_self and about_someone else frozenset()
        if mine or people:
            _demote_others_news(by_id, rank, people)
        _newer_first(
            engine,
            by_id,
            rank,
            top_k,
            about_self=about_self,
            own=mine or bool(people),
            people=people,
        )
    # A speaker's name says whom a question is about, not what: "What is the name of Emi's
    # pet iguana?" is not half answered by everything Emi said.
    names = frozenset(
        {t for speaker in query.speakers for t in term_tuple(speaker)} | {stem(w) for w in naming}
    )
    weights = q.term_weights(
        tuple(t for t in analysis.terms if t not in names), stats.df, stats.documents
    )
    familiar = (
        familiarity(weights, stats.df, query.telling(), stats.documents, query.offered)
        ** FAMILIARITY_POWER
    )
    if query.rewritten:
        familiar *= AS_SAID_RELEVANCE
    judge = _Judge(
        by_id,
        around.bag,
        dense,
        shown,
        stale,
        analysis,
        weights,
        familiar,
        query.days,
        corrections,
    )
    hits: list[SearchHit] = []
    for key in sorted(by_id, key=lambda k: (-rank[k], k)):
        if len(hits) == top_k:
            break
        if judge.relevance(key) >= min_relevance:
            hits.append(_hit(engine, by_id[key], rank[key], judge, current_turn, at))
    # Access counts are bookkeeping for decay and cleanup: ordering by them would let one
    # search change what the next one finds.
    # Familiarity tells whether the question is about something said at all, not which of its
    # hits answers it: ordering on relevance scaled by it would let recency decide more of the
    # order the less familiar a question's words.
    unscaled = 1.0 / max(familiar, 1e-9)
    return ranking.top_k(
        hits,
        top_k,
        rank=lambda h: h.parts.semantic,
        order=lambda h: composite(
            engine.weights, h.parts.relevance * unscaled, h.parts.recency, 0.0, h.parts.confidence
        ),
        key=lambda h: h.memory.memory_id,
    )


def _demote_others_news(
    by_id: dict[str, MemoryRecord], rank: dict[str, float], people: frozenset[str]
) -> None:
    """For a question about the asker's own present, what the asker said that is no news of
    their own lasting present (or of the `people` of theirs it asks about) ranks lower
    (NOT_OWN_NEWS_RANK): "we rented a Tesla for the coast trip" for "what car do I drive?",
    "my dad just got a OnePlus 12" for "what phone do I have?", "my neighbour just had
    triplets" for "how many children do I have?"."""
    for key, memory in by_id.items():
        said_by_user = memory.kind is MemoryKind.semantic or memory.metadata.role == "user"
        if said_by_user and not _states(memory, own=True, people=people):
            rank[key] *= NOT_OWN_NEWS_RANK


def _newer_first(
    engine: Engine,
    by_id: dict[str, MemoryRecord],
    rank: dict[str, float],
    top_k: int,
    *,
    about_self: bool,
    own: bool,
    people: frozenset[str] = frozenset(),
) -> None:
    """What replaced an earlier statement ranks above it (`ranking.newer_first`), for a
    question about the present. With `own`, only the speaker's own news can replace anything:
    "my dad just got a OnePlus 12" is no answer to "what phone do I have?"."""
    top = sorted(rank, key=lambda k: (-rank[k], k))[:top_k]
    said = {key: _statement(by_id[key], own=own, people=people) for key in top}
    vectors: dict[str, Vector] = {}

    def similarity(a: str, b: str) -> float:
        # Read only when two statements of one speaker could be an update: most questions
        # have none, and on PostgreSQL the read is a round trip.
        if not vectors:
            user = by_id[top[0]].user_id
            vectors.update(zip(top, engine.store.vectors(engine.tenant_id, user, top), strict=True))
        return float(vectors[a] @ vectors[b])

    ranking.newer_first(rank, said, top, ranking.COMPARABLE * 2, similarity, about_self=about_self)


# An extracted fact is worded about the user in the third person: read it in the first person
# to tell the user's own news ("The user switched to ...") from another's ("The user's dad ...").
_FACT_SUBJECT = re.compile(r"^(?:the user's|user's)\b", re.IGNORECASE)


def _statement(
    m: MemoryRecord, *, own: bool, people: frozenset[str] = frozenset()
) -> ranking.Statement:
    episodic = m.kind is MemoryKind.episodic
    if episodic:
        changes = states_change(m.content, m.metadata.role, own=own, people=people)
    else:
        changes = says_change(m.content)
    return ranking.Statement(
        named(m.metadata.speaker),
        m.metadata.source_turn,
        changes,
        _states(m, own=own, people=people),
        day=_time(m).date(),
    )


def _states(m: MemoryRecord, *, own: bool, people: frozenset[str] = frozenset()) -> bool:
    """Whether a memory states something of its speaker's (a turn: not only asks); with
    `own`, their own news of the lasting present (or of `people` of theirs)."""
    if m.kind is MemoryKind.episodic:
        return m.metadata.role == "user" and bool(statements(m.content, own=own, people=people))
    return not own or own_news(_FACT_SUBJECT.sub("my", m.content), people)


def _slot_match(memory: MemoryRecord, analysis: q.QueryAnalysis) -> bool:
    return memory.kind is MemoryKind.semantic and analysis.slot_matches(memory.metadata.slot)


class _Judge:
    """Calibrated relevance, computed only for the hits that may be returned: the ranking
    does not need it, and word coverage is the costliest part of a search."""

    def __init__(
        self,
        by_id: dict[str, MemoryRecord],
        bag: Callable[[MemoryRecord], Bag],
        dense: dict[str, float],
        shown: dict[str, float],
        stale: set[int],
        analysis: q.QueryAnalysis,
        weights: dict[str, float],
        familiar: float,
        days: frozenset[date],
        corrections: dict[str, list[str]],
    ) -> None:
        self._by_id, self._bag, self._dense, self._shown = by_id, bag, dense, shown
        self._stale, self._analysis, self._days = stale, analysis, days
        self._weights, self._familiar = weights, familiar
        self._evidence: dict[str, Evidence] = {}
        involved = {k for old, fixes in corrections.items() for k in (old, *fixes)}
        own = {k: relevance(self.evidence(k)) * self._familiar for k in involved if k in by_id}
        _inherit(own, corrections)
        self._relevance: dict[str, float] = {k: v * self._discount(k) for k, v in own.items()}

    def outdated(self, key: str) -> bool:
        memory = self._by_id[key]
        return memory.kind is MemoryKind.episodic and (
            memory.metadata.source_turn in self._stale or memory.valid_to_turn is not None
        )

    def _discount(self, key: str) -> float:
        """Out of date, or said on a day other than the one the question names."""
        factor = STALE_TURN_FACTOR if self.outdated(key) else 1.0
        if self._days and not ranking.near_day(_time(self._by_id[key]).date(), self._days):
            factor *= OFF_DAY_FACTOR
        return factor

    def evidence(self, key: str) -> Evidence:
        if key not in self._evidence:
            memory = self._by_id[key]
            self._evidence[key] = Evidence(
                dense=self._dense[key],
                coverage=q.coverage(self._weights, self._bag(memory)[0].keys()),
                slot_match=_slot_match(memory, self._analysis),
                disclosure=self._shown[key],
            )
        return self._evidence[key]

    def relevance(self, key: str) -> float:
        if key not in self._relevance:
            self._relevance[key] = float(
                relevance(self.evidence(key)) * self._familiar * self._discount(key)
            )
        return self._relevance[key]


def _hit(
    engine: Engine,
    memory: MemoryRecord,
    rank: float,
    judge: _Judge,
    current_turn: int,
    at: datetime,
) -> SearchHit:
    settings = engine.settings
    key = memory.memory_id
    rel = judge.relevance(key)
    rec = recency(
        current_turn - (memory.metadata.source_turn or 0),
        max(0.0, (at - _time(memory)).total_seconds() / 86400.0),
        settings.memory_decay_turns,
        settings.memory_decay_days,
    )
    acc = access_frequency(memory.metadata.access_count)
    conf = memory.metadata.confidence
    return SearchHit(
        memory=memory,
        score=composite(engine.weights, rel, rec, acc, conf),
        parts=ScoreParts(
            semantic=rank,
            dense=judge.evidence(key).dense,
            lexical=judge.evidence(key).coverage,
            recency=rec,
            access=acc,
            confidence=conf,
            relevance=rel,
        ),
        outdated=judge.outdated(key),
    )
