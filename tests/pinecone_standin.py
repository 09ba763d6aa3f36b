"""A local stand-in for Pinecone's REST API (the real one cannot be reached from here).

It answers what the official SDK (10.x, API version 2026-07) sends to an index's data plane:
POST /vectors/upsert, /query, /vectors/delete, /vectors/update, /describe_index_stats,
GET /vectors/fetch, DELETE /namespaces/{name}; and on the control plane GET /indexes/{name},
whose `host` is this same server. Exact search over numpy (cosine or dotproduct), namespaces,
metadata filters ($eq $ne $in $nin $gt $gte $lt $lte $exists $and $or), and the Api-Key header.
Like serverless Pinecone, deleting everything in a namespace it does not know is a 404.

Tests read and plant vectors directly, and switch paths to answer 503 (an outage).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from local_server import LocalServer

Stored = tuple[np.ndarray, dict[str, Any]]


class FilterError(ValueError):
    pass


def matches(metadata: dict[str, Any], flt: dict[str, Any]) -> bool:
    """Pinecone's filter language over one vector's metadata."""
    for key, condition in flt.items():
        if key == "$and":
            if not all(matches(metadata, part) for part in condition):
                return False
        elif key == "$or":
            if not any(matches(metadata, part) for part in condition):
                return False
        elif key.startswith("$"):
            raise FilterError(f"unknown top-level operator {key}")
        elif not _field_matches(metadata, key, condition):
            return False
    return True


def _field_matches(metadata: dict[str, Any], key: str, condition: Any) -> bool:
    if not isinstance(condition, dict):
        condition = {"$eq": condition}
    present = key in metadata
    value = metadata.get(key)
    values = value if isinstance(value, list) else [value]  # a list field matches any element
    for op, operand in condition.items():
        if op == "$exists":
            ok = present == bool(operand)
        elif op == "$eq":
            ok = present and operand in values
        elif op == "$ne":
            ok = not present or operand not in values
        elif op == "$in":
            ok = present and any(v in operand for v in values)
        elif op == "$nin":
            ok = not present or all(v not in operand for v in values)
        elif op in ("$gt", "$gte", "$lt", "$lte"):
            ok = present and isinstance(value, int | float) and _compare(op, value, operand)
        else:
            raise FilterError(f"unknown operator {op}")
        if not ok:
            return False
    return True


def _compare(op: str, value: float, operand: float) -> bool:
    return {
        "$gt": value > operand,
        "$gte": value >= operand,
        "$lt": value < operand,
        "$lte": value <= operand,
    }[op]


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"code": status, "message": message, "details": []}, status_code=status)


class PineconeStandIn:
    def __init__(
        self,
        *,
        dimension: int,
        metric: str = "cosine",
        api_key: str = "pc-test-key",
        index_name: str = "longmem-test",
    ) -> None:
        self.dimension = dimension
        self.metric = metric
        self.api_key = api_key
        self.index_name = index_name
        self.namespaces: dict[str, dict[str, Stored]] = {}
        self.requests: list[tuple[str, str]] = []  # (method, path) of every authorised call
        self.failing: set[str] = set()  # paths answered with 503
        self.refused_keys = 0
        self._lock = threading.Lock()
        self.app = self._routes()
        self._server = LocalServer(self.app)
        self.port = self._server.port
        self.url = self._server.origin

    def __enter__(self) -> PineconeStandIn:
        self._server.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.stop()

    # -- what tests use --------------------------------------------------------------------

    def vectors(self, namespace: str) -> dict[str, Stored]:
        with self._lock:
            return dict(self.namespaces.get(namespace, {}))

    def plant(self, namespace: str, vector_id: str, values: Any, metadata: dict[str, Any]) -> None:
        with self._lock:
            stored = np.asarray(values, dtype=np.float32)
            self.namespaces.setdefault(namespace, {})[vector_id] = (stored, dict(metadata))

    def calls(self, path: str) -> int:
        with self._lock:
            return sum(1 for _, p in self.requests if p == path)

    @contextmanager
    def outage(self, *paths: str) -> Iterator[None]:
        """The given paths (all of the data plane when none) answer 503 meanwhile."""
        chosen = set(paths) or {
            "/vectors/upsert",
            "/query",
            "/vectors/delete",
            "/vectors/update",
            "/vectors/fetch",
            "/describe_index_stats",
        }
        self.failing |= chosen
        try:
            yield
        finally:
            self.failing -= chosen

    # -- the API -----------------------------------------------------------------------------

    def _routes(self) -> FastAPI:
        app = FastAPI()

        @app.middleware("http")
        async def guard(request: Request, call_next: Any) -> Response:
            if request.headers.get("Api-Key") != self.api_key:
                self.refused_keys += 1
                return _error(401, "Invalid API Key")
            if request.url.path in self.failing:
                return _error(503, "Service Unavailable (stand-in outage)")
            with self._lock:
                self.requests.append((request.method, request.url.path))
            response: Response = await call_next(request)
            return response

        app.get("/indexes/{name}")(self._describe_index)
        app.post("/vectors/upsert")(self._upsert)
        app.post("/query")(self._query)
        app.post("/vectors/delete")(self._delete)
        app.post("/vectors/update")(self._update)
        app.get("/vectors/fetch")(self._fetch)
        app.post("/describe_index_stats")(self._stats)
        app.delete("/namespaces/{name}")(self._delete_namespace)
        return app

    def _describe_index(self, name: str) -> Response:
        if name != self.index_name:
            return _error(404, f"Resource {name} not found")
        return JSONResponse(
            {
                "name": name,
                "host": self.url,
                "status": {"ready": True, "state": "Ready"},
                "schema": {
                    "fields": {
                        "values": {
                            "type": "dense_vector",
                            "dimension": self.dimension,
                            "metric": self.metric,
                        }
                    }
                },
                "deployment": {"deployment_type": "managed", "cloud": "aws", "region": "us-east-1"},
                "deletion_protection": "disabled",
                "tags": None,
            }
        )

    async def _upsert(self, request: Request) -> Response:
        body = await request.json()
        namespace = body.get("namespace", "")
        rows: list[tuple[str, np.ndarray, dict[str, Any]]] = []
        for vector in body["vectors"]:
            values = np.asarray(vector["values"], dtype=np.float32)
            if values.shape != (self.dimension,):
                return _error(
                    400,
                    f"Vector dimension {values.shape[0]} does not match the dimension of the "
                    f"index {self.dimension}",
                )
            metadata = vector.get("metadata") or {}
            if any(v is None for v in metadata.values()):
                return _error(400, "Metadata values must not be null")
            rows.append((vector["id"], values, metadata))
        with self._lock:
            space = self.namespaces.setdefault(namespace, {})
            for vector_id, values, metadata in rows:
                space[vector_id] = (values, metadata)
        return JSONResponse({"upsertedCount": len(rows)})

    async def _query(self, request: Request) -> Response:
        body = await request.json()
        top_k = int(body["topK"])
        if not 1 <= top_k <= 10_000:
            return _error(400, "topK must be between 1 and 10000")
        query = np.asarray(body["vector"], dtype=np.float32)
        if query.shape != (self.dimension,):
            return _error(400, "Query vector dimension does not match the index")
        namespace = body.get("namespace", "")
        with self._lock:
            space = list(self.namespaces.get(namespace, {}).items())
        try:
            kept = [(i, v, m) for i, (v, m) in space if matches(m, body.get("filter") or {})]
        except FilterError as exc:
            return _error(400, str(exc))
        scored = sorted(((self._score(query, v), i, v, m) for i, v, m in kept), reverse=True)
        found = []
        for score, vector_id, values, metadata in scored[:top_k]:
            match: dict[str, Any] = {"id": vector_id, "score": score}
            match["values"] = [float(x) for x in values] if body.get("includeValues") else []
            if body.get("includeMetadata"):
                match["metadata"] = metadata
            found.append(match)
        return JSONResponse(
            {
                "matches": found,
                "namespace": namespace,
                "usage": {"readUnits": 1 + len(space) // 100},
            }
        )

    def _score(self, query: np.ndarray, values: np.ndarray) -> float:
        dot = float(query @ values)
        if self.metric == "dotproduct":
            return dot
        norms = float(np.linalg.norm(query) * np.linalg.norm(values))
        return dot / norms if norms else 0.0

    async def _delete(self, request: Request) -> Response:
        body = await request.json()
        namespace = body.get("namespace", "")
        with self._lock:
            space = self.namespaces.get(namespace)
            if space is None:
                return _error(404, "Namespace not found")
            if body.get("deleteAll"):
                del self.namespaces[namespace]
            elif "ids" in body:
                for vector_id in body["ids"]:
                    space.pop(vector_id, None)
            elif body.get("filter"):
                for vector_id, (_, metadata) in list(space.items()):
                    if matches(metadata, body["filter"]):
                        del space[vector_id]
            else:
                return _error(400, "Delete request must have ids, filter or deleteAll")
        return JSONResponse({})

    async def _update(self, request: Request) -> Response:
        body = await request.json()
        with self._lock:
            space = self.namespaces.get(body.get("namespace", ""), {})
            found = space.get(body["id"])
            if found is not None:  # Pinecone ignores an update of an unknown id
                values, metadata = found
                if body.get("values") is not None:
                    values = np.asarray(body["values"], dtype=np.float32)
                space[body["id"]] = (values, {**metadata, **(body.get("setMetadata") or {})})
        return JSONResponse({})

    def _fetch(self, request: Request) -> Response:
        namespace = request.query_params.get("namespace", "")
        with self._lock:
            space = self.namespaces.get(namespace, {})
            found = {
                i: {"id": i, "values": [float(x) for x in space[i][0]], "metadata": space[i][1]}
                for i in request.query_params.getlist("ids")
                if i in space
            }
        return JSONResponse({"vectors": found, "namespace": namespace, "usage": {"readUnits": 1}})

    def _stats(self) -> Response:
        with self._lock:
            counts = {ns: len(space) for ns, space in self.namespaces.items()}
        return JSONResponse(
            {
                "namespaces": {ns: {"vectorCount": n} for ns, n in counts.items()},
                "dimension": self.dimension,
                "indexFullness": 0.0,
                "totalVectorCount": sum(counts.values()),
                "metric": self.metric,
                "vectorType": "dense",
            }
        )

    def _delete_namespace(self, name: str) -> Response:
        with self._lock:
            if self.namespaces.pop(name, None) is None:
                return _error(404, "Namespace not found")
        return JSONResponse({}, status_code=202)
