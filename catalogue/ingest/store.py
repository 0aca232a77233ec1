"""Write parsed documents into the catalogue, one record at a time (the careful path).

The rules that make ingestion safe to run again live here:
- an article already in the catalogue (by DOI, else by title in its issue) is
  updated, never duplicated, and a value the document lacks never erases one
  the catalogue has;
- a field an editor corrected (Article.edited_fields) keeps the editor's
  value, and the report lists where the document said otherwise;
- one person is one Author: same ORCID, else same e-mail, else the same
  transliterated surname with compatible initials and no conflicting ORCID;
- each document is one transaction, serialised with an advisory lock, so two
  ingests of one document at once cannot create duplicates (catalogue.ingest.loader
  opens it and chooses between this path and the bulk one).
"""

from __future__ import annotations

import datetime
import re

from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.db.models.functions import Lower

from ..models import (
    LANGUAGE_CODES,
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
from ..parsing.names import name_key, same_person, split_name
from ..parsing.records import (
    AffiliationRecord,
    ArticleRecord,
    AuthorRecord,
    DocumentError,
    DocumentRecord,
    ParseWarning,
)
from ..parsing.text import norm_key
from ..pgcopy import bump_sequence
from .report import ArticleOutcome, DocumentReport, FieldChange, PersonOutcome, SourceInfo
from .rows import (
    clean_doi,
    first_of,
    free_position,
    reference_links,
    translation_groups,
    unique_keywords,
)

PARSER_VERSION = "1.0"
PLACEHOLDER_JOURNAL = Journal.PLACEHOLDER
UNASSIGNED_ISSUE = Issue.UNASSIGNED


class Writer:
    """The careful path: each record is matched against the catalogue and merged into it.

    Its containers (journal_for, series_for, issue_for, organisation_for) and
    scalar_values also serve the bulk path, which only skips the matching of
    articles, people and keywords.
    """

    def __init__(
        self, source: SourceInfo, report: DocumentReport, *, replace: bool = False, export=False
    ):
        self.source = source
        self.report = report
        # --replace: a document may take over the article its DOI names, whatever it says.
        self.replace = replace
        # The catalogue's own export: its positions are only the order of its list.
        self.export = export
        self.document = self._source_document()
        self.sections: dict[tuple, Section | None] = {}
        self.organisations: dict[str, Organisation] = {}  # lower-cased name -> organisation
        # What the document did not say about where its articles belong (journal,
        # issue): every article of it carries these into the review queue.
        self.placement_warnings: list[ParseWarning] = []
        self.issue_created = False  # the last issue_for created its issue
        self.people: list[PersonOutcome] = []  # the bylines of the article being written
        self.new_people: dict[int, int] = {}  # author id -> its place among the new people
        self.report.source_document_id = self.document.pk

    # ------------------------------------------------------------ containers

    def _source_document(self) -> SourceDocument:
        if self.source.sha256:
            document, _ = SourceDocument.objects.update_or_create(
                sha256=self.source.sha256,
                defaults={
                    "file_name": self.source.file_name,
                    "size": self.source.size,
                    "parser_version": PARSER_VERSION,
                },
            )
        else:
            document, _ = SourceDocument.objects.get_or_create(
                sha256="",
                file_name=self.source.file_name,
                defaults={"size": self.source.size, "parser_version": PARSER_VERSION},
            )
        return document

    def write_document(self, record: DocumentRecord, journal_title: str, series_name: str):
        self.report.warnings.extend(record.warnings)
        if not record.articles:
            raise DocumentError("no recognisable article")
        self.placement_warnings = []
        journal = self.journal_for(record, journal_title)
        known = self._known_article(record)
        if known and not record.series and not series_name:
            series = known.issue.series
        else:
            series = self.series_for(journal, record, series_name)
        issue = self.issue_for(series, record)
        self.is_issue_document = record.kind == "issue"
        self.report.issue = f"{journal} {series.name}".strip() + f", {issue}"
        for position, article_record in enumerate(record.articles, 1):
            if article_record.position is None and record.kind == "issue":
                article_record.position = position
            self.report.articles.append(self._article(issue, article_record))
        if self.issue_created and not issue.articles.exists():
            issue.delete()  # its articles stayed where an editor put them

    def journal_for(self, record: DocumentRecord, title: str) -> Journal:
        journal = self._find_journal(record, title)
        if journal is None:
            data = record.journal
            titles = _named(data.title, data.printed_title, "title", 500)
            if not titles:
                titles = {"title_en": self._placeholder_title(record)}
                journal = Journal.objects.filter(**titles).first()
            journal = journal or Journal.objects.create(**titles)
        self._complete_journal(journal, record)
        return journal

    def _find_journal(self, record: DocumentRecord, title: str) -> Journal | None:
        if title:
            return (
                Journal.objects.filter(title_en__iexact=title).first()
                or Journal.objects.filter(title_ru__iexact=title).first()
                or Journal.objects.filter(title_kk__iexact=title).first()
                or Journal.objects.create(title_en=title)
            )
        data = record.journal
        for issn in (data.issn_print, data.issn_online):
            if issn:
                found = Journal.objects.filter(issn_print=issn).first() or (
                    Journal.objects.filter(issn_online=issn).first()
                )
                if found:
                    return found
        known = self._journal_of_known_article(record)
        if known:
            return known
        for lang, text in data.title.items():
            found = Journal.objects.filter(**{f"title_{lang}__iexact": text}).first()
            if found:
                return found
        return None

    def _placeholder_title(self, record: DocumentRecord) -> str:
        """A lone article that names no journal is kept under a placeholder journal
        for editors to name: one per DOI prefix, or one for articles without a DOI."""
        dois = [clean_doi(a.doi) for a in record.articles if a.doi and not a.doi_inferred]
        prefix = record.journal.doi_prefix or (dois[0].split("/")[0] if dois else "")
        self._placement_warning(
            IngestWarning.Kind.UNCERTAIN,
            "journal",
            "the document does not name its journal; filed under a placeholder journal "
            "for an editor to name (or add it again naming its journal: the Journal field "
            "of Add documents, or ingest --journal)",
        )
        if not prefix:
            return f"{PLACEHOLDER_JOURNAL} (no DOI)"
        return f"{PLACEHOLDER_JOURNAL} (DOI prefix {prefix})"

    def _placement_warning(self, kind: str, field: str, message: str):
        warning = ParseWarning(kind=kind, field=field, message=message)
        self.report.warnings.append(warning)
        self.placement_warnings.append(warning)

    @staticmethod
    def _complete_journal(journal: Journal, record: DocumentRecord):
        """Fill what the catalogue does not know yet about the journal; never overwrite
        (but a placeholder title gives way to the first real one)."""
        data = record.journal
        changed = []
        if journal.title_en.startswith(PLACEHOLDER_JOURNAL) and data.title:
            journal.title_en = data.title.get("en", "")[:500]
            changed.append("title_en")
        for name in ("issn_print", "issn_online"):
            value = getattr(data, name)
            taken = Journal.objects.filter(**{name: value}).exclude(pk=journal.pk).exists()
            if value and not getattr(journal, name) and not taken:
                setattr(journal, name, value)
                changed.append(name)
        for name, value in [("doi_prefix", data.doi_prefix), ("publisher", data.publisher)]:
            if value and not getattr(journal, name):
                setattr(journal, name, value)
                changed.append(name)
        if changed:
            journal.save(update_fields=changed)
        titles = {lang: text[:500] for lang, text in data.title.items()}
        _show_display_forms(journal, titles, data.printed_title, "title")

    @staticmethod
    def _journal_of_known_article(record: DocumentRecord) -> Journal | None:
        """A lone article whose DOI the catalogue knows, or whose DOI prefix only one
        journal uses, belongs to that journal."""
        dois = [clean_doi(a.doi) for a in record.articles if a.doi and not a.doi_inferred]
        known = Writer._known_article(record)
        if known:
            return known.issue.series.journal
        prefix = record.journal.doi_prefix or (dois[0].split("/")[0] if dois else "")
        if prefix:
            journals = list(Journal.objects.filter(doi_prefix=prefix)[:2])
            if len(journals) == 1:
                return journals[0]
        return None

    def series_for(self, journal: Journal, record: DocumentRecord, given: str) -> Series:
        names, printed = record.series, record.printed_series
        if given:
            names, printed = {"en": given}, {}
        if not names:
            # A document silent about its series belongs to the journal's only one, if any.
            only = list(journal.series.all()[:2])
            if len(only) == 1:
                return only[0]
        name_en = names.get("en", "")
        series = Series.objects.filter(journal=journal, name_en__iexact=name_en).first()
        if series is None and not name_en:
            for lang in ("ru", "kk"):
                if names.get(lang):
                    series = Series.objects.filter(
                        journal=journal, **{f"name_{lang}__iexact": names[lang]}
                    ).first()
        if series is None:
            series = Series.objects.create(journal=journal, **_named(names, printed))
        else:
            _show_display_forms(series, names, printed)
        return series

    @staticmethod
    def _known_article(record: DocumentRecord) -> Article | None:
        """The first article of the document (by printed DOI) that the catalogue holds."""
        dois = [clean_doi(a.doi).lower() for a in record.articles if a.doi and not a.doi_inferred]
        if not dois:
            return None
        return (
            Article.objects.annotate(doi_lower=Lower("doi"))
            .filter(doi_lower__in=dois)
            .select_related("issue__series__journal")
            .order_by("id")
            .first()
        )

    def issue_for(self, series: Series, record: DocumentRecord) -> Issue:
        info = record.issue
        if info is None or info.year is None or not info.number:
            # A lone article: its issue is known if the article already is.
            for article_record in record.articles:
                existing = self._article_in_series(series, article_record)
                if existing:
                    self.issue_created = False
                    return existing.issue
            return self._unassigned_issue(series, record)
        issue, created = Issue.objects.get_or_create(
            series=series,
            year=info.year,
            number=info.number,
            defaults={
                "whole_number": info.whole_number,
                "volume": info.volume,
                "published": info.published,
            },
        )
        missing = [
            name
            for name in ("whole_number", "volume")
            if not created and getattr(info, name) and not getattr(issue, name)
        ]
        for name in missing:
            setattr(issue, name, getattr(info, name))
        if missing:
            issue.save(update_fields=[*missing, "number_sort"])
        self.issue_created = created
        return issue

    @staticmethod
    def _article_in_series(series: Series, record: ArticleRecord) -> Article | None:
        """The catalogue's article a record is: by DOI, else the one article of the
        series' journal with one of its titles."""
        doi = clean_doi(record.doi)
        if doi:
            return Article.objects.filter(doi__iexact=doi).first()
        same_title = Q()
        for lang, title in record.title.items():
            if title:
                same_title |= Q(**{f"title_{lang}__iexact": title})
        if not same_title:
            return None
        found = list(
            Article.objects.filter(same_title, issue__series__journal_id=series.journal_id)[:2]
        )
        return found[0] if len(found) == 1 else None

    def _unassigned_issue(self, series: Series, record: DocumentRecord) -> Issue:
        """A lone article that does not say its issue waits, with a warning in the
        review queue, in the holding issue ("issue not known") of its series and
        year until an editor sets its issue or a later document says it."""
        info = record.issue
        dates = [d for a in record.articles for d in (a.accepted, a.received) if d]
        year = (info.year if info else None) or (max(dates).year if dates else None)
        where = f"{year}"
        if year is None:
            year = datetime.date.today().year
            where = f"{year}, the year it was ingested (it does not say its year either)"
        self._placement_warning(
            IngestWarning.Kind.MISSING_FIELD,
            "issue",
            f"the document does not say its issue; it waits in 'issue not known' of {where} "
            "until an editor sets its issue (or it is ingested again with --year and --number)",
        )
        issue, self.issue_created = Issue.objects.get_or_create(
            series=series, year=year, number=UNASSIGNED_ISSUE
        )
        return issue

    def _section(self, journal: Journal, names: dict[str, str], printed: dict[str, str]):
        key = (journal.pk, tuple(sorted(names.items())))
        if key not in self.sections:
            self.sections[key] = self._find_or_create_section(journal, names, printed)
        return self.sections[key]

    def _find_or_create_section(
        self, journal: Journal, names: dict[str, str], printed: dict[str, str]
    ) -> Section | None:
        names = {lang: text for lang, text in names.items() if text}
        if not names:
            return None
        for lang, text in names.items():
            found = Section.objects.filter(
                journal=journal, **{f"name_{lang}__iexact": text}
            ).first()
            if found:
                _show_display_forms(found, names, printed)
                return found
        key = Section.key_for(names.get("en") or names.get("ru") or names.get("kk"))
        section, _ = Section.objects.get_or_create(
            journal=journal, key=key, defaults=_named(names, printed)
        )
        return section

    # ------------------------------------------------------------ articles

    def _find_article(self, issue: Issue, record: ArticleRecord) -> Article | None:
        doi = clean_doi(record.doi)
        if doi:
            found = Article.objects.filter(doi__iexact=doi).first()
            if found:
                return found
        same_title = Q()
        for lang, title in record.title.items():
            if title:
                same_title |= Q(**{f"title_{lang}__iexact": title})
        if not same_title:
            return None
        # Besides its issue, an article may be waiting in a holding issue of its
        # journal, or of a placeholder journal, for a document that says its issue.
        waiting = Q(issue__number=UNASSIGNED_ISSUE) & (
            Q(issue__series__journal_id=issue.series.journal_id)
            | Q(issue__series__journal__title_en__startswith=PLACEHOLDER_JOURNAL)
        )
        for candidate in Article.objects.filter(same_title, Q(issue=issue) | waiting).order_by(
            "-issue__number", "id"
        ):
            if not (doi and candidate.doi and candidate.doi.lower() != doi.lower()):
                return candidate
        if not self.is_issue_document and not doi:
            # A lone article may already be in another issue of its journal (an
            # editor placed it): the one article of the journal with its title.
            return self._article_in_series(issue.series, record)
        return None

    def _article(self, issue: Issue, record: ArticleRecord) -> ArticleOutcome:
        """Write one article in a savepoint, so that a refusal can name the article."""
        try:
            with transaction.atomic():
                return self._write_article(issue, record)
        except DatabaseError as error:
            raise DocumentError(f"{_which_article(record)}: {_refusal(error)}") from None

    def _write_article(self, issue: Issue, record: ArticleRecord) -> ArticleOutcome:
        if not any(record.title.values()):
            self._untitled(record)
        article = self._find_article(issue, record)
        created = article is None
        if created:
            article = Article(issue=issue)
        outcome = ArticleOutcome(
            article=article, status="created" if created else "unchanged", existed=not created
        )
        self.people = outcome.people
        if not created and not self.replace:
            self._refuse_takeover(article, issue, record)
        if created and self.export and issue.pk:
            taken = set(Article.objects.filter(issue=issue).values_list("position", flat=True))
            record.position = free_position(taken - {None}, record.position)
        protected = set(article.edited_fields)
        moved = False
        # A whole issue is the authority on which articles it holds; any document
        # that says the issue takes an article out of the holding issue. An issue
        # an editor set is kept.
        if not created and article.issue_id != issue.pk and not issue.is_unassigned:
            if "issue" in protected:
                outcome.editor_kept.append("issue")
            elif self.is_issue_document or article.issue.is_unassigned:
                outcome.changes.append(FieldChange("issue", str(article.issue), str(issue)))
                self._move_article(article, issue)
                moved = True
        # A lone article only fills gaps in an article its whole issue has given:
        # the issue is the fuller source, and the two must not overwrite each other.
        fill_only = not created and not self.is_issue_document and article.position is not None
        values = self.scalar_values(issue, record)
        changed = []
        for name, value in values.items():
            if value in (None, "", [], {}):
                continue  # a document that lacks a value never erases one
            current = getattr(article, name)
            if current == value or (fill_only and current not in (None, "", [])):
                continue
            if name in protected or (name == "section" and "section" in protected):
                outcome.editor_kept.append(name)
                continue
            if not created:
                outcome.changes.append(FieldChange(name, _shown(current), _shown(value)))
            setattr(article, name, value)
            changed.append(name)
        if record.doi and "doi" not in protected and article.doi_inferred != record.doi_inferred:
            if not created:
                outcome.changes.append(
                    FieldChange(
                        "doi_inferred", _shown(article.doi_inferred), _shown(record.doi_inferred)
                    )
                )
            article.doi_inferred = record.doi_inferred
            changed.append("doi_inferred")
        if created or changed:
            article.save()
        children_changed = self._children(article, record, protected, outcome, fill_only)
        if not created and (changed or children_changed or moved):
            outcome.status = "updated"
            if not changed:
                article.save(update_fields=["updated"])
        if not record.sources:  # an export names the original documents instead of itself
            ArticleSource.objects.get_or_create(article=article, document=self.document)
        self._warnings(article, record, outcome)
        return outcome

    @staticmethod
    def _refuse_takeover(article: Article, issue: Issue, record: ArticleRecord):
        """A DOI names one article. A document that keeps the DOI but describes another
        article (in another journal; or in another issue with another title and other
        authors) is a mistake or a hijack, not a correction: refused unless --replace."""
        here = article.issue
        if here.is_unassigned or here.series.journal.title_en.startswith(PLACEHOLDER_JOURNAL):
            return  # an article waiting for its place
        other_journal = here.series.journal_id != issue.series.journal_id
        other_issue = here.pk != issue.pk and not issue.is_unassigned
        titles = [(text, getattr(article, f"title_{lang}")) for lang, text in record.title.items()]
        other_title = not any(norm_key(a) == norm_key(b) for a, b in titles if a and b)
        printed = [name for author in record.authors for name in _all_names(author)]
        held = [
            name
            for authorship in article.authorships.all()
            for name in _names(authorship, "name").values()
        ]
        other_authors = bool(printed and held) and not any(
            same_person(a, b) for a in printed for b in held
        )
        if other_journal or (other_issue and other_title and other_authors):
            what = "another journal" if other_journal else "another issue, title and authors"
            raise DocumentError(
                f"the article with DOI {article.doi} is “{str(article)[:80]}” in "
                f"{here.series.journal}, {here}; this document gives it {what}. "
                "Nothing was changed; give --replace to overwrite it"
            )

    def _untitled(self, record: ArticleRecord):
        """An article whose title was not found is kept under a marked stand-in title
        for an editor to correct, not refused."""
        where = f"at position {record.position}" if record.position else record.doi or ""
        record.title = {"en": f"[title not found in {self.source.file_name}]"[:500]}
        record.warnings.append(
            ParseWarning(
                kind=IngestWarning.Kind.UNCERTAIN,
                field="title",
                message=f"no title found for the article {where} in any language; "
                "it is stored under a stand-in title for an editor to correct".replace("  ", " "),
            )
        )

    @staticmethod
    def _move_article(article: Article, issue: Issue):
        old_issue = article.issue
        article.issue = issue
        article.save(update_fields=["issue", "updated"])
        if old_issue.is_unassigned:
            article.warnings.open().filter(
                kind=IngestWarning.Kind.MISSING_FIELD, field="issue"
            ).update(resolved=True)
        old_issue.remove_if_empty()

    def scalar_values(self, issue: Issue, record: ArticleRecord) -> dict:
        values = {
            "doi": clean_doi(record.doi) or None,
            "position": record.position,
            "first_page": record.first_page,
            "last_page": record.last_page,
            "udc": record.udc,
            "irsti": record.irsti,
            "language": record.language,
            "received": record.received,
            "accepted": record.accepted,
            "section": self._section(issue.series.journal, record.section, record.printed_section),
        }
        for lang in LANGUAGE_CODES:
            values[f"title_{lang}"] = record.title.get(lang, "")
            values[f"printed_title_{lang}"] = record.printed_title.get(lang, "")
            values[f"abstract_{lang}"] = record.abstract.get(lang, "")
        return values

    def _children(self, article, record, protected, outcome, fill_only=False) -> bool:
        changed = False
        for name, writer, existing in (
            ("authors", self._authorships, article.authorships),
            ("keywords", self._keywords, article.article_keywords),
            ("references", self._references, article.references),
        ):
            wanted = getattr(record, name)
            if not wanted or (fill_only and existing.exists()):
                continue
            if name in protected:
                if writer(article, wanted, check_only=True):
                    outcome.editor_kept.append(name)
                continue
            before = _listed(name, existing) if outcome.existed else ""
            if writer(article, wanted):
                changed = True
                if outcome.existed:
                    outcome.changes.append(FieldChange(name, before, _listed(name, existing)))
        return changed

    def _references(self, article, references: list[str], check_only=False) -> bool:
        current = list(article.references.values_list("text", flat=True))
        if current == references:
            return False
        if check_only:
            return True
        article.references.all().delete()
        Reference.objects.bulk_create(
            Reference(article=article, position=i, text=text, doi=doi, url=url)
            for i, text in enumerate(references, 1)
            for doi, url in [reference_links(text)]
        )
        return True

    def _keywords(self, article, keywords: dict[str, list[str]], check_only=False) -> bool:
        wanted = [
            (lang, Keyword.normalize(text))
            for lang in LANGUAGE_CODES
            for text in unique_keywords(keywords.get(lang, []))
        ]
        current = [
            (item.keyword.language, item.keyword.normalized)
            for item in article.article_keywords.select_related("keyword").order_by(
                "keyword__language", "position"
            )
        ]
        if sorted(current) == sorted(wanted) and current == wanted:
            return False
        if check_only:
            return True
        article.article_keywords.all().delete()
        by_language = self._keywords_by_language(keywords)
        ArticleKeyword.objects.bulk_create(
            ArticleKeyword(article=article, keyword=keyword, position=i)
            for words in by_language.values()
            for i, keyword in enumerate(words, 1)
        )
        return True

    def _keywords_by_language(self, keywords: dict[str, list[str]]) -> dict[str, list[Keyword]]:
        """Keyword rows for the printed words, each translation group sharing one concept.

        Existing keywords bring their concept to the group (merging concepts when two
        known forms had different ones); missing keywords are created in bulk.
        """
        wanted = {
            lang: [
                (Keyword.normalize(text), text) for text in unique_keywords(keywords.get(lang, []))
            ]
            for lang in LANGUAGE_CODES
        }
        known = {
            (keyword.language, keyword.normalized): keyword
            for keyword in Keyword.objects.filter(
                normalized__in=[norm for pairs in wanted.values() for norm, _ in pairs]
            )
        }
        texts = {(lang, norm): text for lang, pairs in wanted.items() for norm, text in pairs}
        new_groups = []
        for group in translation_groups(wanted):
            concepts = sorted({known[key].concept_id for key in group if key in known})
            if len(concepts) > 1:
                Keyword.objects.filter(concept_id__in=concepts[1:]).update(concept_id=concepts[0])
                KeywordConcept.objects.filter(pk__in=concepts[1:]).delete()
                for keyword in known.values():
                    if keyword.concept_id in concepts:
                        keyword.concept_id = concepts[0]
            missing = [key for key in group if key not in known]
            if missing:
                new_groups.append((concepts[0] if concepts else None, missing))
        fresh = iter(
            KeywordConcept.objects.bulk_create(
                KeywordConcept() for concept, _ in new_groups if concept is None
            )
        )
        created = Keyword.objects.bulk_create(
            Keyword(language=lang, normalized=norm, text=texts[(lang, norm)], concept_id=concept_id)
            for concept, missing in new_groups
            for concept_id in [concept or next(fresh).pk]
            for lang, norm in missing
        )
        known.update(((k.language, k.normalized), k) for k in created)
        return {lang: [known[(lang, norm)] for norm, _ in pairs] for lang, pairs in wanted.items()}

    # ------------------------------------------------------------ people

    def _authorships(self, article, authors: list[AuthorRecord], check_only=False) -> bool:
        existing = list(article.authorships.select_related("author").order_by("position"))
        if check_only:
            return [a.name for a in existing] != [first_of(record.names) for record in authors]
        wanted, used = [], set()
        for record in authors:
            previous = next((a for a in existing if a.position == record.position), None)
            # Two bylines of one article are two people, however alike their names.
            author = self._person(record, previous.author if previous else None, exclude=used)
            used.add(author.pk)
            wanted.append((record, author))
        signature = [
            (
                r.position,
                a.pk,
                r.names,
                r.full_names,
                r.email,
                self._affiliation_keys(r.affiliations),
            )
            for r, a in wanted
        ]
        current = [
            (
                a.position,
                a.author_id,
                _names(a, "name"),
                _names(a, "full_name"),
                a.email,
                [
                    link.organisation.key
                    for link in a.affiliation_links.select_related("organisation")
                ],
            )
            for a in existing
        ]
        if signature == current:
            return False
        article.authorships.all().delete()
        for record, author in wanted:
            authorship = Authorship.objects.create(
                article=article,
                author=author,
                position=record.position,
                email=record.email[:254],
                **{f"name_{lang}": text[:300] for lang, text in record.names.items()},
                **{f"full_name_{lang}": text[:300] for lang, text in record.full_names.items()},
            )
            for i, affiliation in enumerate(record.affiliations, 1):
                organisation = self.organisation_for(affiliation)
                if organisation:
                    AuthorshipAffiliation.objects.get_or_create(
                        authorship=authorship, organisation=organisation, defaults={"position": i}
                    )
        return True

    def _person(self, record: AuthorRecord, previous: Author | None, exclude: set) -> Author:
        author, evidence = self._match_person(record, previous)
        if author is not None and author.pk in exclude:
            author = None
        created = author is None
        if created:
            author = self._create_person(record)
            self.report.authors_new += 1
            self.new_people[author.pk] = len(self.new_people) + 1
        else:
            self.report.authors_matched += 1
            updates = []
            if record.orcid and not author.orcid:
                if not Author.objects.filter(orcid=record.orcid).exists():
                    author.orcid = record.orcid
                    updates.append("orcid")
            if record.email and not author.email:
                author.email = record.email[:254]
                updates.append("email")
            if updates:
                author.save(update_fields=updates)
        self._tell_person(record, author, "" if created else evidence)
        self._name_variants(author, record)
        return author

    def _tell_person(self, record: AuthorRecord, author: Author, evidence: str):
        """Say in the report which person a byline became, and on what evidence."""
        place = self.new_people.get(author.pk)
        if place is not None and evidence:
            evidence = f"a person new in this document: {evidence}"
        self.people.append(
            PersonOutcome(
                printed=first_of(record.names) or first_of(record.full_names),
                author_id=author.pk,
                author_name=author.display_name,
                new=not evidence,
                evidence=evidence,
                key=f"new {place}" if place is not None else f"author {author.display_name}",
            )
        )

    def _match_person(self, record: AuthorRecord, previous: Author | None):
        """The catalogue's person a byline is, and the evidence ("" when none is)."""
        if record.catalogue_id:
            found = Author.objects.filter(pk=record.catalogue_id).first()
            if found and self._compatible(found, record):
                return found, f"catalogue id {found.pk}, {self._name_evidence(found, record)}"
        if record.orcid:
            found = Author.objects.filter(orcid=record.orcid).first()
            if found:
                return found, f"ORCID {record.orcid}"
        if record.email:
            found = Author.objects.filter(email__iexact=record.email).first()
            if found and self._compatible(found, record):
                return found, f"e-mail {record.email}, {self._name_evidence(found, record)}"
        if previous and self._same_printed_name(previous, record):
            # The same byline place, printed the same: re-ingest is stable.
            return previous, f"the same place in the byline, printed {first_of(record.names)!r}"
        keys = {name_key(name) for name in _all_names(record)} - {""}
        if not keys:
            return None, ""
        surnames = {key.split(" ")[0] for key in keys}
        candidates = [
            author
            for author in Author.objects.filter(
                match_key__regex=r"^(" + "|".join(re.escape(s) for s in surnames) + r")( |$)"
            ).prefetch_related("name_variants")
            if self._compatible(author, record)
        ]
        if len(candidates) == 1:
            return candidates[0], self._name_evidence(candidates[0], record)
        return None, ""  # none, or several it could be: a new record is safer than a merge

    @staticmethod
    def _name_evidence(author: Author, record: AuthorRecord) -> str:
        """Which printed form fits which of the person's forms."""
        variants = [variant.name for variant in author.name_variants.all()]
        for printed in _all_names(record):
            for known in variants:
                if same_person(printed, known):
                    same = "the same name form" if printed == known else f"name form {known!r}"
                    return f"{printed!r} fits {same}"
        return "no name form in common"

    @staticmethod
    def _same_printed_name(author: Author, record: AuthorRecord) -> bool:
        if record.orcid and author.orcid and record.orcid != author.orcid:
            return False
        printed = set(_all_names(record))
        return any(variant.name in printed for variant in author.name_variants.all())

    def _compatible(self, author: Author, record: AuthorRecord) -> bool:
        """Some printed form of the record fits one of the person's, and none contradicts:
        the same surname with a different first initial is another person."""
        if record.orcid and author.orcid and record.orcid != author.orcid:
            return False
        names = _all_names(record)
        variants = [variant.name for variant in author.name_variants.all()]
        if not variants or not names:
            return False
        if any(_contradicts(a, b) for a in names for b in variants):
            return False
        return any(same_person(a, b) for a in names for b in variants)

    def _create_person(self, record: AuthorRecord) -> Author:
        names = _all_names(record)
        display = record.full_names.get("en") or record.names.get("en") or names[0]
        orcid = record.orcid or None
        if orcid and Author.objects.filter(orcid=orcid).exists():
            orcid = None
        fields = {
            "display_name": display[:300],
            "orcid": orcid,
            "email": record.email[:254],
            "match_key": Author.match_key_for(names[0]),
        }
        if record.catalogue_id and not Author.objects.filter(pk=record.catalogue_id).exists():
            author = Author.objects.create(pk=record.catalogue_id, **fields)
            bump_sequence(Author)
            return author
        return Author.objects.create(**fields)

    def _name_variants(self, author: Author, record: AuthorRecord):
        forms = [
            (kind, lang, name[:300])
            for kind, names in (
                (NameVariant.Kind.BYLINE, record.names),
                (NameVariant.Kind.FULL, record.full_names),
            )
            for lang, name in names.items()
            if name
        ] + [(NameVariant.Kind.PRINTED, lang, name[:300]) for lang, name in record.printed_forms]
        NameVariant.objects.bulk_create(
            [
                NameVariant(
                    author=author,
                    name=name,
                    language=lang,
                    kind=kind,
                )
                for kind, lang, name in forms
            ],
            ignore_conflicts=True,  # forms the person already has
        )

    def organisation_for(self, record: AffiliationRecord) -> Organisation | None:
        names = {lang: text.strip()[:500] for lang, text in record.name.items() if text.strip()}
        if not names:
            return None
        for text in names.values():
            if text.lower() in self.organisations:
                return self.organisations[text.lower()]
        organisation = self._find_or_create_organisation(record, names)
        for text in names.values():
            self.organisations[text.lower()] = organisation
        return organisation

    def _affiliation_keys(self, affiliations: list[AffiliationRecord]) -> list[str]:
        keys = []
        for record in affiliations:
            if any(text.strip() for text in record.name.values()):
                organisation = self._known_organisation(record)
                keys.append(organisation.key if organisation else "?")
        return keys

    def _known_organisation(self, record: AffiliationRecord) -> Organisation | None:
        """The organisation the catalogue already has under one of the printed names: by
        its key first, then by a name in a fixed order of languages, so that the same
        record finds the same organisation however its languages were read."""
        names = {lang: text.strip()[:500] for lang, text in record.name.items() if text.strip()}
        for text in names.values():
            if text.lower() in self.organisations:
                return self.organisations[text.lower()]
        return _organisation_named(names)

    def _find_or_create_organisation(self, record: AffiliationRecord, names) -> Organisation:
        found = _organisation_named(names)
        if found:
            missing = [k for k in names if not getattr(found, f"name_{k}")]
            for k in missing:
                setattr(found, f"name_{k}", names[k])
            if not found.city and record.city:
                found.city = record.city[:200]
                missing.append("city")
            if not found.country and record.country:
                found.country = record.country[:200]
                missing.append("country")
            if missing:
                found.save()
            return found
        key = Organisation.key_for(names.get("en") or names.get("ru") or names.get("kk"))
        organisation, _ = Organisation.objects.get_or_create(
            key=key,
            defaults={
                **{f"name_{lang}": text for lang, text in names.items()},
                "city": record.city[:200],
                "country": record.country[:200],
            },
        )
        return organisation

    # ------------------------------------------------------------ provenance

    def _warnings(self, article: Article, record: ArticleRecord, outcome: ArticleOutcome):
        found = list(record.warnings)
        if article.issue.is_unassigned or article.issue.series.journal.title_en.startswith(
            PLACEHOLDER_JOURNAL
        ):
            found += [
                w
                for w in self.placement_warnings
                if w.field != "issue" or article.issue.is_unassigned
            ]
        for name in outcome.editor_kept:
            found.append(
                ParseWarning(
                    kind=IngestWarning.Kind.EDITOR_VALUE_KEPT,
                    field=name,
                    message=f"{self.source.file_name} gives another value for {name}; "
                    "the editor's value was kept",
                )
            )
        outcome.warnings = found
        for warning in found:
            IngestWarning.objects.get_or_create(
                article=article,
                kind=warning.kind,
                field=warning.field[:40],
                language=warning.language,
                message=warning.message,
                defaults={"document": self.document},
            )
        for name in record.sources:
            document, _ = SourceDocument.objects.get_or_create(
                sha256="", file_name=name, defaults={"size": 0, "parser_version": ""}
            )
            ArticleSource.objects.get_or_create(article=article, document=document)


def _organisation_named(names: dict[str, str]) -> Organisation | None:
    if not names:
        return None
    key = Organisation.key_for(names.get("en") or names.get("ru") or names.get("kk") or "")
    found = Organisation.objects.filter(key=key).first() if key else None
    for lang in LANGUAGE_CODES:
        if found is None and names.get(lang):
            found = (
                Organisation.objects.filter(**{f"name_{lang}__iexact": names[lang]})
                .order_by("pk")
                .first()
            )
    return found


def _named(
    names: dict[str, str], printed: dict[str, str], stem: str = "name", most: int = 500
) -> dict[str, str]:
    """The name (or title) fields of a new section, series or journal: display forms and,
    where they differ, the printed ones."""
    return {
        **{f"{stem}_{lang}": text[:most] for lang, text in names.items() if text},
        **{f"printed_{stem}_{lang}": text[:most] for lang, text in printed.items() if text},
    }


def _show_display_forms(found, names: dict[str, str], printed: dict[str, str], stem="name"):
    """Fill the names (or titles) a found section, series or journal lacks, and give one
    still exactly as printed (loaded before display forms existed) its display form; one
    an editor changed stays."""
    changed = []
    for lang, text in names.items():
        current = getattr(found, f"{stem}_{lang}")
        as_printed = printed.get(lang, text)
        if text and (not current or (current == as_printed and current != text)):
            setattr(found, f"{stem}_{lang}", text)
            setattr(found, f"printed_{stem}_{lang}", printed.get(lang, ""))
            changed += [f"{stem}_{lang}", f"printed_{stem}_{lang}"]
    if changed:
        found.save(update_fields=changed)


def _contradicts(a: str, b: str) -> bool:
    """Same surname key but different first initials: two different people, unless another
    reading of a full name fits ("Керон Дэйв Ганпат" is given-first, as "Керон Ганпат")."""
    first_a, first_b = name_key(a).split(" "), name_key(b).split(" ")
    return (
        len(first_a) == 2
        and len(first_b) == 2
        and first_a[0] == first_b[0]
        and first_a[1] != first_b[1]
        and not same_person(a, b)
    )


def _all_names(record: AuthorRecord) -> list[str]:
    names = [name for name in record.names.values() if name]
    # Full names only when they split cleanly: "Gabit Zhumatay" order is ambiguous.
    names += [name for name in record.full_names.values() if name and split_name(name).surname]
    return names


def _names(authorship: Authorship, stem: str) -> dict[str, str]:
    return {
        lang: getattr(authorship, f"{stem}_{lang}")
        for lang in LANGUAGE_CODES
        if getattr(authorship, f"{stem}_{lang}")
    }


def _which_article(record: ArticleRecord) -> str:
    title = first_of(record.title)
    label = f"article {record.position}" if record.position else "the article"
    if record.doi:
        return f"{label} (DOI {record.doi})"
    return f"{label} ({title[:60]!r})" if title else label


def _refusal(error: DatabaseError) -> str:
    """What the database refused, as one line naming the column where it says which."""
    diag = getattr(error.__cause__, "diag", None)
    message = (getattr(diag, "message_primary", None) or str(error)).splitlines()[0]
    table = getattr(diag, "table_name", None)
    columns = [getattr(diag, "column_name", None)]
    constraint = getattr(diag, "constraint_name", None)
    if constraint and table:
        with connection.cursor() as cursor:
            found = connection.introspection.get_constraints(cursor, table).get(constraint, {})
        columns = found.get("columns") or columns
    named = ", ".join(c for c in columns if c)
    where = f" ({table}.{named})" if table and named else f" ({table})" if table else ""
    return f"the catalogue refused it{where}: {message}"


def _shown(value) -> str:
    """A field's value as the preview shows it (a section by its name)."""
    if value in (None, ""):
        return ""
    return str(value)


def _listed(name: str, related) -> str:
    """An article's authors, keywords or references as one line, to compare old and new."""
    if name == "authors":
        return "; ".join(a.name for a in related.order_by("position"))
    if name == "keywords":
        items = related.select_related("keyword").order_by("keyword__language", "position")
        return ", ".join(item.keyword.text for item in items)
    return f"{related.count()} references"
