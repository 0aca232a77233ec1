"""Asking the DOI resolver about an inferred DOI before an editor confirms it.

An inferred DOI is a guess from the issue's pattern. The resolver's handle API
says whether the DOI is registered and where it points; that is evidence for
the editor, never a confirmation (a registered DOI may belong to another
article). Where the resolver cannot be reached the check says so and changes
nothing.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from .models import Article, IngestWarning

REGISTERED, NOT_REGISTERED, UNREACHABLE = "registered", "not registered", "resolver unreachable"


@dataclass
class DoiCheck:
    article: Article
    outcome: str
    points_to: str = ""  # where a registered DOI resolves

    def describe(self) -> str:
        where = f" (points to {self.points_to})" if self.points_to else ""
        return f"{self.article.doi}: {self.outcome}{where}"


def ask_resolver(doi: str, timeout: float) -> tuple[str, str]:
    """(outcome, URL it points to) from the handle API: responseCode 1 is registered,
    100 (or HTTP 404) is not; anything else means the resolver could not answer."""
    url = f"{settings.DOI_RESOLVER_URL.rstrip('/')}/api/handles/{urllib.parse.quote(doi)}"
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer = json.load(response)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return NOT_REGISTERED, ""
        return UNREACHABLE, ""
    except (OSError, ValueError):
        return UNREACHABLE, ""
    if answer.get("responseCode") == 100:
        return NOT_REGISTERED, ""
    if answer.get("responseCode") != 1:
        return UNREACHABLE, ""
    values = answer.get("values") or []
    target = next((v["data"]["value"] for v in values if v.get("type") == "URL"), "")
    return REGISTERED, str(target)


def check_inferred_dois(articles, timeout: float = 5.0) -> list[DoiCheck]:
    """Check each inferred DOI among `articles`, noting the answer on its open warning.

    The first unreachable answer stops the run: the resolver is down or out of reach,
    and asking again for every article would only wait `timeout` each time."""
    checks = []
    for article in articles.filter(doi_inferred=True, doi__isnull=False).order_by("pk"):
        outcome, target = ask_resolver(article.doi, timeout)
        checks.append(DoiCheck(article, outcome, target))
        if outcome == UNREACHABLE:
            break
        note = f"Checked {timezone.localdate():%Y-%m-%d}: {checks[-1].describe()}."
        for warning in article.warnings.open().filter(kind=IngestWarning.Kind.INFERRED_DOI):
            warning.message = f"{warning.message.split(' Checked ')[0]} {note}"
            warning.save(update_fields=["message"])
    return checks
