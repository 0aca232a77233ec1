"""Crossref metadata deposit (schema 5.4.0) of one issue's articles.

Crossref registers DOIs, so an article without a DOI cannot be deposited: it
is left out and reported in `skipped`.
"""

from datetime import UTC, datetime

from lxml import etree

from ..citations import citation_name_parts
from . import XML_LANG, byline, landing_url, orcid_url, sub, text

NS = "http://www.crossref.org/schema/5.4.0"
JATS_NS = "http://www.ncbi.nlm.nih.gov/JATS1"
AI_NS = "http://www.crossref.org/AccessIndicators.xsd"
OPEN_ACCESS = "http://purl.org/coar/access_right/c_abf2"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA = "https://www.crossref.org/schemas/crossref5.4.0.xsd"
VERSION = "5.4.0"
_LANGUAGES = ("en", "kk", "ru")


def _c(name: str) -> str:
    return f"{{{NS}}}{name}"


def _date(parent, value, year, media_type="print"):
    date = sub(parent, _c("publication_date"), attrs={"media_type": media_type})
    if value:
        sub(date, _c("month"), f"{value.month:02d}")
        sub(date, _c("day"), f"{value.day:02d}")
    sub(date, _c("year"), str(year))


def deposit(issue, articles, *, base_url: str, depositor: str, email: str, registrant: str = ""):
    """(root element, skipped articles) for `articles` of `issue` (loaded with_details())."""
    series = issue.series
    journal = series.journal
    now = datetime.now(UTC)
    root = etree.Element(
        _c("doi_batch"),
        {"version": VERSION},
        nsmap={None: NS, "jats": JATS_NS, "ai": AI_NS, "xsi": XSI_NS},
    )
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{NS} {SCHEMA}")
    head = sub(root, _c("head"))
    sub(head, _c("doi_batch_id"), f"issue-{issue.pk}-{now:%Y%m%d%H%M%S}")
    sub(head, _c("timestamp"), now.strftime("%Y%m%d%H%M%S%f")[:17])
    who = sub(head, _c("depositor"))
    sub(who, _c("depositor_name"), depositor)
    sub(who, _c("email_address"), email)
    sub(head, _c("registrant"), registrant or journal.publisher or depositor)

    body = sub(root, _c("body"))
    container = sub(body, _c("journal"))
    metadata = sub(container, _c("journal_metadata"), attrs={"language": "en"})
    title = journal.title_en or journal.title
    if series.name_en or series.name:
        title += f". {series.name_en or series.name}"
    sub(metadata, _c("full_title"), title)
    if journal.issn_print:
        sub(metadata, _c("issn"), journal.issn_print, {"media_type": "print"})
    if journal.issn_online:
        sub(metadata, _c("issn"), journal.issn_online, {"media_type": "electronic"})

    issue_element = sub(container, _c("journal_issue"))
    _date(issue_element, issue.published, issue.year)
    numbering = issue.citation_numbering()
    if numbering.volume:
        volume = sub(issue_element, _c("journal_volume"))
        sub(volume, _c("volume"), numbering.volume)
    if numbering.issue:
        sub(issue_element, _c("issue"), numbering.issue)

    skipped = []
    for article in articles:
        if not article.public_doi:  # no DOI, or one still to be confirmed
            skipped.append(article)
            continue
        _article(container, article, base_url)
    return root, skipped


def _titles(element, article, own):
    """Every language's title, one <titles> each (journal_article allows up to 20).

    The main title, first, is the English one (the journal's metadata language and what
    Crossref's users search), else the title in the article's own language. A <title>
    that is a translation, i.e. not in the article's own language, carries the original
    beside it as <original_language_title language="…">, so that every block says which
    title is the original and in what language. <title> has no language attribute in
    5.4.0: the language of a translated title is not said. An article of unknown
    language gets its titles alone, English first.
    """
    titles = {code: getattr(article, f"title_{code}") for code in _LANGUAGES}
    titles = {code: value for code, value in titles.items() if value}
    main = "en" if "en" in titles else own if own in titles else next(iter(titles))
    original = titles.get(own) if own else None
    for code in [main, *(c for c in _LANGUAGES if c in titles and c not in (main, own))]:
        group = sub(element, _c("titles"))
        sub(group, _c("title"), titles[code])
        if original and code != own:
            sub(group, _c("original_language_title"), original, {"language": own})


def _article(container, article, base_url):
    own = article.language if article.language in _LANGUAGES else ""
    element = sub(
        container,
        _c("journal_article"),
        attrs={"publication_type": "full_text", "language": own},
    )
    order = [own] if own else []
    order += [code for code in _LANGUAGES if code not in order]
    _titles(element, article, own)

    authorships = list(article.authorships.all())
    if authorships:
        contributors = sub(element, _c("contributors"))
        for index, authorship in enumerate(authorships):
            person = sub(
                contributors,
                _c("person_name"),
                attrs={
                    "sequence": "first" if index == 0 else "additional",
                    "contributor_role": "author",
                },
            )
            parts = citation_name_parts(byline(authorship))
            given = parts["given"] or parts["initials"]
            if given:
                sub(person, _c("given_name"), given)
            sub(person, _c("surname"), parts["family"] or byline(authorship))
            organisations = authorship.ordered_affiliations()
            if organisations:
                affiliations = sub(person, _c("affiliations"))
                for organisation in organisations:
                    institution = sub(affiliations, _c("institution"))
                    sub(
                        institution,
                        _c("institution_name"),
                        organisation.name_en or organisation.name,
                    )
                    place = ", ".join(p for p in (organisation.city, organisation.country) if p)
                    if place:
                        sub(institution, _c("institution_place"), place)
            if authorship.author.orcid:
                sub(person, _c("ORCID"), orcid_url(authorship.author.orcid))

    for code in order:
        value = getattr(article, f"abstract_{code}")
        if value:
            abstract = sub(element, f"{{{JATS_NS}}}abstract", attrs={XML_LANG: code})
            for paragraph in article.abstract_paragraphs(code):
                sub(abstract, f"{{{JATS_NS}}}p", paragraph)

    _date(element, article.issue.published, article.issue.year)
    if article.accepted:
        accepted = sub(element, _c("acceptance_date"))
        sub(accepted, _c("month"), f"{article.accepted.month:02d}")
        sub(accepted, _c("day"), f"{article.accepted.day:02d}")
        sub(accepted, _c("year"), str(article.accepted.year))
    if article.first_page:
        pages = sub(element, _c("pages"))
        sub(pages, _c("first_page"), str(article.first_page))
        if article.last_page:
            sub(pages, _c("last_page"), str(article.last_page))

    # Access indicators: free to read when open access, the licence of the version of record.
    if article.licence or article.access == OPEN_ACCESS:
        program = sub(element, f"{{{AI_NS}}}program", attrs={"name": "AccessIndicators"})
        if article.access == OPEN_ACCESS:
            sub(program, f"{{{AI_NS}}}free_to_read")
        if article.licence:
            sub(program, f"{{{AI_NS}}}license_ref", article.licence, {"applies_to": "vor"})

    doi_data = sub(element, _c("doi_data"))
    sub(doi_data, _c("doi"), article.doi)
    sub(
        doi_data,
        _c("resource"),
        landing_url(article, base_url),
    )

    references = list(article.references.all())
    if references:
        citations = sub(element, _c("citation_list"))
        for reference in references:
            citation = sub(citations, _c("citation"), attrs={"key": f"ref{reference.position}"})
            if reference.doi:
                sub(citation, _c("doi"), reference.doi)
            sub(citation, _c("unstructured_citation"), text(reference.text))
