"""The editors' admin: every field correctable, and every correction remembered.

A field an editor changes on an article is added to `Article.edited_fields`,
so that a later ingest of the same document keeps the editor's value.
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from .. import editorial
from ..models import (
    Article,
    ArticleKeyword,
    ArticleSource,
    Author,
    Authorship,
    AuthorshipAffiliation,
    ErrorReport,
    IngestWarning,
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


class SeriesInline(admin.TabularInline):
    model = Series
    extra = 0


@admin.register(Journal)
class JournalAdmin(admin.ModelAdmin):
    list_display = ["__str__", "issn_print", "issn_online", "doi_prefix"]
    search_fields = ["title_en", "title_kk", "title_ru", "issn_print", "issn_online"]
    inlines = [SeriesInline]


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["__str__", "journal"]
    list_select_related = ["journal"]
    search_fields = ["name_en", "name_kk", "name_ru"]


@admin.register(Issue)
class IssueAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "series", "year", "number", "whole_number", "article_count"]
    list_filter = ["series", "year"]
    list_select_related = ["series__journal"]
    search_fields = ["year", "number", "whole_number"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(ordering="article_count", description="articles")
    def article_count(self, obj):
        return obj.article_count


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "journal"]
    list_select_related = ["journal"]
    search_fields = ["name_en", "name_kk", "name_ru"]


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
    fields = ["document", "ingested"]
    readonly_fields = ["document", "ingested"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


# Which inline's changes count as a correction of which protected field.
INLINE_FIELDS = {Authorship: "authors", ArticleKeyword: "keywords", Reference: "references"}


class ArticleForm(forms.ModelForm):
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
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = ["short_title", "doi_link", "issue", "section", "position", "pages"]
    list_filter = ["issue__series", "issue__year", "issue", "section", "language"]
    list_select_related = ["issue__series__journal", "section"]
    search_fields = [
        "title_en",
        "title_kk",
        "title_ru",
        "doi",
        "authorships__author__name_variants__name",
    ]
    search_help_text = "Title in any language, DOI, or an author's name as printed."
    autocomplete_fields = ["issue", "section"]
    readonly_fields = ["edited_fields", "created", "updated"]
    show_full_result_count = False
    form = ArticleForm
    change_form_template = "admin/catalogue/article/change_form.html"
    actions = ["release_all_fields"]
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
        ("Titles", {"fields": ["title_en", "title_kk", "title_ru"]}),
        ("Abstracts", {"fields": ["abstract_en", "abstract_kk", "abstract_ru"]}),
        ("Dates", {"fields": [("received", "accepted")]}),
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

    @admin.action(description="Release all protected fields (the next ingest may update them)")
    def release_all_fields(self, request, queryset):
        count = 0
        for article in queryset.exclude(edited_fields=[]):
            if editorial.release_fields(article, list(article.edited_fields), request.user):
                count += 1
        self.message_user(request, f"Released the protected fields of {count} article(s).")

    @admin.display(description="title", ordering="title_en")
    def short_title(self, obj):
        return str(obj)

    @admin.display(description="DOI", ordering="doi")
    def doi_link(self, obj):
        if not obj.doi:
            return "—"
        return format_html('<a href="https://doi.org/{}">{}</a>', obj.doi, obj.doi)

    @admin.display(description="pages")
    def pages(self, obj):
        if obj.first_page and obj.last_page:
            return f"{obj.first_page}–{obj.last_page}"
        return obj.first_page or "—"

    def save_model(self, request, obj, form, change):
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


@admin.register(Author)
class AuthorAdmin(SimpleHistoryAdmin):
    list_display = ["display_name", "orcid", "email", "article_count"]
    search_fields = ["display_name", "orcid", "email", "name_variants__name"]
    inlines = [NameVariantInline]
    readonly_fields = ["authorship_list"]
    show_full_result_count = False
    actions = ["merge_authors"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("authorships"))

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

    @admin.display(ordering="article_count", description="articles")
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
class OrganisationAdmin(SimpleHistoryAdmin):
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


class KeywordInline(admin.TabularInline):
    model = Keyword
    extra = 0
    fields = ["language", "text"]


@admin.register(KeywordConcept)
class KeywordConceptAdmin(admin.ModelAdmin):
    inlines = [KeywordInline]
    search_fields = ["keywords__text"]


@admin.register(Keyword)
class KeywordAdmin(SimpleHistoryAdmin):
    list_display = ["text", "language", "concept"]
    list_filter = ["language"]
    search_fields = ["text", "normalized"]
    autocomplete_fields = ["concept"]


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


@admin.register(IngestWarning)
class IngestWarningAdmin(admin.ModelAdmin):
    list_display = ["article", "kind", "field", "language", "message", "resolved"]
    list_filter = ["resolved", "kind", "article__issue"]
    list_select_related = ["article"]
    list_editable = ["resolved"]
    search_fields = ["message", "article__title_en", "article__doi"]
    raw_id_fields = ["article", "document"]
    show_full_result_count = False


@admin.register(ErrorReport)
class ErrorReportAdmin(admin.ModelAdmin):
    list_display = ["created", "article", "short_message", "email", "resolved"]
    list_filter = ["resolved", "article__issue"]
    list_select_related = ["article"]
    list_editable = ["resolved"]
    search_fields = ["message", "email", "article__title_en", "article__doi"]
    readonly_fields = ["article", "message", "email", "created"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    @admin.display(description="message")
    def short_message(self, obj):
        return obj.message[:120]


@admin.register(Authorship)
class AuthorshipAdmin(SimpleHistoryAdmin):
    """Mostly reached from an article or author; here for its history and search."""

    list_display = ["__str__", "author", "article", "position"]
    list_select_related = ["author", "article"]
    search_fields = ["name_en", "name_kk", "name_ru", "author__display_name"]
    raw_id_fields = ["article", "author"]
    show_full_result_count = False
