"""Write the catalogue out in the export format (see catalogue.export)."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from catalogue.export import export_articles


class Command(BaseCommand):
    help = "Export the catalogue's articles."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json"], default="json")
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")

    def handle(self, *args, format, output, **options):
        try:
            stream = open(output, "w", encoding="utf-8") if output else sys.stdout
        except OSError as error:
            raise CommandError(f"{output}: {error.strerror}") from None
        try:
            stream.write("[")
            for index, item in enumerate(export_articles()):
                stream.write(",\n" if index else "\n")
                stream.write(json.dumps(item, ensure_ascii=False))
            stream.write("\n]\n")
        finally:
            if output:
                stream.close()
