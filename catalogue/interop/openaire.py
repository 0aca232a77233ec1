"""OpenAIRE Guidelines for Literature Repositories v4 records (`oai_openaire`), for OAI-PMH.

The application profile mixes Dublin Core, DataCite 4 and OpenAIRE's own elements
under one `<oaire:resource>`; https://openaire-guidelines-for-literature-repository-managers.readthedocs.io
describes each field. Access rights (mandatory) come from the COAR vocabulary the
catalogue already stores; a record whose journal and article say nothing is
"metadata only access", which is what the catalogue itself offers of it.
"""

from lxml import etree

from ..citations import citation_name_parts, family_given
from ..models import AccessRight, in_language
from . import (
    XML_LANG,
    byline,
    keywords_by_language,
    landing_url,
    languages_first,
    orcid_url,
    sub,
)

OAIRE_NS = "http://namespace.openaire.eu/schema/oaire/"
DATACITE_NS = "http://datacite.org/schema/kernel-4"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA = "https://www.openaire.eu/schema/repo-lit/4.0/openaire.xsd"
NSMAP = {None: OAIRE_NS, "datacite": DATACITE_NS, "dc": DC_NS, "xsi": XSI_NS}

# The guidelines' best practice is ISO 639-3 for dc:language.
ISO_639_3 = {"en": "eng", "kk": "kaz", "ru": "rus"}
JOURNAL_ARTICLE = "http://purl.org/coar/resource_type/c_6501"
VERSION_OF_RECORD = "http://purl.org/coar/version/c_970fb48d4fbd8a85"


def _o(parent, name, value=None, attrs=None):
    return sub(parent, f"{{{OAIRE_NS}}}{name}", value, attrs)


def _d(parent, name, value=None, attrs=None):
    return sub(parent, f"{{{DATACITE_NS}}}{name}", value, attrs)


def _dc(parent, name, value, language=""):
    if value:
        sub(parent, f"{{{DC_NS}}}{name}", value, {XML_LANG: language})


def oai_openaire(article, base_url: str = "") -> etree._Element:
    """The <oaire:resource> element of one article (load it with `with_details()`)."""
    root = etree.Element(f"{{{OAIRE_NS}}}resource", nsmap=NSMAP)
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAIRE_NS} {SCHEMA}")
    languages = languages_first(article)
    issue = article.issue
    journal = issue.series.journal
    url = landing_url(article, base_url)

    titles = _d(root, "titles")
    first = True
    for code in languages:
        value = getattr(article, f"title_{code}")
        if value:
            attrs = {XML_LANG: code, "titleType": "" if first else "TranslatedTitle"}
            _d(titles, "title", value, attrs)
            first = False

    authorships = list(article.authorships.all())
    if authorships:
        creators = _d(root, "creators")
        for authorship in authorships:
            creator = _d(creators, "creator")
            parts = citation_name_parts(byline(authorship))
            _d(creator, "creatorName", family_given(parts), {"nameType": "Personal"})
            if parts["given"]:
                _d(creator, "givenName", parts["given"])
            _d(creator, "familyName", parts["family"])
            if authorship.author.orcid:
                _d(
                    creator,
                    "nameIdentifier",
                    orcid_url(authorship.author.orcid),
                    {"nameIdentifierScheme": "ORCID", "schemeURI": "https://orcid.org"},
                )
            for organisation in authorship.ordered_affiliations():
                _d(creator, "affiliation", organisation.as_text("en"))

    if article.public_doi:
        _d(root, "identifier", article.public_doi, {"identifierType": "DOI"})
        alternates = _d(root, "alternateIdentifiers")
        _d(alternates, "alternateIdentifier", url, {"alternateIdentifierType": "URL"})
    else:
        _d(root, "identifier", url, {"identifierType": "URL"})

    if journal.issns:
        related = _d(root, "relatedIdentifiers")
        for kind, issn in (("ISSN", journal.issn_print), ("EISSN", journal.issn_online)):
            if issn:
                _d(
                    related,
                    "relatedIdentifier",
                    issn,
                    {"relatedIdentifierType": kind, "relationType": "IsPartOf"},
                )

    dates = _d(root, "dates")
    if article.accepted:
        _d(dates, "date", article.accepted.isoformat(), {"dateType": "Accepted"})
    published = issue.published.isoformat() if issue.published else str(issue.year)
    _d(dates, "date", published, {"dateType": "Issued"})

    _dc(root, "language", ISO_639_3.get(article.language or "en"))
    _dc(root, "publisher", journal.publisher)
    _o(
        root,
        "resourceType",
        "journal article",
        {"resourceTypeGeneral": "literature", "uri": JOURNAL_ARTICLE},
    )
    for code in languages:
        _dc(root, "description", getattr(article, f"abstract_{code}"), code)
    _dc(root, "format", "text/html")

    access = article.access or AccessRight.METADATA_ONLY
    _d(root, "rights", AccessRight(access).label, {"rightsURI": access})

    keywords = keywords_by_language(article)
    subjects = [
        (keyword, {XML_LANG: code}) for code in languages for keyword in keywords.get(code, [])
    ]
    subjects += [(code, {"subjectScheme": "IRSTI"}) for code in article.irsti]
    subjects += [(code, {"subjectScheme": "UDC"}) for code in article.udc]
    if subjects:
        holder = _d(root, "subjects")
        for value, attrs in subjects:
            _d(holder, "subject", value, attrs)

    _o(root, "version", "VoR", {"uri": VERSION_OF_RECORD})
    if article.licence:
        _o(root, "licenseCondition", article.licence_label(), {"uri": article.licence})

    numbering = issue.citation_numbering()
    _o(root, "citationTitle", in_language(journal, "title", "en"))
    if numbering.volume:
        _o(root, "citationVolume", numbering.volume)
    if numbering.issue:
        _o(root, "citationIssue", numbering.issue)
    if article.first_page:
        _o(root, "citationStartPage", str(article.first_page))
    if article.last_page:
        _o(root, "citationEndPage", str(article.last_page))
    return root
