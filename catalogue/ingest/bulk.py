"""Fast path for loading the catalogue's own JSON export into articles it does not hold yet.

An export already knows who is who (author_id) and which keywords it has, so
none of the matching of the careful path (store.py) is needed: rows are built
in memory and the big tables (articles, authorships, affiliations, keywords of
articles, references, name variants) are written with PostgreSQL COPY
(catalogue.pgcopy), their ids taken from the tables' sequences up front. Used
only when every author carries an author_id and no article of the export is in
the catalogue (can_bulk_load); catalogue.ingest.loader sends anything else
through the careful path.

Journals, series, issues and organisations are few: BulkLoader asks the careful
writer it is given for those (journal_for, series_for, issue_for,
organisation_for, scalar_values), so both paths file an export the same way.
"""

from __future__ import annotations

from django.db.models.functions import Lower

from ..models import (
    LANGUAGE_CODES,
    Article,
    ArticleKeyword,
    ArticleSource,
    Author,
    Authorship,
    AuthorshipAffiliation,
    Issue,
    Keyword,
    KeywordConcept,
    NameVariant,
    Organisation,
    Reference,
    SourceDocument,
)
from ..parsing.records import ArticleRecord, DocumentRecord
from ..pgcopy import allocate_ids, bump_sequence, copy_objects, copy_rows, with_ids
from .report import ArticleOutcome, PersonOutcome
from .rows import (
    clean_doi,
    first_of,
    free_position,
    reference_links,
    translation_groups,
    unique_keywords,
)


def can_bulk_load(documents: list[DocumentRecord]) -> bool:
    articles = [article for document in documents for article in document.articles]
    if not all(author.catalogue_id for a in articles for author in a.authors):
        return False
    dois = [clean_doi(a.doi).lower() for a in articles if a.doi]
    if len(dois) != len(articles) or len(set(dois)) != len(dois):
        return False  # articles without DOI need the title matching of the careful path
    return not Article.objects.annotate(doi_lower=Lower("doi")).filter(doi_lower__in=dois).exists()


class BulkLoader:
    """Writes export records with COPY; `writer` is the careful path's store.Writer."""

    def __init__(self, writer):
        self.writer = writer
        self.report = writer.report
        self.journals: dict = {}
        self.organisations = self._existing_organisations()
        self.sources: dict[str, SourceDocument] = {}
        self.issues: dict[int, dict] = {}
        self.taken: dict[int, set[int]] = {}  # issue id -> positions in use
        self.known_names: dict[int, str] = {}  # people the catalogue holds: id -> name
        self.new_places: dict[int, int] = {}  # people new here: id -> place among them
        self.seen_new: set[int] = set()  # new people already told of

    def load(self, documents: list[DocumentRecord]):
        pending: list[tuple[Article, ArticleRecord]] = []
        self._create_missing_issues(documents)
        for document in documents:
            issue = self._issue(document)
            taken = self._positions_taken(issue)
            for record in document.articles:
                record.position = free_position(taken, record.position)
                if record.position is not None:
                    taken.add(record.position)
                article = Article(issue=issue, **self.writer.scalar_values(issue, record))
                article.doi_inferred = bool(record.doi) and record.doi_inferred
                pending.append((article, record))
        articles = [article for article, _ in pending]
        for article in articles:
            if article.doi == "":  # as Article.save() does
                article.doi = None
        copy_objects(Article, with_ids(Article, articles))
        self._authors(pending)
        self._keywords(pending)
        references = [
            (article.pk, i, text, doi, url)
            for article, record in pending
            for i, text in enumerate(record.references, 1)
            for doi, url in [reference_links(text)]
        ]
        ids = allocate_ids(Reference, len(references))
        copy_rows(
            Reference,
            ["id", "article_id", "position", "text", "doi", "url"],
            ((pk, *row) for pk, row in zip(ids, references, strict=True)),
        )
        ArticleSource.objects.bulk_create(
            ArticleSource(article=article, document=self._source(name))
            for article, record in pending
            for name in record.sources
        )
        self.report.articles.extend(
            ArticleOutcome(article, "created", people=self._people(record))
            for article, record in pending
        )

    def _positions_taken(self, issue) -> set[int]:
        """The positions of the articles an issue held before this load (one query per issue)."""
        if issue.pk not in self.taken:
            positions = Article.objects.filter(issue=issue).values_list("position", flat=True)
            self.taken[issue.pk] = {p for p in positions if p is not None}
        return self.taken[issue.pk]

    def _create_missing_issues(self, documents: list[DocumentRecord]):
        """Insert the issues the export names and the catalogue lacks, in one statement."""
        missing = {}
        for document in documents:
            info = document.issue
            if info is None or info.year is None or not info.number:
                continue
            series = self._series_of(document)
            known = self._issues_of(series)
            key = (info.year, info.number)
            if key not in known and (series.pk, key) not in missing:
                issue = Issue(
                    series=series,
                    year=info.year,
                    number=info.number,
                    whole_number=info.whole_number,
                    volume=info.volume,
                    published=info.published,
                )
                issue.set_number_sort()
                missing[(series.pk, key)] = issue
        for issue in Issue.objects.bulk_create(missing.values(), batch_size=1000):
            self.issues[issue.series_id][(issue.year, issue.number)] = issue

    def _series_of(self, document: DocumentRecord):
        key = (tuple(sorted(document.journal.title.items())), document.journal.issn_print)
        if key not in self.journals:
            journal = self.writer.journal_for(document, "")
            self.journals[key] = (journal, {})
        journal, series_cache = self.journals[key]
        series_key = tuple(sorted(document.series.items()))
        if series_key not in series_cache:
            series_cache[series_key] = self.writer.series_for(journal, document, "")
        return series_cache[series_key]

    def _issues_of(self, series) -> dict:
        if series.pk not in self.issues:
            # One query per series for the issues it has, instead of one per issue.
            self.issues[series.pk] = {
                (issue.year, issue.number): issue for issue in Issue.objects.filter(series=series)
            }
        return self.issues[series.pk]

    def _issue(self, document: DocumentRecord):
        series = self._series_of(document)
        info = document.issue
        if info is None or info.year is None or not info.number:
            return self.writer.issue_for(series, document)
        known = self._issues_of(series)
        issue = known.get((info.year, info.number))
        if issue is None or (info.whole_number and not issue.whole_number):
            issue = self.writer.issue_for(series, document)  # creates or completes it
            known[(info.year, info.number)] = issue
        return issue

    def _source(self, name: str) -> SourceDocument:
        if name not in self.sources:
            self.sources[name], _ = SourceDocument.objects.get_or_create(
                sha256="", file_name=name, defaults={"size": 0, "parser_version": ""}
            )
        return self.sources[name]

    # ------------------------------------------------------------ people

    def _authors(self, pending):
        ids = {author.catalogue_id for _, record in pending for author in record.authors}
        known = set(Author.objects.filter(pk__in=ids).values_list("pk", flat=True))
        orcids_taken = set(
            Author.objects.filter(orcid__isnull=False).values_list("orcid", flat=True)
        )
        new_authors: dict[int, Author] = {}
        variants: dict[tuple, NameVariant] = {}
        for _, record in pending:
            for author in record.authors:
                person_id = author.catalogue_id
                if person_id not in known and person_id not in new_authors:
                    names = [
                        n
                        for n in list(author.names.values()) + list(author.full_names.values())
                        if n
                    ]
                    orcid = author.orcid or None
                    if orcid in orcids_taken:
                        orcid = None
                    orcids_taken.add(orcid)
                    new_authors[person_id] = Author(
                        pk=person_id,
                        display_name=(
                            author.full_names.get("en") or author.names.get("en") or names[0]
                        )[:300],
                        orcid=orcid,
                        email=author.email[:254],
                        match_key=Author.match_key_for(names[0]),
                    )
                for kind, forms in (
                    (NameVariant.Kind.BYLINE, author.names),
                    (NameVariant.Kind.FULL, author.full_names),
                ):
                    for lang, name in forms.items():
                        if name:
                            variants.setdefault(
                                (person_id, name[:300], lang),
                                NameVariant(
                                    author_id=person_id,
                                    name=name[:300],
                                    language=lang,
                                    kind=kind,
                                    search_key=NameVariant.search_key_for(name),
                                ),
                            )
        copy_objects(Author, list(new_authors.values()))
        if new_authors:
            bump_sequence(Author)
        self.report.authors_new += len(new_authors)
        self.known_names = dict(
            Author.objects.filter(pk__in=known).values_list("pk", "display_name")
        )
        self.new_places = {pk: place for place, pk in enumerate(new_authors, 1)}
        # A known person may already have some of these printed forms: those are kept.
        existing = set(
            NameVariant.objects.filter(author_id__in=known).values_list(
                "author_id", "name", "language"
            )
        )
        copy_objects(
            NameVariant,
            with_ids(NameVariant, [v for key, v in variants.items() if key not in existing]),
        )
        authorships = [
            Authorship(
                article=article,
                author_id=author.catalogue_id,
                position=author.position,
                email=author.email[:254],
                **{f"name_{lang}": text[:300] for lang, text in author.names.items()},
                **{f"full_name_{lang}": text[:300] for lang, text in author.full_names.items()},
            )
            for article, record in pending
            for author in record.authors
        ]
        copy_objects(Authorship, with_ids(Authorship, authorships))
        records = [author for _, record in pending for author in record.authors]
        links = []
        for authorship, author in zip(authorships, records, strict=True):
            seen = set()
            for i, affiliation in enumerate(author.affiliations, 1):
                organisation = self._organisation(affiliation)
                if organisation and organisation.pk not in seen:
                    seen.add(organisation.pk)
                    links.append(
                        AuthorshipAffiliation(
                            authorship=authorship, organisation=organisation, position=i
                        )
                    )
        copy_objects(AuthorshipAffiliation, with_ids(AuthorshipAffiliation, links))

    def _people(self, record: ArticleRecord) -> list[PersonOutcome]:
        """Each byline's person as the report tells it: an export names its people by
        catalogue id, so a known id is the match and its evidence."""
        people = []
        for author in record.authors:
            pk = author.catalogue_id
            printed = first_of(author.names) or first_of(author.full_names)
            if pk in self.known_names:
                name, new = self.known_names[pk], False
                evidence, key = f"catalogue id {pk}", f"author {self.known_names[pk]}"
                self.report.authors_matched += 1
            else:
                name, key = printed, f"new {self.new_places[pk]}"
                new = pk not in self.seen_new
                evidence = "" if new else f"a person new in this document: catalogue id {pk}"
                self.seen_new.add(pk)
            people.append(PersonOutcome(printed, pk, name, new, evidence, key))
        return people

    def _existing_organisations(self) -> dict[str, Organisation]:
        found = {}
        for organisation in Organisation.objects.all():
            for lang in LANGUAGE_CODES:
                name = getattr(organisation, f"name_{lang}")
                if name:
                    found.setdefault(name.lower(), organisation)
        return found

    def _organisation(self, record) -> Organisation | None:
        names = {lang: text.strip()[:500] for lang, text in record.name.items() if text.strip()}
        if not names:
            return None
        for text in names.values():
            if text.lower() in self.organisations:
                return self.organisations[text.lower()]
        organisation = self.writer.organisation_for(record)
        for text in names.values():
            self.organisations[text.lower()] = organisation
        return organisation

    # ------------------------------------------------------------ keywords

    def _keywords(self, pending):
        wanted = [
            (
                article,
                {
                    lang: [
                        (Keyword.normalize(t), t)
                        for t in unique_keywords(record.keywords.get(lang, []))
                    ]
                    for lang in LANGUAGE_CODES
                },
            )
            for article, record in pending
        ]
        norms = {norm for _, by_lang in wanted for pairs in by_lang.values() for norm, _ in pairs}
        known = {
            (k.language, k.normalized): k for k in Keyword.objects.filter(normalized__in=norms)
        }
        # Union-find over keyword keys: translation groups join their concepts.
        parent: dict = {}

        def find(key):
            while parent.setdefault(key, key) != key:
                parent[key] = parent[parent[key]]
                key = parent[key]
            return key

        texts = {}
        for _, by_lang in wanted:
            for lang, pairs in by_lang.items():
                for norm, text in pairs:
                    texts.setdefault((lang, norm), text)
                    find((lang, norm))
            for group in translation_groups(by_lang):
                for key in group[1:]:
                    parent[find(key)] = find(group[0])
        for key, keyword in known.items():  # keywords known to share a concept stay together
            concept_key = ("concept", keyword.concept_id)
            parent[find(key)] = find(concept_key)
        roots: dict = {}
        for key in list(parent):
            roots.setdefault(find(key), []).append(key)
        concept_of: dict = {}
        new_concepts = []
        merges = []
        for root, members in roots.items():
            concepts = sorted(m[1] for m in members if m[0] == "concept")
            if concepts:
                concept_of[root] = concepts[0]
                if len(concepts) > 1:
                    merges.append(concepts)
            else:
                new_concepts.append(root)
        created = KeywordConcept.objects.bulk_create(KeywordConcept() for _ in new_concepts)
        concept_of.update((root, c.pk) for root, c in zip(new_concepts, created, strict=True))
        for concepts in merges:
            Keyword.objects.filter(concept_id__in=concepts[1:]).update(concept_id=concepts[0])
            KeywordConcept.objects.filter(pk__in=concepts[1:]).delete()
        missing = [
            Keyword(
                language=lang,
                normalized=norm,
                text=texts[(lang, norm)][:300],
                concept_id=concept_of[find((lang, norm))],
            )
            for (lang, norm) in texts
            if (lang, norm) not in known
        ]
        Keyword.objects.bulk_create(missing, batch_size=2000)
        known.update(((k.language, k.normalized), k) for k in missing)
        rows = [
            (article.pk, known[(lang, norm)].pk, i)
            for article, by_lang in wanted
            for lang, pairs in by_lang.items()
            for i, (norm, _) in enumerate(pairs, 1)
        ]
        ids = allocate_ids(ArticleKeyword, len(rows))
        copy_rows(
            ArticleKeyword,
            ["id", "article_id", "keyword_id", "position"],
            ((pk, *row) for pk, row in zip(ids, rows, strict=True)),
        )
