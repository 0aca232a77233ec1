"""PDF text extraction: the catalogue's reader against pdfminer.six and pdfplumber.

    .venv/bin/python benchmarks/pdf_speed.py [PAGES]      (default 100)

Typesets the first articles of issue 004 as a two-column A4 issue of about
PAGES pages (catalogue/tests/pdfmaker.py), then for each library prints the
wall time, pages per second of CPU time (one core) and a reading-order score:
the share of 8-word runs taken from the middle of the issue's long paragraphs
that come out whole and in order (columns read one after the other score
high; lines read across both columns score low). No database:
scripts/benchmark-ingest times the ingest.
"""

from __future__ import annotations

import io
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402
from pdfminer.high_level import extract_text  # noqa: E402

from catalogue.parsing.pdf import read_pdf  # noqa: E402
from catalogue.tests.pdfmaker import LAYOUTS, make_pdf  # noqa: E402

ISSUE = ROOT / "fixtures" / "seeds" / "004_5cc4925e9724fd50.txt"
PAGES_PER_CHARACTER = 100 / 560_000  # the start of issue 004 set two-column on A4


def issue_text(pages: int) -> str:
    """The issue's text cut at an article's start so that it sets to about `pages` pages."""
    text = ISSUE.read_text(encoding="utf-8")
    want = int(pages / PAGES_PER_CHARACTER)
    starts = [m.start() for m in re.finditer(r"(?m)^UDC |^УДК |^ӘОЖ ", text)]
    cut = min((s for s in starts if s >= want), default=len(text))
    return text[:cut]


def normalise(text: str) -> str:
    text = re.sub(r"[-\u00ad\u0002]\s*\n\s*", "", text)
    text = text.replace("**", "")
    text = re.sub(r"\^\{([^}]*)\}", r"\1", text)
    return " ".join(text.split())


def order_score(source: str, extracted: str) -> float:
    body = normalise(extracted)
    probes = []
    for line in source.splitlines():
        words = line.split()
        if len(words) > 60 and "**" not in line and "^{" not in line:
            middle = len(words) // 2
            probes.append(" ".join(words[middle : middle + 8]))
    found = sum(1 for p in probes if normalise(p) in body)
    return found / len(probes) if probes else 0.0


def pdfminer_text(data: bytes) -> str:
    return extract_text(io.BytesIO(data))


def pdfplumber_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def catalogue_text(data: bytes) -> str:
    return read_pdf(data).text


def main() -> None:
    pages = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    source = issue_text(pages)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "issue.pdf"
        start = time.perf_counter()
        count = make_pdf(source, path, LAYOUTS["a4-two-columns"])
        print(f"typeset {count} pages, two columns, A4: {time.perf_counter() - start:.1f} s")
        data = path.read_bytes()
    for name, function in [
        ("catalogue reader (pypdfium2)", catalogue_text),
        ("pdfminer.six extract_text", pdfminer_text),
        ("pdfplumber extract_text", pdfplumber_text),
    ]:
        start, cpu = time.perf_counter(), time.process_time()
        text = function(data)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(
            f"{name:30} {elapsed:6.1f} s  {count / cpu:6.1f} pages per CPU second  "
            f"reading order {order_score(source, text):.3f}"
        )


if __name__ == "__main__":
    main()
