"""One exception tree for everything longmem raises on purpose.

The HTTP layer maps each class to a status code in one place; library users can catch
`LongmemError` to handle them all.
"""

from __future__ import annotations


class LongmemError(Exception):
    """Base of every error longmem raises deliberately."""

    code = "longmem_error"


class ValidationError(LongmemError, ValueError):
    """Input was rejected before anything was written."""

    code = "invalid_input"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        self.field = field
        super().__init__(f"{field}: {message}" if field else message)


class ContentTooLargeError(ValidationError):
    """Content exceeds `MAX_CONTENT_CHARS`."""

    code = "content_too_large"


class NotFoundError(LongmemError, LookupError):
    """A memory (or version of it) does not exist for this user and tenant."""

    code = "not_found"


class ConflictError(LongmemError):
    """The request contradicts the stored state (e.g. rolling back to the current version)."""

    code = "conflict"


class AuthenticationError(LongmemError):
    """The service refused the API key: none was sent (401) or it names no tenant (403)."""

    code = "unauthorized"


class StoreError(LongmemError):
    """The store failed; the transaction was rolled back and nothing was written."""

    code = "store_error"


class VectorIndexError(StoreError):
    """The external vector index (Pinecone) failed or refused a call. On a write, the store
    transaction was rolled back with it: no memory is kept without its vector."""

    code = "vector_index_error"


class VectorIndexErasureError(VectorIndexError):
    """The user is erased from the store, but the vector index still holds their vectors.
    Nothing can read them (every vector is joined against the store), and erasing the user
    again removes them."""

    code = "vector_index_erasure_incomplete"


class EmbedderError(LongmemError):
    """The embedding model could not be loaded or verified."""

    code = "embedder_error"


class EmbedderMismatchError(EmbedderError):
    """The store's vectors were made by another embedding model than the configured one."""

    code = "embedder_mismatch"


class ConfigurationError(LongmemError, ValueError):
    """An environment variable (or `.env` entry) has a value longmem cannot use."""

    code = "configuration_error"
