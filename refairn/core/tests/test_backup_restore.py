"""Issue 18: ``refairn backup`` and ``refairn restore``. A database with commission ledgers is
backed up, restored into a fresh database by the real command line, and the restored copy
passes the ledger invariants of PRODUCT.md §10: the same entries and sums, the append-only
triggers still refusing UPDATE and DELETE, the accrual keys still unique."""

from __future__ import annotations

import importlib
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from refairn.commissions.domain.entries import ReversalCode
from refairn.commissions.models import ReferralEntry, SupportEntry
from refairn.commissions.services import commission_entry_reverse
from refairn.commissions.tests import support_facts
from refairn.commissions.tests.ledgers import at, make_agent, make_customer, run
from refairn.core import backup as backups
from refairn.programs.models import Business
from refairn.programs.selectors import actor_for

REPO = Path(__file__).resolve().parents[3]
LEDGERS = {"commissions_referralentry": ReferralEntry, "commissions_supportentry": SupportEntry}
TRIGGERS = importlib.import_module("refairn.commissions.migrations.0002_append_only_triggers")


# --- a committed database with ledgers --------------------------------------------------------


@pytest.fixture
def ledgers(transactional_db: Any, alice: Any, business_a: Business, bob: Any) -> Iterator[None]:
    """Two months of both ledgers and a reversal, committed (the backup is another reader).

    The test runner empties tables with DELETE on SQLite, which the ledger triggers refuse;
    the ledger rows are removed here, with the triggers lifted for that moment only."""
    dana = make_agent(business_a, "dana@a.test")
    support_facts.grant(business_a, dana, at(2026, 1, 1))
    for n in range(3):
        customer = make_customer(
            business_a, subscribed_at=at(2026, 9, 3 + n), referred_by=bob, name=f"C{n}"
        )
        support_facts.assign(customer, dana, at(2026, 9, 10))
    run(business_a, "2026-09")
    run(business_a, "2026-10")
    entry = ReferralEntry.objects.filter(business=business_a).order_by("key").first()
    assert entry is not None
    commission_entry_reverse(
        actor=actor_for(alice, business_a.id),
        entry_id=entry.pk,
        code=ReversalCode.CUSTOMER_REFUNDED,
        note="customer refunded",
    )
    yield
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for statement in TRIGGERS._statements("sqlite", forward=False):
                cursor.execute(statement)
            for table in LEDGERS:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - our own table names
            for statement in TRIGGERS._statements("sqlite", forward=True):
                cursor.execute(statement)


def columns(model: Any) -> list[str]:
    return [field.column for field in model._meta.concrete_fields]


def snapshot(cursor: Any) -> dict[str, Any]:
    """Every ledger entry and sum, as text, read with plain SQL (the same on both sides)."""
    found: dict[str, Any] = {}
    for table, model in LEDGERS.items():
        as_text = ", ".join(f"CAST({c} AS TEXT)" for c in columns(model))
        cursor.execute(f"SELECT {as_text} FROM {table} ORDER BY key")  # noqa: S608
        found[f"{table} rows"] = [tuple(row) for row in cursor.fetchall()]
        cursor.execute(
            f"SELECT CAST(agent_id AS TEXT), period, CAST(SUM(amount) AS TEXT), COUNT(*) "  # noqa: S608
            f"FROM {table} GROUP BY agent_id, period ORDER BY 1, 2"
        )
        found[f"{table} sums"] = [tuple(row) for row in cursor.fetchall()]
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    found["migrations"] = [tuple(row) for row in cursor.fetchall()]
    return found


def assert_ledger_invariants(db: Any, vendor: str, expected: dict[str, Any]) -> None:
    """``db``: a DB-API connection to the restored database."""
    cursor = db.cursor()
    assert snapshot(cursor) == expected
    assert expected["commissions_referralentry rows"] and expected["commissions_supportentry rows"]
    new_id = "lower(hex(randomblob(16)))" if vendor == "sqlite" else "gen_random_uuid()"
    for table, model in LEDGERS.items():
        for statement in (f"UPDATE {table} SET amount = 0", f"DELETE FROM {table}"):  # noqa: S608
            with pytest.raises(Exception, match="append-only"):
                cursor.execute(statement)
            db.rollback()
        others = [c for c in columns(model) if c not in {"id", "key"}]
        copy = (
            f"INSERT INTO {table} (id, key, {', '.join(others)}) "  # noqa: S608
            f"SELECT {new_id}, {{key}}, {', '.join(others)} FROM {table} LIMIT 1"
        )
        with pytest.raises(Exception, match=r"(?i)unique|duplicate key"):
            cursor.execute(copy.format(key="key"))  # the same accrual key again
        db.rollback()
        cursor.execute(copy.format(key="'control-' || key"))  # a new key is accepted
        db.rollback()
    assert snapshot(cursor) == expected


def refairn(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The real command line, in a process of its own (a fresh database, fresh connections)."""
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "refairn.cli", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def fresh_environment(**changes: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REFAIRN_DATA_DIR"}}
    env.update(DJANGO_SETTINGS_MODULE="refairn.settings", SECRET_KEY="backup-test", **changes)
    return env


# --- SQLite -----------------------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite online backup")
def test_sqlite_backup_restores_into_a_fresh_database_with_intact_ledgers(
    ledgers: None, tmp_path: Path
) -> None:
    with connection.cursor() as cursor:
        expected = snapshot(cursor)
    path = tmp_path / "refairn.sqlite3"
    call_command("backup", output=path)
    assert path.read_bytes().startswith(backups.SQLITE_MAGIC)
    assert oct(path.stat().st_mode & 0o777) == "0o600"

    data_dir = tmp_path / "fresh"
    restored = refairn(
        "restore", str(path), "--noinput", env=fresh_environment(REFAIRN_DATA_DIR=str(data_dir))
    )
    assert restored.returncode == 0, restored.stderr
    assert "Restored" in restored.stdout

    db = sqlite3.connect(data_dir / "refairn.sqlite3")
    try:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert_ledger_invariants(db, "sqlite", expected)
    finally:
        db.close()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite online backup")
def test_the_default_backup_path_is_under_the_data_dir(
    transactional_db: Any, tmp_path: Path, settings: Any, capsys: Any
) -> None:
    settings.DATA_DIR = tmp_path
    call_command("backup")
    written = Path(capsys.readouterr().out.strip())
    assert written.parent == tmp_path / "backups"
    assert written.name.startswith("refairn-20261102T090000Z")  # the platform clock
    assert written.suffix == ".sqlite3"
    assert not list(written.parent.glob("*.partial"))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a SQLite backup")
def test_a_backup_from_a_newer_version_is_refused(
    transactional_db: Any, tmp_path: Path, alice: Any
) -> None:
    path = tmp_path / "newer.sqlite3"
    call_command("backup", output=path)
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO django_migrations (app, name, applied) "
            "VALUES ('accounts', '9999_from_the_future', '2030-01-01')"
        )
    with pytest.raises(CommandError, match=r"newer Refairn.*accounts\.9999_from_the_future"):
        call_command("restore", str(path), interactive=False)
    assert type(alice).objects.filter(pk=alice.pk).exists()  # nothing changed


def test_a_file_that_is_not_a_backup_is_refused(db: Any, tmp_path: Path, alice: Any) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database")
    with pytest.raises(CommandError, match="is not a"):
        call_command("restore", str(path), interactive=False)
    with pytest.raises(CommandError, match="no such file"):
        call_command("restore", str(tmp_path / "missing.dump"), interactive=False)
    assert type(alice).objects.filter(pk=alice.pk).exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a SQLite file")
def test_a_damaged_backup_is_refused(db: Any, tmp_path: Path) -> None:
    path = tmp_path / "damaged.sqlite3"
    path.write_bytes(backups.SQLITE_MAGIC + b"\x00" * 200)
    with pytest.raises(CommandError, match=r"damaged|cannot be read"):
        call_command("restore", str(path), interactive=False)


def test_restore_asks_before_replacing_anything(
    db: Any, tmp_path: Path, monkeypatch: Any, alice: Any
) -> None:
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="cancelled; nothing changed"):
        call_command("restore", str(tmp_path / "whatever.sqlite3"))
    assert type(alice).objects.filter(pk=alice.pk).exists()


def test_backup_inside_a_transaction_is_refused_not_hung(db: Any, tmp_path: Path) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("pg_dump reads through its own connection")
    with pytest.raises(CommandError, match="inside a transaction"):
        call_command("backup", output=tmp_path / "x.sqlite3")


def test_a_missing_pg_dump_is_a_clear_error(monkeypatch: Any, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no tool anywhere
    with pytest.raises(backups.BackupError, match=r"pg_dump was not found on PATH.*client"):
        backups.pg_tool("pg_dump")


# --- PostgreSQL -------------------------------------------------------------------------------


@pytest.fixture
def fresh_postgres_database() -> Iterator[str]:
    name = f"{connection.settings_dict['NAME']}_restored_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def database_url(name: str) -> str:
    s = connection.settings_dict
    credentials = f"{s['USER']}:{s['PASSWORD']}@" if s.get("PASSWORD") else f"{s['USER']}@"
    return f"postgres://{credentials}{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore")
def test_postgres_backup_restores_into_a_fresh_database_with_intact_ledgers(
    ledgers: None, fresh_postgres_database: str, tmp_path: Path
) -> None:
    import psycopg

    with connection.cursor() as cursor:
        expected = snapshot(cursor)
    path = tmp_path / "refairn.dump"
    call_command("backup", output=path)
    assert path.read_bytes().startswith(backups.PG_DUMP_MAGIC)

    env = fresh_environment(
        DATABASE_URL=database_url(fresh_postgres_database), REFAIRN_DATA_DIR=str(tmp_path)
    )
    restored = refairn("restore", str(path), "--noinput", env=env)
    assert restored.returncode == 0, restored.stderr
    # Restoring over a database that already has the data works too (objects are replaced).
    again = refairn("restore", str(path), "--noinput", env=env)
    assert again.returncode == 0, again.stderr

    with psycopg.connect(database_url(fresh_postgres_database)) as db:
        assert_ledger_invariants(db, "postgresql", expected)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump")
def test_postgres_backup_without_pg_dump_says_so(
    transactional_db: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CommandError, match="pg_dump was not found on PATH"):
        call_command("backup", output=tmp_path / "x.dump")
    assert not list(tmp_path.glob("x.dump*"))


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore")
def test_postgres_backup_from_a_newer_version_is_refused_untouched(
    transactional_db: Any, fresh_postgres_database: str, tmp_path: Path
) -> None:
    import psycopg

    path = tmp_path / "newer.dump"
    future = "INSERT INTO django_migrations (app, name, applied) VALUES (%s, %s, now())"
    with connection.cursor() as cursor:
        cursor.execute(future, ["accounts", "9999_from_the_future"])
    try:
        call_command("backup", output=path)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM django_migrations WHERE name = '9999_from_the_future'")
    env = fresh_environment(
        DATABASE_URL=database_url(fresh_postgres_database), REFAIRN_DATA_DIR=str(tmp_path)
    )
    refused = refairn("restore", str(path), "--noinput", env=env)
    assert refused.returncode != 0
    assert "newer Refairn" in refused.stderr and "accounts.9999_from_the_future" in refused.stderr
    with psycopg.connect(database_url(fresh_postgres_database)) as db:
        tables = db.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
    assert tables == (0,)
