"""One source file in, one report out: read, parse, store."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import DatabaseError

from ..parsing.document import parse_document
from ..parsing.json_export import looks_like_export, parse_export
from ..parsing.records import DocumentError, DocumentRecord
from ..parsing.sources import SourceError, read_source
from .store import DocumentReport, SourceInfo, store_documents


class IngestError(Exception):
    """A file was refused; the message is one line naming the problem."""


def load_file(
    path: Path, *, journal: str = "", series: str = "", dry_run: bool = False
) -> DocumentReport:
    try:
        source = read_source(path, settings.INGEST_MAX_BYTES)
        export = looks_like_export(source.text)
        documents = _parse(source.text, path.name, export)
    except (SourceError, DocumentError) as error:
        raise IngestError(str(error)) from None
    info = SourceInfo(file_name=path.name, sha256=source.sha256, size=source.size)
    try:
        return store_documents(
            documents, info, journal=journal, series=series, dry_run=dry_run, export=export
        )
    except DocumentError as error:
        raise IngestError(str(error)) from None
    except DatabaseError as error:
        # A constraint the parsed records break: refuse the document, keep the catalogue.
        first_line = str(error).splitlines()[0] if str(error) else error.__class__.__name__
        raise IngestError(f"the catalogue refused the document's records: {first_line}") from None


def _parse(text: str, file_name: str, export: bool) -> list[DocumentRecord]:
    try:
        if export:
            return parse_export(text)
        return [parse_document(text, filename=file_name)]
    except DocumentError:
        raise
    except Exception as error:
        # A defect in a parsing step: refuse this document loudly rather than
        # store it with fields missing; the other documents still load.
        raise IngestError(
            f"the parser failed on this document ({error.__class__.__name__}: {error});"
            " nothing of it was stored"
        ) from error
