"""The few Pinecone data-plane calls longmem makes, through the official SDK.

Everything the SDK raises becomes a `VectorIndexError` (a `StoreError`: the service answers 503,
the in-process worker retries), so no Pinecone type leaks past this module. `pinecone` is an
optional extra, imported only when VECTOR_INDEX=pinecone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from longmem.errors import ConfigurationError, VectorIndexError
from longmem.store.base import Vector

if TYPE_CHECKING:
    from pinecone import Index

# Pinecone caps a request at 1,000 vectors and 2 MB; a 1536-d vector is ~17 kB of JSON, so
# the batch is sized by width to stay well under the byte cap (100 at 1536-d, 400 at 384-d).
_REQUEST_BYTES = 1_600_000
_JSON_BYTES_PER_FLOAT = 11
QUERY_TOP_K_MAX = 10_000
_METRICS = ("cosine", "dotproduct")  # unit vectors: either score is the store's cosine


def namespace_of(tenant_id: str, user_id: str) -> str:
    """One namespace per (tenant, user). Hashed, because ids may be e-mail addresses that have
    no business in a third party's index, and the length prefix keeps ("a", "bc") apart from
    ("ab", "c"). 256 bits: two users never share a namespace."""
    owner = f"{len(tenant_id)}:{tenant_id}{user_id}".encode()
    return "lm1-" + hashlib.sha256(owner).hexdigest()


@dataclass(frozen=True)
class VectorRow:
    vector_id: str
    values: Vector
    metadata: Mapping[str, str]


class PineconeVectors:
    """A Pinecone index opened on its data-plane host. Thread-safe (the SDK's httpx client)."""

    def __init__(self, index: Index, *, index_name: str, host: str) -> None:
        self._index = index
        self.index_name = index_name
        self.host = host
        self.dimension: int | None = None  # as Pinecone reports it, once connected

    @classmethod
    def connect(
        cls,
        *,
        api_key: str,
        index_name: str,
        host: str | None,
        dimension: int,
        timeout: float,
    ) -> PineconeVectors:
        """Opens the index and checks, once, that it can hold the embedder's vectors: a wrong
        key, dimension or metric fails at start-up rather than on the first turn."""
        sdk = _sdk()
        with _translated(f"opening Pinecone index {index_name!r}"):
            host = host or _host_of(sdk, api_key, index_name, timeout)
            opened = cls(
                sdk.Index(host=host, api_key=api_key, timeout=timeout),
                index_name=index_name,
                host=host,
            )
        try:
            opened._check(dimension)
        except BaseException:
            opened.close()
            raise
        return opened

    def _check(self, dimension: int) -> None:
        with _translated(f"opening Pinecone index {self.index_name!r}"):
            stats = self._index.describe_index_stats()
        self.dimension = stats.dimension
        if stats.dimension is not None and stats.dimension != dimension:
            raise ConfigurationError(
                f"PINECONE_INDEX {self.index_name!r} holds {stats.dimension}-d vectors; the "
                f"embedder makes {dimension}-d ones: use an index of dimension {dimension}"
            )
        if stats.metric is not None and stats.metric not in _METRICS:
            raise ConfigurationError(
                f"PINECONE_INDEX {self.index_name!r} uses the {stats.metric} metric; longmem "
                "mixes its scores with cosines, so the index must use cosine (or dotproduct)"
            )

    @staticmethod
    def batches(rows: Sequence[VectorRow]) -> list[Sequence[VectorRow]]:
        """The rows cut into requests Pinecone accepts."""
        if not rows:
            return []
        width = len(rows[0].values)
        size = max(1, min(1000, _REQUEST_BYTES // (width * _JSON_BYTES_PER_FLOAT + 200)))
        return [rows[i : i + size] for i in range(0, len(rows), size)]

    def upsert(self, namespace: str, rows: Sequence[VectorRow]) -> None:
        """One request: call it with one of `batches`."""
        with _translated(f"writing {len(rows)} vectors to Pinecone"):
            self._index.upsert(
                vectors=[
                    {
                        "id": r.vector_id,
                        "values": [float(x) for x in r.values],
                        "metadata": dict(r.metadata),
                    }
                    for r in rows
                ],
                namespace=namespace,
            )

    def query(
        self, namespace: str, vector: Vector, top_k: int, where: Mapping[str, Any]
    ) -> list[tuple[str, float]]:
        with _translated("searching Pinecone"):
            found = self._index.query(
                vector=[float(x) for x in vector],
                top_k=min(top_k, QUERY_TOP_K_MAX),
                namespace=namespace,
                filter=dict(where) if where else None,
            )
        return [(m.id, float(m.score)) for m in found.matches]

    def delete(self, namespace: str, vector_ids: Sequence[str]) -> None:
        if vector_ids:
            with _translated(f"deleting {len(vector_ids)} vectors from Pinecone"):
                self._index.delete(ids=list(vector_ids), namespace=namespace)

    def erase(self, namespace: str) -> None:
        """Deletes every vector of the namespace. A namespace Pinecone does not know (nothing
        was ever written, or an earlier erasure got through) is already erased."""
        sdk = _sdk()
        try:
            with _translated("erasing a namespace in Pinecone"):
                self._index.delete(delete_all=True, namespace=namespace)
        except VectorIndexError as exc:
            if not isinstance(exc.__cause__, sdk.NotFoundError):
                raise

    def close(self) -> None:
        self._index.close()


def _host_of(sdk: Any, api_key: str, index_name: str, timeout: float) -> str:
    """The data-plane host, from the control plane (once per process: PINECONE_HOST skips it)."""
    with sdk.Pinecone(api_key=api_key, timeout=timeout) as control:
        host = control.describe_index(index_name).host
    if not host:
        raise VectorIndexError(f"Pinecone index {index_name!r} has no host yet (initialising)")
    return str(host)


def _sdk() -> Any:
    try:
        import pinecone
    except ImportError:
        raise ConfigurationError(
            "VECTOR_INDEX=pinecone needs the Pinecone SDK: pip install 'longmem[pinecone]'"
        ) from None
    return pinecone


@contextmanager
def _translated(doing: str) -> Iterator[None]:
    """Pinecone's exceptions (HTTP errors, timeouts, refused input) as longmem's. The message
    is the SDK's: it names the status and the server's reason, never the API key."""
    sdk = _sdk()
    try:
        yield
    except sdk.PineconeError as exc:
        raise VectorIndexError(f"{doing} failed: {type(exc).__name__}: {exc}") from exc
