"""The catalogue's JSON export format: one object per article.

This shape is a contract: the API returns it, `export --format json` writes
it, and `ingest` reads it back (catalogue.parsing.json_export). Language keys are
ISO 639-1; a language that is absent is left out; unknown scalars are null.
"""

from .models import LANGUAGE_CODES, Article, per_language


def article_to_dict(article: Article) -> dict:
    """Serialise one article; call on `Article.objects.with_details()` to avoid N+1."""
    issue = article.issue
    series = issue.series
    journal = series.journal
    keywords: dict[str, list[str]] = {}
    for item in sorted(
        article.article_keywords.all(),
        key=lambda k: (LANGUAGE_CODES.index(k.keyword.language), k.position),
    ):
        keywords.setdefault(item.keyword.language, []).append(item.keyword.text)
    return {
        "doi": article.doi,
        "doi_inferred": article.doi_inferred,
        "journal": journal.title_en or journal.title,
        "series": series.name_en or series.name or None,
        "issn": journal.issns,
        "year": issue.year,
        "issue": issue.number,
        "whole_number": issue.whole_number or None,
        "volume": issue.volume or None,
        "first_page": article.first_page,
        "last_page": article.last_page,
        "section": per_language(article.section, "name") if article.section else {},
        "udc": list(article.udc),
        "irsti": list(article.irsti),
        "language": article.language or None,
        "title": per_language(article, "title"),
        "printed_title": per_language(article, "printed_title"),
        "abstract": per_language(article, "abstract"),
        "keywords": keywords,
        "authors": [authorship_to_dict(authorship) for authorship in article.authorships.all()],
        "received": article.received.isoformat() if article.received else None,
        "accepted": article.accepted.isoformat() if article.accepted else None,
        "references": [reference.text for reference in article.references.all()],
        "sources": [source.document.file_name for source in article.sources.all()],
    }


def authorship_to_dict(authorship) -> dict:
    author = authorship.author
    return {
        "author_id": author.pk,
        "name": per_language(authorship, "name"),
        "full_name": per_language(authorship, "full_name"),
        "orcid": author.orcid,
        "email": authorship.email or author.email or None,
        "affiliations": [org.as_text("en") for org in authorship.ordered_affiliations()],
    }


def export_articles(queryset=None, chunk_size: int = 500):
    """Yield export dicts for every article in catalogue order, a chunk at a time."""
    queryset = Article.objects.all() if queryset is None else queryset
    yield from (
        article_to_dict(article)
        for article in queryset.with_details().in_catalogue_order().iterator(chunk_size)
    )
