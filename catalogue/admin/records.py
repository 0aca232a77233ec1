"""The editors' admin: every field correctable, and every correction remembered.

A field an editor changes on an article is added to `Article.edited_fields`,
so that a later ingest of the same document keeps the editor's value.
"""

from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html

from .models import (
    Article,
    ArticleKeyword,
    ArticleSource,
    Author,
    Authorship,
    AuthorshipAffiliation,
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
class IssueAdmin(admin.ModelAdmin):
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


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
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
    inlines = [
        AuthorshipInline,
        ArticleKeywordInline,
        ReferenceInline,
        IngestWarningInline,
        ArticleSourceInline,
    ]
    fieldsets = [
        (None, {"fields": ["issue", "section", "position", ("first_page", "last_page")]}),
        ("Identifiers", {"fields": [("doi", "doi_inferred"), "udc", "irsti", "language"]}),
        ("Titles", {"fields": ["title_en", "title_kk", "title_ru"]}),
        ("Abstracts", {"fields": ["abstract_en", "abstract_kk", "abstract_ru"]}),
        ("Dates", {"fields": [("received", "accepted")]}),
        ("Provenance", {"fields": ["edited_fields", "created", "updated"]}),
    ]

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
        super().save_model(request, obj, form, change)

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
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["display_name", "orcid", "email", "article_count"]
    search_fields = ["display_name", "orcid", "email", "name_variants__name"]
    inlines = [NameVariantInline]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("authorships"))

    @admin.display(ordering="article_count", description="articles")
    def article_count(self, obj):
        return obj.article_count


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "city", "country"]
    search_fields = ["name_en", "name_kk", "name_ru", "city"]
    list_filter = ["country"]
    readonly_fields = ["key"]


class KeywordInline(admin.TabularInline):
    model = Keyword
    extra = 0
    fields = ["language", "text"]


@admin.register(KeywordConcept)
class KeywordConceptAdmin(admin.ModelAdmin):
    inlines = [KeywordInline]
    search_fields = ["keywords__text"]


@admin.register(Keyword)
class KeywordAdmin(admin.ModelAdmin):
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
