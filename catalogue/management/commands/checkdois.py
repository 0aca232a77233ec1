"""Ask the DOI resolver about the catalogue's inferred DOIs (evidence, never a confirmation)."""

from django.core.management.base import BaseCommand, CommandError

from catalogue.doi_check import UNREACHABLE, check_inferred_dois
from catalogue.models import Article


class Command(BaseCommand):
    help = "Check inferred DOIs against the DOI resolver and note the answer for editors."

    def add_arguments(self, parser):
        parser.add_argument("--issue", type=int, help="only the articles of this issue (id)")
        parser.add_argument("--timeout", type=float, default=5.0)

    def handle(self, *args, issue=None, timeout=5.0, **options):
        articles = Article.objects.all() if issue is None else Article.objects.filter(issue=issue)
        checks = check_inferred_dois(articles, timeout=timeout)
        if not checks:
            self.stdout.write("No inferred DOI to check.")
            return
        for check in checks:
            if check.outcome != UNREACHABLE:
                self.stdout.write(check.describe())
        if checks[-1].outcome == UNREACHABLE:
            raise CommandError(
                "the DOI resolver cannot be reached; nothing was checked beyond the lines above, "
                "and no DOI is confirmed (an editor confirms it in the review queue)"
            )
        self.stdout.write(
            f"{len(checks)} checked; none confirmed: an editor confirms a DOI in the review queue."
        )
