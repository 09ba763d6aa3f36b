"""The command line (the README's run command is tested in tests/test_readme.py)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from longmem import Memory, Settings
from longmem.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_export_then_import_round_trips_memories_with_history(
    tmp_path, embedder, monkeypatch, capsys
):
    source = Settings(longmem_home=tmp_path / "a")
    with Memory(source, embedder=embedder) as mem:
        mem.add_turn("ann", "I live in Paris", turn_number=1)
        mem.add_turn("ann", "I moved to Rome", turn_number=2)
    monkeypatch.setenv("LONGMEM_HOME", str(tmp_path / "a"))
    from longmem.config import get_settings

    get_settings.cache_clear()
    out = tmp_path / "ann.jsonl"
    assert main(["export", "ann", "--out", str(out)]) == 0
    lines = out.read_text().splitlines()
    assert len(lines) == 4

    monkeypatch.setenv("LONGMEM_HOME", str(tmp_path / "b"))
    get_settings.cache_clear()
    assert main(["import", str(out)]) == 0
    assert main(["import", str(out)]) == 0  # a second import skips what exists
    assert "skipped 4 existing" in capsys.readouterr().err
    get_settings.cache_clear()
    with Memory(Settings(longmem_home=tmp_path / "b"), embedder=embedder) as copy:
        stats = copy.stats("ann")
        assert stats.by_status == {"active": 3, "superseded": 1}
        assert stats.turns_seen == 2
        rome = copy.search("ann", "Which city do I live in?", kinds=["semantic"])
        assert [h.memory.metadata.value for h in rome] == ["Rome"]
        old = next(m for m in copy.list("ann", statuses=["superseded"]).items)
        assert [e.action.value for e in copy.history("ann", old.memory_id)] == [
            "create",
            "supersede",
        ]


def test_a_bad_environment_variable_is_one_line_naming_it_and_not_its_value(monkeypatch, capsys):
    from longmem.config import get_settings

    monkeypatch.setenv("MEMORY_RETRIEVAL_TOP_K", "many")
    monkeypatch.setenv("DATABASE_URL", "mysql://admin:hunter2@db/x")
    get_settings.cache_clear()
    try:
        assert main(["stats", "ann"]) == 2
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: invalid configuration: ")
    assert "MEMORY_RETRIEVAL_TOP_K: Input should be a valid integer" in err
    assert "DATABASE_URL: Value error, expected sqlite:///PATH or postgresql://" in err
    assert "hunter2" not in err and "Traceback" not in err
    assert len(err.splitlines()) == 1


def test_init_db_creates_the_store(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LONGMEM_HOME", str(tmp_path / "fresh"))
    from longmem.config import get_settings

    get_settings.cache_clear()
    assert main(["init-db"]) == 0
    assert (tmp_path / "fresh" / "longmem.db").exists()
    assert "schema version 4" in capsys.readouterr().out
    get_settings.cache_clear()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_more_than_one_worker_on_sqlite_is_refused_with_the_reason(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LONGMEM_HOME", str(tmp_path))
    from longmem.config import get_settings

    get_settings.cache_clear()
    try:
        assert main(["serve", "--workers", "2"]) == 2
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err
    assert "2 workers need DATABASE_URL=postgresql://" in err
    assert "stale" in err
    with pytest.raises(SystemExit) as refused:
        main(["serve", "--workers", "0"])
    assert refused.value.code == 2
    assert "0 is not between 1 and 64" in capsys.readouterr().err
