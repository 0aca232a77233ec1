"""Facet counts for the browse page and the API, read from the browse index.

Counts are exact. With no filter they come from FacetCount (kept by triggers);
otherwise the matching browse entries are gathered once and every facet that
shares that filter set is counted from them in a single statement.
"""

from django.db import connection

from .models import Article, Issue, Keyword, Section, Series

# Facets whose values are text; the others are ids or years.
TEXT_FACETS = {"language", "irsti"}
# How many values the long facets show (the keyword facet has its own "more" page).
ISSUE_FACET_SIZE = 12
SECTION_FACET_SIZE = 12
COLUMNS = (
    "article_id",
    "series_id",
    "year",
    "issue_id",
    "number_sort",
    "section_id",
    "language",
    "concepts",
    "irsti",
)


def _value(facet: str, raw: str):
    return raw if facet in TEXT_FACETS else int(raw)


def _part(facet: str, keyword_limit: int | None) -> str:
    """One facet's counts over the CTE `s`, as (facet, value, count) rows."""
    if facet == "keyword":
        limit = f" LIMIT {int(keyword_limit)}" if keyword_limit is not None else ""
        return (
            "SELECT 'keyword', concept::text, count(*) FROM s, unnest(s.concepts) AS concept "
            f"GROUP BY concept ORDER BY count(*) DESC, concept{limit}"
        )
    if facet == "irsti":
        return "SELECT 'irsti', prefix, count(*) FROM s, unnest(s.irsti) AS prefix GROUP BY prefix"
    if facet == "issue":
        return (
            "SELECT 'issue', issue_id::text, count(*) FROM s "
            "GROUP BY issue_id, year, number_sort "
            f"ORDER BY year DESC, number_sort DESC, issue_id LIMIT {ISSUE_FACET_SIZE}"
        )
    if facet == "section":
        return (
            "SELECT 'section', section_id::text, count(*) FROM s WHERE section_id IS NOT NULL "
            f"GROUP BY section_id ORDER BY count(*) DESC, section_id LIMIT {SECTION_FACET_SIZE}"
        )
    if facet == "language":
        return "SELECT 'language', language, count(*) FROM s WHERE language <> '' GROUP BY language"
    column = {"series": "series_id", "year": "year"}[facet]
    return f"SELECT '{facet}', {column}::text, count(*) FROM s GROUP BY {column}"


def count_matching(entries, facets, keyword_limit: int | None) -> tuple[int, dict[str, list]]:
    """(number of entries, {facet: [{"value", "count"}]}) over a filtered entry queryset."""
    sql, params = entries.order_by().values(*COLUMNS).query.sql_with_params()
    parts = ["SELECT 'total', '', count(*) FROM s"]
    parts += [f"({_part(facet, keyword_limit)})" for facet in facets]
    query = f"WITH s AS MATERIALIZED ({sql}) " + " UNION ALL ".join(parts)
    return _collect(query, params, facets)


def count_all(facets, keyword_limit: int | None) -> tuple[int, dict[str, list]]:
    """The same counts over the whole catalogue, read from FacetCount in one statement."""
    parts = ["SELECT 'total', '', count FROM catalogue_facetcount WHERE facet = 'total'"]
    params: list = []
    for facet in facets:
        if facet == "issue":
            # The most recent issues, walking the issues' newest-first index.
            parts.append(
                "SELECT 'issue', f.value, f.count FROM catalogue_issue i "
                "JOIN catalogue_facetcount f ON f.facet = 'issue' AND f.value = i.id::text "
                "WHERE f.count > 0 ORDER BY i.year DESC, i.number_sort DESC, i.id DESC LIMIT %s"
            )
            params.append(ISSUE_FACET_SIZE)
            continue
        limit = {"keyword": keyword_limit, "section": SECTION_FACET_SIZE}.get(facet)
        order = "count DESC, value" if facet in ("keyword", "section") else "value"
        parts.append(
            "SELECT facet, value, count FROM catalogue_facetcount "
            f"WHERE facet = %s AND count > 0 ORDER BY {order}"
            + (" LIMIT %s" if limit is not None else "")
        )
        params += [facet] + ([limit] if limit is not None else [])
    query = " UNION ALL ".join(f"({part})" for part in parts)
    return _collect(query, params, facets)


def _collect(query: str, params, facets) -> tuple[int, dict[str, list]]:
    result = {facet: [] for facet in facets}
    total = 0
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        for facet, raw, count in cursor.fetchall():
            if facet == "total":
                total = count
            else:
                result[facet].append({"value": _value(facet, raw), "count": count})
    return total, result


def statistics(top: int = 15) -> dict[str, list[dict]]:
    """The catalogue at a glance: facet-style rows per year, series, language, keyword
    (the `top` most used) and organisation (the `top` most productive)."""
    _total, counts = count_all(["year", "series", "language", "keyword"], keyword_limit=top)
    for name in ("series", "keyword"):
        attach_names(name, counts[name])
    counts["organisation"] = Article.objects.organisation_counts(limit=top)
    return counts


def attach_names(facet: str, rows: list[dict]) -> None:
    """Add to each row what its label is made of (`names` or `labels`), for shown values only."""
    ids = [row["value"] for row in rows]
    if not ids:
        return
    if facet == "series":
        names = {
            row["pk"]: row
            for row in Series.objects.filter(pk__in=ids).values(
                "pk",
                "name_en",
                "name_kk",
                "name_ru",
                "journal__title_en",
                "journal__title_kk",
                "journal__title_ru",
            )
        }
    elif facet == "issue":
        names = {
            row["pk"]: row
            for row in Issue.objects.filter(pk__in=ids).values(
                "pk", "year", "number", "whole_number", "number_sort"
            )
        }
    elif facet == "section":
        names = {
            row["pk"]: row
            for row in Section.objects.filter(pk__in=ids).values(
                "pk", "name_en", "name_kk", "name_ru"
            )
        }
    elif facet == "keyword":
        labels: dict[int, dict] = {}
        for concept, language, text in (
            Keyword.objects.filter(concept__in=ids)
            .order_by("concept", "language", "id")
            .values_list("concept", "language", "text")
        ):
            labels.setdefault(concept, {}).setdefault(language, text)
        for row in rows:
            row["labels"] = labels.get(row["value"], {})
        return
    else:
        return
    for row in rows:
        row["names"] = names.get(row["value"])
