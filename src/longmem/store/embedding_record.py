"""The store remembers which embedding model made its vectors; another model is refused.

Vectors of two models are not comparable: searching a MiniLM store with OpenAI query vectors
would return confident nonsense (or fail on the width). `longmem reembed` is the way across.
"""

from __future__ import annotations

from longmem.embedding.base import Embedder
from longmem.errors import EmbedderMismatchError
from longmem.store.base import Store

MODEL_KEY = "embedding_model"
DIMENSION_KEY = "embedding_dimension"


def recorded(store: Store) -> tuple[str, int] | None:
    model, dimension = store.get_meta(MODEL_KEY), store.get_meta(DIMENSION_KEY)
    if model is None or dimension is None:
        return None
    return model, int(dimension)


def check_embedder(store: Store, embedder: Embedder) -> None:
    """Records the embedder on a new store; raises if the store was built with another."""
    found = recorded(store)
    if found is None:
        width = store.stored_dimension()  # a store from before the record existed
        if width is not None and width != embedder.dimension:
            raise EmbedderMismatchError(
                f"the store holds {width}-d vectors; the configured embedder "
                f"{embedder.model_name} makes {embedder.dimension}-d ones. Run `longmem "
                "reembed` to move the store to it, or configure the store's model again"
            )
        store.set_meta(MODEL_KEY, embedder.model_name)
        store.set_meta(DIMENSION_KEY, str(embedder.dimension))
        return
    model, dimension = found
    if (model, dimension) != (embedder.model_name, embedder.dimension):
        raise EmbedderMismatchError(
            f"the store's vectors were made by {model} ({dimension}-d); the configured "
            f"embedder is {embedder.model_name} ({embedder.dimension}-d). Run `longmem "
            f"reembed` to move the store to the new model, or configure {model} again"
        )
