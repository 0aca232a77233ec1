"""Author search: one person found by any printed form of their name, in any script."""

import unicodedata

from django.db.models import Prefetch
from django.http import Http404
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import (
    LANGUAGE_CODES,
    Author,
    Authorship,
    AuthorshipAffiliation,
    NameVariant,
)
from .pagecache import per_catalogue_version
from .search import trigram_thresholds

RESULT_LIMIT = 25
# When some printed forms match closely, only they are shown; looser matches
# only when nothing is close.
CLOSE_THRESHOLD = 0.6
SUGGESTION_LIMIT = 5
SUGGESTION_THRESHOLD = 0.2
# The A–Z index lists this many people a page.
INDEX_PAGE_SIZE = 50
SCRIPTS = {"LATIN": _("Latin"), "CYRILLIC": _("Cyrillic")}


def search_authors(query: str, limit: int = RESULT_LIMIT) -> dict:
    """{"results": [...best first], "suggestions": [names]} in a fixed number of queries.

    Each result: {"author_id", "matched" (the printed form that matched best), "score",
    and the person's card (_cards): "display_name", "orcid", "names", "affiliations",
    "article_count", "first_year", "last_year", "html"}.
    """
    best = {}
    matches = NameVariant.objects.matching(query, most=limit * 10)
    if matches and matches[0]["score"] >= CLOSE_THRESHOLD:
        matches = [match for match in matches if match["score"] >= CLOSE_THRESHOLD]
    for variant in matches:
        best.setdefault(variant["author_id"], variant)
    ids = list(best)[:limit]
    if not ids:
        return {"results": [], "suggestions": suggestions(query)}
    cards = per_catalogue_version("person", ids, _cards)
    results = [
        {
            "author_id": author_id,
            "matched": best[author_id]["name"],
            "score": best[author_id]["score"],
            **cards[author_id],
        }
        for author_id in ids
        if author_id in cards
    ]
    return {"results": results, "suggestions": []}


def _cards(ids: list[int]) -> dict[int, dict]:
    """What a search result says of each person, for people who exist: {"display_name",
    "orcid", "names" ({language: [printed forms]}), "affiliations" (of the latest
    article, as text), "article_count", "first_year", "last_year", and "html", the
    card's lines as the result list shows them}. It depends on the person's articles
    too, so it is kept per version of the catalogue (pagecache.per_catalogue_version),
    not of the person; rendering a person's lines once, not at every search that finds
    them, is most of what a search page costs."""
    people = Author.objects.only("display_name", "orcid").in_bulk(ids)
    summaries = Author.objects.filter(pk__in=ids).summaries()
    # The printed forms as rows: a hundred model instances cost more than the query.
    variants: dict[int, list[tuple[str, str]]] = {}
    for author_id, language, name in (
        NameVariant.objects.filter(author_id__in=ids)
        .order_by("language", "name")
        .values_list("author_id", "language", "name")
    ):
        variants.setdefault(author_id, []).append((language, name))
    # Only each person's latest authorship is read for the affiliation shown, however
    # many articles they have.
    latest_by_id = Authorship.objects.prefetch_related(
        Prefetch(
            "affiliation_links",
            queryset=AuthorshipAffiliation.objects.select_related("organisation"),
        )
    ).in_bulk([summary["latest_authorship"] for summary in summaries.values()])
    empty = {"article_count": 0, "first_year": None, "last_year": None, "latest_authorship": None}
    cards = {}
    for author_id, person in people.items():
        names = {}
        for language, name in variants.get(author_id, []):
            names.setdefault(language, [])
            if name not in names[language]:
                names[language].append(name)
        summary = summaries.get(author_id, empty)
        latest = latest_by_id.get(summary["latest_authorship"])
        card = {
            "display_name": person.display_name,
            "orcid": person.orcid,
            "names": {code: names[code] for code in LANGUAGE_CODES if code in names},
            "affiliations": [org.as_text() for org in latest.ordered_affiliations()]
            if latest
            else [],
            "article_count": summary["article_count"],
            "first_year": summary["first_year"],
            "last_year": summary["last_year"],
        }
        card["html"] = render_to_string("catalogue/includes/person_card.html", card)
        cards[author_id] = card
    return cards


def matching_authors(query: str, limit: int = 3) -> list[dict]:
    """The few people whose printed names match `query` closely, for the browse page:
    [{"author", "matched", "article_count"}], best first. The name search's own
    index-backed lookup, bounded to `limit` people; nothing for a loose match."""
    matches = NameVariant.objects.matching(query, CLOSE_THRESHOLD, most=limit * 5)
    best = {}
    for variant in matches:
        best.setdefault(variant["author_id"], variant)
    ids = list(best)[:limit]
    if not ids:
        return []
    summaries = Author.objects.filter(pk__in=ids).summaries()
    authors = Author.objects.in_bulk(ids)
    return [
        {
            "author": authors[author_id],
            "matched": best[author_id]["name"],
            "article_count": summaries.get(author_id, {}).get("article_count", 0),
        }
        for author_id in ids
        if author_id in authors
    ]


def suggestions(query: str) -> list[str]:
    """Printed names nearest to a query that matched nothing ("did you mean")."""
    names = []
    with trigram_thresholds(SUGGESTION_THRESHOLD):
        rows = list(
            NameVariant.objects.sharing_words(query, SUGGESTION_THRESHOLD, most=50)
            .scored(query)
            .filter(score__gt=SUGGESTION_THRESHOLD)
            .order_by("-score", "name")
            .values_list("name", flat=True)[: SUGGESTION_LIMIT * 4]
        )
    for name in rows:
        if name not in names:
            names.append(name)
    return names[:SUGGESTION_LIMIT]


def author_index(letter: str, after: str) -> dict:
    """One page of the A–Z index: {"scripts": [(name, [letters])], "letter", "authors":
    [(author, summary)], "next_after" (id to continue after, or None), "continued"}.

    Paged by keyset (`after` is the last id of the previous page), so a page deep
    into a letter of a million names costs what the first one does. A letter that
    no name starts with, or an `after` that is not an author, is not found.
    """
    letters = Author.objects.initials()
    scripts: dict[str, list[str]] = {}
    for initial in letters:
        script = unicodedata.name(initial, "").split(" ")[0]
        scripts.setdefault(script if script in SCRIPTS else "", []).append(initial)
    # The interface's own script first: Cyrillic for Kazakh and Russian, else Latin.
    order = ["LATIN", "CYRILLIC", ""]
    if (get_language() or "en")[:2] in ("kk", "ru"):
        order = ["CYRILLIC", "LATIN", ""]
    shown = [
        (SCRIPTS.get(script, _("Other")), scripts[script]) for script in order if script in scripts
    ]
    letter = letter.upper() or (shown[0][1][0] if shown else "")
    if letter and letter not in letters:
        raise Http404("No author's name starts with this letter.")
    start = None
    if after:
        start = Author.objects.filter(pk=int(after) if after.isdigit() else 0).first()
        if start is None:
            raise Http404("No such author.")
    people = (
        list(Author.objects.under_initial(letter, start)[: INDEX_PAGE_SIZE + 1]) if letter else []
    )
    more = len(people) > INDEX_PAGE_SIZE
    people = people[:INDEX_PAGE_SIZE]
    summaries = (
        Author.objects.filter(pk__in=[person.pk for person in people]).summaries() if people else {}
    )
    return {
        "scripts": shown,
        "letter": letter,
        "authors": [(person, summaries.get(person.pk, {})) for person in people],
        "next_after": people[-1].pk if more else None,
        "continued": start is not None,
    }
