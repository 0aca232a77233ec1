"""JATS (Journal Article Tag Suite 1.3) front matter of articles, and their references
(`<back><ref-list>`).

`--format jats` writes plain (no-namespace) JATS, as JATS files are exchanged;
the OAI-PMH "jats" format puts the same tree in the namespace PMC's OAI service
uses for JATS, because OAI-PMH requires namespaced metadata.
"""

from lxml import etree

from ..citations import citation_name_parts
from . import (
    XML_LANG,
    keywords_by_language,
    landing_url,
    languages_first,
    orcid_url,
    printed_names,
    sub,
    text,
)

OAI_NAMESPACE = "https://jats.nlm.nih.gov/ns/archiving/1.3/"
OAI_SCHEMA = "https://jats.nlm.nih.gov/archiving/1.3/xsd/JATS-archivearticle1-3.xsd"
XLINK_NS = "http://www.w3.org/1999/xlink"
ALI_NS = "http://www.niso.org/schemas/ali/1.0/"
OPEN_ACCESS = "http://purl.org/coar/access_right/c_abf2"
DTD_VERSION = "1.3"


class _Builder:
    def __init__(self, namespace: str | None):
        self.namespace = namespace

    def tag(self, name: str) -> str:
        return f"{{{self.namespace}}}{name}" if self.namespace else name

    def sub(self, parent, name, value=None, attrs=None):
        return sub(parent, self.tag(name), value, attrs)


def jats_article(article, base_url: str = "", namespace: str | None = None) -> etree._Element:
    """<article><front>…</front></article> for one article loaded with `with_details()`."""
    b = _Builder(namespace)
    nsmap = {"xlink": XLINK_NS, "ali": ALI_NS}
    if namespace:
        nsmap[None] = namespace
    languages = languages_first(article)
    own = languages[0]
    root = etree.Element(
        b.tag("article"),
        {"article-type": "research-article", "dtd-version": DTD_VERSION, XML_LANG: own},
        nsmap=nsmap,
    )
    front = b.sub(root, "front")
    _journal_meta(b, front, article)
    _article_meta(b, front, article, languages, base_url)
    _back(b, root, article)
    return root


def _back(b, root, article):
    """<back><ref-list>: each stored reference as printed, with its DOI when known."""
    references = list(article.references.all())
    if not references:
        return
    ref_list = b.sub(b.sub(root, "back"), "ref-list")
    for reference in references:
        ref = b.sub(ref_list, "ref", attrs={"id": f"ref{reference.position}"})
        citation = b.sub(ref, "mixed-citation", reference.text)
        if reference.doi:
            # The DOI as printed in the reference is marked up where it stands, else added.
            printed = text(reference.text)
            at = printed.lower().find(reference.doi.lower())
            before, after = (
                (printed[:at], printed[at + len(reference.doi) :])
                if at >= 0
                else (
                    printed + " ",
                    "",
                )
            )
            citation.text = before
            doi = printed[at : at + len(reference.doi)] if at >= 0 else reference.doi
            b.sub(citation, "pub-id", doi, {"pub-id-type": "doi"}).tail = after or None
        if reference.url and not reference.doi:
            citation.text = text(reference.text) + " "
            link = b.sub(citation, "ext-link", reference.url, {"ext-link-type": "uri"})
            link.set(f"{{{XLINK_NS}}}href", text(reference.url))


def _journal_meta(b, front, article):
    issue = article.issue
    series = issue.series
    journal = series.journal
    meta = b.sub(front, "journal-meta")
    b.sub(meta, "journal-id", f"journal-{journal.pk}", {"journal-id-type": "publisher-id"})
    group = b.sub(meta, "journal-title-group")
    titles = {code: getattr(journal, f"title_{code}") for code in ("en", "kk", "ru")}
    main = journal.title_en and "en" or next(code for code, value in titles.items() if value)
    b.sub(group, "journal-title", titles[main], {XML_LANG: main})
    if series.name_en or series.name:
        b.sub(group, "journal-subtitle", series.name_en or series.name)
    for code, value in titles.items():
        if value and code != main:
            trans = b.sub(group, "trans-title-group", attrs={XML_LANG: code})
            b.sub(trans, "trans-title", value)
    if journal.issn_print:
        b.sub(meta, "issn", journal.issn_print, {"publication-format": "print"})
    if journal.issn_online:
        b.sub(meta, "issn", journal.issn_online, {"publication-format": "electronic"})
    if journal.publisher:
        publisher = b.sub(meta, "publisher")
        b.sub(publisher, "publisher-name", journal.publisher)


def _article_meta(b, front, article, languages, base_url):
    issue = article.issue
    meta = b.sub(front, "article-meta")
    b.sub(meta, "article-id", str(article.pk), {"pub-id-type": "publisher-id"})
    if article.public_doi:
        b.sub(meta, "article-id", article.public_doi, {"pub-id-type": "doi"})
    if article.section:
        categories = b.sub(meta, "article-categories")
        group = b.sub(categories, "subj-group", attrs={"subj-group-type": "heading"})
        b.sub(group, "subject", article.section.name_en or article.section.name)
    titles = [(code, getattr(article, f"title_{code}")) for code in languages]
    titles = [(code, value) for code, value in titles if value]
    title_group = b.sub(meta, "title-group")
    b.sub(title_group, "article-title", titles[0][1], {XML_LANG: titles[0][0]})
    for code, value in titles[1:]:
        trans = b.sub(title_group, "trans-title-group", attrs={XML_LANG: code})
        b.sub(trans, "trans-title", value)

    authorships = list(article.authorships.all())
    affiliations: dict[int, str] = {}
    if authorships:
        contribs = b.sub(meta, "contrib-group")
        for authorship in authorships:
            contrib = b.sub(contribs, "contrib", attrs={"contrib-type": "author"})
            if authorship.author.orcid:
                b.sub(
                    contrib,
                    "contrib-id",
                    orcid_url(authorship.author.orcid),
                    {"contrib-id-type": "orcid"},
                )
            names = printed_names(authorship)
            holder = b.sub(contrib, "name-alternatives") if len(names) > 1 else contrib
            for code, printed in names.items():
                parts = citation_name_parts(printed)
                name = b.sub(holder, "name", attrs={XML_LANG: code})
                b.sub(name, "surname", parts["family"] or printed)
                if parts["given"]:
                    b.sub(name, "given-names", parts["given"])
            for organisation in authorship.ordered_affiliations():
                rid = affiliations.setdefault(organisation.pk, f"aff{len(affiliations) + 1}")
                b.sub(contrib, "xref", attrs={"ref-type": "aff", "rid": rid})
        organisations = {org.pk: org for a in authorships for org in a.ordered_affiliations()}
        for pk, rid in affiliations.items():
            b.sub(meta, "aff", organisations[pk].as_text("en"), {"id": rid})

    date = b.sub(meta, "pub-date", attrs={"publication-format": "print", "date-type": "pub"})
    if issue.published:
        b.sub(date, "day", f"{issue.published.day:02d}")
        b.sub(date, "month", f"{issue.published.month:02d}")
    b.sub(date, "year", str(issue.year))
    numbering = issue.citation_numbering()
    if numbering.volume:
        b.sub(meta, "volume", numbering.volume)
    if numbering.issue:
        b.sub(meta, "issue", numbering.issue)
    if article.first_page:
        b.sub(meta, "fpage", str(article.first_page))
        if article.last_page:
            b.sub(meta, "lpage", str(article.last_page))
    if article.received or article.accepted:
        history = b.sub(meta, "history")
        for kind, value in (("received", article.received), ("accepted", article.accepted)):
            if value:
                date = b.sub(history, "date", attrs={"date-type": kind})
                b.sub(date, "day", f"{value.day:02d}")
                b.sub(date, "month", f"{value.month:02d}")
                b.sub(date, "year", str(value.year))
    _permissions(b, meta, article)
    if base_url:
        b.sub(
            meta,
            "self-uri",
            attrs={f"{{{XLINK_NS}}}href": landing_url(article, base_url)},
        )
    first_abstract = True
    for code in languages:
        value = getattr(article, f"abstract_{code}")
        if value:
            element = b.sub(
                meta, "abstract" if first_abstract else "trans-abstract", attrs={XML_LANG: code}
            )
            for paragraph in article.abstract_paragraphs(code):
                b.sub(element, "p", paragraph)
            first_abstract = False
    keywords = keywords_by_language(article)
    for code in languages:
        if keywords.get(code):
            group = b.sub(meta, "kwd-group", attrs={XML_LANG: code})
            for keyword in keywords[code]:
                b.sub(group, "kwd", keyword)


def _permissions(b, meta, article):
    """<permissions>: <ali:free_to_read/> for open access, the licence by its URL."""
    licence, access = article.licence, article.access
    if not (licence or access == OPEN_ACCESS):
        return
    permissions = b.sub(meta, "permissions")
    if access == OPEN_ACCESS:
        sub(permissions, f"{{{ALI_NS}}}free_to_read")
    if licence:
        element = b.sub(permissions, "license", attrs={f"{{{XLINK_NS}}}href": licence})
        sub(element, f"{{{ALI_NS}}}license_ref", licence)
        b.sub(element, "license-p", article.licence_label())
