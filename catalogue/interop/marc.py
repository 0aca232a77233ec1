"""MARC 21 bibliographic records (MARCXML, `marc21`) of articles, for library catalogues.

Built with pymarc, the maintained MARC library, and written as MARC 21 slim XML.
Each article is a serial component part (leader/07 "b") whose host, the journal
issue, is linked in 773; volume and issue follow `Issue.citation_numbering()`.
Names are "Family, Given" as printed in the article's own language (100/700),
titles in the other languages are parallel titles (246 31).
"""

import pymarc
from lxml import etree

from ..citations import citation_name_parts, doi_url, family_given
from ..models import AccessRight, in_language
from . import byline, keywords_by_language, landing_url, languages_first, orcid_url, text

MARC_NS = "http://www.loc.gov/MARC21/slim"
SCHEMA = "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd"

# Leader: new record, language material, serial component part, Unicode, minimal level.
LEADER = "     nab a22     7u 4500"
# MARC Code List for Languages.
MARC_LANGUAGES = {"en": "eng", "kk": "kaz", "ru": "rus"}


def _add(record, tag, subfields, indicators=("#", "#")):
    """Add a data field from (code, value) pairs; empty values are left out, and a field
    left with no subfield is not added (the schema requires one). "#" is a blank."""
    kept = [pymarc.Subfield(code, text(value)) for code, value in subfields if value]
    if not kept:
        return
    first, second = (" " if mark == "#" else mark for mark in indicators)
    record.add_field(
        pymarc.Field(tag=tag, indicators=pymarc.Indicators(first, second), subfields=kept)
    )


def _control(tag, data):
    return pymarc.Field(tag=tag, data=data)


def _fixed_008(article, language_code: str, entered) -> str:
    """008 for a text: date entered, single date of publication, language (40 characters)."""
    year = str(article.issue.year)[:4].rjust(4, "u")
    return f"{entered:%y%m%d}s{year}    xx " + "|" * 17 + f"{language_code} d"


def marc_record(article, base_url: str = "") -> pymarc.Record:
    """The pymarc Record of one article (load it with `with_details()`)."""
    issue = article.issue
    journal = issue.series.journal
    languages = languages_first(article)
    own = languages[0]
    language_code = MARC_LANGUAGES[own]
    url = landing_url(article, base_url)
    changed = article.datestamp.changed

    record = pymarc.Record(leader=LEADER, force_utf8=True)
    record.add_field(_control("001", f"article-{article.pk}"))
    record.add_field(_control("005", changed.strftime("%Y%m%d%H%M%S.0")))
    record.add_field(_control("008", _fixed_008(article, language_code, changed)))
    if article.public_doi:
        _add(record, "024", [("a", article.public_doi), ("2", "doi")], ("7", "#"))
    _add(record, "041", [("a", language_code)], ("0", "#"))
    for code in article.udc:
        _add(record, "080", [("a", code)])
    for code in article.irsti:
        _add(record, "084", [("a", code), ("2", "rugasnti")])

    authorships = list(article.authorships.all())
    for index, authorship in enumerate(authorships):
        parts = citation_name_parts(byline(authorship, own))
        subfields = [("a", family_given(parts))]
        subfields += [("u", org.as_text(own)) for org in authorship.ordered_affiliations()]
        subfields += [("e", "author"), ("1", orcid_url(authorship.author.orcid))]
        _add(record, "100" if index == 0 else "700", subfields, ("1", "#"))

    titles = [(code, getattr(article, f"title_{code}")) for code in languages]
    titles = [(code, value) for code, value in titles if value]
    _add(record, "245", [("a", titles[0][1])], ("1" if authorships else "0", "0"))
    for _code, value in titles[1:]:
        _add(record, "246", [("a", value)], ("3", "1"))
    published = issue.published.isoformat() if issue.published else str(issue.year)
    _add(record, "264", [("b", journal.publisher), ("c", published)], ("#", "1"))
    _add(record, "336", [("a", "text"), ("b", "txt"), ("2", "rdacontent")])
    for code in languages:
        _add(record, "520", [("a", getattr(article, f"abstract_{code}"))], ("3", "#"))
    if article.access:
        open_access = article.access == AccessRight.OPEN
        _add(
            record,
            "506",
            [("a", AccessRight(article.access).label), ("u", article.access)],
            ("0" if open_access else "1", "#"),
        )
    if article.licence:
        _add(record, "540", [("a", article.licence_label()), ("u", article.licence)])
    if article.accepted:
        _add(record, "500", [("a", f"Accepted {article.accepted.isoformat()}.")])
    keywords = keywords_by_language(article)
    for code in languages:
        for keyword in keywords.get(code, []):
            _add(record, "653", [("a", keyword)])

    numbering = issue.citation_numbering()
    related = [f"Vol. {numbering.volume}" if numbering.volume else ""]
    related.append(f"no. {numbering.issue}" if numbering.issue else "")
    pages = ""
    if article.first_page:
        pages = f"p. {article.first_page}"
        if article.last_page and article.last_page != article.first_page:
            pages += f"-{article.last_page}"
    related_text = ", ".join(part for part in related if part) + f" ({issue.year})"
    if pages:
        related_text += f", {pages}"
    enumeration = ":".join(part for part in (numbering.volume, numbering.issue) if part)
    if enumeration and article.first_page:
        enumeration += f"<{article.first_page}"
    _add(
        record,
        "773",
        [
            ("t", in_language(journal, "title", own)),
            ("d", journal.publisher),
            ("g", related_text),
            ("q", enumeration),
            ("x", journal.issn_print or journal.issn_online),
        ],
        ("0", "#"),
    )
    if article.public_doi:
        _add(record, "856", [("u", doi_url(article.public_doi))], ("4", "0"))
    _add(record, "856", [("u", url)], ("4", "0"))
    return record


def marcxml(article, base_url: str = "") -> etree._Element:
    """The MARCXML <record> element of one article, as an lxml element."""
    record = marc_record(article, base_url)
    return etree.fromstring(pymarc.record_to_xml(record, namespace=True))
