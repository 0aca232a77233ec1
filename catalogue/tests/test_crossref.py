"""`export --format crossref --issue ID`: a Crossref 5.4.0 deposit, valid against the schema."""

import functools
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from catalogue.interop import load_schema
from catalogue.models import AccessRight, Licence

from .factories import add_reference, make_article, make_full_article, make_issue

pytestmark = pytest.mark.django_db

CR = {
    "c": "http://www.crossref.org/schema/5.4.0",
    "jats": "http://www.ncbi.nlm.nih.gov/JATS1",
    "ai": "http://www.crossref.org/AccessIndicators.xsd",
}


@functools.cache
def crossref_schema():
    return load_schema("crossref/crossref5.4.0.xsd")


def deposit(issue_id, *extra):
    out, err = StringIO(), StringIO()
    call_command(
        "export",
        "--format",
        "crossref",
        "--issue",
        str(issue_id),
        "--base-url",
        "https://catalogue.example.org",
        "--depositor-email",
        "crossref@example.org",
        *extra,
        stdout=out,
        stderr=err,
    )
    doc = etree.fromstring(out.getvalue().encode(), etree.XMLParser(no_network=True))
    schema = crossref_schema()
    assert schema.validate(doc), schema.error_log
    return doc, err.getvalue()


def test_crossref_deposit_of_an_issue_is_valid_and_complete():
    article = make_full_article(title_kk="Жұмсақ күш", abstract_kk="Аннотация")
    second = make_article(
        article.issue, position=2, title_ru="Вторая статья", language="ru", doi="10.48371/X.2"
    )
    add_reference(second, "Иванов И. Книга. М., 2001.")
    doc, warnings = deposit(article.issue_id)
    assert warnings == ""
    assert doc.findtext("c:body/c:journal/c:journal_metadata/c:full_title", namespaces=CR) == (
        "Bulletin of Ablai Khan KazUIRandWL. International relations and regional studies"
    )
    issns = doc.xpath("//c:journal_metadata/c:issn/text()", namespaces=CR)
    assert issns == ["2411-8753", "2710-3633"]
    assert doc.findtext(".//c:journal_issue/c:issue", namespaces=CR) == "2"
    first, other = doc.findall(".//c:journal_article", CR)
    assert first.get("language") == "en"
    # An English article: its own title first, each translation with the original beside it.
    blocks = first.findall("c:titles", CR)
    assert [b.findtext("c:title", namespaces=CR) for b in blocks] == [
        "Soft power & <small> states",
        "Жұмсақ күш",
        "Мягкая сила малых государств",
    ]
    assert blocks[0].find("c:original_language_title", CR) is None
    for block in blocks[1:]:
        original = block.find("c:original_language_title", CR)
        assert (original.get("language"), original.text) == ("en", "Soft power & <small> states")
    people = first.findall("c:contributors/c:person_name", CR)
    assert [p.get("sequence") for p in people] == ["first", "additional"]
    assert people[0].findtext("c:surname", namespaces=CR) == "Zhumatay"
    assert people[0].findtext("c:ORCID", namespaces=CR) == "https://orcid.org/0000-0002-1825-0097"
    assert people[0].findtext(".//c:institution_name", namespaces=CR) == "Narxoz University"
    assert first.xpath("jats:abstract/@xml:lang", namespaces=CR) == ["en", "kk", "ru"]
    assert first.findtext("c:pages/c:first_page", namespaces=CR) == "10"
    assert first.findtext("c:pages/c:last_page", namespaces=CR) == "22"
    assert first.findtext("c:doi_data/c:doi", namespaces=CR) == "10.48371/ISMO.2025.60.2.001"
    assert first.findtext("c:doi_data/c:resource", namespaces=CR) == (
        f"https://catalogue.example.org/en/articles/{article.pk}/"
    )
    citations = first.findall("c:citation_list/c:citation", CR)
    assert [c.findtext("c:doi", namespaces=CR) for c in citations] == [None, "10.2307/j.ctt7sq9s"]
    assert other.get("language") == "ru"
    # A Russian article: the English title is the main one, the Russian original beside it.
    assert other.findtext("c:titles/c:title", namespaces=CR) == second.title_en
    original = other.find("c:titles/c:original_language_title", CR)
    assert (original.get("language"), original.text) == ("ru", "Вторая статья")


def test_crossref_titles_of_a_russian_article_put_english_first_and_the_original_beside():
    article = make_full_article(
        language="ru", title_kk="Шағын мемлекеттердің жұмсақ күші", accepted=date(2025, 3, 4)
    )
    doc, _ = deposit(article.issue_id)
    element = doc.find(".//c:journal_article", CR)
    assert element.get("language") == "ru"
    blocks = element.findall("c:titles", CR)
    assert [b.findtext("c:title", namespaces=CR) for b in blocks] == [
        "Soft power & <small> states",
        "Шағын мемлекеттердің жұмсақ күші",
    ]
    for block in blocks:
        original = block.find("c:original_language_title", CR)
        assert (original.get("language"), original.text) == ("ru", "Мягкая сила малых государств")
    accepted = element.find("c:acceptance_date", CR)
    assert [accepted.findtext(f"c:{part}", namespaces=CR) for part in ("month", "day", "year")] == [
        "03",
        "04",
        "2025",
    ]


def test_crossref_carries_the_licence_and_open_access_as_access_indicators():
    article = make_full_article()
    journal = article.issue.series.journal
    journal.licence_url = Licence.CC_BY_NC
    journal.access_right = AccessRight.OPEN
    journal.save()
    doc, _ = deposit(article.issue_id)
    program = doc.find(".//c:journal_article/ai:program", CR)
    assert program.get("name") == "AccessIndicators"
    assert program.find("ai:free_to_read", CR) is not None
    licence = program.find("ai:license_ref", CR)
    assert (licence.text, licence.get("applies_to")) == (
        "https://creativecommons.org/licenses/by-nc/4.0/",
        "vor",
    )
    # The article's own licence wins over the journal's; restricted access is not free to read.
    article.licence_url = Licence.CC_BY
    article.access_right = AccessRight.RESTRICTED
    article.save()
    doc, _ = deposit(article.issue_id)
    program = doc.find(".//c:journal_article/ai:program", CR)
    assert program.find("ai:free_to_read", CR) is None
    assert program.findtext("ai:license_ref", namespaces=CR) == Licence.CC_BY


def test_articles_without_doi_are_left_out_with_a_warning():
    article = make_full_article()
    lacking = make_article(article.issue, position=2, title_en="No DOI yet")
    doc, warnings = deposit(article.issue_id)
    assert len(doc.findall(".//c:journal_article", CR)) == 1
    assert f"Article {lacking.pk} has no DOI" in warnings


def test_crossref_escapes_markup():
    article = make_full_article(abstract_en="<script>alert(1)</script>")
    out = StringIO()
    call_command(
        "export",
        "--format=crossref",
        f"--issue={article.issue_id}",
        "--base-url=https://c.example.org",
        "--depositor-email=a@example.org",
        stdout=out,
    )
    assert "<script>" not in out.getvalue()
    assert "&lt;script&gt;" in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "needs --issue"),
        (["--issue", "999999"], "No issue"),
        (["--issue", "ISSUE", "--base-url", ""], "needs --base-url"),
        (["--issue", "ISSUE", "--depositor-email", ""], "needs --depositor-email"),
    ],
)
def test_crossref_refuses_what_it_cannot_deposit(args, message):
    article = make_full_article()
    args = [str(article.issue_id) if a == "ISSUE" else a for a in args]
    defaults = ["--base-url", "https://c.example.org", "--depositor-email", "a@example.org"]
    with pytest.raises(CommandError, match=message):
        call_command("export", "--format", "crossref", *defaults, *args, stdout=StringIO())


def test_crossref_issue_without_any_doi_is_an_error():
    issue = make_issue()
    make_article(issue, title_en="Untitled DOI")
    with pytest.raises(CommandError, match="nothing to deposit"):
        deposit(issue.pk)
