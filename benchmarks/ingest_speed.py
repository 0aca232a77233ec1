"""Ingestion speed: one whole issue as text and as a PDF, and a large JSON export loaded back.

Run through scripts/benchmark-ingest, which points DATABASE_URL at a scratch
database. Prints the figures the README quotes.
"""

import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "catalogue_site.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from catalogue.models import Article, Author, Issue, Journal  # noqa: E402
from catalogue.tests.pdfmaker import LAYOUTS, make_pdf  # noqa: E402

SEEDS = ROOT / "fixtures" / "seeds"
ISSUE = SEEDS / "004_5cc4925e9724fd50.txt"


def empty_catalogue():
    Issue.objects.all().delete()
    Journal.objects.all().delete()
    Author.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE catalogue_keywordconcept, catalogue_organisation, "
            "catalogue_sourcedocument CASCADE"
        )


def timed(label, function):
    start = time.perf_counter()
    function()
    elapsed = time.perf_counter() - start
    print(f"{label}: {elapsed:.2f} s")
    return elapsed


SURNAMES = [
    "Akhmetov",
    "Bekova",
    "Zhumatay",
    "Ospanova",
    "Kim",
    "Nurlanov",
    "Sarsenova",
    "Tulegenov",
    "Abenova",
    "Dauletov",
    "Ivanova",
    "Petrov",
    "Smagulova",
    "Kenzhebek",
]
WORDS = [
    "policy",
    "diplomacy",
    "security",
    "migration",
    "energy",
    "trade",
    "identity",
    "region",
    "cooperation",
    "strategy",
    "education",
    "media",
    "culture",
    "water",
]


def synthetic_export(count: int) -> list[dict]:
    """An export of `count` plausible articles, 20 per issue, over many issues."""
    rng = random.Random(7)
    items = []
    people: dict[tuple, int] = {}  # an export names each person by one author_id
    for n in range(count):
        issue, position = divmod(n, 20)
        year, number = 2000 + issue // 4 % 25, str(issue % 4 + 1)
        words = rng.sample(WORDS, 4)
        authors = []
        for _ in range(rng.randint(1, 3)):
            surname = rng.choice(SURNAMES) + str(rng.randint(1, 400))
            initial = rng.choice("ABDEGKMNS")
            authors.append(
                {
                    "author_id": people.setdefault((surname, initial), len(people) + 1),
                    "name": {"en": f"{surname} {initial}."},
                    "full_name": {},
                    "orcid": None,
                    "email": None,
                    "affiliations": [f"University {rng.randint(1, 40)}, Almaty, Kazakhstan"],
                }
            )
        items.append(
            {
                "doi": f"10.99999/BENCH.{issue}.{position + 1:03d}",
                "journal": "Benchmark Journal",
                "series": f"Series {issue // 400}",
                "issn": [],
                "year": year,
                "issue": f"{number}-{issue}",
                "whole_number": str(issue),
                "first_page": position * 10 + 1,
                "last_page": position * 10 + 9,
                "section": {"en": "Section " + rng.choice("ABC")},
                "udc": ["327"],
                "irsti": ["11.25.91"],
                "language": "en",
                "title": {"en": " ".join(words).capitalize() + f" {n}", "ru": f"Статья {n}"},
                "abstract": {"en": " ".join(rng.choices(WORDS, k=60))},
                "keywords": {"en": words, "ru": [w[::-1] for w in words]},
                "authors": authors,
                "received": None,
                "accepted": None,
                "references": [f"Reference {i} of article {n}." for i in range(rng.randint(5, 20))],
                "sources": [],
            }
        )
    return items


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    empty_catalogue()
    timed(
        f"ingest {ISSUE.name} into an empty catalogue",
        lambda: call_command("ingest", str(ISSUE), verbosity=0),
    )
    timed(
        f"ingest {ISSUE.name} again (nothing changes)",
        lambda: call_command("ingest", str(ISSUE), verbosity=0),
    )
    empty_catalogue()
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "issue-004.pdf"
        pages = make_pdf(ISSUE.read_text(encoding="utf-8"), pdf, LAYOUTS["a4-two-columns"])
        timed(
            f"ingest issue 004 as a {pages}-page two-column A4 PDF into an empty catalogue",
            lambda: call_command("ingest", str(pdf), verbosity=0),
        )
    print(f"  {Article.objects.count()} articles")
    empty_catalogue()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.json"
        path.write_text(json.dumps(synthetic_export(count)), encoding="utf-8")
        elapsed = timed(
            f"load a JSON export of {count:,} articles",
            lambda: call_command("ingest", str(path), verbosity=0),
        )
    loaded = Article.objects.count()
    print(f"loaded {loaded:,} articles: {loaded / elapsed:,.0f} articles per second")
    empty_catalogue()


if __name__ == "__main__":
    main()
