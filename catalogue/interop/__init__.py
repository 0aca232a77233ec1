"""Machine-readable records for harvesters, indexes and reference managers.

`dc` (Dublin Core for OAI-PMH), `jats` (JATS front matter) and `crossref`
(deposit XML) build lxml trees from articles loaded with
`Article.objects.with_details()`. Every text value goes through `text()`, and
lxml escapes it, so markup in the metadata ("<script>") stays text.
"""

import re
from pathlib import Path

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"

XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_LANG = f"{{{XML_NS}}}lang"

# Characters XML 1.0 cannot carry at all (C0 controls other than tab/newline/return, etc.).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def text(value) -> str:
    """A value as XML-safe text: str(), without characters XML 1.0 forbids."""
    if value is None:
        return ""
    return _NOT_XML.sub("", str(value))


def sub(parent, tag, value=None, attrs=None):
    """Append a child element with escaped text; attributes with empty values are left out."""
    from lxml import etree

    attrs = {k: text(v) for k, v in (attrs or {}).items() if v not in (None, "")}
    element = etree.SubElement(parent, tag, attrs)
    if value is not None:
        element.text = text(value)
    return element


def load_schema(relative: str):
    """An XMLSchema from catalogue/schemas/, loaded with the network off."""
    from lxml import etree

    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(SCHEMAS / relative), parser))


def byline(authorship, language: str | None = None) -> str:
    """The printed name in `language` (else English, else any), as citations use it."""
    from ..models import in_language

    if language:
        return in_language(authorship, "name", language) or authorship.author.display_name
    return authorship.name_en or authorship.name or authorship.author.display_name


def printed_names(authorship) -> dict[str, str]:
    """{"en": "Zhumatay G.", "ru": "Жұматай Ғ.Б."}: every printed form of a byline."""
    from ..models import per_language

    return per_language(authorship, "name") or {"": authorship.author.display_name}


def keywords_by_language(article) -> dict[str, list[str]]:
    from ..models import LANGUAGE_CODES

    result: dict[str, list[str]] = {}
    for item in sorted(
        article.article_keywords.all(),
        key=lambda k: (LANGUAGE_CODES.index(k.keyword.language), k.position),
    ):
        result.setdefault(item.keyword.language, []).append(item.keyword.text)
    return result


def languages_first(article) -> list[str]:
    """Language codes with the article's own language first."""
    from ..models import LANGUAGE_CODES

    own = article.language if article.language in LANGUAGE_CODES else "en"
    return [own] + [code for code in LANGUAGE_CODES if code != own]


def orcid_url(orcid: str | None) -> str:
    return f"https://orcid.org/{orcid}" if orcid else ""


def absolute(path: str, base_url: str) -> str:
    return base_url.rstrip("/") + path if base_url else path


def landing_url(article, base_url: str = "") -> str:
    """The article's page in the article's own language: a record gives one address,
    whatever language the harvester's request happens to carry."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    with translation.override(article.language or settings.LANGUAGE_CODE):
        return absolute(reverse("catalogue:article_detail", args=[article.pk]), base_url)
