-- longmem PostgreSQL store, schema version 4 (pgvector). {partitions} and {dimension} are
-- filled in by PostgresStore; every statement is idempotent.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE IF NOT EXISTS longmem_schema (version integer NOT NULL);

-- Hash partitions on user_id: one user's search touches one partition, and the same
-- distribution column lets Citus spread users across nodes.
CREATE TABLE IF NOT EXISTS memories (
    seq bigserial,
    memory_id text NOT NULL,
    tenant_id text NOT NULL,
    user_id text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('episodic', 'semantic')),
    type text CHECK (type IN ('preference', 'fact', 'commitment', 'instruction', 'entity')),
    content text NOT NULL,
    status text NOT NULL CHECK (status IN ('active', 'superseded', 'deleted')),
    superseded_by text,
    valid_from_turn integer,
    valid_to_turn integer,
    valid_from timestamptz,
    valid_to timestamptz,
    version integer NOT NULL,
    source_turn integer,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    last_accessed timestamptz,
    last_accessed_turn integer,
    access_count integer NOT NULL DEFAULT 0,
    confidence real NOT NULL CHECK (confidence BETWEEN 0 AND 1),
    decay_score real NOT NULL,
    role text,
    speaker text,
    slot text,
    value text,
    negated boolean NOT NULL DEFAULT false,
    chunk_index integer NOT NULL DEFAULT 0,
    embedding vector({dimension}) NOT NULL,
    tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', content)) STORED,
    PRIMARY KEY (user_id, memory_id)
) PARTITION BY HASH (user_id);

CREATE INDEX IF NOT EXISTS memories_owner ON memories (tenant_id, user_id, status, kind);
CREATE INDEX IF NOT EXISTS memories_slot ON memories (tenant_id, user_id, slot)
    WHERE slot IS NOT NULL;
CREATE INDEX IF NOT EXISTS memories_turn ON memories (tenant_id, user_id, source_turn);
CREATE INDEX IF NOT EXISTS memories_tsv ON memories USING gin (tsv);

CREATE TABLE IF NOT EXISTS memory_events (
    event_id bigserial,
    memory_id text NOT NULL,
    tenant_id text NOT NULL,
    user_id text NOT NULL,
    version integer NOT NULL,
    action text NOT NULL,
    reason text NOT NULL,
    turn integer,
    created_at timestamptz NOT NULL,
    snapshot jsonb NOT NULL,
    PRIMARY KEY (user_id, event_id)
) PARTITION BY HASH (user_id);
CREATE INDEX IF NOT EXISTS memory_events_memory
    ON memory_events (tenant_id, user_id, memory_id, event_id);

CREATE TABLE IF NOT EXISTS users (
    tenant_id text NOT NULL,
    user_id text NOT NULL,
    last_turn integer NOT NULL DEFAULT 0,
    turns_seen integer NOT NULL DEFAULT 0,
    last_optimize timestamptz,
    PRIMARY KEY (tenant_id, user_id)
);

-- Schema version 2: which embedding model made the vectors, and vectors staged by
-- `longmem reembed` (any width: they replace the column when every memory has one).
CREATE TABLE IF NOT EXISTS store_meta (
    key text PRIMARY KEY,
    value text NOT NULL
);
CREATE TABLE IF NOT EXISTS reembed_staging (
    memory_id text PRIMARY KEY,
    embedding vector NOT NULL
);

-- Schema version 3: the durable outbox of extraction. A turn recorded without its extraction
-- gets a row in the transaction that writes it; the transaction that writes its memories
-- removes the row. What is left after a crash is resumed at start-up.
CREATE TABLE IF NOT EXISTS pending_extraction (
    tenant_id text NOT NULL,
    user_id text NOT NULL,
    turn integer NOT NULL,
    queued_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, user_id, turn)
);

-- Schema version 4: each user's write counter, which tells a process whether its in-memory
-- copy of the user (postgres_index.py) is current. `version` is the user's last write,
-- `changed` the write that last touched a row; `born` tells a recreated user from the old.
CREATE SEQUENCE IF NOT EXISTS longmem_writes;
ALTER TABLE users ADD COLUMN IF NOT EXISTS version bigint NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN IF NOT EXISTS born bigint NOT NULL
    DEFAULT nextval('longmem_writes');
ALTER TABLE memories ADD COLUMN IF NOT EXISTS changed bigint NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS memories_changed ON memories (tenant_id, user_id, changed);
