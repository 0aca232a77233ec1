"""Author search: one person found by any printed form of their name, in any script."""

from django.db.models import Prefetch

from .models import LANGUAGE_CODES, Author, Authorship, AuthorshipAffiliation, NameVariant

RESULT_LIMIT = 50
SUGGESTION_LIMIT = 5
SUGGESTION_THRESHOLD = 0.2


def search_authors(query: str, limit: int = RESULT_LIMIT) -> dict:
    """{"results": [...best first], "suggestions": [names]} in a fixed number of queries.

    Each result: {"author", "matched" (the printed form that matched best), "score",
    "names" ({language: [printed forms]}), "affiliations" (latest article's),
    "article_count", "first_year", "last_year"}.
    """
    best = {}
    for variant in NameVariant.objects.matching(query).values("author_id", "name", "score")[
        : limit * 10
    ]:
        best.setdefault(variant["author_id"], variant)
    ids = list(best)[:limit]
    if not ids:
        return {"results": [], "suggestions": suggestions(query)}
    authors = (
        Author.objects.filter(pk__in=ids)
        .with_summary()
        .prefetch_related(
            "name_variants",
            Prefetch(
                "authorships",
                queryset=Authorship.objects.select_related("article__issue")
                .prefetch_related(
                    Prefetch(
                        "affiliation_links",
                        queryset=AuthorshipAffiliation.objects.select_related("organisation"),
                    )
                )
                .order_by("-article__issue__year", "-article__issue__number_sort", "-id"),
            ),
        )
    )
    by_id = {author.pk: author for author in authors}
    results = []
    for author_id in ids:
        author = by_id[author_id]
        names = {}
        for variant in author.name_variants.all():
            names.setdefault(variant.language, [])
            if variant.name not in names[variant.language]:
                names[variant.language].append(variant.name)
        latest = next(iter(author.authorships.all()), None)
        results.append(
            {
                "author": author,
                "matched": best[author_id]["name"],
                "score": best[author_id]["score"],
                "names": {code: names[code] for code in LANGUAGE_CODES if code in names},
                "affiliations": latest.ordered_affiliations() if latest else [],
                "article_count": author.article_count,
                "first_year": author.first_year,
                "last_year": author.last_year,
            }
        )
    return {"results": results, "suggestions": []}


def suggestions(query: str) -> list[str]:
    """Printed names nearest to a query that matched nothing ("did you mean")."""
    names = []
    rows = (
        NameVariant.objects.scored(query)
        .filter(score__gt=SUGGESTION_THRESHOLD)
        .order_by("-score", "name")
        .values_list("name", flat=True)[: SUGGESTION_LIMIT * 4]
    )
    for name in rows:
        if name not in names:
            names.append(name)
    return names[:SUGGESTION_LIMIT]
