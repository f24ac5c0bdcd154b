"""Back up and restore the database and the grant documents into and from a folder."""

import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import cast

from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from engage.core.errors import DomainError
from engage.core.extensions import db
from engage.core.settings import settings

POSTGRES_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite"
DOCUMENTS = "grant-documents"


def _libpq_url() -> str:
    """The database URL as pg_dump and pg_restore take it (no SQLAlchemy driver name)."""
    url = make_url(settings.SQLALCHEMY_DATABASE_URI).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _sqlite_path() -> str:
    # Backups are of a database file, so a SQLite URL here names one.
    return cast(str, make_url(settings.SQLALCHEMY_DATABASE_URI).database)


def _is_postgres() -> bool:
    return db.engine.dialect.name == "postgresql"


def create_backup(folder: Path) -> list[Path]:
    """Write the database, then the grant documents, into a new folder; return what was written.

    The database goes first: a document's file is written before its row is committed, so
    every document the copy lists is on disk by the time the files are copied.
    """
    if folder.exists() and any(folder.iterdir()):
        raise DomainError(f"{folder} is not empty: choose a new folder for the backup")
    folder.mkdir(parents=True, exist_ok=True)
    if _is_postgres():
        target = folder / POSTGRES_DUMP
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}", _libpq_url()])
    else:
        target = folder / SQLITE_COPY
        db.session.remove()
        with sqlite3.connect(_sqlite_path()) as source, sqlite3.connect(target) as copy:
            source.backup(copy)  # consistent even while the app writes
        copy.close()
        source.close()
    documents = Path(settings.GRANT_DOCUMENTS_DIR)
    copied = folder / DOCUMENTS
    if documents.is_dir():
        shutil.copytree(documents, copied)
    else:
        copied.mkdir()
    return [target, copied]


def restore_backup(folder: Path) -> None:
    """Load a backup folder into this app's empty database and documents folder."""
    dump, sqlite_copy = folder / POSTGRES_DUMP, folder / SQLITE_COPY
    if not dump.is_file() and not sqlite_copy.is_file():
        raise DomainError(f"{folder} holds no engage backup ({POSTGRES_DUMP} or {SQLITE_COPY})")
    if inspect(db.engine).get_table_names():
        raise DomainError("The database is not empty: restore only into a new, empty database")
    if _is_postgres() != dump.is_file():
        raise DomainError("This backup is from the other kind of database (PostgreSQL or SQLite)")
    if dump.is_file():
        _run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_libpq_url()}", str(dump)])
    else:
        db.session.remove()
        db.engine.dispose()
        with sqlite3.connect(sqlite_copy) as source, sqlite3.connect(_sqlite_path()) as target:
            source.backup(target)
        source.close()
        target.close()
    documents = Path(settings.GRANT_DOCUMENTS_DIR)
    shutil.copytree(folder / DOCUMENTS, documents, dirs_exist_ok=True)


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise DomainError(f"{command[0]} failed: {done.stderr.strip()}")
