"""Text searches whose facet counts are kept instead of counted at each request.

A word in half of a million articles matches half a million browse entries, and their
facet counts take seconds to gather. Such a search is noted when the browse page finds
it slow (`note`); `manage.py count_searches` counts it once (`count`), and from then on
the trigger catalogue_count_searches keeps its SearchFacetCount rows exact, as
FacetCount's are, whatever writes. The browse page reads them like FacetCount's slices.
"""

import logging

from django.db import DatabaseError, connections, router, transaction

from .models import SEARCH_CONFIGS, CountedSearch, FacetCount, SearchFacetCount

logger = logging.getLogger(__name__)

# The tsquery of BrowseEntryQuerySet.search(text), as text: every configuration's
# reading of the visitor's words, in the same order (models.text_search_query).
COMPILED = (
    "(" + " || ".join("websearch_to_tsquery(%s::regconfig, %s)" for _ in SEARCH_CONFIGS) + ")"
)


def _compiled_params(text: str) -> list[str]:
    return [value for config in SEARCH_CONFIGS.values() for value in (config, text)]


def counted_id(text: str) -> int | None:
    """The id of the counted search for these words, if its counts are kept."""
    alias = router.db_for_read(CountedSearch)
    with connections[alias].cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM catalogue_countedsearch WHERE counted AND query = {COMPILED}::text",
            _compiled_params(text),
        )
        row = cursor.fetchone()
    return row[0] if row else None


def note(text: str) -> None:
    """Remember that these words were slow to count, for the next `count_searches`.

    Called from a public GET: a failure (a read-only database) is logged, never shown.
    """
    alias = router.db_for_write(CountedSearch)
    try:
        with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
            cursor.execute(
                "INSERT INTO catalogue_countedsearch (query, text, counted, noted) "
                f"SELECT query, %s, false, now() FROM (SELECT {COMPILED}::text AS query) AS q "
                "WHERE query <> '' ON CONFLICT (query) DO NOTHING",
                [text[:200], *_compiled_params(text)],
            )
    except DatabaseError:
        logger.warning("could not note the slow search %r", text, exc_info=True)


def add(text: str) -> CountedSearch | None:
    """The CountedSearch row for these words (made if new, not yet counted); None when they
    make no query (punctuation alone)."""
    with connections[router.db_for_write(CountedSearch)].cursor() as cursor:
        cursor.execute(f"SELECT {COMPILED}::text", _compiled_params(text))
        (query,) = cursor.fetchone()
    if not query:
        return None
    search, _created = CountedSearch.objects.get_or_create(
        query=query, defaults={"text": text[:200]}
    )
    return search


def count(search: CountedSearch) -> int:
    """Count the search's facets from the browse entries and keep them; its matches.

    The browse entries are locked against writes (SHARE) while they are read, so no
    change falls between this count and the trigger's: a write waits for the count, and
    its statement then sees the search counted.
    """
    alias = router.db_for_write(CountedSearch)
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        cursor.execute("LOCK TABLE catalogue_browseentry IN SHARE MODE")
        cursor.execute("DELETE FROM catalogue_searchfacetcount WHERE search_id = %s", [search.pk])
        cursor.execute(
            "INSERT INTO catalogue_searchfacetcount (search_id, facet, value, year, language,"
            " count) SELECT %s, v.facet, v.value, s.year, s.language, count(*)"
            " FROM catalogue_browseentry n, catalogue_facet_values(n) v,"
            " catalogue_search_slices(n, v.facet) s WHERE n.search_vector @@ %s::tsquery"
            " GROUP BY 2, 3, 4, 5 ORDER BY 2, 3, 4, 5",
            [search.pk, search.query],
        )
        total = SearchFacetCount.objects.using(alias).filter(
            search=search,
            facet="total",
            year=FacetCount.ALL_YEARS,
            language=FacetCount.ALL_LANGUAGES,
        )
        search.matches = total.values_list("count", flat=True).first() or 0
        search.counted = True
        search.save(update_fields=["matches", "counted"])
    return search.matches


def forget(search: CountedSearch) -> None:
    """Stop keeping the search's counts (its rows go with it)."""
    alias = router.db_for_write(CountedSearch)
    with transaction.atomic(using=alias):
        SearchFacetCount.objects.using(alias).filter(search=search).delete()
        search.delete()
