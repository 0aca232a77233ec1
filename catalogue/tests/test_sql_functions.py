"""The database functions live in catalogue/sql/, one file per version; the landed
migrations read them and must still run exactly what they ran before."""

import hashlib
import importlib
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection, migrations, transaction

from catalogue import sql
from catalogue.sql import names

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"

# sha256 of the forward and reverse SQL of every RunSQL operation, recorded from the
# migrations as they were when each function was still written out in them.
LANDED_SQL = {
    ("0005_browse_index", 3): (
        "3bb06057854813e480ba5a6849ee7f29d52a77fc68658d33a28d36ca34b11907",
        "bbeb4997426de25d8589ace606f1701a736b3e5cd6c409d776a3fde31ef17d2a",
    ),
    ("0006_browse_text_search", 1): (
        "07843e37f8658720c8629e09bf7861bf32d1d7a05a30c1a97cc23ab7da95899d",
        "e56acfe678d81b61509efa694203868a74087446b9fdfcc96ac4dad7a8525266",
    ),
    ("0007_facet_slices", 0): (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "f2cbaaf467b8b157ad442792a883962cb294f61be55ca62cfe7fe155ea7dcd70",
    ),
    ("0007_facet_slices", 3): (
        "ec039ee209ab181ba5dbf76f1c2e9f49857df9fa40fe933b9fd69503181d9441",
        "ec4fdb779a9e21585145d18c8a1c1652f229a11f44d2f9a80b2e24eaf55d9323",
    ),
    ("0009_name_words", 3): (
        "4151c81965a936d2439f911c09010ea4aeb34be5f848d716616f5cdb86c6122e",
        "cfcd169c70207de889ec81f5ff2e5db3a888616c1f9e9896d052a9541b314272",
    ),
    ("0010_browse_organisations", 1): (
        "fb66d0650d16bf9196bf3471987a6305fde361b977a0fb043816cf16a33752ef",
        "1c00a312f548d7906c2dbab13dae15bfbe5bbc625cbb3138509f01182c001db5",
    ),
}


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _run_sql(migration: str) -> dict[int, migrations.RunSQL]:
    module = importlib.import_module(f"catalogue.migrations.{migration}")
    return {
        index: operation
        for index, operation in enumerate(module.Migration.operations)
        if isinstance(operation, migrations.RunSQL)
    }


@pytest.mark.parametrize("migration", sorted({name for name, _ in LANDED_SQL}))
def test_landed_migrations_run_byte_for_byte_the_sql_they_ran_before_it_moved_to_files(
    migration,
):
    """A database migrated before the move and one migrated after must be the same, so
    the text each RunSQL sends (forward and reversed) is compared whole, comments and
    whitespace included."""
    recorded = {index: hashes for (name, index), hashes in LANDED_SQL.items() if name == migration}
    found = {
        index: (_sha256(operation.sql), _sha256(operation.reverse_sql))
        for index, operation in _run_sql(migration).items()
    }
    assert found == recorded


def test_no_migration_writes_a_function_body():
    """One home for the database's logic: a body ($$ ... $$) in a migration would be a
    second copy that no file and no test keeps in step."""
    written = [path.name for path in sorted(MIGRATIONS.glob("*.py")) if "$$" in path.read_text()]
    assert written == []


def test_every_function_is_numbered_from_one_without_gaps():
    """run(name, N) reverses to N - 1, and latest() is the highest number: a gap would make
    a reversal restore a version no migration installed."""
    found = sql.versions()
    assert len(found) >= 12
    assert found == {name: list(range(1, len(numbers) + 1)) for name, numbers in found.items()}


def test_every_file_defines_the_function_it_is_named_for():
    """The loader checks each file holds one CREATE OR REPLACE FUNCTION of its own name."""
    for name, numbers in sql.versions().items():
        for number in numbers:
            statement = sql.replace(name, number)
            assert statement.count("CREATE OR REPLACE FUNCTION") == 1
    assert sql.create("catalogue_irsti_prefixes").startswith(
        "CREATE FUNCTION catalogue_irsti_prefixes(codes text[]) RETURNS text[]"
    )


def test_a_file_that_is_not_one_definition_is_refused(tmp_path, monkeypatch):
    """A typo in a file name or a second statement must fail the migration loudly."""
    (tmp_path / "catalogue_example.v1.sql").write_text(
        "-- An example.\nCREATE OR REPLACE FUNCTION catalogue_other() RETURNS int\n"
        "LANGUAGE sql AS $$ SELECT 1 $$;\n"
    )
    monkeypatch.setattr(sql, "DIRECTORY", tmp_path)
    sql.replace.cache_clear()
    try:
        with pytest.raises(ValueError, match="catalogue_example.v1.sql"):
            sql.replace("catalogue_example", 1)
        (tmp_path / "catalogue_example.sql").write_text("")
        with pytest.raises(ValueError, match="<function>.v<N>.sql"):
            sql.versions()
    finally:
        sql.replace.cache_clear()


def test_run_installs_a_version_and_reversed_restores_the_one_before():
    operation = sql.run("catalogue_refresh_browse", 3)
    assert operation.sql == sql.replace("catalogue_refresh_browse", 3)
    assert operation.reverse_sql == sql.replace("catalogue_refresh_browse", 2)
    first = sql.run("catalogue_facet_values", 1)
    assert first.sql.startswith("CREATE FUNCTION catalogue_facet_values(e catalogue_browseentry)")
    assert first.reverse_sql == "DROP FUNCTION catalogue_facet_values(e catalogue_browseentry);"


def test_names_name_every_function_that_has_a_file():
    """synth and the other callers use names; a renamed function must not leave one behind."""
    assert names.FUNCTIONS == set(sql.versions())
    assert {trigger.function for trigger in names.TRIGGERS} <= names.FUNCTIONS


# ---------------------------------------------------------------- in the test database


def _our_functions(cursor) -> dict[str, list[str]]:
    """Definitions of the public schema's functions that no extension brought, by name."""
    cursor.execute(
        "SELECT p.proname, pg_get_functiondef(p.oid) FROM pg_proc p"
        " WHERE p.pronamespace = 'public'::regnamespace AND NOT EXISTS ("
        "   SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass"
        "   AND d.objid = p.oid AND d.deptype = 'e')"
    )
    found: dict[str, list[str]] = {}
    for name, definition in cursor.fetchall():
        found.setdefault(name, []).append(definition)
    return found


@contextmanager
def _scratch_schema():
    """A schema first on the search path, rolled back afterwards: a file run there defines
    its function beside the installed one, and PostgreSQL prints both the same way."""
    savepoint = transaction.savepoint()
    try:
        with connection.cursor() as cursor:
            cursor.execute("CREATE SCHEMA sql_file_check")
            cursor.execute("SET LOCAL search_path = sql_file_check, public")
            yield cursor
    finally:
        transaction.savepoint_rollback(savepoint)


def _as_file_defines(name: str, version: int) -> str:
    with _scratch_schema() as cursor:
        cursor.execute(sql.replace(name, version))
        cursor.execute(
            "SELECT pg_get_functiondef(p.oid) FROM pg_proc p"
            " WHERE p.pronamespace = 'sql_file_check'::regnamespace AND p.proname = %s",
            [name],
        )
        (definition,) = cursor.fetchone()
    return definition.replace("sql_file_check.", "public.", 1)


def _installed(name: str) -> list[str]:
    with connection.cursor() as cursor:
        return _our_functions(cursor).get(name, [])


@pytest.mark.django_db
def test_the_database_runs_the_latest_version_of_every_function():
    """What the migrations installed is what the newest files say: signature, return type,
    language, volatility and body, whitespace included."""
    for name in sql.versions():
        assert _installed(name) == [_as_file_defines(name, sql.latest(name))], name


@pytest.mark.django_db
def test_every_function_of_ours_in_the_database_has_a_file():
    """A function created elsewhere (by hand, or a migration writing SQL of its own) would
    have no home here."""
    with connection.cursor() as cursor:
        assert set(_our_functions(cursor)) == set(sql.versions())


@pytest.mark.django_db
def test_the_database_has_exactly_the_triggers_names_lists():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.tgrelid::regclass::text, t.tgname, p.proname FROM pg_trigger t"
            " JOIN pg_proc p ON p.oid = t.tgfoid WHERE NOT t.tgisinternal"
        )
        assert {names.Trigger(*row) for row in cursor.fetchall()} == names.TRIGGERS


@pytest.mark.django_db
def test_migration_0010_reversed_puts_back_the_versions_before_it():
    """Reversing reads the same files: the previous versions come back, the new functions go."""
    migration = _run_sql("0010_browse_organisations")[1]
    later = _run_sql("0021_discovery")[1]  # reversed first, as `migrate` would
    with connection.cursor() as cursor:
        cursor.execute(later.reverse_sql)
        assert _installed(names.REFRESH_BROWSE) == [_as_file_defines(names.REFRESH_BROWSE, 3)]
        cursor.execute(migration.reverse_sql)
    assert _installed(names.REFRESH_BROWSE) == [_as_file_defines(names.REFRESH_BROWSE, 2)]
    assert _installed(names.FACET_VALUES) == [_as_file_defines(names.FACET_VALUES, 1)]
    assert _installed(names.AUTHORSHIP_BROWSE) == _installed(names.AFFILIATION_BROWSE) == []


@pytest.mark.django_db
def test_run_reversed_in_the_database_restores_or_drops():
    with connection.cursor() as cursor:
        cursor.execute(sql.run(names.COUNT_FACETS, 2).reverse_sql)
        cursor.execute(sql.run(names.IRSTI_PREFIXES, 1).reverse_sql)
    assert _installed(names.COUNT_FACETS) == [_as_file_defines(names.COUNT_FACETS, 1)]
    assert _installed(names.IRSTI_PREFIXES) == []
