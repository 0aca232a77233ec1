"""Keep the facet counts of the text searches too common to count at each request."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from catalogue import counted_searches
from catalogue.models import CountedSearch


class Command(BaseCommand):
    help = (
        "Count the facets of the searches the browse page noted as slow (or of the words "
        "given) and keep them exact from then on; run it from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("words", nargs="*", help="searches to count now, e.g. policy")
        parser.add_argument(
            "--all", action="store_true", help="count every kept search (or those given) again"
        )
        parser.add_argument("--forget", action="store_true", help="stop keeping the searches given")
        parser.add_argument("--list", action="store_true", help="list the searches and stop")

    def handle(self, *args, words=(), all=False, forget=False, list=False, **options):
        if list:
            for search in CountedSearch.objects.order_by("-matches", "text"):
                state = f"{search.matches} matches" if search.counted else "noted, not counted"
                self.stdout.write(f"{search.text}\t{search.query}\t{state}")
            return
        if forget:
            if not words:
                raise CommandError("--forget needs the searches to forget")
            for text in words:
                search = counted_searches.add(text)
                if search is not None:
                    counted_searches.forget(search)
                    self.stdout.write(f"{text}: no longer counted")
            return
        if words:
            with transaction.atomic():  # all the searches, or none
                searches = [counted_searches.add(text) for text in words]
                empty = [text for text, found in zip(words, searches, strict=True) if not found]
                if empty:
                    raise CommandError(f"these make no search (no word in them): {empty}")
        elif all:
            searches = CountedSearch.objects.counted().order_by("id")
        else:
            searches = CountedSearch.objects.waiting().order_by("id")
        for search in searches:
            if search.counted and not all:
                # Kept exact by the triggers since it was counted.
                self.stdout.write(f"{search.text}: already counted ({search.matches} matches)")
                continue
            start = time.perf_counter()
            matches = counted_searches.count(search)
            took = time.perf_counter() - start
            self.stdout.write(f"{search.text}: {matches} matches counted in {took:.1f} s")
