"""Load IRSTI (МРНТИ/ГРНТИ) subject names from a CSV file: code,name_en,name_kk,name_ru.

The catalogue ships no copy of the rubricator (none with an open licence could be
found); a copy the catalogue may use is loaded with this command. Each row sets the
names it gives (an empty cell leaves the stored name); the whole file is one
transaction, and a bad row refuses the file, naming the line.
"""

import csv
import re

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from catalogue.models import IRSTI_CODE, IrstiSubject

COLUMNS = ["code", "name_en", "name_kk", "name_ru"]


class Command(BaseCommand):
    help = "Load IRSTI subject names from a CSV file (code,name_en,name_kk,name_ru)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help="Check the file only.")

    def handle(self, *args, path, dry_run, **options):
        try:
            with open(path, encoding="utf-8-sig", newline="") as handle:
                reader = csv.DictReader(handle)
                header, rows = reader.fieldnames, list(reader)
        except (OSError, UnicodeDecodeError, csv.Error) as error:
            raise CommandError(f"{path}: {error}") from None
        if header != COLUMNS:
            raise CommandError(f"{path}: the header must be {','.join(COLUMNS)}")
        subjects = []
        for line, row in enumerate(rows, start=2):
            code = (row["code"] or "").strip()
            if not re.match(IRSTI_CODE, code):
                raise CommandError(f"{path}, line {line}: “{code}” is not an IRSTI code")
            names = {name: (row[name] or "").strip() for name in COLUMNS[1:]}
            if any(len(value) > 300 for value in names.values()):
                raise CommandError(f"{path}, line {line}: a name is longer than 300 characters")
            subjects.append((code, names))
        if dry_run:
            self.stdout.write(f"{len(subjects)} subjects would be loaded.")
            return
        with transaction.atomic():
            for code, names in subjects:
                subject, _created = IrstiSubject.objects.get_or_create(code=code)
                for name, value in names.items():
                    if value:
                        setattr(subject, name, value)
                subject.save()
        self.stdout.write(self.style.SUCCESS(f"{len(subjects)} subjects loaded."))
