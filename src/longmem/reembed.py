"""Moves a store to another embedding model, in batches, resumably.

New vectors are staged beside the old ones; an interrupted run keeps what it staged and the
next run carries on. Only when every memory has a new vector are they swapped in, in one
transaction, with the store's model record; until then the store serves the old model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from longmem.core.speakers import embedding_text
from longmem.embedding.base import Embedder
from longmem.store.base import Store
from longmem.store.embedding_record import DIMENSION_KEY, MODEL_KEY, recorded

TARGET_KEY = "reembed_target"


@dataclass(frozen=True)
class ReembedReport:
    previous: tuple[str, int] | None
    model: str
    dimension: int
    embedded: int  # in this run
    resumed: int  # staged by an earlier, interrupted run
    total: int


def reembed(
    store: Store,
    embedder: Embedder,
    *,
    batch: int = 64,
    on_progress: Callable[[int, int], None] | None = None,
) -> ReembedReport:
    """Re-embeds every memory (all users, all statuses) with `embedder`.

    `on_progress(done, total)` is called after each batch."""
    target = f"{embedder.model_name}\n{embedder.dimension}"
    if store.get_meta(TARGET_KEY) != target:
        store.reembed_clear()  # staged vectors of another model are of no use
        store.set_meta(TARGET_KEY, target)
    previous = recorded(store)
    resumed, total = store.reembed_progress()
    done, embedded = resumed, 0
    if on_progress:
        on_progress(done, total)
    while rows := store.reembed_pending(batch):
        vectors = embedder.embed([embedding_text(content, speaker) for _, content, speaker in rows])
        store.reembed_stage([(row[0], vectors[i]) for i, row in enumerate(rows)])
        embedded += len(rows)
        done += len(rows)
        if on_progress:  # memories written meanwhile make the total grow
            on_progress(done, max(total, done))
    store.reembed_finish(
        {MODEL_KEY: embedder.model_name, DIMENSION_KEY: str(embedder.dimension), TARGET_KEY: ""},
        embedder.dimension,
    )
    return ReembedReport(
        previous, embedder.model_name, embedder.dimension, embedded, resumed, total
    )
