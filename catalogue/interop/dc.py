"""Simple Dublin Core (oai_dc) records of articles, for OAI-PMH."""

from lxml import etree

from ..citations import citation_name_parts
from . import XML_LANG, byline, keywords_by_language, landing_url, languages_first, sub

OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
NSMAP = {"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS}


def _dc(parent, name, value, language=""):
    if value:
        sub(parent, f"{{{DC_NS}}}{name}", value, {XML_LANG: language})


def creator_name(authorship, language: str | None = None) -> str:
    """ "Zhumatay, G." — surname first, as Dublin Core recommends."""
    parts = citation_name_parts(byline(authorship, language))
    given = parts["initials"] or parts["given"]
    return f"{parts['family']}, {given}" if given else parts["family"]


def source_text(article) -> str:
    """ "Bulletin …. International relations; No. 2 (60) (2025); 10-22"."""
    issue = article.issue
    series = issue.series
    container = series.journal.title_en or series.journal.title
    if series.name_en or series.name:
        container += f". {series.name_en or series.name}"
    number = f"No. {issue.number}" + (f" ({issue.whole_number})" if issue.whole_number else "")
    parts = [container, f"{number} ({issue.year})"]
    if article.first_page:
        pages = str(article.first_page)
        if article.last_page and article.last_page != article.first_page:
            pages += f"-{article.last_page}"
        parts.append(pages)
    return "; ".join(parts)


def oai_dc(article, base_url: str = "") -> etree._Element:
    """The <oai_dc:dc> element of one article (load it with `with_details()`)."""
    root = etree.Element(f"{{{OAI_DC_NS}}}dc", nsmap=NSMAP)
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} {SCHEMA}")
    languages = languages_first(article)
    for code in languages:
        _dc(root, "title", getattr(article, f"title_{code}"), code)
    for authorship in article.authorships.all():
        _dc(root, "creator", creator_name(authorship))
    keywords = keywords_by_language(article)
    for code in languages:
        for keyword in keywords.get(code, []):
            _dc(root, "subject", keyword, code)
    for code in article.irsti:
        _dc(root, "subject", f"IRSTI {code}")
    for code in article.udc:
        _dc(root, "subject", f"UDC {code}")
    for code in languages:
        _dc(root, "description", getattr(article, f"abstract_{code}"), code)
    issue = article.issue
    journal = issue.series.journal
    _dc(root, "publisher", journal.publisher)
    _dc(root, "date", issue.published.isoformat() if issue.published else str(issue.year))
    _dc(root, "type", "Text")
    _dc(root, "type", "info:eu-repo/semantics/article")
    _dc(root, "format", "text/html")
    if article.public_doi:
        _dc(root, "identifier", f"https://doi.org/{article.public_doi}")
    _dc(
        root,
        "identifier",
        landing_url(article, base_url),
    )
    _dc(root, "source", source_text(article))
    for issn in journal.issns:
        _dc(root, "source", f"ISSN {issn}")
    _dc(root, "language", article.language)
    # The licence by its URL and the COAR access right by its URI, as OpenAIRE asks.
    _dc(root, "rights", article.licence)
    _dc(root, "rights", article.access)
    return root
