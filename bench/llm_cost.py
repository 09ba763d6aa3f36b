"""Token counts and cost per 1,000 turns of LLM extraction and reconciliation.

    .venv/bin/python bench/llm_cost.py --turns 2000 --seed 7

The real API cannot be reached from here, so the calls are not made: a synthetic conversation
is ingested through `Memory` with an extractor and a judge that build longmem's real prompts
(the same functions the LLM path uses), count their tokens with the o200k_base tokenizer of
gpt-4o / gpt-4o-mini (bpe-openai, offline), and answer with the offline extractor and the
rules. A completion is counted as the JSON the schema asks for, holding what the offline
extractor found in that turn. Per request, the chat format's framing and the JSON schema of
`response_format` are counted on top of the prompt.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bpe_openai import encoding_for_model
from rich.console import Console
from rich.table import Table

from longmem import Memory, Settings
from longmem.config import PRICES_DEFAULT
from longmem.core.reconcile import Advice, Neighbour
from longmem.embedding import MiniLMEmbedder
from longmem.extraction import OfflineExtractor
from longmem.llm import extractor as llm_extractor
from longmem.llm import reconciler
from longmem.models import Candidate
from longmem.synth import generate_conversation

console = Console(width=110)
ENCODING = encoding_for_model("gpt-4o-mini")
# <|im_start|>role ... <|im_end|> per message, plus the reply's priming (OpenAI's cookbook).
MESSAGE_FRAMING = 4
REPLY_PRIMING = 3


def tokens(text: str) -> int:
    return len(ENCODING.encode(text))


@dataclass
class Tally:
    calls: int = 0
    prompt: int = 0
    completion: int = 0
    prompts: list[int] = field(default_factory=list)

    def add(self, prompt: int, completion: int) -> None:
        self.calls += 1
        self.prompt += prompt
        self.completion += completion
        self.prompts.append(prompt)


def request_tokens(prompt: str, response_format: dict[str, object]) -> int:
    schema = json.dumps(response_format["json_schema"])
    return tokens(prompt) + tokens(schema) + MESSAGE_FRAMING + REPLY_PRIMING


class CountingExtractor:
    """Builds the LLM extraction prompt for every user turn; answers offline."""

    def __init__(self) -> None:
        self.offline = OfflineExtractor()
        self.confidence_threshold = self.offline.confidence_threshold
        self.tally = Tally()

    def extract(self, text: str, *, role: str = "user") -> list[Candidate]:
        if role != "user" or not text.strip():
            return []
        found = self.offline.extract(text, role=role)
        answer = json.dumps(
            {"memories": [c.model_dump(exclude={"source_text"}, mode="json") for c in found]}
        )
        prompt = llm_extractor.extraction_prompt(text, role)
        self.tally.add(request_tokens(prompt, llm_extractor.RESPONSE_FORMAT), tokens(answer))
        return found


class CountingJudge:
    """Builds the reconciliation prompt for every candidate with close neighbours."""

    ANSWER = '{"decision": "SUPERSEDE", "target": 0, "reason": "The user moved to a new city."}'

    def __init__(self) -> None:
        self.tally = Tally()

    def advise(self, candidate: Candidate, neighbours: Sequence[Neighbour]) -> Advice | None:
        prompt = reconciler.reconciliation_prompt(candidate, neighbours)
        self.tally.add(request_tokens(prompt, reconciler.RESPONSE_FORMAT), tokens(self.ANSWER))
        return None  # the rules decide: the count is what matters here


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--contradictions", type=int, default=10)
    parser.add_argument("--model", default="gpt-4o-mini")
    args = parser.parse_args()
    prices = json.loads(PRICES_DEFAULT)
    input_price, output_price = prices[args.model]

    conversation = generate_conversation(
        seed=args.seed, n_turns=args.turns, n_contradictions=args.contradictions
    )
    extractor, judge = CountingExtractor(), CountingJudge()
    with tempfile.TemporaryDirectory() as home:
        settings = Settings(longmem_home=Path(home))
        with Memory(settings, embedder=MiniLMEmbedder(), extractor=extractor, judge=judge) as mem:
            mem.add_turns(
                conversation.user_id,
                conversation.turn_dicts(),
                progress=True,
            )
    user_turns = sum(1 for t in conversation.turns if t.role == "user")

    table = Table(
        title=f"LLM tokens, {args.turns} turns ({user_turns} user turns), seed {args.seed}"
    )
    for column in (
        "purpose",
        "calls",
        "prompt tok/call",
        "completion tok/call",
        "tok per user turn",
        "USD per 1,000 user turns",
    ):
        table.add_column(column, justify="right")
    total_cost = 0.0
    for purpose, tally in (("extraction", extractor.tally), ("reconciliation", judge.tally)):
        if not tally.calls:
            continue
        cost = (tally.prompt * input_price + tally.completion * output_price) / 1e6
        per_1000 = cost / user_turns * 1000
        total_cost += per_1000
        table.add_row(
            purpose,
            str(tally.calls),
            f"{tally.prompt / tally.calls:.0f}",
            f"{tally.completion / tally.calls:.0f}",
            f"{(tally.prompt + tally.completion) / user_turns:.0f}",
            f"{per_1000:.4f}",
        )
    table.add_row("total", "", "", "", "", f"{total_cost:.4f}")
    console.print(table)
    console.print(
        f"{args.model}: ${input_price}/M input, ${output_price}/M output tokens. "
        "Assistant turns are stored but not sent to the extractor."
    )


if __name__ == "__main__":
    main()
