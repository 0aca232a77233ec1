"""What the browse page's one search box makes of what people paste into it.

- a DOI, bare or as a link (`10.1000/x`, `doi:10.1000/x`, `https://doi.org/10.1000/x`):
  the article that has it (a DOI inferred from an issue's pattern is a guess, so only a
  confirmed one is followed);
- "did you mean": words of the query the catalogue never uses, replaced by its nearest
  own words (SearchWord: every title and keyword word, kept by the database);
- snippets: a few words around the matches, for the rows of the page shown only.
"""

import re
from urllib.parse import unquote

from django.db import connections, router
from django.db.models.functions import Lower
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import LANGUAGE_CODES, SEARCH_CONFIGS, Article, SearchWord
from .search import trigram_thresholds

DOI = re.compile(
    r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*|doi\s+)?(?P<doi>10\.\d{4,9}/\S+?)[.,;]?$",
    re.IGNORECASE,
)
# "Did you mean" looks at queries of at most this many words, words of at least MIN_LETTERS.
SUGGEST_WORDS = 5
MIN_LETTERS = 4
SUGGEST_THRESHOLD = 0.4
# Queries finding fewer results than this get a "did you mean", when there is one.
SUGGEST_BELOW = 3
# ts_headline's options: two short fragments; the marks are private-use characters so
# that the text can be escaped before they become <mark> elements.
MARK_START, MARK_STOP = "\ue000", "\ue001"
HEADLINE_OPTIONS = (
    f"MaxFragments=2, MaxWords=16, MinWords=6, FragmentDelimiter=' … ', "
    f"StartSel={MARK_START}, StopSel={MARK_STOP}"
)


def doi_in(text: str) -> str:
    """The DOI that `text` is, or ""."""
    match = DOI.match(unquote(text.strip()))
    return match["doi"] if match else ""


def article_with_doi(doi: str) -> Article | None:
    return (
        Article.objects.alias(doi_lower=Lower("doi"))
        .filter(doi_lower=doi.lower(), doi_inferred=False)
        .only("pk")
        .first()
    )


def spelling_suggestion(query: str) -> str:
    """The query with each word the catalogue does not use replaced by its nearest word
    that it does; "" when no word changes."""
    words = re.findall(r"[^\W\d_]+", query.lower())
    if not words or len(words) > SUGGEST_WORDS:
        return ""
    candidates = [word for word in words if len(word) >= MIN_LETTERS]
    known = set(SearchWord.objects.filter(word__in=candidates).values_list("word", flat=True))
    unknown = [word for word in candidates if word not in known]
    if not unknown:
        return ""
    replaced = {}
    with trigram_thresholds(SUGGEST_THRESHOLD):
        for word in unknown:
            nearest = list(SearchWord.objects.similar_to(word, SUGGEST_THRESHOLD)[:1])
            if nearest:
                replaced[word] = nearest[0]
    if not replaced:
        return ""
    return " ".join(replaced.get(word, word) for word in words)


def attach_snippets(articles, query: str, language: str) -> None:
    """Set `snippet` (safe HTML, matches in <mark>) on each article whose abstract matches
    `query`: the visitor's language first, then the others. One statement for the page."""
    if not articles or not query:
        return
    order = [language] + [code for code in LANGUAGE_CODES if code != language]
    columns = []
    params = []
    for code in order:
        config = SEARCH_CONFIGS[code]
        columns.append(
            f"CASE WHEN abstract_{code} <> '' AND to_tsvector(%s::regconfig, abstract_{code})"
            f" @@ websearch_to_tsquery(%s::regconfig, %s) THEN ts_headline(%s::regconfig,"
            f" abstract_{code}, websearch_to_tsquery(%s::regconfig, %s), %s) END"
        )
        params += [config, config, query, config, config, query, HEADLINE_OPTIONS]
    sql = f"SELECT id, {', '.join(columns)} FROM catalogue_article WHERE id = ANY(%s)"  # noqa: S608
    alias = router.db_for_read(Article)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [*params, [article.pk for article in articles]])
        found = {row[0]: next((text for text in row[1:] if text), "") for row in cursor}
    for article in articles:
        article.snippet = _marked(found.get(article.pk, ""))


def _marked(text: str):
    if MARK_START not in text:
        return ""
    html = escape(text).replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only the marks are markup
