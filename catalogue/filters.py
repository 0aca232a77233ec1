"""The browse filters shared by /articles/ and /api/articles, and their facet counts.

Several values of one parameter OR together (`?year=2024&year=2025`); different
parameters AND. Each facet's counts are taken with every OTHER active filter
applied, so a count says how many results that value would give if chosen.
"""

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import LANGUAGE_CODES, Article

IRSTI_PREFIX = re.compile(r"^\d{2}(\.\d{2}){0,2}$")
SORTS = {"relevance": _("relevance"), "newest": _("newest first"), "title": _("title")}
LANGUAGE_NAMES = {"en": _("English"), "kk": _("Kazakh"), "ru": _("Russian")}
KEYWORD_FACET_SIZE = 10


def _int(value: str) -> int:
    return int(value)


def _language(value: str) -> str:
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
        values = []
        for item in value or []:
            item = item.strip()
            if not item:
                continue
            try:
                item = self.coerce(item)
            except (TypeError, ValueError):
                raise ValidationError(
                    _("“%(value)s” is not a valid value."), params={"value": item}
                ) from None
            if item not in values:
                values.append(item)
        return values


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
    series = ListFilter("in_series", coerce=_int, label=_("Series"))
    year = ListFilter("in_years", coerce=_int, label=_("Year"))
    year_from = YearFilter(method="filter_year_from", label=_("From year"))
    year_to = YearFilter(method="filter_year_to", label=_("To year"))
    keyword = ListFilter("with_keyword_concepts", coerce=_int, label=_("Keyword"))
    language = ListFilter("in_languages", coerce=_language, label=_("Language"))
    issue = ListFilter("in_issues", coerce=_int, label=_("Issue"))
    section = ListFilter("in_sections", coerce=_int, label=_("Section"))
    irsti = ListFilter("under_irsti", coerce=_irsti, label=_("IRSTI subject"))
    sort = django_filters.ChoiceFilter(
        choices=list(SORTS.items()), method="keep", label=_("Sort"), empty_label=None
    )

    # Facets in display order; each name is a filter above.
    FACETS = ("series", "year", "keyword", "language", "issue", "section", "irsti")

    class Meta:
        model = Article
        fields = []

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(
            data, queryset if queryset is not None else Article.objects.all(), **kwargs
        )

    # ------------------------------------------------------------ filtering

    def filter_q(self, qs, name, value):
        value = value.strip()
        return qs.search(value) if value else qs

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
        """The sort in effect: the one asked for, else relevance for a search, else newest."""
        sort = self.value("sort")
        if sort == "relevance" and not self.query_text:
            sort = None
        return sort or ("relevance" if self.query_text else "newest")

    def results(self):
        """The filtered articles in the chosen order, ready for a result list."""
        qs = self.qs
        if self.ordering == "relevance":
            return qs.by_relevance()
        if self.ordering == "title":
            return qs.by_title()
        return qs.newest_first()

    # ------------------------------------------------------------ facets

    def facets(self, keyword_limit: int | None = KEYWORD_FACET_SIZE) -> dict[str, list[dict]]:
        """{facet: [{"value", "label", "count", "selected", "depth"}]}, one query per facet."""
        language = (get_language() or "en")[:2]
        result = {}
        for name in self.FACETS:
            qs = self.filter_queryset(self.queryset.all(), exclude=name)
            selected = self.value(name)
            if name == "keyword":
                rows = qs.keyword_concept_counts(limit=keyword_limit)
            else:
                rows = getattr(qs, f"{name}_counts")()
            values = [
                {
                    "value": row["value"],
                    "label": facet_label(name, row, language),
                    "count": row["count"],
                    "selected": row["value"] in selected,
                    "depth": 0,
                }
                for row in rows
            ]
            shown = {row["value"] for row in values}
            # A chosen value stays visible (to be removed) even when it now counts nothing.
            for value in selected:
                if value not in shown:
                    values.append(
                        {
                            "value": value,
                            "label": facet_label(name, {"value": value}, language),
                            "count": 0,
                            "selected": True,
                            "depth": 0,
                        }
                    )
            result[name] = order_facet(name, values, selected)
        return result

    def keyword_choices(self, matching: str = "") -> list[dict]:
        """Every keyword concept of the current results (the keyword facet's "more" page)."""
        language = (get_language() or "en")[:2]
        selected = self.value("keyword")
        qs = self.filter_queryset(self.queryset.all(), exclude="keyword")
        return [
            {
                "value": row["value"],
                "label": facet_label("keyword", row, language),
                "count": row["count"],
                "selected": row["value"] in selected,
            }
            for row in qs.keyword_concept_counts(matching=matching)
        ]


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
        journal = in_preferred(names, "issue__series__journal__title", language)
        series = in_preferred(names, "issue__series__name", language)
        return f"{journal}: {series}" if series else journal
    if name == "keyword" and row.get("labels"):
        labels = row["labels"]
        for code in [language] + [code for code in LANGUAGE_CODES if code != language]:
            if labels.get(code):
                return labels[code]
    if name == "language":
        return str(LANGUAGE_NAMES.get(value, value))
    if name == "issue" and names:
        whole = f" ({names['issue__whole_number']})" if names["issue__whole_number"] else ""
        return _("No. %(number)s%(whole)s, %(year)s") % {
            "number": names["issue__number"],
            "whole": whole,
            "year": names["issue__year"],
        }
    if name == "section" and names:
        return in_preferred(names, "section__name", language)
    return str(value)


def order_facet(name: str, values: list[dict], selected: list) -> list[dict]:
    if name == "year":
        return sorted(values, key=lambda v: -v["value"])
    if name in ("keyword", "language", "section"):
        return sorted(values, key=lambda v: (-v["count"], v["label"].lower()))
    if name == "issue":
        return sorted(values, key=lambda v: v["label"])[::-1]
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
