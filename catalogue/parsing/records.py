"""Plain records that the parsers produce and the database layer consumes.

The parsers know nothing of Django; they turn text into these dataclasses.
`catalogue.ingest.store` writes them into the database. Keeping the contract
here lets each side be tested on its own: the parser on strings, the store
on hand-built records.

Language keys are ISO 639-1: "en", "kk", "ru". A language that a document does
not have is simply absent from the dicts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

LANGUAGES = ("en", "kk", "ru")


class WarningKind:
    """Kinds of doubt a parser records; editors review them in the admin."""

    MISSING_FIELD = "missing_field"  # e.g. no Kazakh abstract found
    INFERRED_DOI = "inferred_doi"  # DOI derived from the issue's pattern
    UNATTACHED_BLOCK = "unattached_block"  # a block no article could claim
    TOC_MISMATCH = "toc_mismatch"  # table of contents and article head disagree
    POSSIBLE_DUPLICATE_PERSON = "possible_duplicate_person"
    UNCERTAIN = "uncertain"  # anything else the parser is not sure of

    ALL = (
        MISSING_FIELD,
        INFERRED_DOI,
        UNATTACHED_BLOCK,
        TOC_MISMATCH,
        POSSIBLE_DUPLICATE_PERSON,
        UNCERTAIN,
    )


@dataclass
class ParseWarning:
    kind: str  # one of WarningKind
    message: str
    field: str = ""  # the article field it concerns: "abstract", "doi", ...
    language: str = ""  # "en"/"kk"/"ru" when it concerns one language


@dataclass
class AffiliationRecord:
    """One organisation as printed for an author: name per language, place."""

    name: dict[str, str] = field(default_factory=dict)  # lang -> organisation name
    city: str = ""  # as printed in English where the document has it
    country: str = ""  # as printed in English where the document has it


@dataclass
class AuthorRecord:
    """One author of one article, at one byline position."""

    position: int  # 1-based byline order
    names: dict[str, str] = field(default_factory=dict)  # lang -> byline form, "Zhumatay G."
    full_names: dict[str, str] = field(default_factory=dict)  # lang -> "Zhumatay Gabit"
    email: str = ""
    orcid: str = ""  # bare "0000-0002-1825-0097", no URL
    affiliations: list[AffiliationRecord] = field(default_factory=list)
    details: dict[str, str] = field(default_factory=dict)  # lang -> degree/position text
    corresponding: bool = False  # marked with * in the byline
    catalogue_id: int | None = None  # person id, when read back from the catalogue's export
    # (lang, form) as printed where the names above repaired letters of another script in it
    printed_forms: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ArticleRecord:
    # Display forms (parsing.display): what pages and exports show. The printed_* dicts
    # keep the text as printed where it differs (a title set in capitals); provenance.
    title: dict[str, str] = field(default_factory=dict)
    printed_title: dict[str, str] = field(default_factory=dict)
    abstract: dict[str, str] = field(default_factory=dict)
    keywords: dict[str, list[str]] = field(default_factory=dict)
    authors: list[AuthorRecord] = field(default_factory=list)
    doi: str = ""  # as printed, without "https://doi.org/"
    doi_inferred: bool = False
    position: int | None = None  # 1-based order in the issue's table of contents
    first_page: int | None = None
    last_page: int | None = None
    section: dict[str, str] = field(default_factory=dict)
    printed_section: dict[str, str] = field(default_factory=dict)
    udc: list[str] = field(default_factory=list)
    irsti: list[str] = field(default_factory=list)
    language: str = ""  # language of the body text
    received: datetime.date | None = None
    accepted: datetime.date | None = None
    references: list[str] = field(default_factory=list)  # one entry per number, cleaned
    warnings: list[ParseWarning] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # original documents, from an export


@dataclass
class JournalRecord:
    title: dict[str, str] = field(default_factory=dict)  # display forms, as for articles
    printed_title: dict[str, str] = field(default_factory=dict)
    publisher: str = ""
    issn_print: str = ""
    issn_online: str = ""
    doi_prefix: str = ""  # "10.48371"


@dataclass
class IssueRecord:
    year: int | None = None
    number: str = ""  # number within the year, "4"
    whole_number: str = ""  # running number, "62"
    volume: str = ""  # volume, where the journal numbers its issues within volumes
    published: datetime.date | None = None


@dataclass
class DocumentRecord:
    """Everything one source document yields.

    `issue` is None when the document does not say which issue it belongs to
    (a single article whose DOI or running head does not tell).
    """

    kind: str  # "issue" or "article"
    journal: JournalRecord = field(default_factory=JournalRecord)
    series: dict[str, str] = field(default_factory=dict)  # lang -> series name; {} = none
    printed_series: dict[str, str] = field(default_factory=dict)  # as printed, where it differs
    issue: IssueRecord | None = None
    articles: list[ArticleRecord] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)  # document-level


class DocumentError(ValueError):
    """The document cannot be read as a journal document at all."""
