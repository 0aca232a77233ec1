"""The editors' admin: every field correctable, and every correction remembered.

A field an editor changes on an article is added to `Article.edited_fields`,
so that a later ingest of the same document keeps the editor's value.
"""

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.postgres.search import SearchQuery
from django.db import OperationalError
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from simple_history.admin import SimpleHistoryAdmin

from .. import editorial
from ..models import (
    SEARCH_CONFIGS,
    Article,
    ArticleKeyword,
    ArticleSource,
    Author,
    Authorship,
    AuthorshipAffiliation,
    DocumentUpload,
    ErrorReport,
    IngestWarning,
    IrstiSubject,
    Issue,
    Journal,
    Keyword,
    KeywordConcept,
    NameVariant,
    Organisation,
    Reference,
    Section,
    Series,
    SourceDocument,
)
from . import review
from .concurrency import VersionedAdminMixin, VersionedForm
from .paginators import EstimatedCountPaginator, local_settings

# ---------------------------------------------------------------- change lists at scale
# A catalogue of a million articles has ~2.7M authorships, ~550k authors and
# ~15M keyword rows. Every change list below must open in well under a second
# there: no full COUNT(*), no filter listing tens of thousands of choices, no
# leading-wildcard search over joins, no per-row aggregate over the whole
# table, and only sorts an index can serve.


class LargeTableMixin:
    """Change-list settings for tables with hundreds of thousands of rows."""

    paginator = EstimatedCountPaginator
    show_full_result_count = False
    # Facet counts ("Show counts") run one COUNT per filter choice over the table.
    show_facets = admin.ShowFacets.NEVER


def _int_param(request, name):
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


class NarrowedRelatedFilter(admin.RelatedFieldListFilter):
    """A related-object filter that lists only the choices that make sense so far.

    Listing every issue (33,000 at a million articles) would make each change
    list render tens of thousands of links. Subclasses return the choices for
    what else is filtered (`narrowed`), or None and a hint for the title.
    The selected object is always listed, so a link from elsewhere still shows.
    """

    hint = ""

    def __init__(self, field, request, params, model, model_admin, field_path):
        # Other filters' parameters may already be consumed: read them from the request.
        self.prefix = field_path[: -len(field.name)]
        super().__init__(field, request, params, model, model_admin, field_path)
        if self.narrowed(request) is None and self.hint:
            self.title = f"{self.lookup_title} ({self.hint})"

    def narrowed(self, request):
        raise NotImplementedError

    def field_choices(self, field, request, model_admin):
        choices = self.narrowed(request)
        selected = [int(v) for v in self.lookup_val or () if str(v).isdigit()]
        model = field.remote_field.model
        if choices is None:
            choices = model._default_manager.none()
        rows = list(choices)
        known = {obj.pk for obj in rows}
        rows += list(model._default_manager.filter(pk__in=selected).exclude(pk__in=known))
        return [(obj.pk, str(obj)) for obj in rows]

    def has_output(self):
        return True


class IssueFilter(NarrowedRelatedFilter):
    """Issues of the chosen series and year."""

    hint = "choose a series and a year first"

    def narrowed(self, request):
        series = _int_param(request, f"{self.prefix}issue__series__id__exact")
        year = _int_param(request, f"{self.prefix}issue__year")
        if series is None or year is None:
            return None
        return Issue.objects.filter(series_id=series, year=year).order_by("-number_sort", "id")


class SectionFilter(NarrowedRelatedFilter):
    """Sections of the chosen series' journal (journals share rubric names)."""

    hint = "choose a series first"

    def narrowed(self, request):
        series = _int_param(request, f"{self.prefix}issue__series__id__exact")
        if series is None:
            return None
        journal = Series.objects.filter(pk=series).values("journal_id")
        return Section.objects.filter(journal_id__in=journal).order_by("name_en", "id")

    def queryset(self, request, queryset):
        queryset = super().queryset(request, queryset)
        selected = [int(v) for v in self.lookup_val or () if str(v).isdigit()]
        if selected:
            # Redundant but telling: the planner then reads only that journal's issues.
            journals = Section.objects.filter(pk__in=selected).values("journal_id")
            queryset = queryset.filter(**{f"{self.prefix}issue__series__journal_id__in": journals})
        return queryset


def _count_of(model, field):
    """Per-row count of related rows as a correlated subquery: the page's rows only."""
    rows = (
        model._default_manager.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def doi_matches(term: str):
    """Articles whose DOI is `term` or starts with it, through the lower(doi) index.

    The range condition lets the unique index on lower(doi) serve a prefix
    (LIKE cannot use it under a non-C collation); startswith keeps it exact.
    """
    doi = DOI_PREFIX.sub("", term.strip()).lower()
    if not doi.startswith("10."):
        return None
    return (
        Article.objects.annotate(doi_lower=Lower("doi"))
        .filter(doi_lower__gte=doi, doi_lower__lt=doi + "\U0010ffff", doi_lower__startswith=doi)
        .values("pk")
    )


def authors_named(term: str):
    """Authors with a printed form containing `term`, in any script (trigram index)."""
    key = NameVariant.search_key_for(term)
    if len(key) < 3:
        return None
    return NameVariant.objects.filter(search_key__contains=key).values("author_id")


def title_query(term: str):
    """Every word of `term` in a title, under every language's stemming ("states" finds "state").

    Matched against Article.title_vector, so an abstract alone does not match.
    Whole words only: a prefix ("polit:*") makes the index read every word it
    begins, ten times slower.
    """
    words = re.findall(r"\w+", term)
    if not words:
        return None
    raw = " & ".join(words)
    query = None
    for config in dict.fromkeys(SEARCH_CONFIGS.values()):
        part = SearchQuery(raw, config=config, search_type="raw")
        query = part if query is None else query | part
    return query


# Up to this many matching articles are passed on as a list of ids: the page
# is then read through the primary key, whatever the planner guesses.
INLINE_IDS = 2_000
PROBE_TIMEOUT_MS = 100


def ids_through_text_index(query) -> list[int] | None:
    """Up to INLINE_IDS + 1 ids of articles whose titles match, read from the text index.

    The planner guesses about 1.5% of articles for any word it has no
    statistics for, and then walks the whole catalogue in order looking for
    a word that is in no title (seconds at a million articles). Reading the
    GIN index first (bitmap scans only) gives the true size cheaply; None
    when that takes too long.
    """
    try:
        with local_settings(
            enable_seqscan="off", enable_indexscan="off", statement_timeout=PROBE_TIMEOUT_MS
        ):
            rows = Article.objects.filter(title_vector=query).order_by().values_list("pk")
            return [pk for (pk,) in rows[: INLINE_IDS + 1]]
    except OperationalError:
        return None


def articles_matching(term: str):
    """Q for articles with the words in a title or an author with the name (indexed),
    and whether the matches are many.

    Few matches become a list of ids; many (a common word) stay a condition,
    which the planner checks row by row along the catalogue order until a
    page is full.
    """
    ids, condition = set(), Q()
    query = title_query(term)
    if query is not None:
        found = ids_through_text_index(query)
        if found is not None and len(found) <= INLINE_IDS:
            ids.update(found)
        else:
            condition |= Q(title_vector=query)
    authors = authors_named(term)
    if authors is not None:
        articles = (
            Authorship.objects.filter(author_id__in=authors)
            .order_by()
            .values_list("article_id", flat=True)
        )
        found = list(articles[: INLINE_IDS + 1])
        if len(found) <= INLINE_IDS:
            ids.update(found)
        else:
            condition |= Q(pk__in=articles)
    many = bool(condition)
    if ids:
        condition |= Q(pk__in=sorted(ids))
    return condition, many


class SeriesInline(admin.TabularInline):
    model = Series
    extra = 0


@admin.register(Journal)
class JournalAdmin(VersionedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "issn_print", "issn_online", "doi_prefix"]
    search_fields = ["title_en", "title_kk", "title_ru", "issn_print", "issn_online"]
    readonly_fields = ["printed_title_en", "printed_title_kk", "printed_title_ru"]
    inlines = [SeriesInline]


PRINTED_NAMES = ["printed_name_en", "printed_name_kk", "printed_name_ru"]
NAMES_BESIDE_PRINTED = [
    "journal",
    ("name_en", "printed_name_en"),
    ("name_kk", "printed_name_kk"),
    ("name_ru", "printed_name_ru"),
]


@admin.register(Series)
class SeriesAdmin(VersionedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "journal"]
    list_select_related = ["journal"]
    search_fields = ["name_en", "name_kk", "name_ru"]
    fields = NAMES_BESIDE_PRINTED
    readonly_fields = PRINTED_NAMES


@admin.register(Issue)
class IssueAdmin(VersionedAdminMixin, LargeTableMixin, SimpleHistoryAdmin):
    list_display = [
        "__str__",
        "series",
        "year",
        "volume",
        "number",
        "whole_number",
        "article_count",
    ]
    list_filter = ["series", "year"]
    list_select_related = ["series__journal"]
    search_fields = ["year", "number", "whole_number"]
    actions = ["confirm_dois"]

    @admin.action(description="Confirm the inferred DOIs of the selected issues' articles")
    def confirm_dois(self, request, queryset):
        articles = Article.objects.filter(issue__in=queryset)
        count = editorial.confirm_inferred_dois(articles, request.user)
        self.message_user(request, f"Confirmed {count} inferred DOI(s).")

    def get_queryset(self, request):
        # A correlated count runs for the page's rows only; a GROUP BY counted every article.
        return super().get_queryset(request).annotate(article_count=_count_of(Article, "issue"))

    @admin.display(description="articles")
    def article_count(self, obj):
        url = reverse("admin:catalogue_article_changelist")
        return format_html(
            '<a href="{}?issue__series__id__exact={}&issue__year={}&issue__id__exact={}">{}</a>',
            url,
            obj.series_id,
            obj.year,
            obj.pk,
            obj.article_count,
        )


@admin.register(Section)
class SectionAdmin(VersionedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "journal"]
    list_select_related = ["journal"]
    search_fields = ["name_en", "name_kk", "name_ru"]
    fields = NAMES_BESIDE_PRINTED
    readonly_fields = PRINTED_NAMES


class AuthorshipInline(admin.StackedInline):
    model = Authorship
    extra = 0
    autocomplete_fields = ["author"]
    fields = [
        ("position", "author"),
        ("name_en", "name_kk", "name_ru"),
        ("full_name_en", "full_name_kk", "full_name_ru"),
        "email",
    ]
    ordering = ["position"]


class ArticleKeywordInline(admin.TabularInline):
    model = ArticleKeyword
    extra = 0
    autocomplete_fields = ["keyword"]
    ordering = ["keyword__language", "position"]


class ReferenceInline(admin.TabularInline):
    model = Reference
    extra = 0
    fields = ["position", "text", "doi", "url"]


class IngestWarningInline(admin.TabularInline):
    model = IngestWarning
    extra = 0
    fields = ["kind", "field", "language", "message", "resolved"]
    readonly_fields = ["kind", "field", "language", "message"]
    can_delete = False
    ordering = ["resolved", "kind", "field"]
    verbose_name_plural = "ingestion warnings (tick “resolved” once checked or corrected)"

    def has_add_permission(self, request, obj=None):
        return False


class ErrorReportInline(admin.TabularInline):
    model = ErrorReport
    extra = 0
    fields = ["created", "message", "email", "resolved"]
    readonly_fields = ["created", "message", "email"]
    ordering = ["resolved", "-created"]
    verbose_name_plural = "readers' error reports"

    def has_add_permission(self, request, obj=None):
        return False


class ArticleSourceInline(admin.TabularInline):
    model = ArticleSource
    extra = 0
    fields = ["document", "sha256", "ingested", "uploaded_files"]
    readonly_fields = ["document", "sha256", "ingested", "uploaded_files"]
    can_delete = False
    verbose_name_plural = "source documents"

    def get_queryset(self, request):
        uploads = DocumentUpload.objects.confirmed().defer("content").select_related("uploaded_by")
        return (
            super()
            .get_queryset(request)
            .select_related("document")
            .prefetch_related(Prefetch("document__uploads", queryset=uploads))
        )

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="SHA-256")
    def sha256(self, obj):
        return obj.document.sha256

    @admin.display(description="uploaded file")
    def uploaded_files(self, obj):
        """Who uploaded the document on the "Add documents" page, when, and its bytes."""
        uploads = obj.document.uploads.all()
        if not uploads:
            return "not uploaded through the admin"
        return format_html_join(
            mark_safe("<br>"),
            '{} by {}, {} · <a href="{}" class="download-upload">download</a>',
            (
                (
                    upload.file_name,
                    upload.uploaded_by,
                    date_format(upload.uploaded, "DATETIME_FORMAT"),
                    reverse("admin:download_upload", args=[upload.pk]),
                )
                for upload in uploads
            ),
        )


# Which inline's changes count as a correction of which protected field.
INLINE_FIELDS = {Authorship: "authors", ArticleKeyword: "keywords", Reference: "references"}


class ArticleForm(VersionedForm):
    release = forms.MultipleChoiceField(
        label="Release for re-ingest",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Ticked fields are no longer protected: the next ingest may update them.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        edited = self.instance.edited_fields if self.instance.pk else []
        self.fields["release"].choices = [(name, name) for name in edited]


def _warning_note(warning):
    return format_html(
        '<span class="ingest-warning" data-warning="{}">⚠ {}: {}</span>',
        warning.pk,
        warning.get_kind_display(),
        warning.message,
    )


@admin.register(Article)
class ArticleAdmin(VersionedAdminMixin, LargeTableMixin, SimpleHistoryAdmin):
    list_display = ["short_title", "doi_link", "in_issue", "section", "position", "pages"]
    list_filter = [
        "issue__series",
        "issue__year",
        ("issue", IssueFilter),
        ("section", SectionFilter),
        "language",
    ]
    list_select_related = ["issue__series__journal", "section"]
    # Series, newest issue first, contents order: the issue_series_year_idx index
    # walks it issue by issue (the model's "-issue__year" first would sort every row).
    ordering = [
        "issue__series_id",
        "-issue__year",
        "-issue__number_sort",
        "issue_id",
        "position",
        "id",
    ]
    # Only columns an index can sort; title, section and position would sort every row.
    sortable_by = ["doi_link", "in_issue"]
    # get_search_results below: DOI, words of a title, or an author's name.
    search_fields = ["title_en"]
    search_help_text = (
        "A DOI (or its beginning), whole words from a title in any language, "
        "or an author's name as printed in any script."
    )
    autocomplete_fields = ["issue", "section"]
    # The printed form beside each title: what an editor overrides when they correct one.
    readonly_fields = [
        "edited_fields",
        "created",
        "updated",
        "printed_title_en",
        "printed_title_kk",
        "printed_title_ru",
    ]
    form = ArticleForm
    change_form_template = "admin/catalogue/article/change_form.html"
    actions = ["release_all_fields", "confirm_dois", "merge_articles"]
    inlines = [
        AuthorshipInline,
        ArticleKeywordInline,
        ReferenceInline,
        IngestWarningInline,
        ErrorReportInline,
        ArticleSourceInline,
    ]
    fieldsets = [
        (None, {"fields": ["issue", "section", "position", ("first_page", "last_page")]}),
        ("Identifiers", {"fields": [("doi", "doi_inferred"), "udc", "irsti", "language"]}),
        (
            "Titles",
            {
                "fields": [
                    ("title_en", "printed_title_en"),
                    ("title_kk", "printed_title_kk"),
                    ("title_ru", "printed_title_ru"),
                ],
                "description": "Shown as set here; the printed form, where it differs (a "
                "title printed in capitals), is kept beside it.",
            },
        ),
        ("Abstracts", {"fields": ["abstract_en", "abstract_kk", "abstract_ru"]}),
        ("Dates", {"fields": [("received", "accepted")]}),
        ("Rights", {"fields": [("licence_url", "access_right")]}),
        ("Provenance", {"fields": ["edited_fields", "release", "created", "updated"]}),
    ]

    # ------------------------------------------------------------ warnings beside fields

    def _open_warnings(self, request, obj):
        if obj is None or obj.pk is None:
            return []
        cache = getattr(request, "_catalogue_warnings", None)
        if cache is None or cache[0] != obj.pk:
            cache = (obj.pk, list(obj.warnings.open().order_by("kind", "field", "language")))
            request._catalogue_warnings = cache
        return cache[1]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        notes = {}
        for warning in self._open_warnings(request, obj):
            name = editorial.form_field_of(warning)
            if name in form.base_fields:
                notes.setdefault(name, []).append(_warning_note(warning))
        for name, items in notes.items():
            field = form.base_fields[name]
            help_text = format_html("{}", field.help_text) if field.help_text else ""
            field.help_text = format_html(
                "{}{}", format_html_join("", "<br>{}", ((item,) for item in items)), help_text
            )
        return form

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, object_id)
        warnings = self._open_warnings(request, obj)
        for warning in warnings:
            warning.form_field = editorial.form_field_of(warning)
        extra_context["open_warnings"] = warnings
        extra_context["duplicates_url"] = reverse("admin:catalogue_author_duplicates")
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description="Confirm the inferred DOIs of the selected articles")
    def confirm_dois(self, request, queryset):
        count = editorial.confirm_inferred_dois(queryset, request.user)
        self.message_user(request, f"Confirmed {count} inferred DOI(s).")

    @admin.action(description="Merge the selected duplicate articles (preview first)")
    def merge_articles(self, request, queryset):
        from django.http import HttpResponseRedirect

        from .people import merge_url

        return HttpResponseRedirect(merge_url(Article, queryset.values_list("pk", flat=True)))

    def get_urls(self):
        from django.urls import path

        from .article_merge import article_merge_view

        return [
            path(
                "merge/",
                self.admin_site.admin_view(article_merge_view),
                name="catalogue_article_merge",
            ),
            *super().get_urls(),
        ]

    @admin.action(description="Release all protected fields (the next ingest may update them)")
    def release_all_fields(self, request, queryset):
        count = 0
        for article in queryset.exclude(edited_fields=[]):
            if editorial.release_fields(article, list(article.edited_fields), request.user):
                count += 1
        self.message_user(request, f"Released the protected fields of {count} article(s).")

    def get_search_results(self, request, queryset, search_term):
        """A DOI through the lower(doi) index; otherwise title words and author names.

        The admin's default (icontains over every field and the author join)
        scans every article and authorship: seconds at a million articles.
        """
        term = search_term.strip()
        if not term:
            return queryset, False
        dois = doi_matches(term)
        if dois is not None:
            return queryset.filter(pk__in=dois), False
        condition, many = articles_matching(term)
        if not condition:
            return queryset.none(), False
        request._catalogue_long_search = many
        return queryset.filter(condition), False

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        paginator = super().get_paginator(
            request, queryset, per_page, orphans, allow_empty_first_page
        )
        # A common word: counting would run out of time anyway.
        paginator.long_list = getattr(request, "_catalogue_long_search", False)
        return paginator

    @admin.display(description="title")
    def short_title(self, obj):
        return str(obj)

    @admin.display(description="DOI", ordering=Lower("doi"))
    def doi_link(self, obj):
        if not obj.doi:
            return "—"
        return format_html('<a href="https://doi.org/{}">{}</a>', obj.doi, obj.doi)

    @admin.display(description="issue", ordering="issue_id")
    def in_issue(self, obj):
        return obj.issue

    @admin.display(description="pages")
    def pages(self, obj):
        if obj.first_page and obj.last_page:
            return f"{obj.first_page}–{obj.last_page}"
        return obj.first_page or "—"

    def save_model(self, request, obj, form, change):
        left = form.initial.get("issue") if change and "issue" in form.changed_data else None
        if change:
            self._mark_edited(obj, [f for f in form.changed_data if f in Article.EDITABLE_FIELDS])
            released = set(form.cleaned_data.get("release") or ()) - set(form.changed_data)
            if released:
                obj.edited_fields = [f for f in obj.edited_fields if f not in released]
                messages.info(
                    request, "Released for re-ingest: " + ", ".join(sorted(released)) + "."
                )
            if "_confirm_doi" in request.POST and obj.doi:
                obj.doi_inferred = False
        super().save_model(request, obj, form, change)
        # An article moved out of a holding issue ("issue not known") may empty it.
        holding = Issue.objects.filter(pk=left, number=Issue.UNASSIGNED).first() if left else None
        if holding is not None:
            holding.remove_if_empty()

    def response_change(self, request, obj):
        return review.after_resolving(request, super().response_change(request, obj))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        if not change:
            return
        if not article.doi_inferred:
            editorial.resolve_warnings(article, IngestWarning.Kind.INFERRED_DOI)
        resolve = request.POST.get("_resolve_warning", "")
        if resolve.isdigit():
            article.warnings.filter(pk=int(resolve)).update(resolved=True)
        if "_resolve_all" in request.POST:
            article.warnings.open().update(resolved=True)
        editorial.resolve_filled_warnings(article)

    def save_formset(self, request, form, formset, change):
        field = INLINE_FIELDS.get(formset.model)
        if change and field and formset.has_changed():
            self._mark_edited(form.instance, [field])
            form.instance.save(update_fields=["edited_fields", "updated"])
        super().save_formset(request, form, formset, change)

    @staticmethod
    def _mark_edited(article, fields):
        for name in fields:
            if name not in article.edited_fields:
                article.edited_fields.append(name)


class NameVariantInline(admin.TabularInline):
    model = NameVariant
    extra = 0
    fields = ["name", "language", "kind", "search_key"]
    readonly_fields = ["search_key"]


def authors_matching(term: str):
    """Authors by ORCID or e-mail (exact), or by any printed form of the name."""
    term = term.strip()
    if re.fullmatch(r"\d{4}-\d{4}-\d{4}-\d{3}[\dXx]", term):
        return Author.objects.filter(orcid=term.upper()).values("pk")
    if "@" in term:
        return Author.objects.filter(email__iexact=term).values("pk")
    return authors_named(term)


@admin.register(Author)
class AuthorAdmin(VersionedAdminMixin, LargeTableMixin, SimpleHistoryAdmin):
    list_display = ["display_name", "orcid", "email", "article_count"]
    # get_search_results below: a name in any script through the trigram index.
    search_fields = ["display_name"]
    search_help_text = (
        "A name as printed, in any script (at least three letters), an ORCID, or an e-mail."
    )
    sortable_by = ["display_name", "orcid"]
    inlines = [NameVariantInline]
    readonly_fields = ["authorship_list"]
    actions = ["merge_authors"]

    def get_queryset(self, request):
        # A correlated count runs for the page's rows only; a GROUP BY counted every authorship.
        return super().get_queryset(request).annotate(article_count=_count_of(Authorship, "author"))

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        ids = authors_matching(search_term)
        if ids is None:
            return queryset.none(), False
        return queryset.filter(pk__in=ids), False

    def get_urls(self):
        from django.urls import path

        from . import people

        view = self.admin_site.admin_view
        return [
            path("merge/", view(people.author_merge_view), name="catalogue_author_merge"),
            path(
                "duplicates/",
                view(people.author_duplicates_view),
                name="catalogue_author_duplicates",
            ),
            path(
                "<int:object_id>/split/<int:authorship_id>/",
                view(people.author_split_view),
                name="catalogue_author_split",
            ),
            *super().get_urls(),
        ]

    @admin.display(description="articles")
    def article_count(self, obj):
        return obj.article_count

    @admin.display(description="articles (split off one signed by someone else)")
    def authorship_list(self, obj):
        if obj.pk is None:
            return "—"
        rows = [
            (
                reverse("admin:catalogue_article_change", args=[a.article_id]),
                str(a.article),
                a.name or a.full_name_en,
                reverse("admin:catalogue_author_split", args=[obj.pk, a.pk]),
            )
            for a in obj.authorships.select_related("article").order_by("article_id")
        ]
        if not rows:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> — printed “{}” · <a href="{}">split off…</a></li>',
                rows,
            ),
        )

    @admin.action(description="Merge the selected authors (preview first)")
    def merge_authors(self, request, queryset):
        from django.http import HttpResponseRedirect

        from .people import merge_url

        return HttpResponseRedirect(merge_url(Author, queryset.values_list("pk", flat=True)))


@admin.register(Organisation)
class OrganisationAdmin(VersionedAdminMixin, LargeTableMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "city", "country"]
    search_fields = ["name_en", "name_kk", "name_ru", "city"]
    list_filter = ["country"]
    readonly_fields = ["key"]
    actions = ["merge_organisations"]

    def get_urls(self):
        from django.urls import path

        from . import people

        return [
            path(
                "merge/",
                self.admin_site.admin_view(people.organisation_merge_view),
                name="catalogue_organisation_merge",
            ),
            *super().get_urls(),
        ]

    @admin.action(description="Merge the selected organisations (preview first)")
    def merge_organisations(self, request, queryset):
        from django.http import HttpResponseRedirect

        from .people import merge_url

        return HttpResponseRedirect(merge_url(Organisation, queryset.values_list("pk", flat=True)))


@admin.register(IrstiSubject)
class IrstiSubjectAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_kk", "name_ru"]
    search_fields = ["code", "name_en", "name_kk", "name_ru"]


class KeywordInline(admin.TabularInline):
    model = Keyword
    extra = 0
    fields = ["language", "text"]


@admin.register(KeywordConcept)
class KeywordConceptAdmin(VersionedAdminMixin, LargeTableMixin, admin.ModelAdmin):
    inlines = [KeywordInline]
    search_fields = ["keywords__normalized"]
    search_help_text = "A keyword in any language."

    def get_search_results(self, request, queryset, search_term):
        """Concepts with a matching keyword, as one IN (...) rather than a join and EXISTS."""
        if not search_term.strip():
            return queryset, False
        keywords, _ = KeywordAdmin.keyword_search(Keyword.objects.all(), search_term)
        return queryset.filter(pk__in=keywords.values("concept_id")), False


@admin.register(Keyword)
class KeywordAdmin(VersionedAdminMixin, LargeTableMixin, SimpleHistoryAdmin):
    list_display = ["text", "language", "concept"]
    list_select_related = ["concept"]
    list_filter = ["language"]
    search_fields = ["normalized"]
    autocomplete_fields = ["concept"]

    @staticmethod
    def keyword_search(queryset, search_term):
        """Every word in the normalised (lower-cased) form: as fast as `text` and `normalized`."""
        for word in Keyword.normalize(search_term).split():
            queryset = queryset.filter(normalized__contains=word)
        return queryset, False

    def get_search_results(self, request, queryset, search_term):
        return self.keyword_search(queryset, search_term)


@admin.register(AuthorshipAffiliation)
class AuthorshipAffiliationAdmin(admin.ModelAdmin):
    list_display = ["authorship", "organisation", "position"]
    list_select_related = ["authorship", "organisation"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["authorship"]


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ["file_name", "sha256", "size", "parser_version", "ingested"]
    search_fields = ["file_name", "sha256"]
    readonly_fields = ["file_name", "sha256", "size", "parser_version", "ingested"]


def article_or_message(queryset, search_term, fields):
    """Rows of one article (by DOI), or whose own text fields contain the term.

    A DOI goes through the lower(doi) index; the default search also scanned
    every article's title through a join.
    """
    term = search_term.strip()
    if not term:
        return queryset, False
    dois = doi_matches(term)
    if dois is not None:
        return queryset.filter(article__in=dois), False
    query = Q()
    for field in fields:
        query |= Q(**{f"{field}__icontains": term})
    return queryset.filter(query), False


@admin.register(IngestWarning)
class IngestWarningAdmin(LargeTableMixin, admin.ModelAdmin):
    list_display = ["article", "kind", "field", "language", "message", "resolved"]
    list_filter = [
        "resolved",
        "kind",
        "article__issue__series",
        "article__issue__year",
        ("article__issue", IssueFilter),
    ]
    list_select_related = ["article"]
    list_editable = ["resolved"]
    search_fields = ["message"]
    search_help_text = "A DOI, or words of the warning."
    raw_id_fields = ["article", "document"]
    sortable_by = ["kind", "resolved"]

    def get_search_results(self, request, queryset, search_term):
        return article_or_message(queryset, search_term, ["message"])


@admin.register(ErrorReport)
class ErrorReportAdmin(LargeTableMixin, admin.ModelAdmin):
    list_display = ["created", "article", "short_message", "email", "resolved"]
    list_filter = [
        "resolved",
        "article__issue__series",
        "article__issue__year",
        ("article__issue", IssueFilter),
    ]
    list_select_related = ["article"]
    list_editable = ["resolved"]
    search_fields = ["message"]
    search_help_text = "A DOI, words of the report, or the reader's e-mail."
    readonly_fields = ["article", "message", "email", "created"]
    sortable_by = ["created", "resolved"]

    def get_search_results(self, request, queryset, search_term):
        return article_or_message(queryset, search_term, ["message", "email"])

    def has_add_permission(self, request):
        return False

    @admin.display(description="message")
    def short_message(self, obj):
        return obj.message[:120]


@admin.register(Authorship)
class AuthorshipAdmin(VersionedAdminMixin, LargeTableMixin, SimpleHistoryAdmin):
    """Mostly reached from an article or author; here for its history and search."""

    list_display = ["__str__", "author", "article", "position"]
    list_select_related = ["author", "article"]
    # Article and position in order: the (article, position) unique index.
    ordering = ["-article_id", "position"]
    sortable_by = []
    search_fields = ["name_en"]
    search_help_text = "The author's name as printed, in any script (at least three letters)."
    raw_id_fields = ["article", "author"]

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        authors = authors_named(search_term)
        if authors is None:
            return queryset.none(), False
        return queryset.filter(author_id__in=authors), False


@admin.register(NameVariant)
class NameVariantAdmin(VersionedAdminMixin, LargeTableMixin, SimpleHistoryAdmin):
    """Printed forms of names across all authors, to find who was printed how."""

    list_display = ["name", "language", "kind", "author", "search_key"]
    list_select_related = ["author"]
    list_filter = ["language", "kind"]
    ordering = ["-id"]
    sortable_by = []
    search_fields = ["search_key"]
    search_help_text = "A name in any script (at least three letters)."
    raw_id_fields = ["author"]
    readonly_fields = ["search_key"]

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        key = NameVariant.search_key_for(search_term)
        return queryset.filter(search_key__contains=key), False
