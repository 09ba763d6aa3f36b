"""Changes to stored memories after they are made: edit, delete, rollback, optimize."""

from __future__ import annotations

import time
from datetime import datetime

from longmem.core.decay import decay_score, removable
from longmem.core.reconcile import MERGE_COSINE, negative, normalise_value
from longmem.core.speakers import vector_text
from longmem.engine import Engine
from longmem.errors import ConflictError, NotFoundError
from longmem.models import (
    EventAction,
    MemoryKind,
    MemoryRecord,
    MemoryStatus,
    OptimizeReport,
)
from longmem.store.base import MemoryFilter


def require(engine: Engine, user_id: str, memory_id: str) -> MemoryRecord:
    found = engine.records(user_id, [memory_id])
    memory = found[0] if found else None
    if memory is None:
        raise NotFoundError(f"no memory {memory_id!r} for user {user_id!r}")
    return memory


def rollback(
    engine: Engine, user_id: str, memory_id: str, version: int, at: datetime
) -> MemoryRecord:
    current = require(engine, user_id, memory_id)
    history = engine.store.history(engine.tenant_id, user_id, memory_id)
    target = next((e for e in history if e.version == version), None)
    if target is None:
        known = sorted({e.version for e in history})
        raise NotFoundError(f"memory {memory_id!r} has no version {version}; it has {known}")
    if version == current.version:
        raise ConflictError(f"memory {memory_id!r} is already at version {version}")
    snapshot = MemoryRecord.model_validate(target.snapshot)
    restored = snapshot.model_copy(
        update={
            "version": current.version + 1,
            "metadata": snapshot.metadata.model_copy(update={"updated_at": at}),
        }
    )
    content_changed = restored.content != current.content
    with engine.transaction() as tx:
        vector = engine.embed([vector_text(restored)])[0] if content_changed else None
        tx.update(restored, vector)
        tx.append_event(restored, EventAction.restore, f"rolled back to version {version}", None)
        successor_id = current.superseded_by
        if restored.status is MemoryStatus.active and successor_id:
            # Restoring a superseded fact makes its replacement the stale one.
            successor = tx.get(engine.tenant_id, user_id, successor_id)
            if successor is not None and successor.status is MemoryStatus.active:
                demoted = successor.model_copy(
                    update={
                        "status": MemoryStatus.superseded,
                        "superseded_by": memory_id,
                        "version": successor.version + 1,
                        "valid_to": at,
                        "metadata": successor.metadata.model_copy(update={"updated_at": at}),
                    }
                )
                tx.update(demoted)
                tx.append_event(
                    demoted, EventAction.supersede, f"superseded by rollback of {memory_id}", None
                )
            restored = restored.model_copy(update={"superseded_by": None})
            tx.update(restored)
    return restored


def optimize(engine: Engine, user_id: str, current_turn: int, at: datetime) -> OptimizeReport:
    """Decay every active semantic memory, merge near-duplicates, remove what the cleanup
    policy allows (see `core.decay.removable`). One transaction: all of it or none."""
    started = time.perf_counter()
    store, tenant = engine.store, engine.tenant_id
    semantic = list(
        store.iter_user(tenant, user_id, MemoryFilter(kinds=frozenset({MemoryKind.semantic})))
    )
    policy = engine.decay_policy
    decayed = 0
    merged: list[tuple[str, str]] = []
    removed: list[str] = []
    vectors = store.vectors(tenant, user_id, [m.memory_id for m in semantic])
    with engine.transaction() as tx:
        tx.lock_user(tenant, user_id)  # no other writer of the user commits until this one does
        # The memories were read before the transaction: one an extraction has superseded or
        # changed since is left as that write left it, never overwritten with the copy read.
        read = {m.memory_id: m.version for m in semantic}
        fresh: dict[str, bool] = {}

        def unchanged(memory_id: str) -> bool:
            if memory_id not in fresh:
                now = tx.get(tenant, user_id, memory_id)
                fresh[memory_id] = (
                    now is not None
                    and now.version == read[memory_id]
                    and now.status is MemoryStatus.active
                )
            return fresh[memory_id]

        absorbed: set[str] = set()
        touched: set[str] = set()
        by_id = {m.memory_id: m for m in semantic}
        for i, a in enumerate(semantic):
            if a.memory_id in absorbed:
                continue
            for j in range(i + 1, len(semantic)):
                b = semantic[j]
                if b.memory_id in absorbed or a.type != b.type:
                    continue
                same_slot_value = (
                    a.metadata.slot is not None
                    and a.metadata.slot == b.metadata.slot
                    and normalise_value(a.metadata.value) == normalise_value(b.metadata.value)
                    and a.metadata.negated == b.metadata.negated
                )
                if not same_slot_value and (
                    float(vectors[i] @ vectors[j]) < MERGE_COSINE
                    or negative(a.content, a.metadata.negated)
                    != negative(b.content, b.metadata.negated)
                ):
                    continue
                if not (unchanged(a.memory_id) and unchanged(b.memory_id)):
                    continue
                keep = by_id[a.memory_id]
                meta = keep.metadata.model_copy(
                    update={
                        "access_count": keep.metadata.access_count + b.metadata.access_count,
                        "confidence": max(keep.metadata.confidence, b.metadata.confidence),
                        "updated_at": at,
                    }
                )
                by_id[a.memory_id] = keep.model_copy(
                    update={"metadata": meta, "version": keep.version + 1}
                )
                gone = b.model_copy(
                    update={
                        "status": MemoryStatus.superseded,
                        "superseded_by": a.memory_id,
                        "version": b.version + 1,
                    }
                )
                tx.update(gone)
                tx.append_event(
                    gone, EventAction.merge, f"consolidated into {a.memory_id}", current_turn
                )
                absorbed.add(b.memory_id)
                touched.add(a.memory_id)
                merged.append((a.memory_id, b.memory_id))
        for memory_id, memory in by_id.items():
            if memory_id in absorbed:
                continue
            age = max(
                0.0,
                (at - (memory.metadata.last_accessed or memory.metadata.created_at)).total_seconds()
                / 86400.0,
            )
            score = decay_score(memory, current_turn, age, policy)
            remove = removable(memory, current_turn, score, policy)
            same = abs(score - memory.metadata.decay_score) < 1e-3
            if not remove and same and memory_id not in touched:
                continue  # nothing to write: no history noise for unchanged memories
            if not unchanged(memory_id):
                continue
            status = memory.status
            action, reason = EventAction.decay, f"decay score {score:.3f}"
            if remove:
                status = MemoryStatus.deleted
                action, reason = (
                    EventAction.delete,
                    f"cleanup: decay score {score:.3f} below {policy.min_decay_score}",
                )
                removed.append(memory_id)
            changed = memory.model_copy(
                update={
                    "status": status,
                    "version": memory.version + 1,
                    "metadata": memory.metadata.model_copy(
                        update={"decay_score": score, "updated_at": at}
                    ),
                }
            )
            tx.update(changed)
            tx.append_event(changed, action, reason, current_turn)
            decayed += 1
        tx.mark_optimized(tenant, user_id, at)
    return OptimizeReport(
        user_id=user_id,
        current_turn=current_turn,
        decayed=decayed,
        merged=merged,
        removed=removed,
        elapsed_ms=(time.perf_counter() - started) * 1000,
    )
