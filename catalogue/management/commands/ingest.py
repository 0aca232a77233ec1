"""Read journal issues and articles (text, PDF, or the catalogue's JSON export) into the catalogue.

Each file is one transaction: a file that fails leaves nothing behind and the
others still load. The exit status is non-zero when any file failed. A dry run
writes every file and rolls them all back at the end, so that each file's report
counts what the files before it would have written (as the admin's preview does).
The work itself is catalogue.ingest.loader's; the admin's "Add documents" page is
its other caller.
"""

from contextlib import nullcontext

from django.core.management.base import BaseCommand, CommandError

from catalogue.ingest.loader import IngestError, load_file, rehearsal
from catalogue.parsing.records import IssueRecord
from catalogue.parsing.sources import SourceError, collect_paths


def _year(value: str) -> int:
    if not value.isdigit() or not 1800 <= int(value) <= 2200:
        raise ValueError(value)
    return int(value)


class Command(BaseCommand):
    help = "Ingest journal documents (files or folders, recursively) into the catalogue."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--dry-run", action="store_true", help="Parse and report; write nothing."
        )
        parser.add_argument(
            "--journal", default="", help="Journal title, for documents that lack one."
        )
        parser.add_argument(
            "--series", default="", help="Series name, for documents that lack one."
        )
        parser.add_argument(
            "--year",
            type=_year,
            default=None,
            help="Year of the issue, for documents that do not say it (overrides what they say).",
        )
        parser.add_argument(
            "--volume",
            default="",
            help="Volume of the issue, for documents that do not say it (overrides what they say).",
        )
        parser.add_argument(
            "--number",
            default="",
            help="Number of the issue within its year or volume, for documents that do not say "
            "it (overrides what they say). An article whose issue is still not known waits in "
            "its journal's 'issue not known' issue for an editor.",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Let a document take over the article its DOI names even where it gives that "
            "article another journal, or another issue, title and authors at once (refused "
            "otherwise, as a likely mistake).",
        )

    def handle(
        self,
        *args,
        paths,
        dry_run,
        journal,
        series,
        year,
        volume,
        number,
        replace,
        verbosity,
        **options,
    ):
        issue = IssueRecord(year=year, volume=volume.strip(), number=number.strip())
        try:
            files = collect_paths(paths)
        except SourceError as error:
            raise CommandError(str(error)) from None
        if not files:
            raise CommandError("no documents found in " + ", ".join(paths))
        failed = 0
        with rehearsal() if dry_run else nullcontext():
            for number, path in enumerate(files, 1):
                prefix = f"[{number}/{len(files)}] {path.name}"
                try:
                    report = load_file(
                        path,
                        journal=journal,
                        series=series,
                        issue=issue,
                        replace=replace,
                        on_page=self.progress(prefix),
                    )
                except IngestError as error:
                    failed += 1
                    self.stderr.write(f"{path}: {error}")
                    continue
                self.write_report(prefix, report, verbosity, dry_run)
        if failed:
            raise CommandError(
                f"{failed} of {len(files)} documents failed; nothing of them was written"
            )

    def progress(self, prefix):
        """On a terminal, a bar of the pages read so far; elsewhere nothing (one line a file)."""
        if not self.stderr.isatty():
            return None

        def show(read, total):
            filled = round(24 * read / total) if total else 24
            bar = "█" * filled + "░" * (24 - filled)
            end = "\r\033[K" if read == total else ""
            self.stderr.write(f"\r{prefix} {bar} {read}/{total} pages{end}", ending="")
            self.stderr.flush()

        return show

    def write_report(self, prefix, report, verbosity, dry_run):
        if verbosity == 0:
            return
        note = " (dry run: nothing written)" if dry_run else ""
        self.stdout.write(
            f"{prefix}: {report.issue}: {len(report.articles)} articles "
            f"({report.count('created')} created, {report.count('updated')} updated, "
            f"{report.count('unchanged')} unchanged); authors {report.authors_new} new, "
            f"{report.authors_matched} matched{note}"
        )
        for outcome in report.articles:
            if outcome.editor_kept:
                self.stdout.write(
                    self.style.WARNING(
                        f"  {outcome.article.doi or outcome.article}: editor's value kept for "
                        + ", ".join(outcome.editor_kept)
                    )
                )
            if verbosity >= 2:
                for change in outcome.changes:
                    self.stdout.write(
                        f"  {outcome.article.doi or outcome.article}: {change.field}: "
                        f"{change.old[:80]!r} -> {change.new[:80]!r}"
                    )
                for warning in outcome.warnings:
                    self.stdout.write(
                        f"  {outcome.article.doi or outcome.article}: {warning.kind}: "
                        f"{warning.message}"
                    )
        if verbosity >= 2:
            for warning in report.warnings:
                self.stdout.write(f"  document: {warning.kind}: {warning.message}")
