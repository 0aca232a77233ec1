"""Search keys shared by ingestion (which stores them) and the public search (which queries them).

A name's search key is its transliterated, spelling-folded Latin form, so
"Жұматай Ғ.Б.", "Zhumatay G." and "zhumatai" meet on one key that trigram
similarity can compare.
"""

import re
from contextlib import contextmanager

from django.db import connections, router, transaction

from .parsing.names import fold


def search_key(text: str) -> str:
    """ "Жұматай Ғ.Б." -> "jumatai g b": one folded token per word or initial."""
    return " ".join(
        token for token in (fold(word) for word in re.split(r"[\s.,;\-]+", text)) if token
    )


@contextmanager
def trigram_thresholds(threshold: float):
    """Let pg_trgm's index operators (`%>>`, `%`) find what scores at least `threshold`.

    SET LOCAL lasts until the end of the transaction, so pooled connections
    keep PostgreSQL's defaults for everyone else.
    """
    from .models import NameVariant

    alias = router.db_for_read(NameVariant)  # where the search itself will run
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.strict_word_similarity_threshold', %s, true), "
            "set_config('pg_trgm.similarity_threshold', %s, true)",
            [str(threshold), str(threshold)],
        )
        yield
