"""Small builders for tests: each makes one valid record with sensible defaults."""

import itertools

from django.urls import reverse
from django.utils import translation

from catalogue.models import (
    Article,
    ArticleKeyword,
    Author,
    Authorship,
    AuthorshipAffiliation,
    Issue,
    Journal,
    Keyword,
    KeywordConcept,
    NameVariant,
    Organisation,
    Reference,
    Section,
    Series,
)

_numbers = itertools.count(1)


def make_journal(**fields) -> Journal:
    fields.setdefault("title_en", f"Bulletin {next(_numbers)}")
    return Journal.objects.create(**fields)


def make_series(journal=None, **fields) -> Series:
    return Series.objects.create(journal=journal or make_journal(), **fields)


def make_issue(series=None, **fields) -> Issue:
    fields.setdefault("year", 2025)
    fields.setdefault("number", str(next(_numbers)))
    return Issue.objects.create(series=series or make_series(), **fields)


def make_section(journal, name_en="World politics", **fields) -> Section:
    return Section.objects.create(journal=journal, name_en=name_en, **fields)


def make_article(issue=None, **fields) -> Article:
    fields.setdefault("title_en", f"Article {next(_numbers)}")
    return Article.objects.create(issue=issue or make_issue(), **fields)


def make_author(name="Zhumatay G.", language="en", **fields) -> Author:
    fields.setdefault("display_name", name)
    author = Author.objects.create(**fields)
    NameVariant.objects.create(author=author, name=name, language=language)
    return author


def add_author(article, author, position=None, affiliations=(), **names) -> Authorship:
    position = position or article.authorships.count() + 1
    authorship = Authorship.objects.create(
        article=article, author=author, position=position, **names
    )
    for i, organisation in enumerate(affiliations, 1):
        AuthorshipAffiliation.objects.create(
            authorship=authorship, organisation=organisation, position=i
        )
    return authorship


def make_organisation(name_en="Narxoz University", city="Almaty", country="Kazakhstan"):
    return Organisation.objects.create(name_en=name_en, city=city, country=country)


def add_keyword(article, text, language="en", concept=None) -> ArticleKeyword:
    keyword = Keyword.objects.filter(language=language, normalized=Keyword.normalize(text)).first()
    if keyword is None:
        keyword = Keyword(
            language=language, text=text, concept=concept or KeywordConcept.objects.create()
        )
        keyword.save()
    position = article.article_keywords.filter(keyword__language=language).count() + 1
    return ArticleKeyword.objects.create(article=article, keyword=keyword, position=position)


def add_reference(article, text) -> Reference:
    return Reference.objects.create(
        article=article, position=article.references.count() + 1, text=text
    )


def add_name_variant(author, name, language="en", kind=NameVariant.Kind.BYLINE) -> NameVariant:
    return NameVariant.objects.create(author=author, name=name, language=language, kind=kind)


def make_full_article(**fields):
    """A fully described article: two authors, keywords in two languages, references."""
    journal = make_journal(
        title_en="Bulletin of Ablai Khan KazUIRandWL",
        title_ru="Вестник КазУМОиМЯ им. Абылай хана",
        issn_print="2411-8753",
        issn_online="2710-3633",
        publisher="Ablai Khan University",
    )
    series = make_series(journal, name_en="International relations and regional studies")
    issue = make_issue(series, year=2025, number="2", whole_number="60")
    section = make_section(journal, "World politics", name_ru="Мировая политика")
    fields.setdefault("title_en", "Soft power & <small> states")
    fields.setdefault("title_ru", "Мягкая сила малых государств")
    fields.setdefault("abstract_en", "We study soft power.")
    fields.setdefault("abstract_ru", "Мы изучаем мягкую силу.")
    fields.setdefault("language", "en")
    fields.setdefault("doi", "10.48371/ISMO.2025.60.2.001")
    fields.setdefault("first_page", 10)
    fields.setdefault("last_page", 22)
    fields.setdefault("udc", ["327.8"])
    fields.setdefault("irsti", ["11.25.91"])
    article = make_article(issue, section=section, position=1, **fields)
    university = make_organisation("Narxoz University")
    zhumatay = make_author("Zhumatay G.", orcid="0000-0002-1825-0097")
    add_name_variant(zhumatay, "Жұматай Ғ.Б.", "ru")
    add_author(
        article, zhumatay, affiliations=[university], name_en="Zhumatay G.", name_ru="Жұматай Ғ.Б."
    )
    add_author(
        article,
        make_author("Baissultanova K.Ch."),
        name_en="Baissultanova K.Ch.",
        name_ru="Байсултанова К.Ч.",
    )
    concept = KeywordConcept.objects.create()
    add_keyword(article, "soft power", "en", concept)
    add_keyword(article, "мягкая сила", "ru", concept)
    add_keyword(article, "Kazakhstan", "en")
    add_reference(article, "Nye J. Soft power. New York, 2004.")
    reference = add_reference(article, "Keohane R. After hegemony. 1984.")
    reference.doi = "10.2307/j.ctt7sq9s"
    reference.save()
    return article


def page_url(name: str, *args, language: str = "en") -> str:
    """A public page's address in `language` (/ru/articles/5/): the URL gives the language."""
    with translation.override(language):
        return reverse(name, args=args)
