"""A change-list paginator that does not count millions of rows to draw the page links.

Django's Paginator runs SELECT COUNT(*) over the whole filtered queryset on
every change list. Over a million articles (or 15 million keyword rows) that
is a sequential scan per page view, slower than everything else on the page.

- A small table (pg_class.reltuples, kept current by autovacuum's ANALYZE,
  at most EXACT_LIMIT rows; or never analysed and a few megabytes): Django's
  exact count.
- Unfiltered big table: reltuples itself.
- Filtered or searched big table: an exact count of at most EXACT_LIMIT
  rows (COUNT(*) over a LIMIT subquery, which stops early), given
  COUNT_TIMEOUT_MS to finish (a rare match over an unindexed column still
  scans the table). Past the limit, or out of time, the planner's estimate
  for the filtered query.

So small results show exact figures, and large ones are the planner's
estimate: enough to draw page links and say roughly how much there is.
`estimated` tells which one `count` is.
"""

import json
from contextlib import contextmanager

from django.core.paginator import Paginator
from django.db import OperationalError, connections, transaction
from django.utils.functional import cached_property


def table_estimate(model, using: str) -> tuple[int | None, int]:
    """pg_class.reltuples of the model's table (None when never analysed) and its size in bytes."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint, pg_relation_size(oid) FROM pg_class "
            "WHERE oid = to_regclass(%s)",
            [connection.ops.quote_name(model._meta.db_table)],
        )
        row = cursor.fetchone()
    if row is None:
        return None, 0
    rows, size = row
    return (None if rows is None or rows < 0 else int(rows)), int(size or 0)


def query_estimate(queryset) -> int:
    """The planner's row estimate for a queryset (EXPLAIN, without running it)."""
    plan = queryset.order_by().values("pk").explain(format="json")
    return int(json.loads(plan)[0]["Plan"]["Plan Rows"])


def is_unfiltered(queryset) -> bool:
    query = queryset.query
    return not (query.where or query.distinct or query.combinator or query.is_sliced)


@contextmanager
def local_settings(using: str = "default", **settings):
    """PostgreSQL settings for the queries in this block only (set_config(..., is_local)).

    In a transaction of its own they end with it; inside an outer one (a test,
    ATOMIC_REQUESTS) they are put back on the way out, or undone with the
    savepoint when the block fails.
    """
    connection = connections[using]
    nested = connection.in_atomic_block
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            names = list(settings)
            cursor.execute(
                "SELECT "
                + ", ".join("current_setting(%s), set_config(%s, %s, true)" for _ in names),
                [value for name in names for value in (name, name, str(settings[name]))],
            )
            row = cursor.fetchone()
            previous = dict(zip(names, row[0::2], strict=True))
        yield
        if nested:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT " + ", ".join("set_config(%s, %s, true)" for _ in names),
                    [value for name in names for value in (name, previous[name])],
                )


def count_within(queryset, limit: int, timeout_ms: int) -> int | None:
    """COUNT(*) of at most limit + 1 rows, or None when it takes longer than timeout_ms."""
    try:
        with local_settings(queryset.db, statement_timeout=timeout_ms):
            return queryset.order_by()[: limit + 1].count()
    except OperationalError:  # QueryCanceled
        return None


class EstimatedCountPaginator(Paginator):
    """Exact counts up to EXACT_LIMIT rows, the planner's estimate beyond (see module doc)."""

    EXACT_LIMIT = 10_000
    COUNT_TIMEOUT_MS = 100
    # An estimate never goes below this: a low guess for a list that is really
    # long would otherwise make the change list skip slicing or offer "Show all".
    ESTIMATE_FLOOR = 1_000
    # A table never analysed (autovacuum has not reached it yet) counts as small up to here.
    SMALL_BYTES = 8 * 1024 * 1024

    estimated = False
    # Set by an admin that already knows the list is long (a search for a common
    # word): go straight to the planner's estimate instead of trying to count.
    long_list = False

    @cached_property
    def count(self):
        queryset = self.object_list
        if not hasattr(queryset, "query"):
            return super().count
        table, size = table_estimate(queryset.model, queryset.db)
        if table is None and size <= self.SMALL_BYTES:
            return super().count  # never analysed (a new table, a test database): small
        if table is not None and table <= self.EXACT_LIMIT:
            return super().count
        if table is not None and is_unfiltered(queryset):
            self.estimated = True
            return table
        count = (
            None
            if self.long_list
            else count_within(queryset, self.EXACT_LIMIT, self.COUNT_TIMEOUT_MS)
        )
        if count is not None and count <= self.EXACT_LIMIT:
            return count
        self.estimated = True
        floor = self.EXACT_LIMIT + 1 if count is not None else self.ESTIMATE_FLOOR
        return max(floor, query_estimate(queryset))
