"""Facet counts for the browse page and the API, read from the browse index.

Counts are exact. With no filter, or with only year and language filters, they
come from FacetCount's slices (kept by triggers); otherwise the matching browse
entries are counted, once per distinct set of filters, every facet that shares
the set in a single statement.
"""

import json
from contextlib import nullcontext

import psycopg
from django.db import OperationalError, connections, router, transaction

from .models import (
    LANGUAGE_CODES,
    Author,
    BrowseEntry,
    CatalogueChange,
    FacetCount,
    IrstiSubject,
    Issue,
    Journal,
    Keyword,
    Organisation,
    Section,
    Series,
    irsti_ancestors,
)

# Facets whose values are text; the others are ids or years.
TEXT_FACETS = {"language", "irsti"}
# How many values the long facets show (the keyword facet has its own "more" page).
ISSUE_FACET_SIZE = 12
SECTION_FACET_SIZE = 12
# The people and organisations with most results: the page shows eight and folds the rest.
PEOPLE_FACET_SIZE = 20
# Facets over an array column of the entry, ranked by count and cut at a size.
RANKED_ARRAYS = {"author": "authors", "organisation": "organisations"}
# The entry's columns each facet counts: a statement reads only those of its facets
# (at a million articles a common word matches half a million entries).
COLUMNS = {
    "series": ("series_id",),
    "year": ("year",),
    "language": ("language",),
    "section": ("section_id",),
    "keyword": ("concepts",),
    "author": ("authors",),
    "organisation": ("organisations",),
    "irsti": ("irsti",),
    "issue": ("issue_id", "year", "number_sort"),
}


def _value(facet: str, raw: str):
    return raw if facet in TEXT_FACETS else int(raw)


# Facets with one value per article: counted together by GROUPING SETS in one pass.
SINGLE_VALUED = {"series": "series_id", "year": "year", "language": "language"}


def _parts(facets, keyword_limit: int | None) -> list[str]:
    """SELECTs of (facet, value, count) over the CTE `s`, one pass for the single-valued."""
    sets = [column for facet, column in SINGLE_VALUED.items() if facet in facets]
    if "section" in facets:
        sets.append("section_id")
    labels = " ".join(f"WHEN GROUPING({column}) = 0 THEN '{column}'" for column in sets)
    values = ", ".join(f"{column}::text" for column in sets)
    parts = [
        f"SELECT CASE {labels} ELSE 'total' END, coalesce({values}, ''), count(*) FROM s "
        f"GROUP BY GROUPING SETS ({''.join(f'({column}), ' for column in sets)}())"
        if sets
        else "SELECT 'total', '', count(*) FROM s"
    ]
    if "keyword" in facets:
        limit = f" LIMIT {int(keyword_limit)}" if keyword_limit is not None else ""
        parts.append(
            "SELECT 'keyword', concept::text, count(*) "
            "FROM (SELECT unnest(concepts) AS concept FROM s) AS used "
            f"GROUP BY concept ORDER BY count(*) DESC, concept{limit}"
        )
    for facet, column in RANKED_ARRAYS.items():
        if facet in facets:
            # Like the keywords: each matching entry's ids unpacked, the most used first.
            parts.append(
                f"SELECT '{facet}', value::text, count(*) "
                f"FROM (SELECT unnest({column}) AS value FROM s) AS used "
                f"GROUP BY value ORDER BY count(*) DESC, value LIMIT {PEOPLE_FACET_SIZE}"
            )
    if "irsti" in facets:
        parts.append(
            "SELECT 'irsti', prefix, count(*) "
            "FROM (SELECT unnest(irsti) AS prefix FROM s) AS used GROUP BY prefix"
        )
    if "issue" in facets:
        parts.append(
            "SELECT 'issue', issue_id::text, count(*) FROM s "
            "GROUP BY issue_id, year, number_sort "
            f"ORDER BY year DESC, number_sort DESC, issue_id LIMIT {ISSUE_FACET_SIZE}"
        )
    return parts


class CountsTooSlow(Exception):
    """A text search's facet counts ran past the time they were given."""


def count_matching(
    entries,
    facets,
    keyword_limit: int | None,
    searched: bool = False,
    timeout_ms: int | None = None,
) -> tuple[int, dict[str, list]]:
    """(number of entries, {facet: [{"value", "count"}]}) over a filtered entry queryset.

    Facet filters are cheap to apply again, so each part scans the matching
    entries itself and PostgreSQL may give the large ones (keywords, IRSTI)
    parallel workers. A text search is not: its matches are gathered once.
    """
    columns = dict.fromkeys(column for facet in facets for column in COLUMNS[facet])
    sql, params = entries.order_by().values("article_id", *columns).query.sql_with_params()
    parts = _parts(facets, keyword_limit)
    materialized = "MATERIALIZED" if len(parts) > 1 else "NOT MATERIALIZED"
    query = f"WITH s AS {materialized} ({sql}) " + " UNION ALL ".join(f"({part})" for part in parts)
    total, result = _collect(query, params, facets, by_index=searched, timeout_ms=timeout_ms)
    if "section" in result:
        result["section"] = sorted(result["section"], key=lambda row: (-row["count"], row["value"]))
        result["section"] = result["section"][:SECTION_FACET_SIZE]
    return total, result


def count_all(facets, keyword_limit: int | None) -> tuple[int, dict[str, list]]:
    """The counts over the whole catalogue, read from FacetCount."""
    return count_sliced(facets, keyword_limit)


def count_sliced(
    facets,
    keyword_limit: int | None,
    years: list[int] | None = None,
    languages: list[str] | None = None,
    search: int | None = None,
) -> tuple[int, dict[str, list]]:
    """The counts over articles of some years and languages (None: all), from FacetCount,
    or from SearchFacetCount over those a counted search matches.

    Exact and independent of how many articles match: one slice is read in
    index order, several are summed. A counted search keeps its authors and
    organisations per year but not per language: with languages chosen, those two
    facets are left out, for the caller to count.
    """
    if years == [] or languages == []:
        return 0, {facet: [] for facet in facets}
    people_kept = not search or languages is None
    years = years or [FacetCount.ALL_YEARS]
    languages = languages or [FacetCount.ALL_LANGUAGES]
    one = len(years) == 1 and len(languages) == 1
    table = "catalogue_searchfacetcount" if search else "catalogue_facetcount"

    def scope(alias: str = "") -> tuple[str, list]:
        return (f"{alias}search_id = %s AND ", [search]) if search else ("", [])

    where = "year = ANY(%s) AND language = ANY(%s)"
    within, scoped = scope()
    parts = [
        f"SELECT 'total', '', sum(count) FROM {table} WHERE {within}facet = 'total' AND {where}"
    ]
    params: list = [*scoped, years, languages]
    for facet in facets:
        if facet == "issue":
            within, scoped = scope("f.")
            # The most recent issues with articles in the slices.
            parts.append(
                f"SELECT 'issue', f.value, sum(f.count) FROM {table} f "
                "JOIN catalogue_issue i ON i.id = f.value::bigint "
                f"WHERE {within}f.facet = 'issue' AND f.{where.replace(' AND ', ' AND f.')} "
                "GROUP BY f.value, i.year, i.number_sort, i.id HAVING sum(f.count) > 0 "
                "ORDER BY i.year DESC, i.number_sort DESC, i.id DESC LIMIT %s"
                if not one or years != [FacetCount.ALL_YEARS]
                else f"SELECT 'issue', f.value, f.count FROM catalogue_issue i JOIN {table} f "
                f"ON {within}f.facet = 'issue' AND f.value = i.id::text "
                f"AND f.{where.replace(' AND ', ' AND f.')} "
                "WHERE f.count > 0 ORDER BY i.year DESC, i.number_sort DESC, i.id DESC LIMIT %s"
            )
            params += [*scoped, years, languages, ISSUE_FACET_SIZE]
            continue
        if facet in RANKED_ARRAYS and (not one or not people_kept):
            continue  # summed over the slices below, from each slice's top values
        within, scoped = scope()
        limit = {
            "keyword": keyword_limit,
            "section": SECTION_FACET_SIZE,
            **dict.fromkeys(RANKED_ARRAYS, PEOPLE_FACET_SIZE),
        }.get(facet)
        ranked = facet in ("keyword", "section", *RANKED_ARRAYS)
        if one:
            # One slice: its rows in the slice index's order (equality, not ANY, so the
            # index order serves ORDER BY ... LIMIT), no aggregation.
            order = "count DESC, value" if ranked else "value"
            part = (
                f"SELECT facet, value, count FROM {table} "
                f"WHERE {within}facet = %s AND year = %s AND language = %s AND count > 0 "
                f"ORDER BY {order}"
            )
            parts.append(part + (" LIMIT %s" if limit is not None else ""))
            params += [*scoped, facet, years[0], languages[0]]
            params += [limit] if limit is not None else []
            continue
        else:
            order = "sum(count) DESC, value" if ranked else "value"
            part = (
                f"SELECT facet, value, sum(count) FROM {table} "
                f"WHERE {within}facet = %s AND {where} GROUP BY facet, value "
                f"HAVING sum(count) > 0 ORDER BY {order}"
            )
        parts.append(part + (" LIMIT %s" if limit is not None else ""))
        params += [*scoped, facet, years, languages] + ([limit] if limit is not None else [])
    query = " UNION ALL ".join(f"({part})" for part in parts)
    total, result = _collect(query, params, facets)
    if not one and people_kept:
        for facet in RANKED_ARRAYS.keys() & set(facets):
            result[facet] = top_over_slices(facet, years, languages, search=search)
    return total, result


# Facets whose every value has FacetCount rows in every year and language slice.
SLICED_WITHIN = {"series", "keyword", "author", "organisation", "issue", "section", "irsti"}


def count_within(
    facets, facet: str, value, years: list[int] | None, languages: list[str] | None
) -> tuple[int, dict[str, list]]:
    """The year and language counts of the articles with one value of one facet, in some
    years and languages (None: all): that value's FacetCount rows, whatever its size."""
    if years == [] or languages == []:
        return 0, {name: [] for name in facets}
    years_or_all = years or [FacetCount.ALL_YEARS]
    languages_or_all = languages or [FacetCount.ALL_LANGUAGES]
    rows = "FROM catalogue_facetcount WHERE facet = %s AND value = %s"
    parts = [f"SELECT 'total', '', sum(count) {rows} AND year = ANY(%s) AND language = ANY(%s)"]
    params: list = [facet, str(value), years_or_all, languages_or_all]
    # Each counted dimension: its own slices (all but the "every" row, within the chosen
    # values), in the other dimension's chosen slice or its "every" row.
    dimensions = (
        ("year", "year::text", FacetCount.ALL_YEARS, years, "language", languages_or_all),
        ("language", "language", FacetCount.ALL_LANGUAGES, languages, "year", years_or_all),
    )
    for name, label, every, chosen, other, other_values in dimensions:
        if name not in facets:
            continue
        within = f"AND {name} = ANY(%s)" if chosen else ""
        parts.append(
            f"SELECT '{name}', {label}, sum(count) {rows} AND {name} <> %s {within} "
            f"AND {other} = ANY(%s) GROUP BY {name} HAVING sum(count) > 0"
        )
        params += [facet, str(value), every, *([chosen] if chosen else []), other_values]
    query = " UNION ALL ".join(f"({part})" for part in parts)
    return _collect(query, params, facets)


# How deep into each slice top_over_slices looks for the values that could lead the sum.
SLICE_DEPTH = 100


def top_over_slices(
    facet: str,
    years: list,
    languages: list,
    size: int = PEOPLE_FACET_SIZE,
    search: int | None = None,
) -> list[dict]:
    """The `size` values with most articles over several slices, with exact counts
    (of FacetCount, or of a counted search's SearchFacetCount).

    Hundreds of thousands of authors have a row in each year's slice: summing them all
    for a six-year range would read millions of rows. Instead each slice's first
    SLICE_DEPTH values (index order) are the candidates, and their counts are summed
    exactly. A value outside every slice's top counts at most the sum of the slices'
    SLICE_DEPTH-th counts; when the last value kept counts more than that, no other can
    rank among the first (the threshold algorithm), else every value is summed.
    """
    alias = router.db_for_read(FacetCount)
    table = "catalogue_searchfacetcount" if search else "catalogue_facetcount"
    within, scoped = ("search_id = %s AND ", [search]) if search else ("", [])
    slices = "SELECT y, l FROM unnest(%s::smallint[]) AS y, unnest(%s::text[]) AS l"
    with connections[alias].cursor() as cursor:
        cursor.execute(
            f"WITH top AS MATERIALIZED (SELECT t.value, t.count, t.rank FROM ({slices}) AS s, "
            "LATERAL (SELECT value, count, row_number() OVER (ORDER BY count DESC) AS rank "
            f"FROM {table} WHERE {within}facet = %s AND year = s.y AND language = s.l "
            "AND count > 0 ORDER BY count DESC LIMIT %s) AS t) "
            "SELECT (SELECT coalesce(sum(count), 0) FROM top WHERE rank = %s), f.value, "
            f"sum(f.count) FROM {table} f "
            f"WHERE {'f.' + within if search else ''}f.facet = %s AND f.year = ANY(%s) "
            "AND f.language = ANY(%s) "
            "AND f.value IN (SELECT value FROM top) "
            "GROUP BY f.value HAVING sum(f.count) > 0 ORDER BY sum(f.count) DESC, f.value LIMIT %s",
            [years, languages, *scoped, facet, SLICE_DEPTH, SLICE_DEPTH]
            + [*scoped, facet, years, languages, size],
        )
        rows = cursor.fetchall()
        bound = rows[0][0] if rows else 0
        if rows and (bound == 0 or len(rows) == size and rows[-1][2] > bound):
            return [{"value": int(value), "count": count} for _bound, value, count in rows]
        cursor.execute(
            f"SELECT value, sum(count) FROM {table} "
            f"WHERE {within}facet = %s AND year = ANY(%s) AND language = ANY(%s) "
            "GROUP BY value HAVING sum(count) > 0 ORDER BY sum(count) DESC, value LIMIT %s",
            [*scoped, facet, years, languages, size],
        )
        return [{"value": int(value), "count": count} for value, count in cursor.fetchall()]


# GROUPING SETS name their rows by column.
FACET_OF_COLUMN = {"series_id": "series", "section_id": "section"}


def _collect(
    query: str, params, facets, by_index: bool = False, timeout_ms: int | None = None
) -> tuple[int, dict[str, list]]:
    result = {facet: [] for facet in facets}
    total = 0
    # Public pages read from the replica when there is one: raw SQL follows the router.
    alias = router.db_for_read(BrowseEntry)
    # Within a transaction already, a savepoint, so that a count cut short by its
    # timeout does not leave that transaction aborted.
    within = by_index and connections[alias].in_atomic_block
    try:
        with (
            transaction.atomic(using=alias) if within else nullcontext(),
            connections[alias].cursor() as cursor,
        ):
            if by_index:
                # The planner cannot see that a sequential scan unpacks every search
                # vector: for a text search the GIN bitmaps are the right start whatever
                # the estimates say. Both settings end with the transaction: the one
                # that the two statements, sent as one query string, make together
                # (Django's cursors bind parameters on the client, so they can be).
                cursor.execute(
                    "SELECT set_config('enable_seqscan', 'off', true), "
                    "set_config('statement_timeout', "
                    f"coalesce(%s, current_setting('statement_timeout')), true); {query}",
                    [f"{timeout_ms}ms" if timeout_ms else None, *params],
                )
                cursor.nextset()
            else:
                cursor.execute(query, params)
            rows = cursor.fetchall()
    except OperationalError as error:
        if timeout_ms and isinstance(error.__cause__, psycopg.errors.QueryCanceled):
            raise CountsTooSlow from error
        raise
    for facet, raw, count in rows:
        facet = FACET_OF_COLUMN.get(facet, facet)
        if facet == "total":
            total = count or 0  # sum() of no rows: an empty catalogue
        elif raw:  # no section, no language: not a facet value
            result[facet].append({"value": _value(facet, raw), "count": count})
    return total, result


def statistics(top: int = 15) -> dict[str, list[dict]]:
    """The catalogue at a glance: facet-style rows per year, series, language, keyword
    (the `top` most used) and organisation (the `top` most productive)."""
    _total, counts = count_all(["year", "series", "language", "keyword"], keyword_limit=top)
    counts["organisation"] = top_organisations(top)
    attach_all_names({name: counts[name] for name in ("series", "keyword", "organisation")})
    for row in counts["organisation"]:
        row["names"] = row["names"] or {f"name_{code}": "" for code in LANGUAGE_CODES}
    return counts


def top_organisations(top: int) -> list[dict]:
    """The `top` organisations with most articles (an author affiliated), from FacetCount
    (their names: attach_all_names)."""
    rows = FacetCount.objects.filter(
        facet="organisation", year=FacetCount.ALL_YEARS, language=FacetCount.ALL_LANGUAGES
    )
    return [
        {"value": int(value), "count": count}
        for value, count in rows.filter(count__gt=0)
        .order_by("-count", "value")
        .values_list("value", "count")[:top]
    ]


def articles_per_issue(ids: list[int]) -> dict[int, int]:
    """{issue id: articles} for these issues, from FacetCount (no article is counted)."""
    rows = FacetCount.objects.filter(
        facet="issue",
        value__in=[str(pk) for pk in ids],
        year=FacetCount.ALL_YEARS,
        language=FacetCount.ALL_LANGUAGES,
    )
    return {int(value): count for value, count in rows.values_list("value", "count")}


# What a facet value's label is made of, per facet whose values are record ids:
# (model, {key in the row's `names`: SQL over the model's table `t` and its journal `j`}).
NAMES = ("name_en", "name_kk", "name_ru")
JOURNAL_TITLES = ("journal__title_en", "journal__title_kk", "journal__title_ru")
NAMED_BY = {
    "series": (
        Series,
        {**{n: f"t.{n}" for n in NAMES}, **{t: f"j.{t[9:]}" for t in JOURNAL_TITLES}},
    ),
    "issue": (Issue, {n: f"t.{n}" for n in ("year", "number", "whole_number", "number_sort")}),
    "section": (Section, {n: f"t.{n}" for n in NAMES}),
    "organisation": (Organisation, {n: f"t.{n}" for n in NAMES}),
    "author": (Author, {"display_name": "t.display_name"}),
}


def attach_names(facet: str, rows: list[dict]) -> None:
    """Add to each row what its label is made of (`names` or `labels`), for shown values only."""
    attach_all_names({facet: rows})


# What each facet value's label is made of, by (facet, value), kept in this worker's
# memory under the catalogue's version (every write to a table the names come from moves
# it): a browse page shows a hundred values, mostly the same from page to page, and
# reading and decoding their names was a tenth of its time. At most NAMES_KEPT values.
_names: dict = {"version": None, "found": {}}
NAMES_KEPT = 50_000


def forget_names() -> None:
    """Drop the names this worker kept (tests: their writes are rolled back)."""
    _names.update(version=None, found={})


def attach_all_names(facets: dict[str, list[dict]]) -> None:
    """attach_names for several facets' rows: those not in this worker's memory for the
    catalogue's version read in one statement (a browse page shows nine facets, and a
    query each cost more of its time than the counts)."""
    version = CatalogueChange.objects.version()
    if _names["version"] != version or len(_names["found"]) > NAMES_KEPT:
        _names.update(version=version, found={})
    kept = _names["found"]
    named = {facet: _named_values(facet, rows) for facet, rows in facets.items()}
    wanted = {
        facet: missing
        for facet, values in named.items()
        if facet in NAMED_BY or facet in ("irsti", "keyword")
        if (missing := [value for value in values if (facet, value) not in kept])
    }
    read = _read_names(wanted)
    for facet, values in wanted.items():
        for value in values:
            kept[facet, value] = read[facet].get(value)
    found = {
        facet: {value: kept[facet, value] for value in values if kept.get((facet, value))}
        for facet, values in named.items()
    }
    for facet, rows in facets.items():
        names = found[facet]
        if facet == "keyword":
            for row in rows:
                row["labels"] = names.get(row["value"], {})
        elif facet == "irsti" and rows:
            labels = IrstiSubject.labels_from([row["value"] for row in rows], names)
            for row in rows:
                row["names"] = {"label": labels[row["value"]]}
        elif facet in NAMED_BY:
            for row in rows:
                row["names"] = names.get(row["value"])


def _named_values(facet: str, rows: list[dict]) -> list:
    """The values whose names a facet's rows need: for IRSTI codes, every level above
    them too (a code without a name takes its parent's)."""
    values = [row["value"] for row in rows]
    if facet == "irsti":
        return sorted({ancestor for code in values for ancestor in irsti_ancestors(code)})
    return values


def _read_names(wanted: dict[str, list]) -> dict[str, dict]:
    """{facet: {value: names}} of the values wanted, in one statement."""
    parts, params = [], []
    for facet, ids in wanted.items():
        if facet in NAMED_BY:
            model, columns = NAMED_BY[facet]
            fields = ", ".join(f"'{key}', {sql}" for key, sql in columns.items())
            journal = (
                f" JOIN {Journal._meta.db_table} j ON j.id = t.journal_id"
                if facet == "series"
                else ""
            )
            parts.append(
                f"SELECT '{facet}', t.id::text, jsonb_build_object({fields}) "
                f"FROM {model._meta.db_table} t{journal} WHERE t.id = ANY(%s)"
            )
        elif facet == "irsti":
            fields = ", ".join(f"'{name}', t.{name}" for name in NAMES)
            parts.append(
                f"SELECT 'irsti', t.code, jsonb_build_object({fields}) "
                f"FROM {IrstiSubject._meta.db_table} t WHERE t.code = ANY(%s)"
            )
        else:
            # Each concept's first keyword (by id) in each language.
            parts.append(
                "SELECT DISTINCT ON (t.concept_id, t.language) 'keyword', t.concept_id::text, "
                "jsonb_build_object('language', t.language, 'text', t.text) "
                f"FROM {Keyword._meta.db_table} t WHERE t.concept_id = ANY(%s) "
                "ORDER BY t.concept_id, t.language, t.id"
            )
        params.append(ids)
    found: dict[str, dict] = {facet: {} for facet in wanted}
    if parts:
        alias = router.db_for_read(Keyword)
        with connections[alias].cursor() as cursor:
            cursor.execute(" UNION ALL ".join(f"({part})" for part in parts), params)
            for facet, value, data in cursor.fetchall():
                data = json.loads(data) if isinstance(data, str) else data
                if facet == "keyword":
                    labels = found[facet].setdefault(int(value), {})
                    labels.setdefault(data["language"], data["text"])
                else:
                    found[facet][_value(facet, value)] = data
    return found
