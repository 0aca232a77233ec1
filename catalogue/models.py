"""The catalogue's data model: journals, issues, articles, people and where they came from.

Text that exists in several languages is stored as one column per language
(`title_en`, `title_kk`, `title_ru`) rather than in JSON: each column can be
indexed, searched with its own text-search configuration, and edited in the
admin as a plain field. An empty string means "not in this language".
"""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import get_language

LANGUAGE_CODES = ("en", "kk", "ru")


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    KAZAKH = "kk", "Kazakh"
    RUSSIAN = "ru", "Russian"


def in_language(obj, stem: str, language: str | None = None) -> str:
    """The value of `<stem>_<lang>` in the visitor's language, else the first that exists."""
    preferred = (language or get_language() or "en")[:2]
    order = [preferred] + [code for code in LANGUAGE_CODES if code != preferred]
    for code in order:
        value = getattr(obj, f"{stem}_{code}", "")
        if value:
            return value
    return ""


def per_language(obj, stem: str) -> dict[str, str]:
    """{"en": ..., "kk": ...} of the languages that have a value, as the export writes it."""
    return {
        code: getattr(obj, f"{stem}_{code}")
        for code in LANGUAGE_CODES
        if getattr(obj, f"{stem}_{code}")
    }


class Journal(models.Model):
    title_en = models.CharField("title (English)", max_length=500, blank=True)
    title_kk = models.CharField("title (Kazakh)", max_length=500, blank=True)
    title_ru = models.CharField("title (Russian)", max_length=500, blank=True)
    publisher = models.CharField(max_length=500, blank=True)
    issn_print = models.CharField("ISSN (print)", max_length=9, blank=True)
    issn_online = models.CharField("ISSN (online)", max_length=9, blank=True)
    doi_prefix = models.CharField("DOI prefix", max_length=50, blank=True)

    class Meta:
        ordering = ["title_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["issn_print"], condition=~Q(issn_print=""), name="journal_issn_print_unique"
            ),
            models.UniqueConstraint(
                fields=["issn_online"],
                condition=~Q(issn_online=""),
                name="journal_issn_online_unique",
            ),
            models.CheckConstraint(
                condition=Q(issn_print="") | Q(issn_print__regex=r"^\d{4}-\d{3}[\dX]$"),
                name="journal_issn_print_format",
            ),
            models.CheckConstraint(
                condition=Q(issn_online="") | Q(issn_online__regex=r"^\d{4}-\d{3}[\dX]$"),
                name="journal_issn_online_format",
            ),
            models.CheckConstraint(
                condition=~Q(title_en="", title_kk="", title_ru=""), name="journal_has_title"
            ),
        ]

    def __str__(self):
        return in_language(self, "title")

    @property
    def title(self) -> str:
        return in_language(self, "title")

    @property
    def issns(self) -> list[str]:
        return [issn for issn in (self.issn_print, self.issn_online) if issn]


class Series(models.Model):
    """A journal's series; a journal without series has one with no name."""

    journal = models.ForeignKey(Journal, on_delete=models.CASCADE, related_name="series")
    name_en = models.CharField("name (English)", max_length=300, blank=True)
    name_kk = models.CharField("name (Kazakh)", max_length=300, blank=True)
    name_ru = models.CharField("name (Russian)", max_length=300, blank=True)

    class Meta:
        ordering = ["journal_id", "name_en"]
        verbose_name_plural = "series"
        constraints = [
            models.UniqueConstraint(fields=["journal", "name_en"], name="series_unique_per_journal")
        ]

    def __str__(self):
        return in_language(self, "name") or "(main series)"

    @property
    def name(self) -> str:
        return in_language(self, "name")


class IssueQuerySet(models.QuerySet):
    def with_journal(self):
        return self.select_related("series__journal")

    def latest_first(self):
        return self.order_by("-year", "-number_sort", "-id")


class Issue(models.Model):
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="issues")
    year = models.PositiveSmallIntegerField()
    number = models.CharField(max_length=20, help_text="Number within the year, as printed.")
    # Numbers are printed as text ("4", "1-2"); this keeps them in numeric order.
    number_sort = models.PositiveSmallIntegerField(default=0, editable=False)
    whole_number = models.CharField(max_length=20, blank=True, help_text="Running number.")
    published = models.DateField(null=True, blank=True)

    objects = IssueQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-number_sort"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "year", "number"], name="issue_unique_per_series_year"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1800, year__lte=2200), name="issue_year_plausible"
            ),
            models.CheckConstraint(condition=~Q(number=""), name="issue_number_not_empty"),
        ]
        indexes = [
            # Series pages list issues by year; the browse year facet groups by it.
            models.Index(fields=["series", "-year", "-number_sort"], name="issue_series_year_idx"),
        ]

    def __str__(self):
        whole = f" ({self.whole_number})" if self.whole_number else ""
        return f"No. {self.number}{whole} {self.year}"

    def save(self, *args, **kwargs):
        digits = "".join(ch for ch in self.number.split("-")[0] if ch.isdigit())[:4]
        self.number_sort = int(digits) if digits else 0
        super().save(*args, **kwargs)


class Section(models.Model):
    """A rubric of a journal ("World politics and international relations")."""

    journal = models.ForeignKey(Journal, on_delete=models.CASCADE, related_name="sections")
    name_en = models.CharField("name (English)", max_length=500, blank=True)
    name_kk = models.CharField("name (Kazakh)", max_length=500, blank=True)
    name_ru = models.CharField("name (Russian)", max_length=500, blank=True)
    # Normalised name used to find the same rubric again on re-ingest.
    key = models.CharField(max_length=500, editable=False)

    class Meta:
        ordering = ["name_en"]
        constraints = [
            models.UniqueConstraint(fields=["journal", "key"], name="section_unique_per_journal"),
            models.CheckConstraint(condition=~Q(key=""), name="section_key_not_empty"),
        ]

    def __str__(self):
        return in_language(self, "name")

    @property
    def name(self) -> str:
        return in_language(self, "name")


class Organisation(models.Model):
    """An affiliation, shared by every author who gives it."""

    name_en = models.CharField("name (English)", max_length=500, blank=True)
    name_kk = models.CharField("name (Kazakh)", max_length=500, blank=True)
    name_ru = models.CharField("name (Russian)", max_length=500, blank=True)
    city = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=200, blank=True)
    # Normalised name used to deduplicate ("l n gumilyov eurasian national university").
    key = models.CharField(max_length=500, unique=True)

    class Meta:
        ordering = ["name_en"]
        constraints = [
            models.CheckConstraint(condition=~Q(key=""), name="organisation_key_not_empty")
        ]

    def __str__(self):
        return in_language(self, "name")

    @property
    def name(self) -> str:
        return in_language(self, "name")

    def as_text(self, language: str | None = None) -> str:
        """ "Narxoz University, Almaty, Kazakhstan": the form the export writes."""
        parts = [in_language(self, "name", language), self.city, self.country]
        return ", ".join(part for part in parts if part)


class Author(models.Model):
    """One real person, whatever scripts and spellings their name is printed in."""

    display_name = models.CharField(max_length=300, help_text="The form shown on public pages.")
    orcid = models.CharField("ORCID", max_length=19, null=True, blank=True, unique=True)
    email = models.EmailField(blank=True)
    # Transliterated "surname initials", so that people are matched across scripts.
    match_key = models.CharField(max_length=300, blank=True, db_index=True)

    class Meta:
        ordering = ["display_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(orcid__isnull=True) | Q(orcid__regex=r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$"),
                name="author_orcid_format",
            ),
        ]

    def __str__(self):
        return self.display_name


class NameVariant(models.Model):
    """One printed form of a person's name, with the key used to search for it."""

    class Kind(models.TextChoices):
        BYLINE = "byline", "byline (surname and initials)"
        FULL = "full", "full name"

    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="name_variants")
    name = models.CharField(max_length=300)
    language = models.CharField(max_length=2, choices=Language.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.BYLINE)
    # Lower-case Latin transliteration; trigram-indexed for cross-script fuzzy search.
    search_key = models.CharField(max_length=300)

    class Meta:
        ordering = ["language", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "name", "language"], name="name_variant_unique_per_author"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="name_variant_not_empty"),
        ]
        indexes = [
            # Author search: similarity(search_key, transliterated query).
            GinIndex(
                fields=["search_key"], name="name_variant_key_trgm", opclasses=["gin_trgm_ops"]
            ),
        ]

    def __str__(self):
        return self.name


class KeywordConcept(models.Model):
    """Keywords that translate each other ("soft power" / "мягкая сила") share a concept."""

    class Meta:
        verbose_name = "keyword concept"

    def __str__(self):
        return f"concept {self.pk}"


class Keyword(models.Model):
    language = models.CharField(max_length=2, choices=Language.choices)
    text = models.CharField(max_length=300, help_text="Display form, as first printed.")
    # Lower-cased, whitespace-folded form: the identity of a keyword within a language.
    normalized = models.CharField(max_length=300, editable=False)
    concept = models.ForeignKey(KeywordConcept, on_delete=models.PROTECT, related_name="keywords")

    class Meta:
        ordering = ["language", "normalized"]
        constraints = [
            models.UniqueConstraint(
                fields=["language", "normalized"], name="keyword_unique_per_language"
            ),
            models.CheckConstraint(condition=~Q(normalized=""), name="keyword_not_empty"),
        ]

    def __str__(self):
        return self.text

    def save(self, *args, **kwargs):
        self.normalized = self.normalize(self.text)
        super().save(*args, **kwargs)

    @staticmethod
    def normalize(text: str) -> str:
        return " ".join(text.lower().split())


class ArticleQuerySet(models.QuerySet):
    def with_details(self):
        """Everything an article page or the export shows, in a fixed number of queries."""
        return self.select_related("issue__series__journal", "section").prefetch_related(
            models.Prefetch(
                "authorships",
                queryset=Authorship.objects.select_related("author").prefetch_related(
                    models.Prefetch(
                        "affiliation_links",
                        queryset=AuthorshipAffiliation.objects.select_related("organisation"),
                    )
                ),
            ),
            models.Prefetch(
                "article_keywords", queryset=ArticleKeyword.objects.select_related("keyword")
            ),
            "references",
            models.Prefetch("sources", queryset=ArticleSource.objects.select_related("document")),
        )

    def in_catalogue_order(self):
        return self.order_by("-issue__year", "-issue__number_sort", "issue_id", "position", "id")


class Article(models.Model):
    # Fields an editor may correct; ingestion leaves those listed in edited_fields alone.
    EDITABLE_FIELDS = (
        "doi",
        "position",
        "first_page",
        "last_page",
        "section",
        "udc",
        "irsti",
        "language",
        "received",
        "accepted",
        "title_en",
        "title_kk",
        "title_ru",
        "abstract_en",
        "abstract_kk",
        "abstract_ru",
        "authors",
        "keywords",
        "references",
    )

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="articles")
    section = models.ForeignKey(
        Section, on_delete=models.SET_NULL, null=True, blank=True, related_name="articles"
    )
    position = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Order in the issue's table of contents."
    )
    # NULL, not "", for "no DOI": many articles lack one and the unique index skips NULLs.
    doi = models.CharField("DOI", max_length=200, null=True, blank=True)  # noqa: DJ001
    doi_inferred = models.BooleanField(
        "DOI inferred",
        default=False,
        help_text="Derived from the issue's DOI pattern, not printed: confirm it.",
    )
    first_page = models.PositiveIntegerField(null=True, blank=True)
    last_page = models.PositiveIntegerField(null=True, blank=True)
    udc = ArrayField(models.CharField(max_length=100), default=list, blank=True, verbose_name="UDC")
    irsti = ArrayField(
        models.CharField(max_length=20), default=list, blank=True, verbose_name="IRSTI"
    )
    language = models.CharField(max_length=2, choices=Language.choices, blank=True)
    received = models.DateField(null=True, blank=True)
    accepted = models.DateField(null=True, blank=True)
    title_en = models.TextField("title (English)", blank=True)
    title_kk = models.TextField("title (Kazakh)", blank=True)
    title_ru = models.TextField("title (Russian)", blank=True)
    abstract_en = models.TextField("abstract (English)", blank=True)
    abstract_kk = models.TextField("abstract (Kazakh)", blank=True)
    abstract_ru = models.TextField("abstract (Russian)", blank=True)
    edited_fields = ArrayField(
        models.CharField(max_length=40),
        default=list,
        blank=True,
        help_text="Fields an editor has corrected; re-ingest keeps their values.",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-issue__year", "issue_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(Lower("doi"), name="article_doi_unique_ci"),
            models.UniqueConstraint(
                fields=["issue", "position"], name="article_position_unique_per_issue"
            ),
            models.CheckConstraint(
                condition=Q(first_page__isnull=True)
                | Q(last_page__isnull=True)
                | Q(first_page__lte=models.F("last_page")),
                name="article_pages_in_order",
            ),
            models.CheckConstraint(
                condition=Q(received__isnull=True)
                | Q(accepted__isnull=True)
                | Q(received__lte=models.F("accepted")),
                name="article_received_before_accepted",
            ),
            models.CheckConstraint(
                condition=~Q(title_en="", title_kk="", title_ru=""), name="article_has_title"
            ),
            models.CheckConstraint(
                condition=Q(doi__isnull=True) | Q(doi__startswith="10."), name="article_doi_format"
            ),
        ]
        indexes = [
            # Issue pages: the table of contents in order.
            models.Index(fields=["issue", "position"], name="article_issue_position_idx"),
            # Browse facet "IRSTI subject" and "UDC": containment (@>) lookups.
            GinIndex(fields=["irsti"], name="article_irsti_gin"),
        ]

    def __str__(self):
        return in_language(self, "title")[:120]

    def save(self, *args, **kwargs):
        if self.doi == "":
            self.doi = None
        super().save(*args, **kwargs)

    @property
    def title(self) -> str:
        return in_language(self, "title")

    @property
    def abstract(self) -> str:
        return in_language(self, "abstract")


class Authorship(models.Model):
    """A person's place on one article's byline, with the name as printed there."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="authorships")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="authorships")
    position = models.PositiveSmallIntegerField()
    name_en = models.CharField("printed name (English)", max_length=300, blank=True)
    name_kk = models.CharField("printed name (Kazakh)", max_length=300, blank=True)
    name_ru = models.CharField("printed name (Russian)", max_length=300, blank=True)
    full_name_en = models.CharField("full name (English)", max_length=300, blank=True)
    full_name_kk = models.CharField("full name (Kazakh)", max_length=300, blank=True)
    full_name_ru = models.CharField("full name (Russian)", max_length=300, blank=True)
    email = models.EmailField(blank=True, help_text="As printed in this article.")
    affiliations = models.ManyToManyField(
        Organisation, through="AuthorshipAffiliation", related_name="authorships", blank=True
    )

    class Meta:
        ordering = ["article_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"], name="authorship_position_unique"
            ),
            models.UniqueConstraint(fields=["article", "author"], name="authorship_author_unique"),
        ]

    def __str__(self):
        return in_language(self, "name") or f"author {self.position}"

    @property
    def name(self) -> str:
        return in_language(self, "name")

    def ordered_affiliations(self) -> list[Organisation]:
        """Organisations in printed order (with_details() prefetches them)."""
        return [link.organisation for link in self.affiliation_links.all()]


class AuthorshipAffiliation(models.Model):
    authorship = models.ForeignKey(
        Authorship, on_delete=models.CASCADE, related_name="affiliation_links"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="affiliation_links"
    )
    position = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["authorship_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["authorship", "organisation"], name="affiliation_unique_per_authorship"
            )
        ]

    def __str__(self):
        return f"affiliation {self.position} of authorship {self.authorship_id}"


class ArticleKeyword(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="article_keywords")
    keyword = models.ForeignKey(Keyword, on_delete=models.PROTECT, related_name="article_keywords")
    position = models.PositiveSmallIntegerField(help_text="Printed order within its language.")

    class Meta:
        ordering = ["article_id", "keyword__language", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "keyword"], name="article_keyword_unique")
        ]
        indexes = [
            # Keyword facet: articles per keyword.
            models.Index(fields=["keyword", "article"], name="article_keyword_kw_idx"),
        ]

    def __str__(self):
        return f"keyword {self.keyword_id} of article {self.article_id}"


class Reference(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="references")
    position = models.PositiveSmallIntegerField()
    text = models.TextField()
    doi = models.CharField("DOI", max_length=200, blank=True)
    url = models.URLField(max_length=1000, blank=True)

    class Meta:
        ordering = ["article_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"], name="reference_position_unique"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="reference_not_empty"),
        ]

    def __str__(self):
        return self.text[:80]


class SourceDocument(models.Model):
    """A file the catalogue was built from, identified by its content."""

    file_name = models.CharField(max_length=500)
    # Empty for documents known only by name (the "sources" of a loaded JSON export).
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    size = models.PositiveBigIntegerField()
    parser_version = models.CharField(max_length=20)
    ingested = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-ingested"]
        constraints = [
            models.UniqueConstraint(
                fields=["sha256"], condition=~Q(sha256=""), name="source_document_sha256_unique"
            ),
            models.UniqueConstraint(
                fields=["file_name"], condition=Q(sha256=""), name="source_document_name_unique"
            ),
        ]

    def __str__(self):
        return self.file_name


class ArticleSource(models.Model):
    """Provenance: one article drawn from one document."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sources")
    document = models.ForeignKey(SourceDocument, on_delete=models.CASCADE, related_name="articles")
    ingested = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["ingested"]
        constraints = [
            models.UniqueConstraint(fields=["article", "document"], name="article_source_unique")
        ]

    def __str__(self):
        return f"article {self.article_id} from document {self.document_id}"


class IngestWarningQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved=False)


class IngestWarning(models.Model):
    """Something the ingestion was unsure of, for an editor to review."""

    class Kind(models.TextChoices):
        MISSING_FIELD = "missing_field", "missing field"
        INFERRED_DOI = "inferred_doi", "inferred DOI"
        UNATTACHED_BLOCK = "unattached_block", "block not attached"
        TOC_MISMATCH = "toc_mismatch", "contents and head disagree"
        POSSIBLE_DUPLICATE_PERSON = "possible_duplicate_person", "possible duplicate person"
        EDITOR_VALUE_KEPT = "editor_value_kept", "editor's value kept over ingested value"
        UNCERTAIN = "uncertain", "uncertain"

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="warnings"
    )
    document = models.ForeignKey(
        SourceDocument, on_delete=models.CASCADE, null=True, blank=True, related_name="warnings"
    )
    kind = models.CharField(max_length=40, choices=Kind.choices)
    field = models.CharField(max_length=40, blank=True)
    language = models.CharField(max_length=2, choices=Language.choices, blank=True)
    message = models.TextField()
    resolved = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    objects = IngestWarningQuerySet.as_manager()

    class Meta:
        ordering = ["article_id", "kind", "field"]
        constraints = [
            models.CheckConstraint(
                condition=Q(article__isnull=False) | Q(document__isnull=False),
                name="warning_concerns_something",
            ),
            models.UniqueConstraint(
                fields=["article", "kind", "field", "language", "message"],
                name="warning_unique_per_article",
            ),
        ]
        indexes = [
            # Review queue: open warnings by kind.
            models.Index(fields=["resolved", "kind"], name="warning_open_kind_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.message[:80]}"
