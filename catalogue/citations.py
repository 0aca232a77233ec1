"""Citations of an article: BibTeX, RIS, CSL-JSON, GOST R 7.0.5, APA, and metadata for crawlers.

Plain functions over an article loaded with `Article.objects.with_details()`.
Bylines are printed "Surname I.O."; the English form is used where a format
wants Latin script (BibTeX, RIS, CSL, APA), the article's own language for GOST.
"""

import json
import re

from django.utils.safestring import mark_safe

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


def _byline(authorship, language: str | None = None) -> str:
    if language:
        return in_language(authorship, "name", language) or authorship.author.display_name
    return authorship.name_en or authorship.name or authorship.author.display_name


def _authors(article, language: str | None = None) -> list[dict]:
    return [citation_name_parts(_byline(a, language)) for a in article.authorships.all()]


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
    return in_language(article, "title", language)


def _issue_label(issue) -> str:
    return f"{issue.number} ({issue.whole_number})" if issue.whole_number else issue.number


def doi_url(doi: str) -> str:
    return f"https://doi.org/{doi}"


# ---------------------------------------------------------------- BibTeX


def _bibtex_escape(text: str) -> str:
    text = text.replace("\\", r"\textbackslash{}")
    text = re.sub(r"([{}&%$#_])", r"\\\1", text)
    return " ".join(text.split())


def bibtex_key(article: Article) -> str:
    authors = _authors(article)
    surname = (
        NameVariant.search_key_for(authors[0]["family"]).replace(" ", "") if authors else "article"
    )
    return f"{surname or 'article'}{article.issue.year}_{article.pk}"


def bibtex(article: Article) -> str:
    issue = article.issue
    fields = [
        (
            "author",
            " and ".join(
                f"{a['family']}, {_spaced(a['initials'] or a['given'])}".rstrip(", ")
                for a in _authors(article)
            ),
        ),
        ("title", _title(article, "en")),
        ("journal", _journal(article)),
        ("series", _series(article)),
        ("year", str(issue.year)),
        ("number", _issue_label(issue)),
        ("pages", _pages(article, "--")),
        ("doi", article.public_doi or ""),
        ("issn", ", ".join(issue.series.journal.issns)),
        ("language", article.get_language_display() if article.language else ""),
        ("keywords", ", ".join(_keywords(article))),
        ("abstract", in_language(article, "abstract", "en")),
    ]
    body = ",\n".join(f"  {name} = {{{_bibtex_escape(value)}}}" for name, value in fields if value)
    return f"@article{{{bibtex_key(article)},\n{body}\n}}\n"


# ---------------------------------------------------------------- RIS


def ris(article: Article, url: str = "") -> str:
    issue = article.issue
    journal = issue.series.journal
    lines = [("TY", "JOUR")]
    lines += [
        ("AU", f"{a['family']}, {a['initials'] or a['given']}".rstrip(", "))
        for a in _authors(article)
    ]
    lines += [
        ("TI", _title(article, "en")),
        ("T2", _journal(article)),
        ("T3", _series(article)),
        ("PY", str(issue.year)),
        ("IS", _issue_label(issue)),
        ("SP", str(article.first_page or "")),
        ("EP", str(article.last_page or "")),
        ("DO", article.public_doi or ""),
    ]
    lines += [("SN", issn) for issn in journal.issns]
    lines += [("KW", keyword) for keyword in _keywords(article)]
    lines += [
        ("AB", in_language(article, "abstract", "en")),
        ("LA", article.language or ""),
        ("UR", url or (doi_url(article.public_doi) if article.public_doi else "")),
    ]
    text = "".join(f"{tag}  - {' '.join(value.split())}\r\n" for tag, value in lines if value)
    return text + "ER  - \r\n"


# ---------------------------------------------------------------- CSL-JSON


def csl_json(article: Article) -> dict:
    issue = article.issue
    data = {
        "id": bibtex_key(article),
        "type": "article-journal",
        "title": _title(article, "en"),
        "container-title": _journal(article),
        "collection-title": _series(article) or None,
        "author": [
            {"family": a["family"], "given": a["given"] or a["initials"]} for a in _authors(article)
        ],
        "issued": {"date-parts": [[issue.year]]},
        "issue": _issue_label(issue),
        "page": _pages(article, "-") or None,
        "DOI": article.public_doi,
        "ISSN": ", ".join(issue.series.journal.issns) or None,
        "language": article.language or None,
        "keyword": ", ".join(_keywords(article)) or None,
        "abstract": in_language(article, "abstract", "en") or None,
    }
    return {key: value for key, value in data.items() if value is not None}


def csl_json_text(article: Article) -> str:
    return json.dumps([csl_json(article)], ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------- formatted strings


def gost(article: Article) -> str:
    """GOST R 7.0.5-2008 reference, in the article's own language."""
    language = article.language or "ru"
    authors = _authors(article, language)
    issue = article.issue
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
    text += f". – {issue.year}. – № {_issue_label(issue)}."
    pages = _pages(article, "–")
    if pages:
        text += f" – {'С.' if cyrillic else 'P.'} {pages}."
    if article.public_doi:
        text += f" – DOI: {article.public_doi}."
    return text


def apa(article: Article) -> str:
    """APA 7 reference, in Latin script."""
    authors = [
        f"{a['family']}, {_spaced(a['initials'] or a['given'])}".rstrip(", ")
        for a in _authors(article)
    ]
    if len(authors) > 1:
        names = ", ".join(authors[:-1]) + ", & " + authors[-1]
    else:
        names = "".join(authors)
    issue = article.issue
    journal = _journal(article)
    series = _series(article)
    text = f"{names} ({issue.year}). {_title(article, 'en').rstrip('.')}. {journal}"
    if series:
        text += f". {series}"
    text += f", ({issue.number})"
    pages = _pages(article, "–")
    if pages:
        text += f", {pages}"
    text += "."
    if article.public_doi:
        text += f" {doi_url(article.public_doi)}"
    return text


# ---------------------------------------------------------------- crawler metadata


def meta_tags(article: Article, url: str) -> list[tuple[str, str]]:
    """Google Scholar (Highwire) citation_* tags, as (name, content) pairs."""
    issue = article.issue
    journal = issue.series.journal
    tags = [("citation_title", _title(article, article.language or "en"))]
    tags += [("citation_author", _byline(a)) for a in article.authorships.all()]
    date = issue.published.strftime("%Y/%m/%d") if issue.published else str(issue.year)
    tags += [
        ("citation_publication_date", date),
        ("citation_journal_title", _journal(article)),
        ("citation_publisher", journal.publisher),
    ]
    tags += [("citation_issn", issn) for issn in journal.issns]
    tags += [
        # A journal without volumes: its running issue number is the nearest thing.
        ("citation_volume", issue.volume or issue.whole_number),
        ("citation_issue", issue.number),
        ("citation_firstpage", str(article.first_page or "")),
        ("citation_lastpage", str(article.last_page or "")),
        ("citation_doi", article.public_doi or ""),
        ("citation_language", article.language),
        ("citation_keywords", "; ".join(_keywords(article))),
        ("citation_abstract_html_url", url),
    ]
    return [(name, content) for name, content in tags if content]


_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld(article: Article, url: str) -> str:
    """schema.org ScholarlyArticle as JSON safe to place inside a <script> element."""
    issue = article.issue
    journal = issue.series.journal
    data = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": _title(article, article.language or "en")[:110],
        "name": _title(article, article.language or "en"),
        "url": url,
        "inLanguage": article.language or None,
        "author": [
            {
                "@type": "Person",
                "name": _byline(a),
                **({"sameAs": f"https://orcid.org/{a.author.orcid}"} if a.author.orcid else {}),
                "affiliation": [
                    {"@type": "Organization", "name": org.as_text("en")}
                    for org in a.ordered_affiliations()
                ],
            }
            for a in article.authorships.all()
        ],
        "datePublished": issue.published.isoformat() if issue.published else str(issue.year),
        "pageStart": article.first_page,
        "pageEnd": article.last_page,
        "keywords": _keywords(article),
        "abstract": in_language(article, "abstract", article.language or "en") or None,
        "isPartOf": {
            "@type": "PublicationIssue",
            "issueNumber": issue.number,
            "datePublished": str(issue.year),
            "isPartOf": {
                "@type": "Periodical",
                "name": _journal(article),
                **({"issn": journal.issns} if journal.issns else {}),
            },
        },
    }
    if article.public_doi:
        data["sameAs"] = doi_url(article.public_doi)
        data["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "DOI",
            "value": article.public_doi,
        }
    data = {key: value for key, value in data.items() if value is not None}
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES))  # noqa: S308
