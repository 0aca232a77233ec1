"""Citations of an article: BibTeX, RIS, CSL-JSON, GOST R 7.0.5, APA, and metadata for crawlers.

Plain functions over an article loaded with `Article.objects.with_details()`.
Bylines are printed "Surname I.O.". BibTeX, RIS, CSL-JSON and GOST are in the
article's own language by default (its title, and names in its script); APA in
English (Latin script); each takes `language` to ask for another. Volume and
issue come from `Issue.citation_numbering()` everywhere (docs/metadata.md).
"""

import json
import re
from urllib.parse import quote, urlencode

from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .models import LANGUAGE_CODES, Article, NameVariant, in_language

_INITIALS = re.compile(r"^(?:[^\W\d_][^\W\d_]?\.-?)+$")


def citation_name_parts(name: str) -> dict:
    """ "Baissultanova K.Ch." -> {"family": "Baissultanova", "given": "K.Ch.", "initials": ...}."""
    tokens = name.replace(". ", ".").split()
    if not tokens:
        return {"family": "", "given": "", "initials": ""}
    cut = len(tokens)
    while cut > 1 and _INITIALS.match(tokens[cut - 1]):
        cut -= 1
    if cut < len(tokens):
        family, given = " ".join(tokens[:cut]), "".join(tokens[cut:])
        initials = given
    else:
        family, given = tokens[0], " ".join(tokens[1:])
        initials = "".join(f"{word[0]}." for word in tokens[1:])
    return {"family": family, "given": given, "initials": initials}


def citation_language(article, requested: str | None = None) -> str:
    """The language asked for when it is one of the catalogue's, else the article's own."""
    if requested in LANGUAGE_CODES:
        return requested
    return article.language or "en"


def _preferring(obj, stem: str, language: str, fallback: str = "") -> str:
    """`<stem>_<language>`, else `<stem>_<fallback>`, else the first language that has one."""
    for code in (language, fallback):
        value = getattr(obj, f"{stem}_{code}", "") if code else ""
        if value:
            return value
    return in_language(obj, stem, language)


def _byline(authorship, language: str = "en") -> str:
    return in_language(authorship, "name", language) or authorship.author.display_name


def _authors(article, language: str = "en") -> list[dict]:
    return [citation_name_parts(_byline(a, language)) for a in article.authorships.all()]


def family_given(parts: dict) -> str:
    """ "Zhumatay, G.": the form Google Scholar, RIS and BibTeX read."""
    return f"{parts['family']}, {parts['initials'] or parts['given']}".rstrip(", ")


def _spaced(initials: str) -> str:
    """ "S.S." -> "S. S." (BibTeX, APA)."""
    return re.sub(r"\.(?=\S)", ". ", initials)


def _journal(article, language: str = "en") -> str:
    journal = article.issue.series.journal
    return in_language(journal, "title", language)


def _series(article, language: str = "en") -> str:
    return in_language(article.issue.series, "name", language)


def _keywords(article, language: str | None = None) -> list[str]:
    items = sorted(
        article.article_keywords.all(),
        key=lambda k: (LANGUAGE_CODES.index(k.keyword.language), k.position),
    )
    return [k.keyword.text for k in items if language is None or k.keyword.language == language]


def _pages(article, dash: str) -> str:
    if article.first_page and article.last_page and article.first_page != article.last_page:
        return f"{article.first_page}{dash}{article.last_page}"
    return str(article.first_page or article.last_page or "")


def _title(article, language: str) -> str:
    return _preferring(article, "title", language, article.language)


def _abstract(article, language: str) -> str:
    return _preferring(article, "abstract", language, article.language)


def _issns(article) -> tuple[str, str]:
    """(print, online): one ISSN per slot; a format with one slot takes the first that exists."""
    journal = article.issue.series.journal
    return journal.issn_print, journal.issn_online


def _issn(article) -> str:
    print_issn, online_issn = _issns(article)
    return print_issn or online_issn


def doi_url(doi: str) -> str:
    return f"https://doi.org/{doi}"


# ---------------------------------------------------------------- BibTeX


def _bibtex_escape(text: str) -> str:
    text = text.replace("\\", r"\textbackslash{}")
    text = re.sub(r"([{}&%$#_])", r"\\\1", text)
    return " ".join(text.split())


def bibtex_key(article: Article) -> str:
    """Latin and the same in every language: `surnameYEAR_id`."""
    authors = _authors(article, "en")
    surname = (
        NameVariant.search_key_for(authors[0]["family"]).replace(" ", "") if authors else "article"
    )
    return f"{surname or 'article'}{article.issue.year}_{article.pk}"


# biblatex's language names (babel/polyglossia), for hyphenation of the entry.
BIBLATEX_LANGIDS = {"en": "english", "kk": "kazakh", "ru": "russian"}


def bibtex(article: Article, language: str | None = None) -> str:
    """A biblatex/BibTeX @article that biber's data model validates: `issn` holds
    one ISSN, the print one, else the online one (biblatex has no field for a
    second ISSN, and biber --validate-datamodel refuses an `eissn`)."""
    language = citation_language(article, language)
    issue = article.issue
    numbering = issue.citation_numbering()
    fields = [
        (
            "author",
            " and ".join(
                f"{a['family']}, {_spaced(a['initials'] or a['given'])}".rstrip(", ")
                for a in _authors(article, language)
            ),
        ),
        ("title", _title(article, language)),
        ("journal", _journal(article, language)),
        ("series", _series(article, language)),
        ("year", str(issue.year)),
        ("volume", numbering.volume),
        ("number", numbering.issue),
        ("pages", _pages(article, "--")),
        ("doi", article.public_doi or ""),
        ("issn", _issn(article)),
        ("language", article.get_language_display() if article.language else ""),
        ("langid", BIBLATEX_LANGIDS.get(article.language, "")),
        ("keywords", ", ".join(_keywords(article))),
        ("abstract", _abstract(article, language)),
    ]
    body = ",\n".join(f"  {name} = {{{_bibtex_escape(value)}}}" for name, value in fields if value)
    return f"@article{{{bibtex_key(article)},\n{body}\n}}\n"


# ---------------------------------------------------------------- RIS


def ris(article: Article, url: str = "", language: str | None = None) -> str:
    """RIS with one SN line (print ISSN, else online): readers keep only one."""
    language = citation_language(article, language)
    issue = article.issue
    numbering = issue.citation_numbering()
    lines = [("TY", "JOUR")]
    lines += [("AU", family_given(a)) for a in _authors(article, language)]
    lines += [
        ("TI", _title(article, language)),
        ("T2", _journal(article, language)),
        ("T3", _series(article, language)),
        ("PY", str(issue.year)),
        ("VL", numbering.volume),
        ("IS", numbering.issue),
        ("SP", str(article.first_page or "")),
        ("EP", str(article.last_page or "")),
        ("DO", article.public_doi or ""),
        ("SN", _issn(article)),
    ]
    lines += [("KW", keyword) for keyword in _keywords(article)]
    lines += [
        ("AB", _abstract(article, language)),
        ("LA", article.language or ""),
        ("UR", url or (doi_url(article.public_doi) if article.public_doi else "")),
    ]
    text = "".join(f"{tag}  - {' '.join(value.split())}\r\n" for tag, value in lines if value)
    return text + "ER  - \r\n"


# ---------------------------------------------------------------- CSL-JSON


def csl_json(article: Article, language: str | None = None) -> dict:
    language = citation_language(article, language)
    issue = article.issue
    numbering = issue.citation_numbering()
    data = {
        "id": bibtex_key(article),
        "type": "article-journal",
        "title": _title(article, language),
        "container-title": _journal(article, language),
        "collection-title": _series(article, language) or None,
        "author": [
            {"family": a["family"], "given": a["given"] or a["initials"]}
            for a in _authors(article, language)
        ],
        "issued": {"date-parts": [[issue.year]]},
        "volume": numbering.volume or None,
        "issue": numbering.issue or None,
        "page": _pages(article, "-") or None,
        "DOI": article.public_doi,
        "ISSN": _issn(article) or None,
        "language": article.language or None,
        "keyword": ", ".join(_keywords(article)) or None,
        "abstract": _abstract(article, language) or None,
    }
    return {key: value for key, value in data.items() if value is not None}


def csl_json_text(article: Article, language: str | None = None) -> str:
    return json.dumps([csl_json(article, language)], ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------- formatted strings


def gost(article: Article, language: str | None = None) -> str:
    """GOST R 7.0.5-2008 reference, in the article's own language by default."""
    language = citation_language(article, language)
    authors = _authors(article, language)
    issue = article.issue
    numbering = issue.citation_numbering()
    cyrillic = language in ("kk", "ru")
    head = ""
    if 1 <= len(authors) <= 3:
        head = f"{authors[0]['family']} {authors[0]['initials']} ".replace("  ", " ")
    responsibility = ", ".join(f"{a['initials']} {a['family']}".strip() for a in authors[:3])
    if len(authors) > 3:
        responsibility += " [и др.]" if cyrillic else " [et al.]"
    text = head + _title(article, language)
    if responsibility:
        text += f" / {responsibility}"
    journal = _journal(article, language)
    series = _series(article, language)
    text += f" // {journal}" + (f". {series}" if series else "")
    text += f". – {issue.year}."
    if issue.volume:
        text += f" – {'Т.' if cyrillic else 'Vol.'} {issue.volume}."
    if numbering.label:
        text += f" – № {numbering.label}."
    pages = _pages(article, "–")
    if pages:
        text += f" – {'С.' if cyrillic else 'P.'} {pages}."
    if article.public_doi:
        text += f" – DOI: {article.public_doi}."
    return text


def apa(article: Article, language: str = "en") -> str:
    """APA 7 reference, in English (Latin script) by default: "Journal, 62(4), 10–22."

    What citeproc renders from `csl_json()` with the APA style, in plain text.
    """
    language = citation_language(article, language)
    authors = [
        f"{a['family']}, {_spaced(a['initials'] or a['given'])}".rstrip(", ")
        for a in _authors(article, language)
    ]
    if len(authors) > 1:
        names = ", ".join(authors[:-1]) + ", & " + authors[-1]
    else:
        names = "".join(authors)
    issue = article.issue
    numbering = issue.citation_numbering()
    journal = _journal(article, language)
    series = _series(article, language)
    text = f"{names} ({issue.year}). {_title(article, language).rstrip('.')}. {journal}"
    if series:
        text += f". {series}"
    if numbering.volume or numbering.issue:
        text += ", " + numbering.volume + (f"({numbering.issue})" if numbering.issue else "")
    pages = _pages(article, "–")
    if pages:
        text += f", {pages}"
    text += "."
    if article.public_doi:
        text += f" {doi_url(article.public_doi)}"
    return text


# ---------------------------------------------------------------- crawler metadata


def page_language() -> str:
    return (get_language() or "en")[:2]


def page_title(article: Article, language: str | None = None) -> str:
    """The title a page in `language` shows and describes: that language's, else the
    article's own (the <h1>, citation_title, JSON-LD name and COinS atitle agree)."""
    return _title(article, language or page_language())


def page_keywords(article: Article, language: str) -> list[str]:
    """The keywords of the page's language, else every keyword."""
    return _keywords(article, language) or _keywords(article)


def meta_tags(article: Article, url: str, language: str | None = None) -> list[tuple[str, str]]:
    """Google Scholar (Highwire) citation_* tags, as (name, content) pairs.

    Title and authors ("Family, Given", every one) in the page's language, else
    the article's own; volume and issue from `Issue.citation_numbering()`.
    """
    language = language or page_language()
    issue = article.issue
    journal = issue.series.journal
    numbering = issue.citation_numbering()
    tags = [("citation_title", page_title(article, language))]
    tags += [
        ("citation_author", family_given(citation_name_parts(_byline(a, language))))
        for a in article.authorships.all()
    ]
    date = issue.published.strftime("%Y/%m/%d") if issue.published else str(issue.year)
    tags += [
        ("citation_publication_date", date),
        ("citation_journal_title", _journal(article, language)),
        ("citation_publisher", journal.publisher),
    ]
    tags += [("citation_issn", issn) for issn in journal.issns]
    tags += [
        ("citation_volume", numbering.volume),
        ("citation_issue", numbering.issue),
        ("citation_firstpage", str(article.first_page or "")),
        ("citation_lastpage", str(article.last_page or "")),
        ("citation_doi", article.public_doi or ""),
        ("citation_language", article.language),
        ("citation_keywords", "; ".join(page_keywords(article, language))),
        ("citation_abstract_html_url", url),
    ]
    return [(name, content) for name, content in tags if content]


def coins(article: Article, url: str, language: str | None = None) -> str:
    """The COinS (OpenURL 1.0 KEV) ContextObject of an article, URL-encoded, not yet
    HTML-escaped: title and authors in the page's language, print ISSN in
    `rft.issn`, online in `rft.eissn`, volume and issue as `citation_numbering()`."""
    language = language or page_language()
    issue = article.issue
    journal = issue.series.journal
    numbering = issue.citation_numbering()
    authors = _authors(article, language)
    pairs = [
        ("ctx_ver", "Z39.88-2004"),
        ("rft_val_fmt", "info:ofi/fmt:kev:mtx:journal"),
        ("rft.genre", "article"),
        ("rft.atitle", page_title(article, language)),
        ("rft.jtitle", _journal(article, language)),
        ("rft.stitle", _series(article, language)),
        ("rft.date", str(issue.year)),
        ("rft.volume", numbering.volume),
        ("rft.issue", numbering.issue),
        ("rft.spage", str(article.first_page or "")),
        ("rft.epage", str(article.last_page or "")),
        ("rft.issn", journal.issn_print),
        ("rft.eissn", journal.issn_online),
        ("rft.language", article.language),
    ]
    if authors:
        pairs += [("rft.aulast", authors[0]["family"]), ("rft.aufirst", authors[0]["given"])]
    pairs += [("rft.au", family_given(a)) for a in authors]
    if article.public_doi:
        pairs.append(("rft_id", f"info:doi/{article.public_doi}"))
    pairs.append(("rft_id", url))
    return urlencode([(key, value) for key, value in pairs if value], quote_via=quote)


_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld(article: Article, url: str, language: str | None = None) -> str:
    """schema.org ScholarlyArticle as JSON safe to place inside a <script> element.

    Like the citation_* tags and COinS, it describes the page in its language: title,
    abstract and keywords of that language (else the article's own), and every author
    as "Family, Given" in that language's script.
    """
    language = language or page_language()
    issue = article.issue
    title = page_title(article, language)
    data = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": title[:110],
        "name": title,
        "url": url,
        "inLanguage": article.language or None,
        "author": [
            {
                "@type": "Person",
                "name": family_given(parts),
                "familyName": parts["family"],
                **({"givenName": parts["given"]} if parts["given"] else {}),
                **({"sameAs": f"https://orcid.org/{a.author.orcid}"} if a.author.orcid else {}),
                "affiliation": [
                    {"@type": "Organization", "name": org.as_text(language)}
                    for org in a.ordered_affiliations()
                ],
            }
            for a, parts in (
                (a, citation_name_parts(_byline(a, language))) for a in article.authorships.all()
            )
        ],
        "datePublished": issue.published.isoformat() if issue.published else str(issue.year),
        "pageStart": article.first_page,
        "pageEnd": article.last_page,
        "keywords": page_keywords(article, language),
        "abstract": _abstract(article, language) or None,
        "isPartOf": {
            "@type": "PublicationIssue",
            "issueNumber": issue.citation_numbering().issue or None,
            "datePublished": str(issue.year),
            "isPartOf": _volume_and_periodical(article, language),
        },
    }
    if article.licence:
        data["license"] = article.licence
    if article.public_doi:
        data["sameAs"] = doi_url(article.public_doi)
        data["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "DOI",
            "value": article.public_doi,
        }
    data = {key: value for key, value in data.items() if value is not None}
    data["isPartOf"] = {k: v for k, v in data["isPartOf"].items() if v is not None}
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES))  # noqa: S308


def _volume_and_periodical(article, language: str) -> dict:
    journal = article.issue.series.journal
    periodical = {
        "@type": "Periodical",
        "name": _journal(article, language),
        **({"issn": journal.issns} if journal.issns else {}),
    }
    volume = article.issue.citation_numbering().volume
    if not volume:
        return periodical
    return {"@type": "PublicationVolume", "volumeNumber": volume, "isPartOf": periodical}
