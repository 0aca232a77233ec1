"""A change-list paginator that does not count millions of rows to draw the page links.

Django's Paginator runs SELECT COUNT(*) over the whole filtered queryset on
every change list. Over a million articles (or 15 million keyword rows) that
is a sequential scan per page view, slower than everything else on the page.

- A small table (pg_class.reltuples, kept current by autovacuum's ANALYZE,
  at most EXACT_LIMIT rows, or never analysed): Django's exact count.
- Unfiltered big table: reltuples itself.
- Filtered or searched big table: an exact count of at most EXACT_LIMIT rows (COUNT(*)
  over a LIMIT subquery, which stops early), given COUNT_TIMEOUT_MS to finish
  (a rare match over an unindexed column still scans the table). Past the
  limit, or out of time, the planner's estimate for the filtered query.

So small results show exact figures, and large ones are the planner's
estimate: enough to draw page links and say roughly how much there is.
`estimated` tells which one `count` is.
"""

import json

from django.core.paginator import Paginator
from django.db import OperationalError, connections, transaction
from django.utils.functional import cached_property


def table_estimate(model, using: str) -> int | None:
    """pg_class.reltuples of the model's table; None when never analysed."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)",
            [connection.ops.quote_name(model._meta.db_table)],
        )
        row = cursor.fetchone()
    if row is None or row[0] is None or row[0] < 0:
        return None
    return int(row[0])


def query_estimate(queryset) -> int:
    """The planner's row estimate for a queryset (EXPLAIN, without running it)."""
    plan = queryset.order_by().values("pk").explain(format="json")
    return int(json.loads(plan)[0]["Plan"]["Plan Rows"])


def is_unfiltered(queryset) -> bool:
    query = queryset.query
    return not (query.where or query.distinct or query.combinator or query.is_sliced)


def count_within(queryset, limit: int, timeout_ms: int) -> int | None:
    """COUNT(*) of at most limit + 1 rows, or None when it takes longer than timeout_ms."""
    connection = connections[queryset.db]
    nested = connection.in_atomic_block
    try:
        with transaction.atomic(using=queryset.db):
            with connection.cursor() as cursor:
                # Local to this transaction; in a savepoint, put back below.
                cursor.execute(
                    "SELECT current_setting('statement_timeout'), "
                    "set_config('statement_timeout', %s, true)",
                    [str(timeout_ms)],
                )
                previous = cursor.fetchone()[0]
            count = queryset.order_by()[: limit + 1].count()
            if nested:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('statement_timeout', %s, true)", [previous])
    except OperationalError:  # QueryCanceled; rolling back the savepoint restores the setting
        return None
    return count


class EstimatedCountPaginator(Paginator):
    """Exact counts up to EXACT_LIMIT rows, the planner's estimate beyond (see module doc)."""

    EXACT_LIMIT = 10_000
    COUNT_TIMEOUT_MS = 150
    # An estimate never goes below this: a low guess for a list that is really
    # long would otherwise make the change list skip slicing or offer "Show all".
    ESTIMATE_FLOOR = 1_000

    estimated = False

    @cached_property
    def count(self):
        queryset = self.object_list
        if not hasattr(queryset, "query"):
            return super().count
        table = table_estimate(queryset.model, queryset.db)
        if table is None or table <= self.EXACT_LIMIT:
            return super().count  # a small (or never analysed) table: count it all
        if is_unfiltered(queryset):
            self.estimated = True
            return table
        count = count_within(queryset, self.EXACT_LIMIT, self.COUNT_TIMEOUT_MS)
        if count is not None and count <= self.EXACT_LIMIT:
            return count
        self.estimated = True
        floor = self.EXACT_LIMIT + 1 if count is not None else self.ESTIMATE_FLOOR
        return max(floor, query_estimate(queryset))
