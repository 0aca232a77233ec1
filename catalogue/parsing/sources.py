"""Reading source files into text: encodings, PDFs, and refusing what is not a document.

Every refusal is a SourceError with one line that names the problem; the
command prints it with the file name and moves on to the next file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .pdf import PdfError, PdfText, read_pdf

_CP1251_PUNCTUATION = set("–—‘’‚“”„«»№…•\u00a0§©°±")
SUFFIXES = {".txt", ".md", ".text", ".json", ".pdf"}


class SourceError(ValueError):
    """A file that cannot be read as a document; the message says why in one line."""


@dataclass
class SourceText:
    path: Path
    text: str
    sha256: str
    size: int
    encoding: str  # "utf-8", "utf-16", "cp1251", "pdf"
    pages: list[int | None] = field(default_factory=list)  # a PDF's printed page numbers


def collect_paths(paths: list[str]) -> list[Path]:
    """Expand folders (recursively, sorted) into the document files they hold."""
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if not path.exists():
            raise SourceError(f"{name}: no such file or folder")
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            )
        else:
            found.append(path)
    return found


def read_source(
    path: Path, max_bytes: int, on_page: Callable[[int, int], None] | None = None
) -> SourceText:
    check_size(path.stat().st_size, max_bytes)
    return read_bytes(path.name, path.read_bytes(), max_bytes, on_page)


def check_size(size: int, max_bytes: int) -> None:
    """Refuse a file above the limit before its bytes are read (a path or an upload)."""
    if size > max_bytes:
        raise SourceError(f"file is too large ({size:,} bytes; the limit is {max_bytes:,})")


def read_bytes(
    name: str, data: bytes, max_bytes: int, on_page: Callable[[int, int], None] | None = None
) -> SourceText:
    """A document's text from its bytes: a file's, or an upload's (named `name`)."""
    size = len(data)
    check_size(size, max_bytes)
    if not data.strip():
        raise SourceError("file is empty")
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith(b"%PDF-"):
        pdf = pdf_text(data, on_page)
        return SourceText(Path(name), pdf.text, digest, size, "pdf", pdf.pages)
    text, encoding = decode(data)
    return SourceText(Path(name), text, digest, size, encoding)


def decode(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, or cp1251 when that is certain."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise SourceError("file claims UTF-16 but is not valid UTF-16") from None
    if b"\x00" in data:
        raise SourceError("file is binary, not text (it contains NUL bytes)")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1251", errors="replace")
    if _looks_like_cp1251_cyrillic(data, text):
        return text, "cp1251"
    raise SourceError("text is not UTF-8 and its encoding cannot be told with certainty")


def _looks_like_cp1251_cyrillic(data: bytes, text: str) -> bool:
    """cp1251 is certain when the high bytes decode to Cyrillic letters and nothing else."""
    high = [b for b in data if b >= 0x80]
    if len(high) < 20 or 0x98 in high:  # 0x98 is unassigned in cp1251
        return False
    letters = sum(1 for ch in text if "\u0400" <= ch <= "\u04ff")
    punctuation = sum(1 for ch in text if ch in _CP1251_PUNCTUATION)
    return letters / len(high) > 0.5 and (letters + punctuation) / len(high) > 0.98


def pdf_text(data: bytes, on_page: Callable[[int, int], None] | None = None) -> PdfText:
    """Text of a PDF in reading order, with its printed page numbers (catalogue.parsing.pdf)."""
    try:
        return read_pdf(data, on_page)
    except PdfError as error:
        raise SourceError(str(error)) from None
