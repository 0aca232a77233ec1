"""scripts/backup and scripts/restore: a dump restored into an empty database exports the same.

Runs the scripts themselves, as an operator would, on two scratch databases made for
the occasion (never the test database: pg_dump sees only committed data, and a
transactional test would flush the migrations' data for the tests after it).
Skipped, saying why, when the PostgreSQL client programs are missing.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "fixtures" / "seeds"
ISSUE_004 = "004_5cc4925e9724fd50.txt"


def pg_program(name: str) -> str | None:
    for directory in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (directory / name).exists():
            return str(directory / name)
    return shutil.which(name)


pytestmark = pytest.mark.skipif(
    not all(pg_program(p) for p in ("pg_dump", "pg_restore", "psql")),
    reason="PostgreSQL client programs (pg_dump, pg_restore, psql) are not installed",
)


def url_for(name: str) -> str:
    s = connection.settings_dict
    auth = quote(s["USER"], safe="") + (
        ":" + quote(s["PASSWORD"], safe="") if s["PASSWORD"] else ""
    )
    host = s["HOST"] or "localhost"
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgres://{auth}@{host}{port}/{quote(name, safe='')}"


def run(*args, database_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run(
        [str(a) for a in args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def scratch_database(suffix: str):
    """Create an empty database beside the test database; return (url, drop)."""
    name = connection.settings_dict["NAME"] + suffix
    admin_url = url_for("postgres")

    def drop():
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(
                "select pg_terminate_backend(pid) from pg_stat_activity where datname = %s",
                [name],
            )
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')

    drop()
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return url_for(name), drop


@pytest.fixture
def empty_database():
    url, drop = scratch_database("_restore")
    yield url
    drop()


@pytest.fixture(scope="module")
def loaded_database():
    """A scratch catalogue: migrated, with seed issue 004 ingested, committed."""
    url, drop = scratch_database("_backup")
    for command in (["migrate", "--no-input"], ["ingest", str(SEEDS / ISSUE_004)]):
        result = run(sys.executable, "manage.py", *command, database_url=url)
        assert result.returncode == 0, result.stderr
    yield url
    drop()


def exported(database_url: str) -> list:
    result = run(sys.executable, "manage.py", "export", database_url=database_url)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_backup_restored_into_an_empty_database_exports_identically(
    tmp_path, loaded_database, empty_database
):
    before = exported(loaded_database)
    assert len(before) == 20
    dump = tmp_path / "backups" / "catalogue.dump"

    backup = run(ROOT / "scripts" / "backup", dump, database_url=loaded_database)
    assert backup.returncode == 0, backup.stderr
    assert dump.exists() and not list(dump.parent.glob("*.partial*"))

    restore = run(ROOT / "scripts" / "restore", dump, database_url=empty_database)
    assert restore.returncode == 0, restore.stderr

    assert exported(empty_database) == before


def test_restore_refuses_a_database_that_is_not_empty(tmp_path, loaded_database, empty_database):
    dump = tmp_path / "catalogue.dump"
    assert run(ROOT / "scripts" / "backup", dump, database_url=loaded_database).returncode == 0
    again = run(ROOT / "scripts" / "restore", dump, database_url=loaded_database)
    assert again.returncode != 0
    assert "not empty" in again.stderr


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, empty_database):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a dump")
    result = run(ROOT / "scripts" / "restore", bogus, database_url=empty_database)
    assert result.returncode != 0
    assert "not a pg_dump custom-format backup" in result.stderr
