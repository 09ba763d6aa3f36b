"""The local embedding model: verified files, reference-equal vectors, no torch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from longmem import EmbedderError
from longmem.embedding.minilm import MiniLMEmbedder, packaged_model_dir

REFERENCE = Path(__file__).parent / "fixtures" / "minilm_reference.json"


def test_vectors_match_sentence_transformers(embedder: MiniLMEmbedder):
    """Reference vectors were computed once with sentence-transformers + torch
    (scripts/make_reference_embeddings.py); ours must agree to float32 noise."""
    reference = json.loads(REFERENCE.read_text())
    ours = embedder.embed(reference["sentences"])
    expected = np.asarray(reference["embeddings"], dtype=np.float32)
    assert ours.shape == expected.shape == (len(reference["sentences"]), 384)
    assert np.abs(ours - expected).max() < 1e-4
    assert np.min(np.sum(ours * expected, axis=1)) > 0.9999


def test_vectors_are_unit_length_and_independent_of_batching(embedder: MiniLMEmbedder):
    texts = ["short", "a much longer sentence about gardening in the rain", "short"]
    together = embedder.embed(texts)
    alone = np.vstack([embedder.embed([t]) for t in texts])
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    assert np.abs(together - alone).max() < 1e-5
    assert embedder.embed([]).shape == (0, 384)


def test_a_tampered_model_file_is_refused(tmp_path: Path):
    source = packaged_model_dir()
    for item in source.iterdir():
        (tmp_path / item.name).symlink_to(item)
    (tmp_path / "tokenizer.json").unlink()
    (tmp_path / "tokenizer.json").write_text((source / "tokenizer.json").read_text() + " ")
    with pytest.raises(EmbedderError, match="refusing to load"):
        MiniLMEmbedder(tmp_path)


def test_a_missing_model_file_is_reported(tmp_path: Path):
    with pytest.raises(EmbedderError, match="missing"):
        MiniLMEmbedder(tmp_path)


def test_importing_longmem_loads_neither_torch_nor_the_model():
    code = (
        "import sys, longmem; "
        "heavy = {'torch', 'sentence_transformers', 'onnxruntime'} & set(sys.modules); "
        "print(sorted(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.fixture(scope="module")
def int8_embedder() -> MiniLMEmbedder:
    return MiniLMEmbedder(int8=True)


def test_the_int8_model_stays_close_to_float32_and_keeps_meaning_apart(
    embedder: MiniLMEmbedder, int8_embedder: MiniLMEmbedder
):
    reference = json.loads(REFERENCE.read_text())["sentences"]
    exact, quantised = embedder.embed(reference), int8_embedder.embed(reference)
    assert np.allclose(np.linalg.norm(quantised, axis=1), 1.0, atol=1e-5)
    cosines = np.sum(exact * quantised, axis=1)
    assert np.median(cosines) > 0.98 and np.min(cosines) > 0.9
    assert np.abs(exact - quantised).max() > 1e-3  # it is another model, not the same one
    near, far = (
        int8_embedder.embed(
            ["I adopted a puppy last week", "We got a new dog recently", "The invoice is overdue"]
        )[[1, 2]]
        @ int8_embedder.embed(["I adopted a puppy last week"])[0]
    )
    assert near > far + 0.2
    assert (
        int8_embedder.model_name.endswith("(int8 per channel)") and int8_embedder.dimension == 384
    )


def test_a_store_made_with_float32_vectors_takes_the_int8_model_only_after_reembed(
    tmp_path: Path, embedder: MiniLMEmbedder, int8_embedder: MiniLMEmbedder
):
    from longmem import Memory, Settings
    from longmem.errors import EmbedderMismatchError
    from longmem.reembed import reembed
    from longmem.store.factory import open_store

    settings = Settings(longmem_home=tmp_path)
    with Memory(settings, embedder=embedder) as memory:
        memory.add("ann", "Ann keeps bees", "fact")
    with pytest.raises(EmbedderMismatchError, match=r"\(int8 per channel\).*reembed"):
        Memory(settings, embedder=int8_embedder)
    store = open_store(settings, 384)
    try:
        assert reembed(store, int8_embedder).model.endswith("(int8 per channel)")
    finally:
        store.close()
    with Memory(settings, embedder=int8_embedder) as memory:
        assert memory.search("ann", "What does Ann keep?")[0].memory.content == "Ann keeps bees"
