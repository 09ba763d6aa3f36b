"""The blind sets (tests/blind, written by someone who had not read the extractor) as a
specification: figures in the README come from `python tests/blind_eval.py`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from blind_eval import (
    BLIND,
    blind_memory,
    changes,
    controls,
    requests,
    run_change,
    run_control,
    run_request,
)
from longmem import Memory, Settings
from longmem.extraction import OfflineExtractor
from longmem.llm.client import OpenAIClient
from longmem.llm.extractor import LLMExtractor
from openai_standin import StandIn

# What the offline path reaches on the later change sets (README, Status), each written blind by
# another writer: changes_holdout.json was then used to choose ranking.NEWER_SHARE and
# RELATED_COSINE, and later SELF_SHARE and SELF_COSINE; changes_unseen.json was written after
# the first choice (52.5% then); changes_fresh.json after the second, then studied to choose
# SELF_CHANGE_SHARE and the present-tense "before" / "once"; changes_fresh2.json was written
# before that choice (82.5% before it, 87.5% with it); changes_fresh3.json after all of that
# (90.8% on its first run). Then SELF_COSINE was lowered on changes_unseen.json and
# changes_fresh2.json (73.3 -> 78.3%, 87.5 -> 91.7%); changes_fresh3.json reports it (95.0%).
# changes_fresh4.json was written after all of that and committed before its first run (82.5%),
# changes_fresh5.json a release later (90.8%): no constant has been chosen on either. When only
# the speaker's own lasting news could replace anything (core.subject), changes_fresh2.json
# lost one that had passed by a chain of lifts through a question (91.7 -> 90.8%). When a
# remark that is no news of the asker's own present came to keep 0.7 of its rank
# (retrieval.NOT_OWN_NEWS_RANK), five were lost in all: a diet "for 6 weeks", "SHE SAID YES!!!",
# "these days I'd take a hut-to-hut hike ..." (changes_fresh2.json 90.8 -> 89.2%,
# changes_fresh3.json 95.0 -> 94.2%, changes_fresh6.json 89.2 -> 87.5%, changes_unseen.json
# 78.3 -> 77.5%), against 34 controls won (CONTROLS_REACHED). When what replaced a message
# came to rise above the facts extracted from it, and a question about the asker's kids or pets
# to be answered by news of them and no one else (core.subject.people_asked): unseen 77.5 ->
# 80.0%, fresh 93.3 -> 94.2%, fresh4 84.2 -> 85.0%, fresh6 87.5 -> 89.2%, fresh5 93.3 -> 92.5%.
# Then a later change that answers a question about the asker's present nearly as well came to
# need barely relate to the earlier statement (ranking.MARKED_SELF_COSINE, read from
# changes_fresh8.json's misses after its first run): fresh8 80.8 -> 84.2%, fresh7 93.3 ->
# 95.8%, holdout 92.5 -> 94.2%, fresh5 92.5 -> 94.2%, fresh 94.2 -> 95.0%, fresh4 85.0 ->
# 85.8%, fresh6 90.0 -> 90.8%, unseen 79.2 -> 80.0%; the controls lost 3 of 720.
# Then an unmarked later statement came to need answer the question only 0.3 as well as the
# earlier one (ranking.SELF_SHARE, 0.4 before), once an offer declined, an outing another
# person took the speaker on and a one-off no longer counted as news (core.subject): +31 of
# 1,680 on the fourteen sets (fresh8 83.3 -> 89.2%, unseen 81.7 -> 85.8%, fresh9 86.7 ->
# 90.0%, fresh4 85.8 -> 89.2%), the controls as before in all (+24, then -24).
# Floors set since then sit one scenario under the figure: ties between memories of equal rank
# are broken by their ids, which differ from run to run, and a set moves by one either way.
LATER_SETS_REACHED = {
    "changes_holdout.json": 0.93,
    "changes_unseen.json": 0.85,
    "changes_fresh.json": 0.94,
    "changes_fresh2.json": 0.89,
    "changes_fresh3.json": 0.95,
    "changes_fresh4.json": 0.88,
    "changes_fresh5.json": 0.94,
    # written blind after core.subject and committed before its first run (88.3%; 89.2% with
    # the code before it, and again once "borrowed" no longer marked a stay)
    "changes_fresh6.json": 0.90,
    # written blind with stays_controls5.json and committed before its first run: 93.3%, the
    # same before and after NOT_OWN_NEWS_RANK
    "changes_fresh7.json": 0.96,
    # written blind with stays_controls6.json and committed before its first run: 80.0% with
    # the code before the rules above, 80.8% with them
    "changes_fresh8.json": 0.88,
    # written blind with stays_controls7.json after all of the above and committed before its
    # first run: 84.2% with the code before this release's rules, 86.7% with them
    "changes_fresh9.json": 0.89,
    # written blind with stays_controls8.json and committed before its first run: 98.3%, the
    # same with the code before the speaker had to be a clause's subject (core.subject)
    "changes_fresh10.json": 0.97,
    # written blind with stays_controls9.json after this release's first two rules and
    # committed before its first run: 91.7%, the same with the code before them; 94.2% with
    # SELF_SHARE
    "changes_fresh11.json": 0.93,
    # written blind with stays_controls10.json after SELF_SHARE and committed before its first
    # run: 90.8% (88.3% with the code before SELF_SHARE, and with the code of the release before)
    "changes_fresh12.json": 0.90,
}
# The other side, stays_controls.json and stays_controls2.json (written blind, like the change
# sets; the second held out from every choice): a later remark that replaces nothing (a
# friend's new phone, a weekend in another city, a plan not acted on). On their first runs the
# fact that still holds ranked above the remark in only 23.3% and 17.5%: the present-tense
# lift that finds implicit changes lifts such remarks too (without it the first set passes
# 52.5%, but changes_unseen.json falls 78.3 -> 52.5%). A filter of remarks about another
# person, wished for, passing or long past, tuned on the first set (23.3 -> 35.0%), left the
# second at 17.5%: not kept. stays_controls3.json, written a release later and committed
# before its first run: 35.0%. Then only the speaker's own news, said of the lasting present,
# came to replace anything for a question about the asker's present (core.subject: not "my dad
# just got ...", "if I won I'd ...", "back when I was ...", "visiting for two weeks", nor a
# question), its rules read from the first set's misses and the change sets' losses: 38.3%,
# 28.3% and 45.8%, the second and third held out (39.2%, 28.3% and 47.5% once "my dad's" read
# as "my dad"). Then such a remark came to rank lower for a question about the asker's present
# (retrieval.NOT_OWN_NEWS_RANK, with what another person does to the speaker counted as the
# speaker's news: "doctor switched me to bupropion"): 51.7%, 32.5%, 50.0% and 41.7%, and
# 52.5% on stays_controls5.json, written blind with changes_fresh7.json and committed before
# its first run (49.2% on that run, with the code before the change). Then news of someone
# other than the people a question about the asker asks of ranked lower too ("my best friend
# just had twins" for "how many kids do I have?"): 55.8%, 34.2%, 54.2%, 47.5% and 54.2%, and
# 41.7% on stays_controls6.json, written blind and committed before its first run (36.7% with
# the code before). Then the speaker had to be the subject of a sentence's first clause, or of
# one that follows from it ("physio banned running so I've bought a road bike"), for it to be
# their news, not any first person further in ("my sister just got the iPhone 15 Pro and she
# keeps airdropping me memes i cant even open"): 57.5%, 40.8%, 61.7%, 49.2%, 65.8%, 47.5% and
# 45.0%, every change set as before; then, with such remarks keeping 0.35 of their rank, not
# 0.7 (NOT_OWN_NEWS_RANK), and a hedge ("I'd rather", "I'd call myself") or staying up late no
# longer read as another time: 64.2%, 45.8%, 65.8%, 60.0%, 71.7%, 50.0%, 55.0% and 50.8%, the
# change sets as before but changes_unseen.json 80.8 -> 81.7%. Then an offer declined, an
# outing another person took the speaker on and a one-off came to be no news (+24 of 1,080),
# and the lift of unmarked changes that share fewer of the question's words took as many back
# (ranking.SELF_SHARE, above): 62.5%, 49.2%, 68.3%, 60.0%, 66.7%, 49.2%, 54.2%, 54.2% and
# 60.0%. A known weakness (README, Status), kept here as regression floors.
CONTROLS_REACHED = {
    "stays_controls.json": 0.61,
    "stays_controls2.json": 0.48,
    "stays_controls3.json": 0.67,
    # written blind after core.subject: 29.2% with the code before it, 35.0% on its first run
    # (35.8% with "my dad's")
    "stays_controls4.json": 0.59,
    "stays_controls5.json": 0.65,
    "stays_controls6.json": 0.48,
    # written blind with changes_fresh9.json and committed before its first run: 36.7% (37.5%
    # without a rule that run had and that was then reverted), against 40.8% with the code
    # before this release (the lift of marked changes cost 2, the first rules 2); 39.2% once a
    # change counted only in a clause of the speaker's, read from its misses
    "stays_controls7.json": 0.53,
    # written blind with changes_fresh10.json and committed before its first run: 45.0%
    # (38.3% with the code before the speaker had to be a clause's subject); 50.8% once
    # NOT_OWN_NEWS_RANK was lowered
    "stays_controls8.json": 0.53,
    # written blind with changes_fresh11.json after this release's first two rules and
    # committed before its first run: 60.8% (41.7% with the code before them); 60.0% with
    # SELF_SHARE
    "stays_controls9.json": 0.59,
    # written blind with changes_fresh12.json after SELF_SHARE and committed before its first
    # run: 66.7% (66.7% with the code before SELF_SHARE, 57.5% with the release before's)
    "stays_controls10.json": 0.65,
}
LATER_SETS = [BLIND / name for name in LATER_SETS_REACHED]
# Casual messages, 40 standing instructions and 40 others each (README, Status): instructions
# stored and others kept out as last measured. requests_heldout.json and requests_fresh.json
# were studied to write the rules of extraction/directive.py; requests_fresh2.json was written
# blind and first run at 27 and 32 of 40, then studied too.
CASUAL_SETS_REACHED = {
    "requests_heldout.json": (37, 39),
    "requests_fresh.json": (38, 40),
    "requests_fresh2.json": (37, 37),
    # written blind and committed before its first run: 32 and 36 of 40 on it, then studied
    "requests_fresh3.json": (37, 40),
    # written blind after the rules drawn from requests_fresh3.json, committed before its first
    # run: 37 and 38 of 40, the same with the code before those rules (they did not carry over)
    "requests_fresh4.json": (37, 38),
}


@pytest.fixture(scope="module")
def offline_results(embedder):
    with blind_memory(embedder) as mem:
        yield (
            [run_change(mem, s) for s in changes()],
            [run_request(mem, r) for r in requests()],
        )


def test_one_off_requests_are_not_stored_as_instructions(offline_results):
    kept = [r for r in offline_results[1] if r.kind == "request"]
    assert sum(r.passed for r in kept) / len(kept) >= 0.95, [r.id for r in kept if not r.passed]


def test_standing_instructions_are_stored_as_instructions(offline_results):
    told = [r for r in offline_results[1] if r.kind == "instruction"]
    assert sum(r.passed for r in told) / len(told) >= 0.90, [r.id for r in told if not r.passed]


@pytest.mark.parametrize("name", sorted(CASUAL_SETS_REACHED))
def test_casual_instructions_are_stored_and_other_messages_kept_out_as_last_measured(
    embedder, name: str
):
    """A regression floor, not the target: see CASUAL_SETS_REACHED."""
    items = json.loads((BLIND / name).read_text())
    with blind_memory(embedder) as mem:
        results = [run_request(mem, {"id": f"m{i}", **item}) for i, item in enumerate(items)]
    told = sum(r.passed for r in results if r.kind == "instruction")
    kept = sum(r.passed for r in results if r.kind != "instruction")
    missed = [item["text"] for item, r in zip(items, results, strict=True) if not r.passed]
    least_told, least_kept = CASUAL_SETS_REACHED[name]
    assert told >= least_told and kept >= least_kept, missed


def test_the_newest_value_ranks_first_in_nine_changes_of_ten(offline_results):
    results = offline_results[0]
    assert sum(r.passed for r in results) / len(results) >= 0.90


@pytest.mark.parametrize("name", sorted(LATER_SETS_REACHED))
def test_on_later_blind_sets_the_newest_value_ranks_first_as_last_measured(embedder, name: str):
    """A regression floor, not the target: see LATER_SETS_REACHED."""
    with blind_memory(embedder) as mem:
        results = [run_change(mem, s) for s in changes(BLIND / name)]
    assert sum(r.passed for r in results) / len(results) >= LATER_SETS_REACHED[name]


@pytest.mark.parametrize("name", sorted(CONTROLS_REACHED))
def test_a_later_remark_that_replaces_nothing_outranks_the_fact_no_more_than_last_measured(
    embedder, name: str
):
    """A regression floor, not the target: see CONTROLS_REACHED."""
    with blind_memory(embedder) as mem:
        results = [run_control(mem, s) for s in controls(BLIND / name)]
    assert sum(r.passed for r in results) / len(results) >= CONTROLS_REACHED[name]


def _answer_as_a_model_would(standin: StandIn, scenario: dict) -> None:
    """Queues, for each user turn, what a model that understood it would extract: the fact
    first stated, nothing for chit-chat, and the change with the value it replaces."""
    user_turns = [t for t in scenario["turns"] if t["role"] == "user"]
    for i, turn in enumerate(user_turns):
        item = {"type": "fact", "content": turn["text"], "confidence": 0.9}
        if i == len(user_turns) - 1:
            item["replaces"] = scenario["old"]
        memories = [item] if i in (0, len(user_turns) - 1) else []
        standin.then(model="gpt-4o-mini", content=json.dumps({"memories": memories}))


def test_blind_changes_through_the_llm_path_with_a_stand_in_model(tmp_path: Path, embedder):
    """The LLM path ranks the new value first when the model names what it replaces: this
    measures the path's plumbing (replaces -> supersede, outdated turns, ranking), not a real
    model's understanding, which cannot be reached from here."""
    with StandIn() as standin:
        client = OpenAIClient(standin.base_url, "sk-test", backoff=0.01)
        extractor = LLMExtractor(client, "gpt-4o-mini", OfflineExtractor())
        settings = Settings(longmem_home=tmp_path / "llm")
        with Memory(settings, embedder=embedder, extractor=extractor) as mem:
            results = []
            for scenario in [*changes(), *(s for path in LATER_SETS for s in changes(path))]:
                _answer_as_a_model_would(standin, scenario)
                results.append(run_change(mem, scenario))
    assert sum(r.passed for r in results) / len(results) >= 0.95, [
        r.id for r in results if not r.passed
    ]
