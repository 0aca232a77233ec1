"""Write the catalogue out: the JSON export format (see catalogue.export), Crossref
deposit XML for one issue, JATS front matter, or BibTeX / RIS / CSL-JSON.

    manage.py export                                    # JSON, every article
    manage.py export --format crossref --issue 12 --base-url https://… --depositor-email …
    manage.py export --format jats --issue 12 --output jats/   # one file per article
    manage.py export --format bibtex --filter year=2025 --filter keyword=12

`--filter name=value` takes the browse page's parameters (catalogue.filters),
repeatable; `--issue ID` is short for `--filter issue=ID`.
"""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict
from django.urls import reverse

from catalogue import citations
from catalogue.export import export_articles
from catalogue.filters import ArticleFilter
from catalogue.models import Article, Issue

FORMATS = ["json", "crossref", "jats", "bibtex", "ris", "csl-json"]
CHUNK = 500


class Command(BaseCommand):
    help = "Export the catalogue's articles."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")
        parser.add_argument("--issue", type=int, help="Only this issue (required for crossref).")
        parser.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="A browse filter, e.g. year=2025 or keyword=12; repeat for more.",
        )
        parser.add_argument(
            "--base-url",
            default=settings.CATALOGUE_BASE_URL,
            help="Public address of the site, for article links (crossref needs it).",
        )
        parser.add_argument("--depositor-name", default=settings.CROSSREF_DEPOSITOR_NAME)
        parser.add_argument("--depositor-email", default=settings.CROSSREF_DEPOSITOR_EMAIL)

    def handle(self, *args, format, output, **options):
        queryset = self.selection(options["issue"], options["filter"])
        if format == "crossref" and not options["issue"]:
            raise CommandError("--format crossref needs --issue ID.")
        if format == "jats":
            return self.write_jats(queryset, output, options)
        try:
            # The wrapped stream itself: OutputWrapper.write() would add a newline per write.
            stream = open(output, "w", encoding="utf-8") if output else self.stdout._out
        except OSError as error:
            raise CommandError(f"{output}: {error.strerror}") from None
        try:
            writer = getattr(self, f"write_{format.replace('-', '_')}")
            writer(stream, queryset, options)
        finally:
            if output:
                stream.close()

    # ------------------------------------------------------------ selection

    def selection(self, issue, filters):
        """None for the whole catalogue, else the articles the filters select."""
        if issue is None and not filters:
            return None
        data = QueryDict(mutable=True)
        for item in filters:
            name, sep, value = item.partition("=")
            if not sep or name not in ArticleFilter.base_filters or name == "sort":
                names = ", ".join(n for n in ArticleFilter.base_filters if n != "sort")
                raise CommandError(f"--filter {item!r}: use NAME=VALUE with NAME one of {names}.")
            data.appendlist(name, value)
        if issue is not None:
            data.appendlist("issue", str(issue))
        filterset = ArticleFilter(data)
        if not filterset.is_valid() or filterset.form.rejected:
            problems = "; ".join(
                f"{label}: {message}" for label, message in filterset.form.problems()
            )
            raise CommandError(f"Invalid filter: {problems}")
        return filterset.articles()

    def articles(self, queryset):
        queryset = Article.objects.all() if queryset is None else queryset
        return queryset.with_details().in_catalogue_order().iterator(chunk_size=CHUNK)

    def url(self, article, base_url):
        path = reverse("catalogue:article_detail", args=[article.pk])
        return base_url.rstrip("/") + path if base_url else ""

    # ------------------------------------------------------------ formats

    def write_json(self, stream, queryset, options):
        stream.write("[")
        for index, item in enumerate(export_articles(queryset)):
            stream.write(",\n" if index else "\n")
            stream.write(json.dumps(item, ensure_ascii=False))
        stream.write("\n]\n")

    def write_bibtex(self, stream, queryset, options):
        for index, article in enumerate(self.articles(queryset)):
            stream.write(("\n" if index else "") + citations.bibtex(article))

    def write_ris(self, stream, queryset, options):
        for article in self.articles(queryset):
            stream.write(citations.ris(article, url=self.url(article, options["base_url"])))

    def write_csl_json(self, stream, queryset, options):
        stream.write("[")
        for index, article in enumerate(self.articles(queryset)):
            stream.write(",\n" if index else "\n")
            stream.write(json.dumps(citations.csl_json(article), ensure_ascii=False))
        stream.write("\n]\n")

    def write_jats(self, queryset, output, options):
        """One JATS 1.3 document per article: JATS has no element holding several articles,
        so each goes to its own file, DIRECTORY/article-ID.xml, as JATS consumers (PMC,
        DOAJ, Crossref's tools) take them. Standard output takes a single article."""
        from pathlib import Path

        from lxml import etree

        from catalogue.interop.jats import jats_article

        def document(article):
            element = jats_article(article, options["base_url"])
            return etree.tostring(
                element, xml_declaration=True, encoding="UTF-8", pretty_print=True
            ).decode()

        if not output:
            articles = list(self.articles(queryset))
            if len(articles) != 1:
                raise CommandError(
                    "--format jats writes one document per article: give --output DIRECTORY"
                    f" (this selection has {len(articles)} articles), or select one."
                )
            self.stdout._out.write(document(articles[0]))
            return
        directory = Path(output)
        try:
            directory.mkdir(parents=True, exist_ok=True)
            count = 0
            for article in self.articles(queryset):
                path = directory / f"article-{article.pk}.xml"
                path.write_text(document(article), encoding="utf-8")
                count += 1
        except OSError as error:
            raise CommandError(f"{output}: {error.strerror}") from None
        self.stderr.write(f"{count} JATS documents written to {directory}.")

    def write_crossref(self, stream, queryset, options):
        from lxml import etree

        from catalogue.interop.crossref import deposit

        try:
            issue = Issue.objects.with_journal().get(pk=options["issue"])
        except Issue.DoesNotExist:
            raise CommandError(f"No issue {options['issue']}.") from None
        base_url = options["base_url"]
        if not base_url.startswith(("http://", "https://")):
            raise CommandError("--format crossref needs --base-url https://… for DOI resources.")
        email = options["depositor_email"]
        if not email:
            raise CommandError("--format crossref needs --depositor-email (Crossref writes to it).")
        journal = issue.series.journal
        articles = queryset.with_details().order_by("position", "id")
        root, skipped = deposit(
            issue,
            articles,
            base_url=base_url,
            depositor=options["depositor_name"] or journal.publisher or "Journal catalogue",
            email=email,
        )
        for article in skipped:
            self.stderr.write(f"Article {article.pk} has no DOI and is left out of the deposit.")
        if len(skipped) == len(articles):
            raise CommandError("No article of this issue has a DOI: nothing to deposit.")
        stream.write(
            etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode()
        )
