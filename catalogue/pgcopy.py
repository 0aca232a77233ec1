"""PostgreSQL COPY and id-sequence helpers for bulk writes.

Used by the bulk path of ingestion (catalogue.ingest.bulk) and the synthetic
catalogue generator (catalogue.synth). Everything runs on the default
connection, inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import connection
from django.utils import timezone


def allocate_ids(model, count: int) -> list[int]:
    """`count` fresh primary keys from the model's id sequence (what INSERT would use)."""
    if count <= 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def copy_columns(model) -> list:
    """The model's stored columns, without GENERATED ones (PostgreSQL computes those)."""
    return [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]


def copy_rows(model, columns: list[str], rows: Iterable[tuple]) -> int:
    """COPY tuples into the model's table (in the current transaction); return the row count.

    Values are plain Python (str, int, bool, date, datetime, list for arrays, None).
    """
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    count = 0
    connection.ensure_connection()
    with connection.wrap_database_errors:
        raw = connection.connection  # the psycopg 3 connection of this Django connection
        with raw.cursor() as cursor:
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
    return count


def copy_text(model, columns: list[str], chunks: Iterable[bytes | str]) -> None:
    """COPY chunks of ready-made COPY text (tab-separated, one line per row) into the table.

    For generators that format their rows faster than write_row can, or in another process.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    connection.ensure_connection()
    with connection.wrap_database_errors:
        with connection.connection.cursor() as cursor:
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for chunk in chunks:
                    copy.write(chunk)


def reserve_ids(model, count: int) -> int:
    """The first of `count` consecutive fresh primary keys, taken from the id sequence at once.

    The caller must keep others from inserting into the table meanwhile (LOCK TABLE).
    """
    count = max(count, 1)
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(seq, nextval(seq) + %s - 1) - %s + 1"
            " FROM CAST(pg_get_serial_sequence(%s, 'id') AS regclass) AS seq",
            [count, count, table],
        )
        return cursor.fetchone()[0]


@contextmanager
def indexes_built_after(models: list) -> Iterator[None]:
    """Drop the tables' secondary indexes, unique and foreign-key constraints for a bulk load,
    and build them again, from the definitions read here, when the block ends.

    One sorted build per index is far cheaper than maintaining it row by row, and one
    validating join per foreign key far cheaper than a trigger per row. Primary keys stay
    (other tables' foreign keys need them). Must run inside a transaction: DDL is
    transactional in PostgreSQL, so if the load fails the rollback restores everything.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("indexes_built_after() needs a transaction (transaction.atomic)")
    tables = [model._meta.db_table for model in models]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid)"
            " FROM pg_constraint WHERE conrelid = ANY(%s::regclass[])"
            " AND contype IN ('u', 'x', 'f') ORDER BY contype DESC, conrelid, conname",
            [tables],
        )
        constraints = cursor.fetchall()  # unique and exclusion first, foreign keys last
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index i"
            " WHERE indrelid = ANY(%s::regclass[]) AND NOT EXISTS (SELECT 1 FROM pg_constraint c"
            " WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid"
            " AND c.contype IN ('p', 'u', 'x')) ORDER BY indrelid, indexrelid",
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _, _ in reversed(constraints):  # foreign keys first
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        for table, name, kind, definition in constraints:
            if kind != "f":
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
        for _, definition in indexes:
            cursor.execute(definition)
        for table, name, kind, definition in constraints:
            if kind == "f":
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")


def copy_objects(model, objects: list) -> int:
    """COPY unsaved model instances whose pk is already set; they count as saved afterwards."""
    fields = copy_columns(model)
    now = timezone.now()
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objects:
                setattr(obj, field.attname, now)
    count = copy_rows(
        model,
        [f.column for f in fields],
        (tuple(getattr(obj, f.attname) for f in fields) for obj in objects),
    )
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias
    return count


def with_ids(model, objects: list) -> list:
    """Give unsaved instances fresh primary keys from the model's id sequence."""
    for obj, pk in zip(objects, allocate_ids(model, len(objects)), strict=True):
        obj.pk = pk
    return objects


def bump_sequence(model):
    """Move the id sequence past the largest id, after rows were written with their own ids."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )
