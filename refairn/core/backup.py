"""Backups of the database and their restoration (issue 18): ``refairn backup`` and
``refairn restore``.

- SQLite: Python's ``sqlite3`` online backup API copies a consistent snapshot while the web
  server and the worker go on writing (WAL), into one self-contained file.
- PostgreSQL: ``pg_dump`` in its custom format, restored with ``pg_restore`` in one
  transaction; both found on PATH and given the connection of ``DATABASE_URL`` through the
  environment (the password never appears on a command line).

A backup is the whole database, ledgers and their append-only triggers included: a restored
copy refuses ledger changes as the original did. Uploaded files (``REFAIRN_MEDIA_DIR``) are
not in it, and the sealed keys in it open only with the same ``SECRET_KEY``.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.loader import MigrationLoader

from refairn.core import clock

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
SUFFIXES = {"sqlite": ".sqlite3", "postgresql": ".dump"}


class BackupError(Exception):
    """What went wrong, in words an operator can act on."""


@dataclass(frozen=True)
class Restored:
    source: Path
    database: str
    pending_migrations: list[str]  # known to this code, not in the backup: run `migrate`


def backup(output: Path | None = None, *, alias: str = "default") -> Path:
    """Back the database up to ``output`` (default: a time-stamped file under
    ``$REFAIRN_DATA_DIR/backups``); the path written. The file is readable by its owner only
    (it holds password and token hashes) and appears only once complete."""
    connection = connections[alias]
    target = output or _default_path(connection.vendor)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if connection.vendor == "sqlite":
            _backup_sqlite(connection, partial)
        elif connection.vendor == "postgresql":
            _backup_postgresql(connection.settings_dict, partial)
        else:
            raise BackupError(f"backups of {connection.vendor} databases are not supported")
        partial.chmod(0o600)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def restore(source: Path, *, alias: str = "default") -> Restored:
    """Replace the content of the database with the backup ``source``.

    Refused, with nothing changed, when the file is not a backup for this engine, is damaged,
    or comes from a newer Refairn (it has migrations this code does not know)."""
    if not source.is_file():
        raise BackupError(f"{source}: no such file")
    connection = connections[alias]
    with source.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if connection.vendor == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            raise BackupError(f"{source} is not a SQLite backup (the database here is SQLite)")
        applied = _sqlite_migrations(source)
        _refuse_newer(applied)
        connection.close()
        _restore_sqlite(source, connection.settings_dict)
    elif connection.vendor == "postgresql":
        if not head.startswith(PG_DUMP_MAGIC):
            raise BackupError(
                f"{source} is not a pg_dump archive (the database here is PostgreSQL)"
            )
        applied = _pg_dump_migrations(source, connection.settings_dict)
        _refuse_newer(applied)
        connection.close()
        _restore_postgresql(source, connection.settings_dict)
    else:
        raise BackupError(f"restoring {connection.vendor} databases is not supported")
    pending = sorted(f"{app}.{name}" for app, name in _known_migrations() - applied)
    return Restored(source, str(connection.settings_dict["NAME"]), pending)


def _default_path(vendor: str) -> Path:
    stamp = clock.now().strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.DATA_DIR) / "backups" / f"refairn-{stamp}{SUFFIXES.get(vendor, '')}"


# --- migrations: is the backup one this code can use? -----------------------------------------


def _known_migrations() -> set[tuple[str, str]]:
    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def _refuse_newer(applied: set[tuple[str, str]]) -> None:
    if not applied:
        raise BackupError("the backup holds no Django migration table: not a Refairn database")
    unknown = sorted(f"{app}.{name}" for app, name in applied - _known_migrations())
    if unknown:
        raise BackupError(
            "the backup comes from a newer Refairn: it has migrations this code does not know "
            f"({', '.join(unknown[:5])}{', ...' if len(unknown) > 5 else ''}); "
            "restore it with that version"
        )


# --- SQLite -----------------------------------------------------------------------------------


def _backup_sqlite(connection: BaseDatabaseWrapper, target: Path) -> None:
    if connection.in_atomic_block:
        # The backup reads through this connection: its open write transaction would block it.
        raise BackupError("cannot back up from inside a transaction")
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
        # One self-contained file, whatever the journal mode of the live database (WAL).
        destination.execute("PRAGMA journal_mode=DELETE")
    finally:
        destination.close()


def _open_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _sqlite_migrations(path: Path) -> set[tuple[str, str]]:
    try:
        source = _open_read_only(path)
        try:
            check = source.execute("PRAGMA quick_check").fetchone()
            if check != ("ok",):
                raise BackupError(f"{path} is damaged: {check[0] if check else 'unreadable'}")
            tables = {r[0] for r in source.execute("SELECT name FROM sqlite_master")}
            if "django_migrations" not in tables:
                return set()
            return set(source.execute("SELECT app, name FROM django_migrations"))
        finally:
            source.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} cannot be read as a SQLite database: {exc}") from None


def _restore_sqlite(source: Path, settings_dict: Mapping[str, Any]) -> None:
    options = settings_dict.get("OPTIONS", {})
    target = sqlite3.connect(
        str(settings_dict["NAME"]),
        timeout=float(options.get("timeout", 20)),
        uri=str(settings_dict["NAME"]).startswith("file:"),
    )
    reader = _open_read_only(source)
    try:
        # Page by page into the live file, under its write lock: readers see the old or the
        # new database, never a mixture.
        reader.backup(target)
    except sqlite3.OperationalError as exc:
        raise BackupError(f"could not write the database (is it in use?): {exc}") from None
    finally:
        reader.close()
        target.close()


# --- PostgreSQL -------------------------------------------------------------------------------


def pg_tool(name: str) -> str:
    """The path of a PostgreSQL client tool, or a clear error when it is missing."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found on PATH. Install the PostgreSQL client tools of the server's "
            "major version or newer (Debian: apt-get install postgresql-client) and try again."
        )
    return path


def _pg_environment(settings_dict: Mapping[str, Any]) -> dict[str, str]:
    """The connection as libpq environment variables (the password among them)."""
    _, extra = DatabaseClient.settings_to_cmd_args_env(dict(settings_dict), [])
    env = {**os.environ, **(extra or {})}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    env["PGDATABASE"] = str(settings_dict["NAME"])
    return env


def _run(argv: list[str], env: Mapping[str, str], what: str) -> str:
    result = subprocess.run(  # noqa: S603 - a fixed tool path and our own arguments
        argv, env=dict(env), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{what} failed: {result.stderr.strip() or result.returncode}")
    return result.stdout


def _backup_postgresql(settings_dict: Mapping[str, Any], target: Path) -> None:
    argv = [
        pg_tool("pg_dump"),
        "--format=custom",
        "--no-owner",
        "--no-privileges",
        f"--file={target}",
    ]
    _run(argv, _pg_environment(settings_dict), "pg_dump")


def _pg_dump_migrations(source: Path, settings_dict: Mapping[str, Any]) -> set[tuple[str, str]]:
    """The migrations recorded in the archive, read without restoring anything."""
    argv = [
        pg_tool("pg_restore"),
        "--data-only",
        "--table=django_migrations",
        "--file=-",
        str(source),
    ]
    script = _run(argv, _pg_environment(settings_dict), "reading the backup")
    return _copied_migrations(script.splitlines())


def _copied_migrations(lines: Iterable[str]) -> set[tuple[str, str]]:
    """(app, name) of each row in the django_migrations COPY block of a pg_restore script."""
    found: set[tuple[str, str]] = set()
    app = name = -1
    for line in lines:
        if app < 0:
            if line.startswith("COPY ") and "django_migrations (" in line:
                header = [c.strip() for c in line.split("(", 1)[1].split(")", 1)[0].split(",")]
                app, name = header.index("app"), header.index("name")
        elif line == "\\.":
            break
        else:
            values = line.split("\t")
            found.add((values[app], values[name]))
    return found


def _restore_postgresql(source: Path, settings_dict: Mapping[str, Any]) -> None:
    argv = [
        pg_tool("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={settings_dict['NAME']}",
        str(source),
    ]
    _run(argv, _pg_environment(settings_dict), "pg_restore")
