"""The browse filters shared by /articles/ and /api/articles, and their facet counts.

Several values of one parameter OR together (`?year=2024&year=2025`); different
parameters AND. Each facet's counts are taken with every OTHER active filter
applied, so a count says how many results that value would give if chosen.
"""

import re
import time
from dataclasses import dataclass
from datetime import datetime

import django_filters
from django import forms
from django.conf import settings
from django.db import connections, router
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import counted_searches
from .facets import (
    RANKED_ARRAYS,
    SLICED_WITHIN,
    CountsTooSlow,
    attach_all_names,
    attach_names,
    count_matching,
    count_sliced,
    count_within,
)
from .models import (
    IRSTI_CODE,
    LANGUAGE_CODES,
    Article,
    BrowseEntry,
    FacetCount,
    Keyword,
    RecordDatestamp,
)

IRSTI_PREFIX = re.compile(IRSTI_CODE)
SORTS = {"relevance": _("relevance"), "newest": _("newest first"), "title": _("title")}
LANGUAGE_NAMES = {"en": _("English"), "kk": _("Kazakh"), "ru": _("Russian")}
KEYWORD_FACET_SIZE = 10
# Matches beyond which a text search is not ranked (see ArticleFilter.ordering).
RELEVANCE_LIMIT = 20_000
# When a search's counts run out of time, its results are counted up to this many.
COUNT_CAP = 10_000
# The filters FacetCount slices by, and the facets its slices count within one value.
SLICE_FILTERS = {"year", "year_from", "year_to", "language"}
WITHIN = ("year", "language")
# The keyword "more" page lists at most this many concepts; `kq` narrows it.
KEYWORD_CHOICES_SIZE = 300


def _int(value: str) -> int:
    return int(value)


def _id(value: str) -> int:
    """A record id: a positive integer that fits PostgreSQL's bigint."""
    number = int(value)
    if not 0 < number < 2**63:
        raise ValueError(value)
    return number


def _language_code(value: str) -> str:
    if value not in LANGUAGE_CODES:
        raise ValueError(value)
    return value


def _irsti(value: str) -> str:
    if not IRSTI_PREFIX.match(value):
        raise ValueError(value)
    return value


class ListField(forms.Field):
    """A repeatable GET parameter (`?series=1&series=2`), each value checked by `coerce`."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, coerce=str, **kwargs):
        self.coerce = coerce
        super().__init__(**kwargs)

    def clean(self, value):
        """The valid values; the others are kept in `rejected` (BrowseForm reports them),
        so one bad value does not drop the good ones beside it."""
        values = []
        self.rejected = []
        for item in value or []:
            item = item.strip()
            if not item:
                continue
            try:
                item = self.coerce(item)
            except (TypeError, ValueError):
                if item not in self.rejected:
                    self.rejected.append(item)
                continue
            if item not in values:
                values.append(item)
        return values


class BrowseForm(forms.Form):
    """The browse filters' form: a year range given backwards is turned round (and said
    so), and values a list parameter could not take are collected in `rejected`."""

    def clean(self):
        data = super().clean()
        first, last = data.get("year_from"), data.get("year_to")
        self.years_swapped = first is not None and last is not None and first > last
        if self.years_swapped:
            data["year_from"], data["year_to"] = last, first
        self.rejected = {
            name: field.rejected
            for name, field in self.fields.items()
            if getattr(field, "rejected", None)
        }
        return data

    def problems(self) -> list[tuple[str, str]]:
        """(parameter label, message) for every value not understood, for the page and API."""
        found = [
            (str(self.fields[name].label or name) if name in self.fields else name, message)
            for name, messages in self.errors.items()
            for message in messages
        ]
        for name, values in getattr(self, "rejected", {}).items():
            for value in values:
                message = _("“%(value)s” is not a valid value.") % {"value": value}
                found.append((str(self.fields[name].label), message))
        return found


class ListFilter(django_filters.Filter):
    """Filter by any of several values through an ArticleQuerySet method."""

    field_class = ListField

    def __init__(self, queryset_method: str, coerce=str, **kwargs):
        self.queryset_method = queryset_method
        super().__init__(coerce=coerce, **kwargs)

    def filter(self, qs, value):
        return getattr(qs, self.queryset_method)(value) if value else qs


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(min_value=1800, max_value=2200, **kwargs)


class YearFilter(django_filters.Filter):
    field_class = YearField


class ArticleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    series = ListFilter("in_series", coerce=_id, label=_("Series"))
    year = ListFilter("in_years", coerce=_int, label=_("Year"))
    year_from = YearFilter(method="filter_year_from", label=_("From year"))
    year_to = YearFilter(method="filter_year_to", label=_("To year"))
    keyword = ListFilter("with_keyword_concepts", coerce=_id, label=_("Keyword"))
    language = ListFilter("in_languages", coerce=_language_code, label=_("Language"))
    issue = ListFilter("in_issues", coerce=_id, label=_("Issue"))
    section = ListFilter("in_sections", coerce=_id, label=_("Section"))
    author = ListFilter("by_authors", coerce=_id, label=_("Author"))
    organisation = ListFilter("at_organisations", coerce=_id, label=_("Organisation"))
    irsti = ListFilter("under_irsti", coerce=_irsti, label=_("IRSTI subject"))
    sort = django_filters.ChoiceFilter(
        choices=list(SORTS.items()), method="keep", label=_("Sort"), empty_label=None
    )

    # Facets in display order; each name is a filter above.
    FACETS = (
        "series",
        "year",
        "keyword",
        "author",
        "organisation",
        "language",
        "issue",
        "section",
        "irsti",
    )

    class Meta:
        model = BrowseEntry
        fields = []
        form = BrowseForm

    _form_class = None

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(
            data, queryset if queryset is not None else BrowseEntry.objects.all(), **kwargs
        )
        self.total = None  # the number of results, once the facets have counted it
        # Whether a text search matched too much to count its facets in the time allowed.
        self.counts_incomplete = False
        self._counted_search = ...  # the counted search of `q`, once asked (None: not counted)

    def get_form_class(self):
        """Made once: django-filter makes the form class (a field from each filter) for
        every request, and its fields are the same for all; each form still copies them."""
        cls = type(self)
        if cls.__dict__.get("_form_class") is None:
            cls._form_class = super().get_form_class()
        return cls._form_class

    # ------------------------------------------------------------ filtering

    def filter_q(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        return qs.search(value)

    def filter_year_from(self, qs, name, value):
        return qs.year_between(first=value)

    def filter_year_to(self, qs, name, value):
        return qs.year_between(last=value)

    def keep(self, qs, name, value):
        return qs

    def filter_queryset(self, queryset, exclude: str | None = None):
        """Apply every valid filter, except `exclude` (the facet being counted)."""
        for name, value in self.form.cleaned_data.items():
            if name != exclude:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def value(self, name):
        """The cleaned value of a filter, or its empty value when absent or invalid."""
        if not hasattr(self.form, "cleaned_data"):
            self.form.is_valid()
        empty = [] if isinstance(self.filters[name], ListFilter) else None
        return self.form.cleaned_data.get(name) or empty

    @property
    def query_text(self) -> str:
        return (self.value("q") or "").strip()

    @property
    def ordering(self) -> str:
        """The sort in effect: the one asked for, else relevance for a search, else newest.

        Ranking reads every match's search vector, so past RELEVANCE_LIMIT matches
        (a very common word) the newest come first instead, and the page says so.
        """
        sort = self.value("sort")
        if sort == "relevance" and not self.query_text:
            sort = None
        sort = sort or ("relevance" if self.query_text else "newest")
        return "newest" if sort == "relevance" and self.too_many_to_rank else sort

    @property
    def too_many_to_rank(self) -> bool:
        return self.counts_incomplete or (self.total is not None and self.total > RELEVANCE_LIMIT)

    def filtered(self, exclude: str | None = None) -> bool:
        """Whether any filter other than `exclude` (and the sort) narrows the results."""
        return any(
            value not in (None, "", [])
            for name, value in self.form.cleaned_data.items()
            if name not in (exclude, "sort")
        )

    def slices(self, exclude: str | None = None) -> tuple[list | None, list | None] | None:
        """(years, languages) when the filters other than `exclude` restrict only those
        two (None: not restricted), so FacetCount's slices hold the exact counts;
        None when another filter is on and the entries must be counted."""
        active = self._active(exclude)
        if not active <= SLICE_FILTERS:
            return None
        return self._years(active), self._languages(active)

    def search_slices(self, exclude: str | None = None) -> tuple | None:
        """(counted search id, years, languages) when the filters other than `exclude` are a
        counted text search (catalogue.counted_searches), years and languages: its
        SearchFacetCount rows then hold the counts without counting its matches."""
        active = self._active(exclude)
        if "q" not in active or not active - {"q"} <= SLICE_FILTERS:
            return None
        if self._counted_search is ...:
            self._counted_search = counted_searches.counted_id(self.query_text)
        if self._counted_search is None:
            return None
        return self._counted_search, self._years(active), self._languages(active)

    def value_slices(self, exclude: str | None = None) -> tuple | None:
        """(facet, value, years, languages) when the filters other than `exclude` are
        years, languages and one value of one other facet: FacetCount's rows of that
        value, sliced by year and language, then hold the year and language counts
        ("Russian articles with keyword K" per year) without counting its articles."""
        active = self._active(exclude)
        others = active - SLICE_FILTERS
        if len(others) != 1:
            return None
        (facet,) = others
        if facet not in SLICED_WITHIN or len(self.value(facet)) != 1:
            return None
        return facet, self.value(facet)[0], self._years(active), self._languages(active)

    def _active(self, exclude: str | None) -> set[str]:
        return {
            name
            for name, value in self.form.cleaned_data.items()
            if value not in (None, "", []) and name not in (exclude, "sort")
        }

    def _years(self, active: set[str]) -> list[int] | None:
        if not active & {"year", "year_from", "year_to"}:
            return None
        first, last = self.value("year_from"), self.value("year_to")
        candidates = self.value("year") if "year" in active else FacetCount.years()
        return [
            year
            for year in candidates
            if (first is None or year >= first) and (last is None or year <= last)
        ]

    def _languages(self, active: set[str]) -> list[str] | None:
        return self.value("language") if "language" in active else None

    def results(self) -> "ArticleResults":
        """The filtered articles in the chosen order, as a list Django's Paginator can page."""
        entries = self.qs
        if self.ordering == "relevance":
            entries = entries.by_relevance(self.query_text)
        elif self.ordering == "title":
            entries = entries.by_title()
        else:
            entries = entries.newest_first()
        cap = COUNT_CAP if self.counts_incomplete and self.total is None else None
        return ArticleResults(entries, self.total, cap)

    def articles(self):
        """Every matching article, unordered (for exports)."""
        return Article.objects.filter(pk__in=self.qs.values("article_id"))

    # ------------------------------------------------------------ facets

    def counts(self, names, keyword_limit: int | None) -> dict[str, list[dict]]:
        """{facet: [{"value", "count"}]}: one statement per distinct set of filters.

        A facet is counted under every filter but its own, so the facets with no
        value chosen share one set; each chosen facet needs a set of its own.
        """
        deadline = time.monotonic() + settings.SEARCH_COUNTS_MS / 1000
        groups: dict[str | None, list[str]] = {}
        for name in names:
            groups.setdefault(name if self.value(name) else None, []).append(name)
        result = {}
        for excluded, members in groups.items():
            within = self.value_slices(exclude=excluded)
            if within is not None:
                # The year and language counts from that value's slices, the rest counted.
                total, found = count_within([m for m in members if m in WITHIN], *within)
                members = [m for m in members if m not in WITHIN]
                if members:
                    _total, rest = count_matching(self._entries(excluded), members, keyword_limit)
                    found.update(rest)
            elif (sliced := self.slices(exclude=excluded)) is not None:
                total, found = count_sliced(members, keyword_limit, *sliced)
            elif (searched := self.search_slices(exclude=excluded)) is not None:
                search, years, languages = searched
                total, found = count_sliced(members, keyword_limit, years, languages, search)
                # Its people are kept per year, not per language: in some languages
                # they are counted, over a part of the matches.
                people = [m for m in members if m in RANKED_ARRAYS]
                if people and languages is not None:
                    _total, rest = self._count_search(excluded, people, keyword_limit, deadline)
                    found.update(rest)
            elif not self.query_text:
                total, found = count_matching(self._entries(excluded), members, keyword_limit)
            else:
                total, found = self._count_search(excluded, members, keyword_limit, deadline)
            if excluded is None:
                self.total = total
            result.update(found)
        return result

    def _entries(self, excluded: str | None):
        """The entries under every filter but `excluded`; all of them: the results' own."""
        if excluded is None:
            return self.qs
        return self.filter_queryset(self.queryset.all(), exclude=excluded)

    def _count_search(self, excluded, members, keyword_limit, deadline: float):
        """A text search's counts within what is left of SEARCH_COUNTS_MS: a word in most
        of a large catalogue gets its results without the facets that ran out of time,
        rather than the statement timeout's 503."""
        start = time.monotonic()
        left_ms = int((deadline - start) * 1000)
        if left_ms > 0:
            try:
                counts = count_matching(
                    self._entries(excluded),
                    members,
                    keyword_limit,
                    searched=True,
                    timeout_ms=left_ms,
                )
                if (time.monotonic() - start) * 1000 > settings.SEARCH_NOTED_MS:
                    self._note_slow_search()
                return counts
            except CountsTooSlow:
                pass
        self._note_slow_search()
        self.counts_incomplete = True
        return None, {name: [] for name in members}

    def _note_slow_search(self):
        """Note `q` for counting, unless it is counted already (its people per language
        are still counted here): a public GET writes only the first time."""
        if not isinstance(self._counted_search, int):
            counted_searches.note(self.query_text)

    def facets(self, keyword_limit: int | None = KEYWORD_FACET_SIZE) -> dict[str, list[dict]]:
        """{facet: [{"value", "label", "count", "selected", "depth"}]} in display order."""
        language = (get_language() or "en")[:2]
        counts = self.counts(self.FACETS, keyword_limit)
        for name in self.FACETS:
            shown = {row["value"] for row in counts[name]}
            # A chosen value stays visible (to be removed) even when it now counts nothing.
            counts[name] += [
                {"value": value, "count": 0} for value in self.value(name) if value not in shown
            ]
        attach_all_names({name: counts[name] for name in self.FACETS})
        result = {}
        for name in self.FACETS:
            selected = self.value(name)
            rows = counts[name]
            values = [
                {
                    "value": row["value"],
                    "label": facet_label(name, row, language),
                    "count": row["count"],
                    "selected": row["value"] in selected,
                    "depth": 0,
                    "sort": _issue_sort(row) if name == "issue" else None,
                }
                for row in rows
            ]
            result[name] = order_facet(name, values, selected)
        return result

    def keyword_choices(self, matching: str = "") -> list[dict]:
        """The keyword concepts of the current results (the keyword facet's "more" page)."""
        language = (get_language() or "en")[:2]
        selected = self.value("keyword")
        rows = self.counts(["keyword"], keyword_limit=None)["keyword"]
        if matching:
            wanted = set(
                Keyword.objects.filter(normalized__contains=Keyword.normalize(matching))
                .order_by()
                .values_list("concept_id", flat=True)
                .distinct()
            )
            rows = [row for row in rows if row["value"] in wanted]
        rows = rows[:KEYWORD_CHOICES_SIZE]
        attach_names("keyword", rows)
        return [
            {
                "value": row["value"],
                "label": facet_label("keyword", row, language),
                "count": row["count"],
                "selected": row["value"] in selected,
            }
            for row in rows
        ]


@dataclass
class ResultArticle:
    """An article of a result page as the page needs it: its id, its record's datestamp
    (which keys its cached entry, pagecache.article_entries) and its search snippet.
    Not a model instance: the entry itself comes from the cache."""

    pk: int
    stamp: datetime | None
    snippet: str = ""


class ArticleResults:
    """Ordered browse entries seen as a list of articles: a page fetches only its own.

    The ordering runs on the narrow browse index; the page's twenty ids are then read
    with their records' datestamps, in a second statement on the primary keys.
    """

    def __init__(self, entries, total: int | None = None, cap: int | None = None):
        self.entries = entries
        self.total = total
        self.cap = cap  # count no further than one past this (the counts ran out of time)

    def count(self) -> int:
        if self.total is None:
            entries = self.entries if self.cap is None else self.entries[: self.cap + 1]
            self.total = entries.count()
        return self.total

    @property
    def capped(self) -> bool:
        """Whether there are more results than were counted."""
        return self.cap is not None and self.count() > self.cap

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return iter(self[:])

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        ids = list(self.entries.values_list("article_id", flat=True)[index])
        # A statement written out: the ORM's making of it cost more than running it.
        with connections[router.db_for_read(RecordDatestamp)].cursor() as cursor:
            cursor.execute(
                f"SELECT article_id, changed FROM {RecordDatestamp._meta.db_table}"  # noqa: S608
                " WHERE article_id = ANY(%s)",
                [ids],
            )
            stamps = dict(cursor.fetchall())
        return [ResultArticle(pk, stamps.get(pk)) for pk in ids]


def _issue_sort(row: dict) -> tuple:
    names = row.get("names") or {}
    return (names.get("year") or 0, names.get("number_sort") or 0, row["value"])


def in_preferred(names: dict, stem: str, language: str) -> str:
    """Pick `<stem>_<lang>` from a values() row in the visitor's language, else any."""
    for code in [language] + [code for code in LANGUAGE_CODES if code != language]:
        value = names.get(f"{stem}_{code}")
        if value:
            return value
    return ""


def facet_label(name: str, row: dict, language: str) -> str:
    value = row["value"]
    names = row.get("names")
    if name == "series" and names:
        journal = in_preferred(names, "journal__title", language)
        series = in_preferred(names, "name", language)
        return f"{journal}: {series}" if series else journal
    if name == "keyword" and row.get("labels"):
        labels = row["labels"]
        for code in [language] + [code for code in LANGUAGE_CODES if code != language]:
            if labels.get(code):
                return labels[code]
    if name == "language":
        return str(LANGUAGE_NAMES.get(value, value))
    if name == "issue" and names:
        whole = f" ({names['whole_number']})" if names["whole_number"] else ""
        return _("No. %(number)s%(whole)s %(year)s") % {
            "number": names["number"],
            "whole": whole,
            "year": names["year"],
        }
    if name in ("section", "organisation") and names:
        return in_preferred(names, "name", language)
    if name == "author" and names:
        return names["display_name"]
    if name == "irsti" and names:
        return names["label"]
    return str(value)


def order_facet(name: str, values: list[dict], selected: list) -> list[dict]:
    if name == "year":
        return sorted(values, key=lambda v: -v["value"])
    if name in ("keyword", "language", "section", "author", "organisation"):
        return sorted(values, key=lambda v: (-v["count"], v["label"].lower()))
    if name == "issue":
        return sorted(values, key=lambda v: v["sort"], reverse=True)
    if name == "irsti":
        return irsti_tree(values, selected)
    return sorted(values, key=lambda v: v["label"].lower())


def irsti_tree(values: list[dict], selected: list[str]) -> list[dict]:
    """Top-level codes, and the children of every chosen code and of its ancestors."""
    expanded = set()
    for code in selected:
        parts = code.split(".")
        expanded.update(".".join(parts[: i + 1]) for i in range(len(parts)))
    shown = []
    for value in sorted(values, key=lambda v: v["value"]):
        parts = value["value"].split(".")
        parent = ".".join(parts[:-1])
        if len(parts) == 1 or parent in expanded:
            shown.append({**value, "depth": len(parts) - 1})
    return shown
