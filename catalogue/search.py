"""What the public name search needs around its queries.

The search keys themselves belong to the model: NameVariant.search_key_for()
computes the key a name is stored and looked up under.
"""

from contextlib import contextmanager

from django.db import connections, router, transaction

from .models import NameVariant, trigram_thresholds_sql


@contextmanager
def trigram_thresholds(threshold: float):
    """Let pg_trgm's index operators (`%>>`, `%`) find what scores at least `threshold`.

    SET LOCAL lasts until the end of the transaction, so pooled connections
    keep PostgreSQL's defaults for everyone else.
    """
    alias = router.db_for_read(NameVariant)  # where the search itself will run
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        cursor.execute(trigram_thresholds_sql("%(threshold)s"), {"threshold": threshold})
        yield
