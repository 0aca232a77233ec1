"""One source file in, one report out: read, parse, choose how to store, store.

The `ingest` command and the editors' "Add documents" page both come through here:
the command with paths (load_file), the page with uploaded bytes (load_bytes); a
preview is a rehearsal (the same writes, rolled back), a confirmation a load that
refuses to commit when its plan is no longer the one the editor saw (PlanChanged).

Two writers put records into the catalogue: the careful path (store.Writer),
which matches every article, person and keyword against what the catalogue
holds, and the COPY path (bulk.BulkLoader) for the catalogue's own export of
articles it does not hold yet. The choice between them is made here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction

from ..parsing.document import parse_document
from ..parsing.json_export import looks_like_export, parse_export
from ..parsing.records import DocumentError, DocumentRecord, IssueRecord, ParseWarning, WarningKind
from ..parsing.sources import SourceError, SourceText, check_size, read_bytes, read_source
from .bulk import BulkLoader, can_bulk_load
from .report import DocumentReport, SourceInfo
from .store import Writer

INGEST_LOCK = 0x0CA7A106  # one ingest transaction at a time: authors are shared across documents


class IngestError(Exception):
    """A file was refused; the message is one line naming the problem."""


class DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


class PlanChanged(Exception):
    """A confirmation found the catalogue changed since its preview: nothing was written.

    `report` is what the document would do now (the new preview)."""

    def __init__(self, report: DocumentReport):
        super().__init__("the catalogue changed since the preview; nothing was written")
        self.report = report


@contextmanager
def rehearsal() -> Iterator[None]:
    """Everything loaded inside is written, then rolled back: a dry run of several
    documents in which each sees what the ones before it would have written."""
    try:
        with transaction.atomic():
            yield
            raise DryRun
    except DryRun:
        pass


def refuse_size(size: int) -> None:
    """Refuse a file above INGEST_MAX_BYTES before reading it (an upload, say)."""
    try:
        check_size(size, settings.INGEST_MAX_BYTES)
    except SourceError as error:
        raise IngestError(str(error)) from None


def load_file(
    path: Path,
    *,
    on_page: Callable[[int, int], None] | None = None,
    **options,
) -> DocumentReport:
    """Read, parse and store one file (options as for load_source);
    `on_page(read, total)` hears of each PDF page read."""
    try:
        source = read_source(path, settings.INGEST_MAX_BYTES, on_page)
    except SourceError as error:
        raise IngestError(str(error)) from None
    return load_source(source, **options)


def read_upload(
    name: str, data: bytes, on_page: Callable[[int, int], None] | None = None
) -> SourceText:
    """An uploaded file's text, refused (IngestError) as the command refuses a path's."""
    try:
        return read_bytes(name, data, settings.INGEST_MAX_BYTES, on_page)
    except SourceError as error:
        raise IngestError(str(error)) from None


def load_bytes(name: str, data: bytes, **options) -> DocumentReport:
    """Read, parse and store one uploaded file called `name`, as load_file does a path."""
    return load_source(read_upload(name, data), **options)


def load_source(
    source: SourceText,
    *,
    journal: str = "",
    series: str = "",
    issue: IssueRecord | None = None,
    dry_run: bool = False,
    replace: bool = False,
    expect: str = "",
) -> DocumentReport:
    """Parse and store one read document. `journal`, `series` and `issue` (year,
    volume, number) say what the document does not, or override what it says;
    `replace` lets it take over an article its DOI names though it describes another;
    `expect` is the plan of a preview: a load that would write anything else raises
    PlanChanged instead."""
    name = source.path.name
    try:
        export = looks_like_export(source.text)
        documents = _parse(source, name, export)
    except DocumentError as error:
        raise IngestError(str(error)) from None
    info = SourceInfo(file_name=name, sha256=source.sha256, size=source.size)
    try:
        return store_documents(
            documents,
            info,
            journal=journal,
            series=series,
            issue=issue,
            dry_run=dry_run,
            export=export,
            replace=replace,
            expect=expect,
        )
    except DocumentError as error:
        raise IngestError(str(error)) from None
    except DatabaseError as error:
        # A constraint the parsed records break: refuse the document, keep the catalogue.
        first_line = str(error).splitlines()[0] if str(error) else error.__class__.__name__
        raise IngestError(f"the catalogue refused the document's records: {first_line}") from None


def _parse(source: SourceText, file_name: str, export: bool) -> list[DocumentRecord]:
    try:
        if export:
            return parse_export(source.text)
        return [parse_document(source.text, filename=file_name, printed_pages=source.pages)]
    except DocumentError:
        raise
    except Exception as error:
        # A defect in a parsing step: refuse this document loudly rather than
        # store it with fields missing; the other documents still load.
        raise IngestError(
            f"the parser failed on this document ({error.__class__.__name__}: {error});"
            " nothing of it was stored"
        ) from error


def store_documents(
    documents: list[DocumentRecord],
    source: SourceInfo,
    *,
    journal: str = "",
    series: str = "",
    issue: IssueRecord | None = None,
    dry_run: bool = False,
    export: bool = False,
    replace: bool = False,
    expect: str = "",
) -> DocumentReport:
    """Write the records of one source file in one transaction; return what happened.

    `export` says the records come from the catalogue's own JSON export, which may
    take the bulk path when none of its articles exist yet. With `expect` (a preview's
    plan), a write whose report has another plan is rolled back and PlanChanged raised.
    """
    report = DocumentReport(file_name=source.file_name)
    given = issue if issue is not None and (issue.year or issue.number or issue.volume) else None
    for document in documents:
        document.issue = with_given_issue(document, given)
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [INGEST_LOCK])
            writer = Writer(source, report, replace=replace, export=export)
            if export and not (journal or series or given) and can_bulk_load(documents):
                BulkLoader(writer).load(documents)
            else:
                for document in documents:
                    writer.write_document(document, journal_title=journal, series_name=series)
            if dry_run:
                raise DryRun
            if expect and report.plan() != expect:
                raise PlanChanged(report)
    except DryRun:
        pass
    return report


def with_given_issue(document: DocumentRecord, given: IssueRecord | None) -> IssueRecord | None:
    """The document's issue with what the command line gives filled in or overriding.

    A whole number read from the document is kept only while its number stands.
    """
    read = document.issue
    if given is None:
        return read
    if read is None:
        read = IssueRecord()
    said = [
        f"{name} {getattr(read, name)}"
        for name in ("year", "volume", "number")
        if getattr(given, name)
        and getattr(read, name)
        and getattr(given, name) != getattr(read, name)
    ]
    if said:
        document.warnings.append(
            ParseWarning(
                WarningKind.UNCERTAIN,
                "the document says " + ", ".join(said) + "; the command line's value was used",
                "issue",
            )
        )
    number = given.number or read.number
    return IssueRecord(
        year=given.year or read.year,
        number=number,
        volume=given.volume or read.volume,
        whole_number=read.whole_number if number == read.number else "",
        published=read.published,
    )
