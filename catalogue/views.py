"""Public pages. Query logic lives in the models' QuerySets and in filters.py."""

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import charts, citations, discovery, facets, pagecache
from .authors import author_index, matching_authors, search_authors
from .facets import attach_names, count_all
from .filters import (
    LANGUAGE_NAMES,
    SORTS,
    ArticleFilter,
    ArticleResults,
    facet_label,
    in_preferred,
)
from .models import (
    LANGUAGE_CODES,
    Article,
    Author,
    BrowseEntry,
    IrstiSubject,
    Issue,
    Journal,
    MergedAuthor,
    OaiTombstone,
    Series,
)
from .querystring import Links, page_url

PAGE_SIZE = 20
# A facet lists this many values; the others fold under "more" on the page.
FACET_SHOWN = 8
# A browse query of at most this many words is also looked up among authors' names, and
# this many people matching it are offered above the results.
AUTHOR_QUERY_WORDS = 4
AUTHORS_OFFERED = 3
# A prolific author has thousands of articles: their page lists them in pages.
AUTHOR_PAGE_SIZE = 50
COAUTHORS_SHOWN = 30
# The archive shows every issue on one page up to this many; past it, one journal's.
ARCHIVE_ALL_UP_TO = 1_000
# How many keywords and organisations the statistics page ranks.
STATISTICS_TOP = 15


@pagecache.kept_whole
def home(request):
    context = {
        "latest_issues": Issue.objects.with_journal().latest_first()[:6],
        "author_count": Author.objects.count(),
        "issue_count": Issue.objects.count(),
        "journals": Journal.objects.prefetch_related("series"),
    }
    context["article_count"], counts = count_all(["keyword"], keyword_limit=12)
    context["top_keywords"] = counts["keyword"]
    attach_names("keyword", context["top_keywords"])
    language = _interface_language()
    for row in context["top_keywords"]:
        row["label"] = facet_label("keyword", row, language)
    return render(request, "catalogue/home.html", context)


@pagecache.kept_whole
def article_list(request):
    filterset = ArticleFilter(request.GET)
    filterset.is_valid()
    query = filterset.query_text
    doi = discovery.doi_in(query) if query else ""
    if doi:
        found = discovery.article_with_doi(doi)
        if found is not None:
            return redirect("catalogue:article_detail", found.pk)
    facets = filterset.facets()  # also counts the results, for the paginator
    # The page's ids and stamps; each entry comes from the cache (pagecache.article_entries).
    paginator = Paginator(filterset.results(), PAGE_SIZE)
    page = _page_or_404(paginator, request.GET.get("page"))
    params = request.GET
    links = Links(params)
    for name, values in facets.items():
        for value in values:
            value["url"] = links.toggled(name, value["value"])
        _fold_long_facet(values)
    chips = _chips(filterset, facets, links)
    authors, suggestion = [], ""
    if query:
        discovery.attach_snippets(page.object_list, query, _interface_language())
        if not doi and len(query.split()) <= AUTHOR_QUERY_WORDS:
            authors = matching_authors(query, limit=AUTHORS_OFFERED)
        # Looked up whatever the number of results (so the page's queries do not depend
        # on it), offered only when the query found few.
        suggestion = discovery.spelling_suggestion(query)
        if paginator.count >= discovery.SUGGEST_BELOW:
            suggestion = ""
    context = {
        "filterset": filterset,
        "problems": filterset.form.problems(),
        "years_swapped": filterset.form.years_swapped,
        "page": page,
        "count_capped": paginator.object_list.capped,
        "count_cap": paginator.object_list.cap,
        "entries": pagecache.article_entries(request, page.object_list),
        "facets": [
            (name, filterset.filters[name].label, values, sum(v["more"] for v in values))
            for name, values in facets.items()
        ],
        "chips": chips,
        # The chosen facet values, kept as hidden fields of the search form.
        "selected_values": [
            (name, value["value"])
            for name, values in facets.items()
            for value in values
            if value["selected"]
        ],
        "matching_authors": authors,
        "suggestion": suggestion,
        "suggestion_url": links.with_params(q=suggestion, page=None) if suggestion else "",
        # What the page holds, for its <title>: the filters chosen (the query comes first).
        "title_chips": [f"{chip['name']}: {chip['label']}" for chip in chips if chip["facet"]][:3],
        "sorts": [
            (key, label, links.with_params(sort=key), key == filterset.ordering)
            for key, label in SORTS.items()
            if key != "relevance" or filterset.query_text
        ],
        "sort_param": filterset.value("sort") or "",
        "page_links": _page_links(page, params),
        "more_keywords_url": "keywords/" + links.with_params(),
        "clear_url": "?",
        # Drawn from the year facet's counts: no extra query.
        "year_histogram": charts.histogram(sorted(facets["year"], key=lambda v: v["value"])),
    }
    response = render(request, "catalogue/article_list.html", context)
    if filterset.counts_incomplete:
        pagecache.keep_briefly(response)
    return response


@pagecache.kept_whole
def statistics(request):
    """The catalogue at a glance: five bar charts, each followed by its numbers as a table."""
    language = _interface_language()
    counts = facets.statistics(top=STATISTICS_TOP)
    browse = reverse("catalogue:article_list")
    rows = {
        "year": [
            {
                **row,
                "label": str(row["value"]),
                "url": browse + "?" + urlencode({"year": row["value"]}),
            }
            for row in sorted(counts["year"], key=lambda row: row["value"])
        ],
        "series": [
            {
                **row,
                "label": facet_label("series", row, language),
                "url": browse + "?" + urlencode({"series": row["value"]}),
            }
            for row in sorted(counts["series"], key=lambda row: -row["count"])
        ],
        "language": [
            {
                **row,
                "label": facet_label("language", row, language),
                "url": browse + "?" + urlencode({"language": row["value"]}),
            }
            for row in sorted(counts["language"], key=lambda row: -row["count"])
        ],
        "keyword": [
            {
                **row,
                "label": facet_label("keyword", row, language),
                "url": browse + "?" + urlencode({"keyword": row["value"]}),
            }
            for row in counts["keyword"]
        ],
        "organisation": [
            {**row, "label": in_preferred(row["names"], "name", language), "url": ""}
            for row in counts["organisation"]
        ],
    }
    headings = {
        "year": (_("Articles per year"), _("Year")),
        "series": (_("Articles per series"), _("Series")),
        "language": (_("Articles per language"), _("Language")),
        "keyword": (
            _("The %(count)s most frequent keywords") % {"count": STATISTICS_TOP},
            _("Keyword"),
        ),
        "organisation": (
            _("The %(count)s most productive organisations") % {"count": STATISTICS_TOP},
            _("Organisation"),
        ),
    }
    sections = []
    for name, (title, column) in headings.items():
        chart = charts.bar_chart(rows[name])
        sections.append({"name": name, "title": title, "column": column, "chart": chart})
    context = {"sections": sections, "article_count": sum(r["count"] for r in counts["year"])}
    return render(request, "catalogue/statistics.html", context)


@pagecache.kept_whole
def keyword_list(request):
    """Every keyword of the current results, with counts; `kq` narrows the list."""
    filterset = ArticleFilter(request.GET)
    filterset.is_valid()
    matching = request.GET.get("kq", "").strip()
    params = request.GET.copy()
    params.pop("kq", None)
    choices = filterset.keyword_choices(matching=matching)
    links = Links(params)
    for choice in choices:
        choice["url"] = "../" + links.toggled("keyword", choice["value"])
    context = {
        "choices": choices,
        "matching": matching,
        "hidden": [(name, value) for name, values in params.lists() for value in values],
        "back_url": "../" + links.with_params(),
    }
    response = render(request, "catalogue/keyword_list.html", context)
    if filterset.counts_incomplete:
        pagecache.keep_briefly(response)
    return response


@pagecache.kept_whole
def article_detail(request, pk):
    try:
        return _article_page(request, pk)
    except Http404:
        # An article merged into another: its address moves for good to the one kept.
        kept = OaiTombstone.objects.merged().filter(article_id=pk).first()
        if kept is None:
            raise
        return _moved(request, reverse("catalogue:article_detail", args=[kept.merged_into]))


@pagecache.record_page(pagecache.article_stamp)
def _article_page(request, pk, stamp):
    """The record's part of the page (its trust line too) comes from the cache."""
    record = pagecache.rendered(request, stamp, "page", lambda: _article_record(request, pk))
    return render(request, "catalogue/article_detail.html", {"record": record})


def _article_record(request, pk) -> dict:
    article = get_object_or_404(Article.objects.with_details(), pk=pk)
    language = _interface_language()
    languages = [language] + [code for code in LANGUAGE_CODES if code != language]
    keywords = {}
    for item in article.article_keywords.all():
        keywords.setdefault(item.keyword.language, []).append(item)
    versions = [
        {
            "code": code,
            "name": LANGUAGE_NAMES[code],
            "title": getattr(article, f"title_{code}"),
            "abstract": getattr(article, f"abstract_{code}"),
            "keywords": sorted(keywords.get(code, []), key=lambda k: k.position),
        }
        for code in languages
        if getattr(article, f"title_{code}")
        or getattr(article, f"abstract_{code}")
        or keywords.get(code)
    ]
    context = {
        "article": article,
        "versions": versions,
        "authorships": list(article.authorships.all()),
        "language_name": LANGUAGE_NAMES.get(article.language, article.language),
        "irsti": list(IrstiSubject.labels(article.irsti).items()),
        "page_title": citations.page_title(article, language),
        # The page's address without its query string: the same for every visitor.
        "meta_tags": citations.meta_tags(article, request.build_absolute_uri(request.path)),
        "json_ld": citations.json_ld(article, request.build_absolute_uri(request.path)),
        "gost": citations.gost(article),
        "apa": citations.apa(article),
    }
    return {
        "title": conditional_escape(context["page_title"]),
        "head": render_to_string("catalogue/includes/article_head.html", context, request),
        "body": render_to_string("catalogue/includes/article_record.html", context, request),
    }


CITATION_FORMATS = {
    "bib": (citations.bibtex, "application/x-bibtex; charset=utf-8"),
    "ris": (citations.ris, "application/x-research-info-systems; charset=utf-8"),
    "json": (citations.csl_json_text, "application/vnd.citationstyles.csl+json; charset=utf-8"),
    "gost.txt": (citations.gost, "text/plain; charset=utf-8"),
    "apa.txt": (citations.apa, "text/plain; charset=utf-8"),
}


@pagecache.kept_whole
@pagecache.record_page(pagecache.article_stamp)
def article_cite(request, pk, fmt, stamp):
    """cite.bib|ris|json|gost.txt|apa.txt; ?lang=en|kk|ru, else the article's language."""
    if fmt not in CITATION_FORMATS:
        raise Http404
    render_citation, content_type = CITATION_FORMATS[fmt]
    language = request.GET.get("lang")
    options = {"language": language} if language in LANGUAGE_CODES else {}

    def cite():
        article = get_object_or_404(Article.objects.with_details(), pk=pk)
        text = render_citation(article, **options)
        return {"text": text if text.endswith("\n") else text + "\n"}

    part = f"cite.{fmt}.{options.get('language', '')}"
    response = HttpResponse(
        pagecache.rendered(request, stamp, part, cite)["text"], content_type=content_type
    )
    response["Content-Disposition"] = f'attachment; filename="article-{pk}.{fmt}"'
    return response


def _moved(request, location):
    """301 to where a merged record now lives, keeping the query string."""
    query = request.GET.urlencode()
    return HttpResponsePermanentRedirect(location + (f"?{query}" if query else ""))


@pagecache.kept_whole
def author_list(request):
    """Author search; with no query, the A–Z index of every author."""
    query = request.GET.get("q", "").strip()
    if query:
        found = search_authors(query)
        context = {"results": found["results"], "suggestions": found["suggestions"]}
    else:
        index = author_index(request.GET.get("letter", ""), request.GET.get("after", ""))
        context = {"index": index}
    return render(request, "catalogue/author_list.html", {"query": query, **context})


@pagecache.kept_whole
def author_detail(request, pk):
    author = Author.objects.prefetch_related("name_variants").filter(pk=pk).first()
    if author is None:
        # A record merged into another: its address moves for good to the person kept.
        merged = MergedAuthor.objects.filter(merged_id=pk).first()
        if merged is None:
            raise Http404("No such author.")
        return _moved(request, reverse("catalogue:author_detail", args=[merged.author_id]))
    summary = author.page_summary()
    # The person's articles in catalogue order on the browse index (authors && [pk]),
    # each entry from the cache like the browse page's (pagecache.article_entries).
    articles = ArticleResults(
        BrowseEntry.objects.by_authors([author.pk]).newest_first(),
        summary["article_count"],
    )
    page = _page_or_404(Paginator(articles, AUTHOR_PAGE_SIZE), request.GET.get("page"))
    variants = {}
    for variant in author.name_variants.all():
        variants.setdefault(variant.language, []).append(variant)
    context = {
        "author": author,
        "summary": summary,
        "variants": [(LANGUAGE_NAMES[code], variants[code]) for code in variants],
        "page": page,
        "entries": pagecache.article_entries(request, page.object_list),
        "page_links": _page_links(page, request.GET),
        "coauthors": author.coauthors(COAUTHORS_SHOWN),
        "affiliations": author.organisations(),
        "show_email": settings.CATALOGUE_PUBLISH_EMAILS and author.email,
    }
    return render(request, "catalogue/author_detail.html", context)


@pagecache.kept_whole
@pagecache.record_page(pagecache.issue_stamp)
def issue_detail(request, pk, stamp):
    record = pagecache.rendered(request, stamp, "page", lambda: _issue_record(request, pk))
    return render(request, "catalogue/issue_detail.html", {"record": record})


def _issue_record(request, pk) -> dict:
    issue = get_object_or_404(Issue.objects.with_journal(), pk=pk)
    articles = (
        issue.articles.for_browse()
        .select_related("section")
        .order_by("position", "first_page", "id")
    )
    sections = []
    for article in articles:
        if not sections or sections[-1][0] != article.section:
            sections.append((article.section, []))
        sections[-1][1].append(article)
    context = {"issue": issue, "sections": sections}
    return {
        "title": render_to_string("catalogue/includes/issue_title.html", context, request),
        "body": render_to_string("catalogue/includes/issue_toc.html", context, request),
    }


@pagecache.kept_whole
def series_detail(request, pk):
    series = get_object_or_404(
        Series.objects.select_related("journal").prefetch_related(
            Prefetch(
                "issues",
                queryset=Issue.objects.latest_first().annotate(article_count=Count("articles")),
            )
        ),
        pk=pk,
    )
    years = []
    for issue in series.issues.all():
        if not years or years[-1][0] != issue.year:
            years.append((issue.year, []))
        years[-1][1].append(issue)
    return render(request, "catalogue/series_detail.html", {"series": series, "years": years})


@pagecache.kept_whole
def archive(request):
    """Every issue, by journal, series and year; counts from FacetCount.

    A small catalogue is one page. Past ARCHIVE_ALL_UP_TO issues (a million articles
    are some 33,000 issues) the page lists the journals and shows the issues of one
    (`?journal=`, the first by default), so that it stays a page, not megabytes.
    """
    journals = list(Journal.objects.with_issue_counts())
    everything = sum(journal.issue_count for journal in journals) <= ARCHIVE_ALL_UP_TO
    chosen = None
    if request.GET.get("journal") or not everything:
        wanted = request.GET.get("journal", "")
        chosen = next((j for j in journals if str(j.pk) == wanted), None)
        if wanted and chosen is None:
            raise Http404("No such journal.")
        chosen = chosen or (journals[0] if journals else None)
    issues = Issue.objects.in_archive_order()
    if chosen is not None:
        issues = issues.filter(series__journal=chosen)
    counts = facets.articles_per_issue([issue.pk for issue in issues])
    shelves = []
    for issue in issues:
        series = issue.series
        if not shelves or shelves[-1]["journal"].pk != series.journal_id:
            shelves.append({"journal": series.journal, "series": []})
        parts = shelves[-1]["series"]
        if not parts or parts[-1]["series"].pk != series.pk:
            parts.append({"series": series, "years": []})
        years = parts[-1]["years"]
        if not years or years[-1][0] != issue.year:
            years.append((issue.year, []))
        issue.article_count = counts.get(issue.pk, 0)
        years[-1][1].append(issue)
    context = {"journals": shelves, "journal_index": journals if len(journals) > 1 else []}
    context["chosen"] = chosen
    return render(request, "catalogue/archive.html", context)


# ---------------------------------------------------------------- helpers


def _interface_language() -> str:
    return (get_language() or "en")[:2]


def _chips(filterset, facets, links):
    """Active filters as removable chips: [{"name", "label", "url"}]."""
    chips = []
    if filterset.query_text:
        chips.append(
            {
                "name": _("Search"),
                "label": f"“{filterset.query_text}”",
                "url": links.with_params(q=None),
                "facet": False,
            }
        )
    for name, values in facets.items():
        for value in values:
            if value["selected"]:
                chips.append(
                    {
                        "name": filterset.filters[name].label,
                        "label": value["label"],
                        "url": links.toggled(name, value["value"]),
                        "facet": True,
                    }
                )
    for name in ("year_from", "year_to"):
        if filterset.value(name):
            chips.append(
                {
                    "name": filterset.filters[name].label,
                    "label": str(filterset.value(name)),
                    "url": links.with_params(**{name: None}),
                    "facet": True,
                }
            )
    return chips


def _fold_long_facet(values: list[dict]) -> None:
    """Past FACET_SHOWN values, mark the rest `more` (the page folds them under "more"),
    except a chosen one: it stays in sight to be removed."""
    for index, value in enumerate(values):
        value["more"] = index >= FACET_SHOWN and not value["selected"]


def _page_or_404(paginator, number):
    """The page asked for; no `page` is the first. A number that is not a page (0, -1,
    past the last, not a number) is not found, rather than quietly another page."""
    if number in (None, ""):
        return paginator.page(1)
    try:
        return paginator.page(int(number))
    except (ValueError, InvalidPage):
        raise Http404("No such page.") from None


def _page_links(page, params):
    if page.paginator.num_pages <= 1:
        return {}
    return {
        "previous": page_url(params, page.previous_page_number()) if page.has_previous() else "",
        "next": page_url(params, page.next_page_number()) if page.has_next() else "",
        "first": page_url(params, 1),
        "last": page_url(params, page.paginator.num_pages),
    }
