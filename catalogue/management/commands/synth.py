"""Fill an empty catalogue with a realistic synthetic one, for benchmarks at scale."""

import time

from django.core.management.base import BaseCommand, CommandError

from catalogue.models import Article
from catalogue.synth import synthesize


class Command(BaseCommand):
    help = (
        "Add N synthetic articles (with journals, series, issues, authors in Latin and "
        "Cyrillic, Zipf-distributed keywords) to an empty catalogue, written with COPY."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True, help="how many articles")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="processes generating rows (default: all cores but one; 0: none, "
            "this process generates); the catalogue is the same whatever the number",
        )

    def handle(self, *args, articles, seed, workers, **options):
        if articles < 1:
            raise CommandError("--articles must be at least 1")
        if Article.objects.exists():
            raise CommandError(
                "the catalogue already has articles: synth fills an empty one "
                "(use a scratch database)"
            )
        verbose = options["verbosity"] > 0
        start = time.perf_counter()

        def progress(message):
            if verbose:
                elapsed = time.perf_counter() - start
                self.stdout.write(f"[{elapsed:7.1f} s] {message}")

        report = synthesize(articles, seed=seed, progress=progress, workers=workers)
        elapsed = time.perf_counter() - start
        if verbose:
            self.stdout.write(
                f"{report.articles:,} articles, {report.authors:,} authors "
                f"({report.name_variants:,} name forms), {report.authorships:,} authorships, "
                f"{report.keywords:,} keywords ({report.article_keywords:,} uses), "
                f"{report.references:,} references in {elapsed:.1f} s: "
                f"{report.articles / elapsed:,.0f} articles per second"
            )
