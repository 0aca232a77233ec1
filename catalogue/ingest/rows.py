"""Record-to-row helpers shared by both ways of writing parsed records.

The careful path (catalogue.ingest.store) and the COPY path
(catalogue.ingest.bulk) must turn the same record into the same values: a
DOI, the links of a reference, the keywords an article keeps and which of them
translate each other are decided here, once.
"""

from __future__ import annotations

import re

from ..models import LANGUAGE_CODES, Keyword
from ..parsing.labels import clean_doi
from ..parsing.names import fold

__all__ = [
    "clean_doi",
    "first_of",
    "free_position",
    "reference_links",
    "translation_groups",
    "unique_keywords",
]

_URL_IN_TEXT = re.compile(r"https?://[^\s\"<>]+")
_TRAILING = ".,;)]"


def reference_links(text: str) -> tuple[str, str]:
    """The DOI and URL found in a reference's text, if any."""
    url_match = _URL_IN_TEXT.search(text)
    doi = clean_doi(text)
    url = url_match.group(0).rstrip(_TRAILING) if url_match else ""
    return doi[:200], url[:1000]


def first_of(names: dict[str, str]) -> str:
    """The first text given, in the catalogue's order of languages."""
    for lang in LANGUAGE_CODES:
        if names.get(lang):
            return names[lang]
    return ""


def unique_keywords(words: list[str]) -> list[str]:
    """The printed keywords of one language, first of each normalised form, in order."""
    seen, result = set(), []
    for word in words:
        key = Keyword.normalize(word)
        if key and key not in seen:
            seen.add(key)
            result.append(word.strip()[:300])
    return result


def translation_groups(wanted: dict[str, list[tuple[str, str]]]) -> list[list[tuple[str, str]]]:
    """Group one article's keywords into translations of each other.

    Lists of equal length are translations in printed order. Otherwise only what is
    certain is linked: Kazakh and Russian forms whose transliterations are equal.
    """
    lists = {lang: [norm for norm, _ in pairs] for lang, pairs in wanted.items() if pairs}
    if len(lists) > 1 and len({len(words) for words in lists.values()}) == 1:
        return [list(zip(lists, group, strict=True)) for group in zip(*lists.values(), strict=True)]
    groups = [[(lang, norm)] for lang, words in lists.items() for norm in words]
    for kk in lists.get("kk", []):
        for ru in lists.get("ru", []):
            if fold(kk) == fold(ru):
                groups.remove([("kk", kk)]) if [("kk", kk)] in groups else None
                groups.remove([("ru", ru)]) if [("ru", ru)] in groups else None
                groups.append([("kk", kk), ("ru", ru)])
    return groups


def free_position(taken: set[int], wanted: int | None) -> int | None:
    """Where an exported article new to an issue goes: its place in the export's list,
    or after the issue's articles when that place is taken (the export's positions are
    only the order of its list, not the issue's contents)."""
    if wanted is None or wanted not in taken:
        return wanted
    return max(taken) + 1
