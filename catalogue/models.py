"""The catalogue's data model: journals, issues, articles, people and where they came from.

Text that exists in several languages is stored as one column per language
(`title_en`, `title_kk`, `title_ru`) rather than in JSON: each column can be
indexed, searched with its own text-search configuration, and edited in the
admin as a plain field. An empty string means "not in this language".
"""

import datetime
import functools
import re
from typing import NamedTuple

import simple_history
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.functions import RandomUUID
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
    TrigramSimilarity,
    TrigramStrictWordSimilarity,
)
from django.db import connections, models, router
from django.db.models import F, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Collate, Greatest, Left, Lower, NullIf, Upper
from django.utils import timezone
from django.utils.translation import get_language, gettext

from .parsing.names import fold, name_key

LANGUAGE_CODES = ("en", "kk", "ru")


class Licence(models.TextChoices):
    """The licences a journal publishes under, by the URL that names them (Creative Commons
    4.0, and CC0 for the public domain)."""

    CC_BY = "https://creativecommons.org/licenses/by/4.0/", "CC BY 4.0"
    CC_BY_SA = "https://creativecommons.org/licenses/by-sa/4.0/", "CC BY-SA 4.0"
    CC_BY_ND = "https://creativecommons.org/licenses/by-nd/4.0/", "CC BY-ND 4.0"
    CC_BY_NC = "https://creativecommons.org/licenses/by-nc/4.0/", "CC BY-NC 4.0"
    CC_BY_NC_SA = "https://creativecommons.org/licenses/by-nc-sa/4.0/", "CC BY-NC-SA 4.0"
    CC_BY_NC_ND = "https://creativecommons.org/licenses/by-nc-nd/4.0/", "CC BY-NC-ND 4.0"
    CC0 = "https://creativecommons.org/publicdomain/zero/1.0/", "CC0 1.0 (public domain)"


class AccessRight(models.TextChoices):
    """The COAR access rights vocabulary (https://vocabularies.coar-repositories.org/access_rights/)."""

    OPEN = "http://purl.org/coar/access_right/c_abf2", "open access"
    EMBARGOED = "http://purl.org/coar/access_right/c_f1cf", "embargoed access"
    RESTRICTED = "http://purl.org/coar/access_right/c_16ec", "restricted access"
    METADATA_ONLY = "http://purl.org/coar/access_right/c_14cb", "metadata only access"


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


_NAME_SEPARATORS = re.compile(r"[\s.,;\-]+")  # between the words and initials of a name


def normalised_name(text: str) -> str:
    """Lower-cased words without punctuation: the key of a section or an organisation.

    "L.N. Gumilyov Eurasian National University" -> "l n gumilyov eurasian national university".
    """
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def per_language(obj, stem: str) -> dict[str, str]:
    """{"en": ..., "kk": ...} of the languages that have a value, as the export writes it."""
    return {
        code: getattr(obj, f"{stem}_{code}")
        for code in LANGUAGE_CODES
        if getattr(obj, f"{stem}_{code}")
    }


# Text-search configuration per language: Kazakh has no stemmer, so it is only lower-cased.
SEARCH_CONFIGS = {"en": "english", "ru": "russian", "kk": "simple"}


def text_search_query(text: str) -> SearchQuery:
    """The visitor's words under every configuration: any language's stems may match."""
    queries = [
        SearchQuery(text, config=config, search_type="websearch")
        for config in SEARCH_CONFIGS.values()
    ]
    combined = queries[0]
    for query in queries[1:]:
        combined = combined | query
    return combined


def _article_search_vector():
    vector = None
    for stem, weight in (("title", "A"), ("abstract", "B")):
        for code, config in SEARCH_CONFIGS.items():
            part = SearchVector(f"{stem}_{code}", config=config, weight=weight)
            vector = part if vector is None else vector + part
    return vector


def _article_title_vector():
    vector = None
    for code, config in SEARCH_CONFIGS.items():
        part = SearchVector(f"title_{code}", config=config)
        vector = part if vector is None else vector + part
    return vector


class Versioned(models.Model):
    """A record two people may change at once: each change that alters it bumps `version`.

    The database bumps it (the catalogue_bump_version trigger), so edits by the
    admin, a merge and the ingest are counted alike; a form saved from an older
    version is refused instead of writing stale values back (admin.concurrency).
    """

    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    class Meta:
        abstract = True


def printed_field(label: str, max_length: int | None = None) -> models.Field:
    """The text as printed, kept where the display form differs (a heading set in capitals
    is shown in sentence case): provenance for editors, never shown to the public."""
    options = {
        "blank": True,
        "editable": False,
        "default": "",
        "db_default": "",  # rows written by COPY without the column get "" too
        "help_text": "As printed, where it differs from the form shown.",
    }
    if max_length:
        return models.CharField(f"printed {label}", max_length=max_length, **options)
    return models.TextField(f"printed {label}", **options)


def licence_field(help_text: str) -> models.CharField:
    """A licence by its URL; blank, in the database too, since COPY writers
    (catalogue.pgcopy) may name no such column."""
    return models.CharField(
        "licence",
        max_length=200,
        choices=Licence.choices,
        blank=True,
        default="",
        db_default="",
        help_text=help_text,
    )


def access_right_field(help_text: str) -> models.CharField:
    """A COAR access right; blank by default, as licence_field."""
    return models.CharField(
        max_length=200,
        choices=AccessRight.choices,
        blank=True,
        default="",
        db_default="",
        help_text=help_text,
    )


class JournalQuerySet(models.QuerySet):
    def with_issue_counts(self):
        """Journals in the archive's order, each with `issue_count`."""
        return self.annotate(issue_count=models.Count("series__issues")).order_by("title_en", "id")


class Journal(Versioned):
    title_en = models.CharField("title (English)", max_length=500, blank=True)
    title_kk = models.CharField("title (Kazakh)", max_length=500, blank=True)
    title_ru = models.CharField("title (Russian)", max_length=500, blank=True)
    printed_title_en = printed_field("title (English)", 500)
    printed_title_kk = printed_field("title (Kazakh)", 500)
    printed_title_ru = printed_field("title (Russian)", 500)
    publisher = models.CharField(max_length=500, blank=True)
    issn_print = models.CharField("ISSN (print)", max_length=9, blank=True)
    issn_online = models.CharField("ISSN (online)", max_length=9, blank=True)
    doi_prefix = models.CharField("DOI prefix", max_length=50, blank=True)
    licence_url = licence_field("The licence of its articles, unless an article says otherwise.")
    access_right = access_right_field(
        "Access to its articles (COAR), unless an article says otherwise."
    )

    # The title a journal gets when a lone article does not name it, for an editor to name.
    PLACEHOLDER = "Unnamed journal"

    objects = JournalQuerySet.as_manager()

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


class Series(Versioned):
    """A journal's series; a journal without series has one with no name."""

    journal = models.ForeignKey(Journal, on_delete=models.CASCADE, related_name="series")
    name_en = models.CharField("name (English)", max_length=300, blank=True)
    name_kk = models.CharField("name (Kazakh)", max_length=300, blank=True)
    name_ru = models.CharField("name (Russian)", max_length=300, blank=True)
    printed_name_en = printed_field("name (English)", 300)
    printed_name_kk = printed_field("name (Kazakh)", 300)
    printed_name_ru = printed_field("name (Russian)", 300)

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


class CitationNumbering(NamedTuple):
    volume: str  # the printed volume, else the whole number ("62"); may be ""
    issue: str  # the number within the year ("4"); "" for a holding issue
    whole_number: str  # the running number ("62"); may be ""
    label: str  # as printed after "No." / "№": "4 (62)"


class IssueQuerySet(models.QuerySet):
    def with_journal(self):
        return self.select_related("series__journal")

    def latest_first(self):
        return self.order_by("-year", "-number_sort", "-id")

    def in_archive_order(self):
        """Every issue by journal, series, then latest first: the archive page's order."""
        return self.with_journal().order_by(
            "series__journal__title_en",
            "series__journal_id",
            "series__name_en",
            "series_id",
            "-year",
            "-number_sort",
            "-id",
        )


class Issue(Versioned):
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="issues")
    year = models.PositiveSmallIntegerField()
    number = models.CharField(max_length=20, help_text="Number within the year, as printed.")
    # Numbers are printed as text ("4", "1-2"); this keeps them in numeric order.
    number_sort = models.PositiveSmallIntegerField(default=0, editable=False)
    whole_number = models.CharField(max_length=20, blank=True, help_text="Running number.")
    volume = models.CharField(
        max_length=20, blank=True, help_text="Volume, where the journal numbers issues in volumes."
    )
    published = models.DateField(null=True, blank=True)

    objects = IssueQuerySet.as_manager()

    # The number of a holding issue: articles whose issue is not known yet wait
    # here, one per series and year, until an editor or a later document says it.
    UNASSIGNED = "unassigned"

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
            # Latest issues first: the home page and the browse page's issue facet.
            models.Index(fields=["-year", "-number_sort", "-id"], name="issue_latest_idx"),
        ]

    def __str__(self):
        if self.is_unassigned:
            return f"issue not known ({self.year})"
        volume = f"Vol. {self.volume}, " if self.volume else ""
        whole = f" ({self.whole_number})" if self.whole_number else ""
        return f"{volume}No. {self.number}{whole} {self.year}"

    def save(self, *args, **kwargs):
        self.set_number_sort()
        super().save(*args, **kwargs)

    @property
    def designation(self) -> str:
        """The issue as the public pages print it, in the visitor's language
        ("No. 4 (62) 2025", "№ 4 (62) 2025"); str() stays English for editors and logs."""
        if self.is_unassigned:
            return gettext("issue not known (%(year)s)") % {"year": self.year}
        whole = f" ({self.whole_number})" if self.whole_number else ""
        text = gettext("No. %(number)s%(whole)s %(year)s") % {
            "number": self.number,
            "whole": whole,
            "year": self.year,
        }
        if self.volume:
            return gettext("Vol. %(volume)s, %(issue)s") % {"volume": self.volume, "issue": text}
        return text

    def set_number_sort(self):
        """Numeric order of the printed number; bulk loads call this as save() does."""
        self.number_sort = self.number_sort_for(self.number)

    @staticmethod
    def number_sort_for(number: str) -> int:
        """ "1-2" -> 1: the numeric order of a printed number (what COPY writers store)."""
        digits = "".join(ch for ch in number.split("-")[0] if ch.isdigit())[:4]
        return int(digits) if digits else 0

    def citation_numbering(self) -> "CitationNumbering":
        """Volume and issue as every machine format gives them (docs/metadata.md).

        The journal prints "No. 4 (62) 2025": issue 4 of the year, whole number 62,
        and no volume. Formats with a volume and an issue slot (CSL, BibTeX, RIS,
        Google Scholar, COinS, JATS, Crossref) get volume = the printed volume,
        else the whole number, and issue = the number within the year; `label`
        is the printed form ("4 (62)") for the styles that print it (GOST).
        A holding issue ("issue not known") has no issue number to give.
        """
        number = "" if self.is_unassigned else self.number
        whole = self.whole_number
        label = f"{number} ({whole})" if number and whole else number
        return CitationNumbering(
            volume=self.volume or whole, issue=number, whole_number=whole, label=label
        )

    @property
    def is_unassigned(self) -> bool:
        """A holding place for articles whose issue is not known yet."""
        return self.number == self.UNASSIGNED

    def remove_if_empty(self) -> bool:
        """Delete this issue when no article is left in it (an article moved out);
        a placeholder journal left with no issue goes with it."""
        if self.articles.exists():
            return False
        journal = self.series.journal
        self.delete()
        if (
            journal.title_en.startswith(Journal.PLACEHOLDER)
            and not Issue.objects.filter(series__journal=journal).exists()
        ):
            journal.delete()
        return True


class KeyedByName:
    """A record printed under names in three languages and found again by a key.

    The key is the record's identity: computed from its first name when it is
    created, and kept when an editor corrects the names.
    """

    def __str__(self):
        return in_language(self, "name")

    def save(self, *args, **kwargs):
        if not self.key:
            self.key = self.key_for(self.name_en or self.name_ru or self.name_kk)
        super().save(*args, **kwargs)

    @classmethod
    def key_for(cls, name: str) -> str:
        """The key a record printed as `name` is found under."""
        return normalised_name(name)[: cls._meta.get_field("key").max_length]

    @property
    def name(self) -> str:
        return in_language(self, "name")


class Section(KeyedByName, Versioned):
    """A rubric of a journal ("World politics and international relations")."""

    journal = models.ForeignKey(Journal, on_delete=models.CASCADE, related_name="sections")
    name_en = models.CharField("name (English)", max_length=500, blank=True)
    name_kk = models.CharField("name (Kazakh)", max_length=500, blank=True)
    name_ru = models.CharField("name (Russian)", max_length=500, blank=True)
    printed_name_en = printed_field("name (English)", 500)
    printed_name_kk = printed_field("name (Kazakh)", 500)
    printed_name_ru = printed_field("name (Russian)", 500)
    # Normalised name used to find the same rubric again on re-ingest.
    key = models.CharField(max_length=500, editable=False)

    class Meta:
        ordering = ["name_en"]
        constraints = [
            models.UniqueConstraint(fields=["journal", "key"], name="section_unique_per_journal"),
            models.CheckConstraint(condition=~Q(key=""), name="section_key_not_empty"),
        ]


class Organisation(KeyedByName, Versioned):
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

    def as_text(self, language: str | None = None) -> str:
        """ "Narxoz University, Almaty, Kazakhstan": the form the export writes."""
        parts = [in_language(self, "name", language), self.city, self.country]
        return ", ".join(part for part in parts if part)


# The A–Z author index files names by the Kazakh alphabet, which holds the Russian one
# in the same order and puts Ә after А, Ғ after Г and so on; Latin letters keep theirs.
AUTHOR_INDEX_COLLATION = "kk-x-icu"


def author_initial():
    """The upper-cased first letter of an author's shown name (what the index is cut by)."""
    return Upper(Left("display_name", 1))


class AuthorQuerySet(models.QuerySet):
    def initials(self) -> list[str]:
        """Every first letter of a shown name, in the index's order.

        A loose index scan: one probe of author_initial_idx per letter, however many
        authors there are, instead of reading every name.
        """
        table = self.model._meta.db_table
        initial = "upper(left(display_name, 1))"
        with connections[self.db].cursor() as cursor:
            cursor.execute(
                f"WITH RECURSIVE letters(letter) AS ("
                f" (SELECT {initial} FROM {table} ORDER BY 1 LIMIT 1)"
                f" UNION ALL SELECT (SELECT {initial} FROM {table} WHERE {initial} > letter"
                f" ORDER BY 1 LIMIT 1) FROM letters WHERE letter IS NOT NULL)"
                f" SELECT letter FROM letters WHERE letter IS NOT NULL"
                f' ORDER BY letter COLLATE "{AUTHOR_INDEX_COLLATION}"'
            )
            return [row[0] for row in cursor.fetchall()]

    def under_initial(self, letter: str, after: "Author | None" = None):
        """Authors whose shown name starts with `letter`, in alphabetical order, from
        just after `after` (keyset paging: the index is entered at that name, however
        deep the page)."""
        name = Collate("display_name", AUTHOR_INDEX_COLLATION)
        found = self.annotate(initial=author_initial(), filed=name).filter(initial=letter)
        if after is not None:
            # A row comparison, which PostgreSQL reads as the index's start.
            found = found.filter(
                RawSQL(
                    f'(display_name COLLATE "{AUTHOR_INDEX_COLLATION}", id) > '
                    f'(%s COLLATE "{AUTHOR_INDEX_COLLATION}", %s)',
                    [after.display_name, after.pk],
                    output_field=models.BooleanField(),
                )
            )
        return found.order_by("filed", "pk")

    def summaries(self) -> dict[int, dict]:
        """{author id: {"article_count", "first_year", "last_year", "latest_authorship"}}.

        The count and the years come from the author facet's FacetCount rows (one per
        year), the latest authorship from that person's most recent article (AuthorLatest):
        a few index probes however many articles a person has.
        """
        people, params = self.order_by().values("pk").query.sql_with_params()
        with connections[self.db].cursor() as cursor:
            cursor.execute(
                "WITH counted AS (SELECT f.value::bigint AS author, "
                "sum(f.count) FILTER (WHERE f.year = %s) AS articles, "
                "min(f.year) FILTER (WHERE f.year <> %s) AS first, "
                "max(f.year) FILTER (WHERE f.year <> %s) AS last "
                "FROM catalogue_facetcount f "
                "WHERE f.facet = 'author' AND f.language = %s AND f.count > 0 "
                f"AND f.value IN (SELECT pk::text FROM ({people}) AS people) GROUP BY f.value) "
                "SELECT c.author, c.articles, c.first, c.last, latest.id FROM counted c "
                "LEFT JOIN LATERAL (SELECT a.id FROM catalogue_authorlatest l "
                "JOIN catalogue_authorship a "
                "ON a.article_id = l.article_id AND a.author_id = l.author_id "
                "WHERE l.author_id = c.author ORDER BY a.id DESC LIMIT 1) AS latest ON true",
                [FacetCount.ALL_YEARS] * 3 + [FacetCount.ALL_LANGUAGES, *params],
            )
            rows = cursor.fetchall()
        return {
            author: {
                "article_count": count,
                "first_year": first,
                "last_year": last,
                "latest_authorship": latest,
            }
            for author, count, first, last, latest in rows
        }


class Author(Versioned):
    """One real person, whatever scripts and spellings their name is printed in."""

    display_name = models.CharField(max_length=300, help_text="The form shown on public pages.")
    orcid = models.CharField("ORCID", max_length=19, null=True, blank=True, unique=True)
    email = models.EmailField(blank=True)
    # Transliterated "surname initials", so that people are matched across scripts.
    match_key = models.CharField(max_length=300, blank=True, db_index=True)

    objects = AuthorQuerySet.as_manager()

    class Meta:
        ordering = ["display_name"]
        indexes = [
            # The A–Z author index: one letter's names in order, entered at a page's
            # first name (AuthorQuerySet.under_initial), and its letters (initials()).
            models.Index(
                author_initial(),
                Collate("display_name", AUTHOR_INDEX_COLLATION),
                F("id"),
                name="author_initial_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(orcid__isnull=True) | Q(orcid__regex=r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$"),
                name="author_orcid_format",
            ),
        ]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        if not self.match_key:  # writers give the key of the first printed byline
            self.match_key = self.match_key_for(self.display_name)
        super().save(*args, **kwargs)

    @classmethod
    def match_key_for(cls, name: str) -> str:
        """ "Жұматай Ғ.Б." -> "jumatai g": the key people are matched by across scripts."""
        return name_key(name)[: cls._meta.get_field("match_key").max_length]

    def coauthors(self, limit: int) -> list["Author"]:
        """The `limit` people who share most articles with this one (`shared`), ties by name.

        From CoAuthor's ranking index: the people at or above the last place's count
        are read, not every co-author of a prolific author.
        """
        table = CoAuthor._meta.db_table
        sql = (
            f"SELECT p.*, c.shared FROM {table} c"
            f" JOIN {self._meta.db_table} p ON p.id = c.coauthor_id"
            " WHERE c.author_id = %s AND c.shared >= coalesce((SELECT shared FROM"
            f" {table} WHERE author_id = %s ORDER BY shared DESC OFFSET %s LIMIT 1), 0)"
            " ORDER BY c.shared DESC, p.display_name, p.id LIMIT %s"
        )
        return list(Author.objects.raw(sql, [self.pk, self.pk, limit - 1, limit]))

    def organisations(self):
        """The organisations this person has signed for, by English name (AuthorOrganisation)."""
        return Organisation.objects.filter(
            pk__in=AuthorOrganisation.objects.filter(author=self).values("organisation")
        ).order_by("name_en")

    def page_summary(self) -> dict:
        """{"article_count", "first_year", "last_year"} from the author facet's counts
        (FacetCount, kept by the browse triggers): a few rows, however many articles."""
        rows = dict(
            FacetCount.objects.filter(
                facet="author", value=str(self.pk), language=FacetCount.ALL_LANGUAGES, count__gt=0
            ).values_list("year", "count")
        )
        years = [year for year in rows if year != FacetCount.ALL_YEARS]
        return {
            "article_count": rows.get(FacetCount.ALL_YEARS, 0),
            "first_year": min(years, default=None),
            "last_year": max(years, default=None),
        }


class MergedAuthor(models.Model):
    """An author record merged into another: its old public address redirects to the
    person kept (catalogue.editorial.merge_authors writes it)."""

    merged_id = models.BigIntegerField(primary_key=True, help_text="The merged record's id.")
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="merged_ids")
    merged = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["merged_id"]

    def __str__(self):
        return f"author {self.merged_id} merged into {self.author_id}"


class KeyWords(models.Func):
    """string_to_array(search_key, ' '): the words of a search key, as indexed."""

    function = "string_to_array"
    template = "%(function)s(%(expressions)s, ' ')"
    output_field = ArrayField(models.TextField())


class NameVariantQuerySet(models.QuerySet):
    # Below this score a printed form is not offered as a match (only as "did you mean").
    MATCH_THRESHOLD = 0.35

    def bulk_create(self, objs, *args, **kwargs):
        """As save() does, each form gets its search key (bulk_create does not call save())."""
        objs = list(objs)
        for variant in objs:
            variant.search_key = variant.search_key_for(variant.name)
        return super().bulk_create(objs, *args, **kwargs)

    def scored(self, text: str):
        """Annotate `score`: how well the printed form matches `text`, in any script (0..1).

        The better of strict word similarity (the query against the best-matching
        whole words of the key, so "Baissultanova" meets "baisultanova k ch"; never
        below plain trigram similarity, since the whole key is one of the extents
        compared) and 1 for a prefix match.
        """
        key = self.model.search_key_for(text)
        return self.annotate(
            score=Greatest(
                TrigramStrictWordSimilarity(Value(key), "search_key"),
                models.Case(
                    models.When(search_key__startswith=key, then=Value(1.0)),
                    default=Value(0.0),
                    output_field=models.FloatField(),
                ),
            )
        )

    def sharing_words(self, text: str, threshold: float, most: int = 40):
        """Forms holding a word similar to a word of `text`, or starting with `text`.

        The similar words come from NameWord, a table of distinct words, and the
        forms from the GIN index over each key's words; scoring follows as usual.
        """
        key = self.model.search_key_for(text)
        words = set()
        for word in key.split():
            if len(word) >= 3:
                words.update(NameWord.objects.similar_to(word, threshold)[:most])
        # A prefix ("Zhumatay" for "Zhumatayuly") may be less similar as a word.
        return self.annotate(words=KeyWords("search_key")).filter(
            Q(words__overlap=sorted(words)) | Q(search_key__startswith=key)
        )

    def matching(self, text: str, threshold: float = MATCH_THRESHOLD, most: int = 40) -> list[dict]:
        """The `most` printed forms that match `text` at least as well as `threshold`,
        best first: [{"author_id", "name", "score"}].

        When at least `most` forms start with a one-word query ("Akim" among a million
        names: thousands of Akimov, Akimbaev...), those and the forms holding the word
        itself are exactly the ones that score 1, and they fill the first `most`: they
        are listed in the same order without scoring every candidate. Otherwise the
        forms are scored (`scored_matching`).

        Raw SQL: on the author search, building these statements through the ORM cost
        more than running them.
        """
        key = self.model.search_key_for(text)
        if key and " " not in key:
            rows = self._select(
                "SELECT author_id, name, 1.0::float8 FROM catalogue_namevariant "
                "WHERE EXISTS (SELECT FROM catalogue_namevariant WHERE search_key::text LIKE %s "
                "OFFSET %s) "
                "AND (string_to_array(search_key, ' ') && ARRAY[%s]::text[] "
                "OR search_key::text LIKE %s) ORDER BY 1, 2 LIMIT %s",
                [_prefix(key), most - 1, key, _prefix(key), most],
            )
            if rows:
                return rows
        return self.scored_matching(text, threshold, most)

    def scored_matching(self, text: str, threshold: float, most: int) -> list[dict]:
        """`matching` by score: candidates come through similar words (the trigram index
        over two million whole keys is slow at low thresholds, the one over the distinct
        words, NameWord, is not), in the statement that scores them (as `scored`)."""
        key = self.model.search_key_for(text)
        # pg_trgm's thresholds for the index operator, set in the same query string: the
        # two statements make one transaction, which the settings end with, and one round
        # trip instead of four.
        thresholds = trigram_thresholds_sql("%(threshold)s") + "; "
        score = (
            "GREATEST(strict_word_similarity(%(key)s, search_key), "
            "CASE WHEN search_key::text LIKE %(prefix)s THEN 1.0::float8 ELSE 0.0::float8 END)"
        )
        return self._select(
            f"{thresholds}SELECT author_id, name, {score} AS score FROM catalogue_namevariant "
            "WHERE (string_to_array(search_key, ' ') && ARRAY("
            "SELECT near.word::text FROM unnest(%(words)s::text[]) AS asked (word) "
            "CROSS JOIN LATERAL (SELECT w.word FROM catalogue_nameword w "
            "WHERE similarity(w.word, asked.word) >= %(threshold)s AND w.word %% asked.word "
            "ORDER BY similarity(w.word, asked.word) DESC, w.word LIMIT 40) AS near) "
            "OR search_key::text LIKE %(prefix)s) "
            f"AND {score} >= %(threshold)s ORDER BY 3 DESC, 1, 2 LIMIT %(most)s",
            {
                "key": key,
                "prefix": _prefix(key),
                "words": [word for word in key.split() if len(word) >= 3],
                "threshold": threshold,
                "most": most,
            },
        )

    def _select(self, sql: str, params) -> list[dict]:
        """The rows of the last statement of `sql`."""
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, params)
            while cursor.nextset():
                pass
            return [
                {"author_id": author_id, "name": name, "score": score}
                for author_id, name, score in cursor.fetchall()
            ]


def trigram_thresholds_sql(threshold: str) -> str:
    """The statement that sets pg_trgm's two similarity thresholds for the rest of the
    transaction, from the placeholder `threshold` (search.trigram_thresholds)."""
    return (
        f"SELECT set_config('pg_trgm.strict_word_similarity_threshold', {threshold}::text, "
        f"true), set_config('pg_trgm.similarity_threshold', {threshold}::text, true)"
    )


def _prefix(text: str) -> str:
    """A LIKE pattern for what starts with `text`."""
    return re.sub(r"([\\%_])", r"\\\1", text) + "%"


class NameVariant(Versioned):
    """One printed form of a person's name, with the key used to search for it."""

    class Kind(models.TextChoices):
        BYLINE = "byline", "byline (surname and initials)"
        FULL = "full", "full name"
        PRINTED = "printed", "as printed, with another script's look-alike letters"

    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="name_variants")
    name = models.CharField(max_length=300)
    language = models.CharField(max_length=2, choices=Language.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.BYLINE)
    # Lower-case Latin transliteration; trigram-indexed for cross-script fuzzy search.
    search_key = models.CharField(max_length=300)

    objects = NameVariantQuerySet.as_manager()

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
            # Author search, misspelt names: the forms holding one of the similar words.
            GinIndex(KeyWords("search_key"), name="name_variant_words_gin"),
            # Author search: the prefix match (search_key LIKE 'key%'), cheaper than trigrams.
            models.Index(
                fields=["search_key"],
                name="name_variant_key_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_key = self.search_key_for(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_key"}
        super().save(*args, **kwargs)

    @classmethod
    def search_key_for(cls, name: str) -> str:
        """ "Жұматай Ғ.Б." -> "jumatai g b": one folded token per word or initial.

        A name's search key is its transliterated, spelling-folded Latin form, so
        "Жұматай Ғ.Б.", "Zhumatay G." and "zhumatai" meet on one key that trigram
        similarity can compare. save() stores it; writers that bypass save() (COPY,
        bulk_create) and searches that look a name up call this.
        """
        words = (fold(word) for word in _NAME_SEPARATORS.split(name))
        key = " ".join(word for word in words if word)
        return key[: cls._meta.get_field("search_key").max_length]


class WordQuerySet(models.QuerySet):
    """A table of words (NameWord, SearchWord) searched by trigram similarity."""

    def similar_to(self, word: str, threshold: float):
        """Words at least `threshold` similar to `word` (trigram similarity), most first."""
        return (
            self.annotate(similarity=TrigramSimilarity("word", Value(word)))
            .filter(similarity__gte=threshold, word__trigram_similar=word)
            .order_by("-similarity", "word")
            .values_list("word", flat=True)
        )


class NameWord(models.Model):
    """Every word of every name's search key, once: "ajulaneva", "e", "b".

    Two million printed forms share some 160,000 surnames; a misspelt name is
    looked up among these words first (trigram GIN over a small table), then the
    forms holding the similar words are scored. Written by a trigger on
    NameVariant (migration 0009), never by the application.
    """

    word = models.CharField(max_length=300, primary_key=True)

    objects = WordQuerySet.as_manager()

    class Meta:
        indexes = [
            GinIndex(fields=["word"], name="name_word_trgm", opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self):
        return self.word


class SearchWordQuerySet(WordQuerySet):
    def similar_to(self, word: str, threshold: float):
        """Other words at least `threshold` similar to `word`, most first. Run inside
        `search.trigram_thresholds(threshold)` so the index finds them all."""
        return super().similar_to(word, threshold).exclude(word=word)


class SearchWord(models.Model):
    """Every word of every title and keyword, once, lower-cased: "diplomacy", "дипломатия".

    The catalogue's own vocabulary, for "did you mean" on the browse page: a misspelt
    word of a query is looked up here (trigram GIN over a small table). Written by
    triggers on Article and Keyword (migration 0018), never by the application; words
    no longer used stay (a suggestion is only offered, and the search it links to says
    how many it finds).
    """

    word = models.CharField(max_length=40, primary_key=True)

    objects = SearchWordQuerySet.as_manager()

    class Meta:
        indexes = [
            GinIndex(fields=["word"], name="search_word_trgm", opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self):
        return self.word


class KeywordConcept(Versioned):
    """Keywords that translate each other ("soft power" / "мягкая сила") share a concept."""

    class Meta:
        verbose_name = "keyword concept"

    def __str__(self):
        return f"concept {self.pk}"


class Keyword(Versioned):
    language = models.CharField(max_length=2, choices=Language.choices)
    text = models.CharField(max_length=300, help_text="Display form, as first printed.")
    # Lower-cased, whitespace-folded form: the identity of a keyword within a language.
    normalized = models.CharField(max_length=300, editable=False)
    concept = models.ForeignKey(KeywordConcept, on_delete=models.PROTECT, related_name="keywords")
    # The text under its language's text-search configuration, for the public search.
    search_vector = models.GeneratedField(
        expression=models.Case(
            *(
                models.When(language=code, then=SearchVector("text", config=config))
                for code, config in SEARCH_CONFIGS.items()
                if config != "simple"
            ),
            default=SearchVector("text", config="simple"),
            output_field=SearchVectorField(),
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["language", "normalized"]
        constraints = [
            models.UniqueConstraint(
                fields=["language", "normalized"], name="keyword_unique_per_language"
            ),
            models.CheckConstraint(condition=~Q(normalized=""), name="keyword_not_empty"),
        ]
        indexes = [GinIndex(fields=["search_vector"], name="keyword_search_gin")]

    def __str__(self):
        return self.text

    def save(self, *args, **kwargs):
        self.normalized = self.normalize(self.text)
        super().save(*args, **kwargs)

    @staticmethod
    def normalize(text: str) -> str:
        return " ".join(text.lower().split())


IRSTI_CODE = r"^\d{2}(\.\d{2}){0,2}$"


def irsti_ancestors(code: str) -> list[str]:
    """ "11.25.91" -> ["11", "11.25", "11.25.91"]: the code and every level above it."""
    parts = code.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


class IrstiSubject(models.Model):
    """A heading of the IRSTI rubricator (МРНТИ in Kazakhstan, ГРНТИ in Russia) by its code.

    No openly licensed, maintained copy of the rubricator could be vendored, so the
    table starts empty: editors name the headings in the admin, or a licensed copy
    is loaded with `manage.py irsti FILE.csv`. A code with no name is shown with the
    name of the nearest heading above it that has one.
    """

    code = models.CharField(max_length=8, primary_key=True)
    name_en = models.CharField("name (English)", max_length=300, blank=True)
    name_kk = models.CharField("name (Kazakh)", max_length=300, blank=True)
    name_ru = models.CharField("name (Russian)", max_length=300, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "IRSTI subject"
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=IRSTI_CODE), name="irsti_code_format"),
        ]

    def __str__(self):
        name = in_language(self, "name")
        return f"{self.code} {name}" if name else self.code

    @classmethod
    def labels(cls, codes, language: str | None = None) -> dict[str, str]:
        """{code: "11.25 International relations"} in one query; a code without a name of
        its own gets its nearest named ancestor's ("11.25.91, in: International relations"),
        and a code with neither stays bare."""
        wanted = {ancestor for code in codes for ancestor in irsti_ancestors(code)}
        rows = cls.objects.filter(code__in=wanted).values("code", "name_en", "name_kk", "name_ru")
        return cls.labels_from(codes, {row["code"]: row for row in rows}, language)

    @staticmethod
    def labels_from(codes, subjects: dict[str, dict], language: str | None = None) -> dict:
        """labels() from {code: {"name_en", "name_kk", "name_ru"}} of the codes and the
        levels above them, looked up by the caller."""
        preferred = (language or get_language() or "en")[:2]
        order = [preferred] + [code for code in LANGUAGE_CODES if code != preferred]
        named = {
            code: next((row[f"name_{lang}"] for lang in order if row.get(f"name_{lang}")), "")
            for code, row in subjects.items()
        }
        labels = {}
        for code in codes:
            if named.get(code):
                labels[code] = f"{code} {named[code]}"
                continue
            above = [named[a] for a in irsti_ancestors(code)[:-1] if named.get(a)]
            labels[code] = (
                gettext("%(code)s, in: %(parent)s") % {"code": code, "parent": above[-1]}
                if above
                else code
            )
        return labels


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

    # ------------------------------------------------------------ public browse

    def for_browse(self):
        """What a result list shows: issue, series, journal, section and authors."""
        return self.select_related("issue__series__journal", "section").prefetch_related(
            models.Prefetch("authorships", queryset=Authorship.objects.select_related("author")),
        )

    def with_stamp(self):
        """`stamp`: the record's harvest datestamp, which keys its cached result-list entry
        (catalogue.pagecache.article_entries)."""
        return self.annotate(stamp=models.F("datestamp__changed"))

    def newest_first(self):
        return self.in_catalogue_order()


def filing_title(language: str, path: str = "") -> models.Func:
    """The title an article is filed under for an interface language: that language's
    title, else the others', with a leading "The" and opening quotes or brackets left
    out, as a library files them. One expression for the browse sort and the indexes
    that serve it, which PostgreSQL uses only when the two are the same expression."""
    order = [language] + [code for code in LANGUAGE_CODES if code != language]
    title = Coalesce(
        *(NullIf(f"{path}title_{code}", Value("")) for code in order),
        output_field=models.TextField(),
    )
    return models.Func(
        title,
        Value(r"^([^[:alnum:]]+|the\s+)+"),
        Value(""),
        Value("i"),
        function="regexp_replace",
        output_field=models.TextField(),
    )


class Article(Versioned):
    # Fields an editor may correct; ingestion leaves those listed in edited_fields alone.
    EDITABLE_FIELDS = (
        "issue",
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
    printed_title_en = printed_field("title (English)")
    printed_title_kk = printed_field("title (Kazakh)")
    printed_title_ru = printed_field("title (Russian)")
    abstract_en = models.TextField("abstract (English)", blank=True)
    abstract_kk = models.TextField("abstract (Kazakh)", blank=True)
    abstract_ru = models.TextField("abstract (Russian)", blank=True)
    licence_url = licence_field("Blank: the journal's licence.")
    access_right = access_right_field("Blank: the journal's access right.")
    edited_fields = ArrayField(
        models.CharField(max_length=40),
        default=list,
        blank=True,
        help_text="Fields an editor has corrected; re-ingest keeps their values.",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    # Titles (weight A) and abstracts (B), each under its language's configuration.
    search_vector = models.GeneratedField(
        expression=_article_search_vector(),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    # The titles alone, for the admin's search by title words: a few hundred bytes kept
    # in the row, where search_vector (with the abstracts) is read from TOAST for each
    # article the admin's catalogue order passes over.
    title_vector = models.GeneratedField(
        expression=_article_title_vector(),
        output_field=SearchVectorField(),
        db_persist=True,
    )

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
            # The admin's search by title words. (The public text search reads the copy of
            # search_vector in the browse index, with its own GIN index.)
            GinIndex(fields=["title_vector"], name="article_title_gin"),
            # Browse sorted by title, one per interface language (BrowseEntryQuerySet.by_title):
            # the page's twenty rows read in order, with the language's collation.
            *(
                models.Index(
                    Collate(filing_title(code), f"{code}-x-icu"),
                    F("id"),
                    name=f"article_title_{code}_idx",
                )
                for code in LANGUAGE_CODES
            ),
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

    def abstract_paragraphs(self, language: str) -> list[str]:
        """The abstract in `language` as its paragraphs (stored apart by a blank line)."""
        text = getattr(self, f"abstract_{language}")
        return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]

    @property
    def licence(self) -> str:
        """The licence URL: the article's own, else its journal's ("" when neither says)."""
        return self.licence_url or self.issue.series.journal.licence_url

    @property
    def access(self) -> str:
        """The COAR access right URI: the article's own, else its journal's."""
        return self.access_right or self.issue.series.journal.access_right

    def licence_label(self) -> str:
        return Licence(self.licence).label if self.licence else ""

    def access_label(self) -> str:
        return AccessRight(self.access).label if self.access else ""

    @property
    def public_doi(self) -> str:
        """The DOI to link and send out: a DOI inferred from the issue's pattern is a guess
        until an editor confirms it, and a wrong guess would send readers to another article."""
        return self.doi if self.doi and not self.doi_inferred else ""


class RecordDatestamp(models.Model):
    """When anything an article's record shows last changed: the OAI-PMH datestamp and the
    sitemap's lastmod.

    Kept by triggers in the same transaction as the change (catalogue/sql/
    catalogue_article_datestamp and catalogue_record_datestamp): the article's own
    fields, its authorships, affiliations, keywords and references, and the authors,
    organisations, keywords, sections, issues, series and journals its record shows.
    """

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="datestamp"
    )
    changed = models.DateTimeField()

    class Meta:
        indexes = [
            # OAI-PMH lists: from/until and the harvest order (datestamp, id).
            models.Index(fields=["changed", "article"], name="record_datestamp_changed_idx"),
        ]

    def __str__(self):
        return f"article {self.article_id} changed {self.changed:%Y-%m-%d %H:%M:%S}"


class OaiTombstoneQuerySet(models.QuerySet):
    def merged(self):
        """Articles deleted by a merge, whose address leads to the article kept."""
        return self.filter(merged_into__isnull=False)


class OaiTombstone(models.Model):
    """An article that was deleted, as OAI-PMH reports it (`status="deleted"`, deletedRecord
    "persistent"): its id, the sets it was in and when it went.

    Written by a database trigger on the article table (catalogue/sql/
    catalogue_article_tombstone), in the transaction that deletes the article, whatever
    deletes it: the admin, a cascade from its issue, series or journal, a merge, SQL.
    The journal and series are plain numbers: they may be deleted after it. A merge
    that deletes an article in favour of another sets `merged_into` to the kept one.
    """

    article_id = models.BigIntegerField(primary_key=True, help_text="The deleted article's id.")
    journal_id = models.BigIntegerField(null=True, blank=True)
    series_id = models.BigIntegerField(null=True, blank=True)
    deleted = models.DateTimeField()
    merged_into = models.BigIntegerField(
        null=True, blank=True, help_text="The article kept when this one was merged into it."
    )

    objects = OaiTombstoneQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["deleted", "article_id"], name="oai_tombstone_deleted_idx"),
        ]

    def __str__(self):
        return f"article {self.article_id} deleted {self.deleted:%Y-%m-%d %H:%M:%S}"


class Authorship(Versioned):
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
        indexes = [
            # Author search summaries: a prolific author's authorships from the index alone.
            models.Index(
                fields=["author", "article"], include=["id"], name="authorship_author_article_idx"
            ),
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


class DocumentUploadQuerySet(models.QuerySet):
    def pending(self, batch, user):
        """One editor's files of one upload that wait for confirmation, in upload order."""
        return self.filter(batch=batch, uploaded_by=user, status=DocumentUpload.Status.PENDING)

    def abandoned(self, hours: int):
        """Pending uploads nobody confirmed or cancelled within `hours`."""
        since = timezone.now() - datetime.timedelta(hours=hours)
        return self.filter(status=DocumentUpload.Status.PENDING, uploaded__lt=since)

    def confirmed(self):
        return self.filter(status=DocumentUpload.Status.CONFIRMED)


class DocumentUpload(models.Model):
    """A file an editor uploaded on the admin's "Add documents" page, kept with its bytes.

    Pending until the editor confirms its preview (then `document` is the source
    document its articles name), deleted if the editor cancels. The bytes are in the
    database rather than under MEDIA_ROOT: a backup of the database is then a backup
    of the documents, every worker and replica can serve them without a shared disk,
    and INGEST_MAX_BYTES bounds each one.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "waiting for the editor to confirm"
        CONFIRMED = "confirmed", "confirmed and written"

    batch = models.UUIDField(help_text="The files uploaded together, previewed together.")
    file_name = models.CharField(max_length=500)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField()
    content = models.BinaryField()
    # Provenance outlives nothing it names: an editor who uploaded is deactivated, not deleted.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="document_uploads"
    )
    uploaded = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    confirmed = models.DateTimeField(null=True, blank=True)
    document = models.ForeignKey(
        SourceDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="uploads"
    )
    # The page's options, as the command's: what the document does not say.
    journal = models.CharField(max_length=500, blank=True)
    series = models.CharField(max_length=500, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    volume = models.CharField(max_length=50, blank=True)
    number = models.CharField(max_length=50, blank=True)
    replace = models.BooleanField(default=False)

    objects = DocumentUploadQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending", document__isnull=True, confirmed__isnull=True)
                | Q(status="confirmed", confirmed__isnull=False),
                name="document_upload_confirmed_has_time",
            ),
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="document_upload_sha256_hex"
            ),
        ]
        indexes = [
            # The preview and the confirmation load one batch's files.
            models.Index(fields=["batch"], name="document_upload_batch_idx"),
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


# ---------------------------------------------------------------- editorial workflow


class ErrorReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved=False)


class ErrorReport(models.Model):
    """A reader's note that something on an article page is wrong; joins the review queue."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="error_reports")
    message = models.TextField(help_text="What the reader says is wrong.")
    email = models.EmailField(blank=True, help_text="Given by the reader for a reply; optional.")
    created = models.DateTimeField(auto_now_add=True)
    resolved = models.BooleanField(default=False)

    objects = ErrorReportQuerySet.as_manager()

    class Meta:
        ordering = ["resolved", "-created"]
        constraints = [
            models.CheckConstraint(condition=~Q(message=""), name="error_report_not_empty"),
        ]
        indexes = [
            # Review queue: open reports per article.
            models.Index(fields=["article", "resolved"], name="error_report_open_idx"),
        ]

    def __str__(self):
        return f"report on article {self.article_id}: {self.message[:60]}"


@functools.cache
def _icu_collations(alias: str) -> frozenset[str]:
    """The language ICU collations the server has (PostgreSQL built with ICU has them all)."""
    wanted = [f"{code}-x-icu" for code in LANGUAGE_CODES]
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT collname FROM pg_collation WHERE collname = ANY(%s)", [wanted])
        return frozenset(row[0] for row in cursor.fetchall())


def title_collation(language: str, alias: str = "default") -> str:
    """ "kk-x-icu" for Kazakh, and so on; "" when the server has no such collation."""
    name = f"{language}-x-icu"
    return name if name in _icu_collations(alias) else ""


class BrowseEntryQuerySet(models.QuerySet):
    """The browse filters, over the narrow browse index rather than the wide articles."""

    def in_series(self, ids):
        return self.filter(series__in=ids)

    def in_years(self, years):
        return self.filter(year__in=years)

    def year_between(self, first=None, last=None):
        if first is not None:
            self = self.filter(year__gte=first)
        if last is not None:
            self = self.filter(year__lte=last)
        return self

    def with_keyword_concepts(self, concept_ids):
        return self.filter(concepts__overlap=list(concept_ids))

    def in_languages(self, codes):
        return self.filter(language__in=codes)

    def in_issues(self, ids):
        return self.filter(issue__in=ids)

    def in_sections(self, ids):
        return self.filter(section__in=ids)

    def by_authors(self, ids):
        return self.filter(authors__overlap=list(ids))

    def at_organisations(self, ids):
        """Articles with an author affiliated to any of these organisations."""
        return self.filter(organisations__overlap=list(ids))

    def under_irsti(self, prefixes):
        """Codes equal to or below any prefix: `irsti` holds every level of every code."""
        return self.filter(irsti__overlap=list(prefixes))

    def search(self, text: str):
        """Entries whose article's titles, abstracts or keywords match the visitor's words.

        The entry's search vector holds every wording of its keyword concepts too
        (catalogue_refresh_browse v5), so a keyword in any language finds the article
        and the match is one GIN lookup, combined with the facets' indexes before a row
        is read.
        """
        return self.filter(search_vector=text_search_query(text))

    def by_relevance(self, text: str):
        """Best match first: text rank, titles and keywords weighing more than abstracts."""
        rank = SearchRank(F("search_vector"), text_search_query(text))
        return self.annotate(rank=rank).order_by(
            "-rank", "-year", "-number_sort", "position", "article_id"
        )

    def newest_first(self):
        return self.order_by("-year", "-number_sort", "issue_id", "position", "article_id")

    def by_title(self, language: str | None = None):
        """Title order, read in order from the article's title index of the interface
        language (Article.Meta.indexes): the page's rows alone, without sorting every
        article. Without the server's ICU collations, lower-cased code points (unindexed)."""
        preferred = (language or get_language() or "en")[:2]
        filed = filing_title(preferred, "article__")
        collation = title_collation(preferred, self.db)
        sort_title = Collate(filed, collation) if collation else Lower(filed)
        return self.annotate(sort_title=sort_title).order_by("sort_title", "article_id")


class BrowseEntry(models.Model):
    """One narrow row per article: what the browse page filters, counts and sorts on.

    The article table is wide (three titles, three abstracts, a search vector);
    scanning it to count facets does not scale. These rows are written only by
    database triggers (migration 0005) in the same transaction as any change to
    an article, its issue or its keywords, so they are never stale, whatever
    writes: ingestion, COPY, the admin or a merge.
    """

    article = models.OneToOneField(
        Article,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="browse",
    )
    series = models.ForeignKey(
        Series,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    year = models.SmallIntegerField()
    issue = models.ForeignKey(
        Issue,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    number_sort = models.SmallIntegerField()
    position = models.SmallIntegerField(null=True)
    section = models.ForeignKey(
        Section,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )
    language = models.CharField(max_length=2, blank=True)
    # Keyword concepts of the article, and every level of its IRSTI codes (11, 11.25, 11.25.91).
    concepts = ArrayField(models.BigIntegerField(), default=list)
    irsti = ArrayField(models.CharField(max_length=20), default=list)
    # Organisations of the article's authors: the organisation facet and /statistics/.
    organisations = ArrayField(models.BigIntegerField(), default=list)
    # The article's authors: the author facet.
    authors = ArrayField(models.BigIntegerField(), default=list)
    # The article's search vector, copied: a text query and the facets then meet in
    # one table (BitmapAnd of the two GIN indexes and the year index), instead of
    # visiting thousands of wide article rows to learn their ids. It is stored out
    # of line (TOAST), so the rows that facet counts scan stay narrow.
    search_vector = SearchVectorField(null=True)

    objects = BrowseEntryQuerySet.as_manager()

    class Meta:
        indexes = [
            # Browse in catalogue order (no filter, or a year): the first page without a sort.
            models.Index(
                F("year").desc(),
                F("number_sort").desc(),
                "issue",
                "position",
                "article",
                name="browse_newest_idx",
            ),
            # Keyword facet chosen, and keyword matches of a text query: concepts && ARRAY[...].
            GinIndex(fields=["concepts"], name="browse_concepts_gin"),
            # Text query: search_vector @@ query, combined with the other filters' bitmaps.
            GinIndex(fields=["search_vector"], name="browse_search_gin"),
            # Author and organisation facets chosen: authors && ARRAY[...], organisations && ...
            GinIndex(fields=["authors"], name="browse_authors_gin"),
            GinIndex(fields=["organisations"], name="browse_organisations_gin"),
            # Series facet chosen beside a broad one (year, keyword): BitmapAnd.
            models.Index(fields=["series"], name="browse_series_idx"),
            # Author search summaries: each authorship's year from the index alone.
            models.Index(
                fields=["article"], include=["year", "number_sort"], name="browse_article_year_idx"
            ),
        ]

    def __str__(self):
        return f"browse entry of article {self.article_id}"


class SlicedCount(models.Model):
    """Articles per facet value in a slice of the catalogue: a year (0: every year) and a
    language ("*": every language)."""

    ALL_YEARS, ALL_LANGUAGES = 0, "*"

    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=40)
    year = models.SmallIntegerField(default=ALL_YEARS)
    language = models.CharField(max_length=2, default=ALL_LANGUAGES)
    count = models.IntegerField(default=0)

    class Meta:
        abstract = True


class FacetCount(SlicedCount):
    """Articles per facet value, kept exact by triggers, whole and sliced by year and language.

    The unfiltered browse page reads its counts here instead of counting a
    million rows, and so does a page filtered only by year and language, the
    broad filters that would otherwise count tens of thousands of entries:
    year 0 means every year and language "*" every language. Facet "total"
    (value "") is the number of articles.
    """

    pk = models.CompositePrimaryKey("facet", "value", "year", "language")

    class Meta:
        indexes = [
            # One slice's values, the most used first (the keyword facet's top ten).
            models.Index(
                "facet", "year", "language", F("count").desc(), name="facet_count_slice_idx"
            ),
        ]

    def __str__(self):
        return f"{self.facet}={self.value} ({self.year}, {self.language}): {self.count}"

    @classmethod
    def years(cls) -> list[int]:
        """The years the catalogue has articles in."""
        rows = cls.objects.filter(
            facet="year", year=cls.ALL_YEARS, language=cls.ALL_LANGUAGES, count__gt=0
        )
        return sorted(int(value) for value in rows.values_list("value", flat=True))


class CountedSearchQuerySet(models.QuerySet):
    def counted(self):
        return self.filter(counted=True)

    def waiting(self):
        """Searches noted as slow to count, whose counts are not kept yet."""
        return self.filter(counted=False)


class CountedSearch(models.Model):
    """A text search that matches so much of the catalogue that counting its facets at
    each request is too slow (a common word at a million articles): its facet counts are
    kept in SearchFacetCount, exact, by the same kind of trigger as FacetCount's.

    A search is noted here (`counted` false) when its counts took too long on the
    browse page; `manage.py count_searches` counts the noted ones (from cron), after
    which the triggers keep them. `query` is the search's tsquery as text, so the
    wordings that read alike ("policy", "Policy") share one row.
    """

    query = models.TextField(unique=True)
    text = models.CharField(max_length=200, help_text="The words as a visitor typed them.")
    counted = models.BooleanField(default=False)
    matches = models.IntegerField(null=True, help_text="Articles matched when last counted.")
    noted = models.DateTimeField(auto_now_add=True)

    objects = CountedSearchQuerySet.as_manager()

    class Meta:
        constraints = [models.CheckConstraint(condition=~Q(query=""), name="counted_search_query")]

    def __str__(self):
        return self.text


class SearchFacetCount(SlicedCount):
    """FacetCount for the articles one CountedSearch matches, kept by triggers.

    Sliced like FacetCount by year and language, except the author and organisation
    facets, sliced by year alone: their hundreds of thousands of values in each
    language's slices would more than double a common word's rows.
    """

    pk = models.CompositePrimaryKey("search", "facet", "value", "year", "language")
    # Written and deleted by the database and by catalogue.counted_searches alone.
    search = models.ForeignKey(
        CountedSearch,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )

    class Meta:
        indexes = [
            models.Index(
                "search",
                "facet",
                "year",
                "language",
                F("count").desc(),
                name="search_count_slice_idx",
            ),
        ]

    def __str__(self):
        return f"{self.search_id}: {self.facet}={self.value} ({self.year}, {self.language})"


class CoAuthor(models.Model):
    """How many articles two people sign together, kept exact by a trigger on the
    authorships (catalogue_authorship_coauthors), both ways round: an author page ranks
    its co-authors from its own few index entries instead of counting across thousands
    of a prolific author's articles. Written by the database alone."""

    pk = models.CompositePrimaryKey("author", "coauthor")
    author = models.ForeignKey(
        Author, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    coauthor = models.ForeignKey(
        Author, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    shared = models.IntegerField()

    class Meta:
        indexes = [
            # An author page's co-authors, those sharing most first (Author.coauthors).
            models.Index("author", F("shared").desc(), "coauthor", name="coauthor_rank_idx"),
        ]

    def __str__(self):
        return f"authors {self.author_id} and {self.coauthor_id}: {self.shared} articles"


class AuthorOrganisation(models.Model):
    """The organisations a person has signed for, kept exact by triggers on the
    affiliations and authorships (catalogue_affiliation_authors): an author page lists
    them from a few index entries instead of every affiliation of thousands of
    authorships. Written by the database alone."""

    pk = models.CompositePrimaryKey("author", "organisation")
    author = models.ForeignKey(
        Author, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )

    def __str__(self):
        return f"author {self.author_id} at organisation {self.organisation_id}"


class AuthorLatest(models.Model):
    """Each person's most recent article (latest year, then issue), kept by triggers on
    the browse entries (catalogue_author_latest): the author search shows that article's
    affiliation from one row instead of walking thousands of a prolific author's
    authorships. Written by the database alone."""

    author = models.OneToOneField(
        Author,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="+",
    )
    article = models.ForeignKey(
        Article, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    year = models.SmallIntegerField()
    number_sort = models.SmallIntegerField()

    def __str__(self):
        return f"author {self.author_id}: latest article {self.article_id}"


# The sum of the weights moves with every commit; the newest row's random token tells a
# catalogue restored from a backup or flushed (RESTART IDENTITY) from the one it replaced;
# the writing transaction's own count of statements tells its later writes from its first
# (empty for a reader that has not written).
VERSION_SQL = (
    "SELECT coalesce(sum(weight), 0) || '.'"
    " || coalesce((SELECT token::text FROM catalogue_cataloguechange ORDER BY id DESC LIMIT 1),"
    " '') || '.' || coalesce(current_setting('catalogue.change_statements', true), '')"
    " FROM catalogue_cataloguechange"
)


class CatalogueChangeQuerySet(models.QuerySet):
    def version(self) -> str:
        """The version of what the reader can see: it moves with each write to a table
        public pages read that the reader can see, and never otherwise."""
        with connections[router.db_for_read(self.model)].cursor() as cursor:
            cursor.execute(VERSION_SQL)
            return cursor.fetchone()[0]


class CatalogueChange(models.Model):
    """One row per transaction that wrote a table public pages read (weight 1, more for a
    row that folds others), kept by a statement trigger on each of those tables
    (catalogue_note_change): the sum of the weights is a version of the whole catalogue
    that moves when a reader can see a change (other readers at the writer's commit),
    without writers waiting on one row. Rows are folded together as they accumulate.
    Whole public pages are kept per version (catalogue.pagecache.kept_whole). Written by
    the database alone."""

    weight = models.BigIntegerField(default=1)
    token = models.UUIDField(db_default=RandomUUID(), editable=False)

    objects = CatalogueChangeQuerySet.as_manager()

    def __str__(self):
        return f"catalogue change {self.pk} (weight {self.weight})"


# Field-level history (who, when, old and new value) of what editors correct.
# The stored search vectors are derived from other fields and left out.
# So is the version, which counts changes rather than being one.
for _model, _excluded in (
    (Article, ["search_vector", "title_vector", "version"]),
    (Authorship, ["version"]),
    (Author, ["version"]),
    (NameVariant, ["version"]),
    (Organisation, ["version"]),
    (Keyword, ["search_vector", "normalized", "version"]),
    (Issue, ["number_sort", "version"]),
):
    simple_history.register(_model, excluded_fields=_excluded)
