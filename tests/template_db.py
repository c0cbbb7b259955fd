"""The run's test databases are copies of one template.

The first process of a run that needs a test database creates it as pytest-django would
(migrations), loads the base data, and leaves a copy of it: the template. Every other xdist
worker, and the browser and production servers, start from a copy instead of migrating again:
on SQLite through the backup API (into the worker's in-memory database) or a file copy, on
PostgreSQL with ``CREATE DATABASE … TEMPLATE``. A file lock in the run's shared temporary
directory makes the others wait for the first; the template is made anew in every run, so it
always has the current migrations and base data.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection, connections
from django.db.backends.base.creation import TEST_DATABASE_PREFIX

# In the run's shared directory: the lock, and the template's name once it exists.
LOCK = "test-database.lock"
MARKER = "test-database.template"


def shared_dir(factory: pytest.TempPathFactory, config: pytest.Config) -> Path:
    """The run's temporary directory that every xdist worker sees (pytest makes a new one
    for each run)."""
    base = factory.getbasetemp()
    return base.parent if hasattr(config, "workerinput") else base


@contextmanager
def _locked(shared: Path) -> Iterator[str | None]:
    """Holds the run's lock; yields the template's name, or None while there is none."""
    with (shared / LOCK).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file is closed
        marker = shared / MARKER
        yield marker.read_text() if marker.exists() else None


def _postgres_template_name(configured: str) -> str:
    # Named after the configured database, like the workers' test databases
    # (test_<name>_gw0): two runs on one database name would clash on those anyway.
    return f"{TEST_DATABASE_PREFIX}{configured}_template"


def _postgres(statement: str, *names: str) -> None:
    """Runs ``statement`` (CREATE or DROP DATABASE, ``{}`` for each of ``names``) on the
    server's maintenance database."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(os.environ["DATABASE_URL"])
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(sql.SQL(statement).format(*map(sql.Identifier, names)))


def set_up(shared: Path, load: Callable[[], None]) -> str:
    """Points the default connection at this process's own test database: created, migrated
    and filled by ``load`` if this is the run's first, otherwise a copy of the template.
    Returns the configured database name for ``tear_down``."""
    original = str(connection.settings_dict["NAME"])
    with _locked(shared) as template:
        if template is None:
            connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
            load()
            (shared / MARKER).write_text(_leave_template(shared, original))
        else:
            _copy_template(template)
    for alias, database in settings.DATABASES.items():
        mirror = database.get("TEST", {}).get("MIRROR")
        if mirror:
            connections[alias].creation.set_as_test_mirror(connections[mirror].settings_dict)
    return original


def tear_down(original: str) -> None:
    connection.creation.destroy_test_db(original, verbosity=0)


def _leave_template(shared: Path, configured: str) -> str:
    if connection.vendor == "sqlite":
        path = shared / "template.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return str(path)
    name = _postgres_template_name(configured)
    # CREATE DATABASE … TEMPLATE needs the source without connections, pooled ones included.
    connection.close()
    close_pool = getattr(connection, "close_pool", None)  # Django 5.1's, not in django-stubs
    if close_pool is not None:
        close_pool()
    _postgres("DROP DATABASE IF EXISTS {}", name)
    _postgres("CREATE DATABASE {} TEMPLATE {}", name, connection.settings_dict["NAME"])
    return name


def _copy_template(template: str) -> None:
    # The name pytest-django's create_test_db would use (test_<name>_gw1; SQLite: in memory).
    test_name = connection.creation._get_test_db_name()  # type: ignore[attr-defined]
    if connection.vendor == "postgresql":
        _postgres("DROP DATABASE IF EXISTS {}", test_name)
        _postgres("CREATE DATABASE {} TEMPLATE {}", test_name, template)
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = test_name
    connection.settings_dict["NAME"] = test_name
    if connection.vendor == "sqlite":  # an in-memory database, as pytest-django makes it
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{template}?mode=ro", uri=True)
        source.backup(connection.connection)
        source.close()


def drop_template() -> None:
    """Drops the run's PostgreSQL template (the SQLite one is a file in the run's directory).
    Call after every worker has finished."""
    if connection.vendor == "postgresql":
        configured = settings.DATABASES["default"]["NAME"]
        _postgres("DROP DATABASE IF EXISTS {}", _postgres_template_name(configured))


def server_database(shared: Path, tmp: Path) -> tuple[str, Callable[[], None]]:
    """A new database for a server process, copied from the template (which must exist: ask
    for ``django_db_setup`` first). Returns its URL and a function that drops it."""
    with _locked(shared) as template:
        assert template is not None, "the run's test database template does not exist yet"
        if connection.vendor == "sqlite":
            path = tmp / "server.sqlite3"
            shutil.copy(template, path)
            return f"sqlite:///{path}", lambda: None
        name = f"kc_server_{uuid.uuid4().hex[:10]}"
        _postgres("CREATE DATABASE {} TEMPLATE {}", name, template)
    parts = urlsplit(os.environ["DATABASE_URL"])
    return (
        urlunsplit(parts._replace(path=f"/{name}")),
        lambda: _postgres("DROP DATABASE IF EXISTS {} WITH (FORCE)", name),
    )
