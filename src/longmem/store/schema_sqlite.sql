-- longmem embedded store, schema version 4. SQLiteStore applies it when user_version < 4;
-- every statement is idempotent.
CREATE TABLE IF NOT EXISTS memories (
    rowid INTEGER PRIMARY KEY,
    memory_id TEXT NOT NULL UNIQUE,
    tenant_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    owner TEXT NOT NULL,              -- one token per (tenant, user): scopes full-text search
    kind TEXT NOT NULL CHECK (kind IN ('episodic', 'semantic')),
    type TEXT CHECK (type IN ('preference', 'fact', 'commitment', 'instruction', 'entity')),
    content TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'superseded', 'deleted')),
    superseded_by TEXT,
    valid_from_turn INTEGER,
    valid_to_turn INTEGER,
    valid_from TEXT,
    valid_to TEXT,
    version INTEGER NOT NULL,
    source_turn INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    last_accessed TEXT,
    last_accessed_turn INTEGER,
    access_count INTEGER NOT NULL DEFAULT 0,
    confidence REAL NOT NULL CHECK (confidence BETWEEN 0 AND 1),
    decay_score REAL NOT NULL,
    role TEXT,
    speaker TEXT,
    slot TEXT,
    value TEXT,
    negated INTEGER NOT NULL DEFAULT 0,
    chunk_index INTEGER NOT NULL DEFAULT 0,
    embedding BLOB NOT NULL           -- float32, little endian, unit length
);
CREATE INDEX IF NOT EXISTS memories_user ON memories (tenant_id, user_id, status, kind);
-- Version 3: a turn's rows by number (its neighbours and its corrections, read by search);
-- without it each read scanned the user's rows (20 ms at 8,944 turns).
CREATE INDEX IF NOT EXISTS memories_turn ON memories (tenant_id, user_id, source_turn);
CREATE INDEX IF NOT EXISTS memories_slot ON memories (tenant_id, user_id, slot)
    WHERE slot IS NOT NULL;

CREATE VIRTUAL TABLE IF NOT EXISTS memories_fts USING fts5(
    owner, content, content='memories', content_rowid='rowid',
    tokenize='porter unicode61'
);
CREATE TRIGGER IF NOT EXISTS memories_fts_insert AFTER INSERT ON memories BEGIN
    INSERT INTO memories_fts (rowid, owner, content) VALUES (new.rowid, new.owner, new.content);
END;
CREATE TRIGGER IF NOT EXISTS memories_fts_delete AFTER DELETE ON memories BEGIN
    INSERT INTO memories_fts (memories_fts, rowid, owner, content)
        VALUES ('delete', old.rowid, old.owner, old.content);
END;
CREATE TRIGGER IF NOT EXISTS memories_fts_update AFTER UPDATE OF content, owner ON memories BEGIN
    INSERT INTO memories_fts (memories_fts, rowid, owner, content)
        VALUES ('delete', old.rowid, old.owner, old.content);
    INSERT INTO memories_fts (rowid, owner, content) VALUES (new.rowid, new.owner, new.content);
END;

CREATE TABLE IF NOT EXISTS memory_events (
    event_id INTEGER PRIMARY KEY AUTOINCREMENT,
    memory_id TEXT NOT NULL,
    tenant_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    action TEXT NOT NULL,
    reason TEXT NOT NULL,
    turn INTEGER,
    created_at TEXT NOT NULL,
    snapshot TEXT NOT NULL            -- JSON of the record after the change
);
CREATE INDEX IF NOT EXISTS memory_events_memory ON memory_events (memory_id, version);
CREATE INDEX IF NOT EXISTS memory_events_user ON memory_events (tenant_id, user_id);

CREATE TABLE IF NOT EXISTS users (
    tenant_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    last_turn INTEGER NOT NULL DEFAULT 0,
    turns_seen INTEGER NOT NULL DEFAULT 0,
    last_optimize TEXT,
    PRIMARY KEY (tenant_id, user_id)
);

-- Schema version 2: which embedding model made the vectors, and vectors staged by
-- `longmem reembed` (swapped in when every memory has one).
CREATE TABLE IF NOT EXISTS store_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS reembed_staging (
    memory_id TEXT PRIMARY KEY,
    embedding BLOB NOT NULL
);

-- Schema version 4: the durable outbox of extraction. A turn recorded without its extraction
-- gets a row in the transaction that writes it; the transaction that writes its memories
-- removes the row. What is left after a crash is resumed at start-up.
CREATE TABLE IF NOT EXISTS pending_extraction (
    tenant_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    turn INTEGER NOT NULL,
    queued_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, user_id, turn)
);
