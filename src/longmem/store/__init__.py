"""Memory stores: records, vectors, full text and history, behind one Protocol."""

from longmem.store.base import MemoryFilter, Store, StoreTx
from longmem.store.sqlite import SQLiteStore

__all__ = ["MemoryFilter", "SQLiteStore", "Store", "StoreTx"]
