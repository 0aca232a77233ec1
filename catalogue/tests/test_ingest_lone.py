"""Lone articles of any journal: where they wait when they do not say their issue,
how they leave the holding issue, and what the command line can say for them."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from catalogue.ingest.loader import store_documents
from catalogue.ingest.report import SourceInfo
from catalogue.models import Article, IngestWarning, Issue, Journal
from catalogue.parsing.records import ArticleRecord, DocumentRecord, JournalRecord

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent / "data" / "articles"
ISSUE_004 = "004_5cc4925e9724fd50.txt"
ARTICLE_003 = "003_fdd0b68bd806740f.txt"
JOURNAL = {"journal": "Bulletin of Ablai Khan KazUIRandWL", "series": "International Relations"}

UNDATED = """UDC 327
CULTURAL DIPLOMACY AND NATIONAL IDENTITY
Ivanov I.I.1
1 Test University, Almaty, Kazakhstan
Abstract. Cultural diplomacy is examined as a tool of national identity.
Key words: cultural diplomacy, identity, soft power
Introduction
The body of the article.
References
1. Nye J. Soft Power. New York, 2004."""


def ingest(*paths, **options):
    out = StringIO()
    call_command("ingest", *[str(p) for p in paths], stdout=out, stderr=out, **options)
    return out.getvalue()


@pytest.fixture
def undated(tmp_path):
    path = tmp_path / "undated.txt"
    path.write_text(UNDATED, encoding="utf-8")
    return path


def issue_warnings(article):
    return article.warnings.filter(kind=IngestWarning.Kind.MISSING_FIELD, field="issue")


# ---------------------------------------------------------------- the holding issue


def test_article_saying_nothing_of_its_issue_waits_with_a_review_warning(undated):
    ingest(undated, verbosity=0, journal="Test Journal")
    article = Article.objects.get()
    assert article.issue.is_unassigned
    assert str(article.issue).startswith("issue not known")
    [warning] = issue_warnings(article)
    assert not warning.resolved and "does not say its issue" in warning.message
    assert "year it was ingested" in warning.message  # no year printed anywhere


def test_year_and_number_on_the_command_line_move_it_out_of_the_holding_issue(undated):
    ingest(undated, verbosity=0, journal="Test Journal")
    holding = Article.objects.get().issue
    output = ingest(undated, journal="Test Journal", year=2024, number="3")
    article = Article.objects.get()
    assert (article.issue.year, article.issue.number) == (2024, "3")
    assert "1 updated" in output
    assert not Issue.objects.filter(pk=holding.pk).exists()  # the emptied holding issue goes
    assert not issue_warnings(article).filter(resolved=False).exists()
    # and ingesting it again, saying nothing of its issue, leaves it where it is
    ingest(undated, verbosity=0, journal="Test Journal")
    article.refresh_from_db()
    assert (article.issue.year, article.issue.number) == (2024, "3")
    assert Issue.objects.count() == 1


def test_year_alone_files_it_under_that_year_still_waiting(undated):
    ingest(undated, verbosity=0, journal="Test Journal", year=2023)
    article = Article.objects.get()
    assert (article.issue.year, article.issue.is_unassigned) == (2023, True)
    assert "year it was ingested" not in issue_warnings(article).get().message


def test_volume_is_stored_with_the_issue(undated):
    ingest(undated, verbosity=0, journal="Test Journal", year=2024, volume="12", number="3")
    issue = Article.objects.get().issue
    assert (issue.year, issue.volume, issue.number) == (2024, "12", "3")
    assert str(issue) == "Vol. 12, No. 3 2024"


def test_command_line_overrides_what_the_document_says(seeds):
    output = ingest(seeds / ARTICLE_003, verbosity=2, year=2024, number="1", **JOURNAL)
    issue = Article.objects.get().issue
    assert (issue.year, issue.number, issue.whole_number) == (2024, "1", "")
    assert "the command line's value was used" in output


def test_a_year_out_of_range_is_refused(undated):
    with pytest.raises(CommandError):
        ingest(undated, year="12")


def test_ingesting_the_issue_that_holds_it_moves_it_out(seeds, tmp_path):
    # 003 without its DOI says neither its issue nor its journal
    lone = tmp_path / "003-no-doi.txt"
    text = (seeds / ARTICLE_003).read_text(encoding="utf-8")
    lone.write_text(text.replace("<https://doi.org/10.48371/ISMO.2025.62.4.002>", ""), "utf-8")
    ingest(lone, verbosity=0)
    article = Article.objects.get()
    assert article.issue.is_unassigned and article.issue.year == 2025  # from its dates
    assert article.issue.series.journal.title_en == "Unnamed journal (no DOI)"
    ingest(seeds / ISSUE_004, verbosity=0)
    assert Article.objects.count() == 20
    assert Journal.objects.count() == 1  # the emptied placeholder journal goes
    article.refresh_from_db()
    assert (article.issue.year, article.issue.number) == (2025, "4")
    assert article.doi == "10.48371/ISMO.2025.62.4.002"
    assert not Issue.objects.filter(number=Issue.UNASSIGNED).exists()
    assert not issue_warnings(article).filter(resolved=False).exists()


def test_article_without_a_title_is_kept_under_a_stand_in_title():
    record = DocumentRecord(
        kind="article",
        journal=JournalRecord(title={"en": "Test Journal"}),
        articles=[ArticleRecord(abstract={"en": "An abstract."}, doi="10.1234/x.1")],
    )
    store_documents([record], SourceInfo(file_name="x.txt"))
    article = Article.objects.get()
    assert article.title_en == "[title not found in x.txt]"
    assert article.issue.is_unassigned
    assert article.warnings.filter(field="title", resolved=False).exists()


# ---------------------------------------------------------------- an editor sets the issue


def _change_issue(client, article, issue):
    url = reverse("admin:catalogue_article_change", args=[article.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data.update({"issue": issue.pk, "udc": ", ".join(article.udc), "irsti": ""})
    for prefix in (
        "authorships",
        "article_keywords",
        "references",
        "warnings",
        "error_reports",
        "sources",
    ):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def test_editor_sets_the_issue_in_the_admin_and_reingest_keeps_it(editor_client, undated):
    ingest(undated, verbosity=0, journal="Test Journal")
    article = Article.objects.get()
    real = Issue.objects.create(series=article.issue.series, year=2024, number="2")
    _change_issue(editor_client, article, real)
    article.refresh_from_db()
    assert article.issue == real
    assert "issue" in article.edited_fields
    assert not issue_warnings(article).filter(resolved=False).exists()
    assert not Issue.objects.filter(number=Issue.UNASSIGNED).exists()
    # the same document again: the editor's issue stands
    ingest(undated, verbosity=0, journal="Test Journal")
    article.refresh_from_db()
    assert article.issue == real
    # a document that says another issue does not override the editor either
    output = ingest(undated, journal="Test Journal", year=2024, number="3")
    article.refresh_from_db()
    assert article.issue == real
    assert "editor's value kept for issue" in output
    assert not Issue.objects.filter(number="3").exists()  # no empty issue left behind


# ---------------------------------------------------------------- another journal's article

OTHER_JOURNAL = DATA / "other_journal_bold_bylines.txt"


def test_article_of_another_journal_loads_end_to_end():
    output = ingest(OTHER_JOURNAL, verbosity=2)
    article = Article.objects.get()
    assert article.title_en == (
        "Nomadic heritage in the foreign policy narratives of Central Asian states"
    )
    assert article.printed_title_en == (
        "NOMADIC HERITAGE IN THE FOREIGN POLICY NARRATIVES OF CENTRAL ASIAN STATES"
    )
    assert article.doi == "10.26577/2521-6589.2024-3.05"
    # the issue from the DOI's shape ISSN.YEAR-NUMBER.POSITION
    assert (article.issue.year, article.issue.number) == (2024, "3")
    assert article.issue.series.journal.title_en == "Unnamed journal (DOI prefix 10.26577)"
    assert "does not name its journal" in output
    first, second = article.authorships.order_by("position")
    assert first.full_name_en == "Aigerim Nurlanovna Sadykova"
    assert first.email == "a.sadykova@example.kz"
    assert first.author.orcid == "0000-0002-4471-3316"
    assert [o.name_en for o in first.affiliations.all()] == ["Al-Farabi Kazakh National University"]
    assert first.affiliations.get().city == "Almaty"
    assert second.full_name_en == "Timur Bekovich Ospanov"
    assert [o.name_en for o in second.affiliations.all()] == [
        "L.N. Gumilyov Eurasian National University"
    ]
    assert article.abstract_en.startswith("The article examines how the states of Central Asia")
    assert article.abstract_ru.startswith("В статье рассматривается")
    assert article.abstract_kk.startswith("Мақалада Орталық Азия")
    keywords = {
        lang: list(
            article.article_keywords.filter(keyword__language=lang)
            .order_by("position")
            .values_list("keyword__text", flat=True)
        )
        for lang in ("en", "ru", "kk")
    }
    assert keywords["en"][:2] == ["nomadic heritage", "foreign policy"]
    assert keywords["ru"][0] == "кочевое наследие" and keywords["kk"][0] == "көшпелі мұра"
    assert article.references.count() == 3
    # and again: nothing changes
    assert "0 created, 0 updated, 1 unchanged" in ingest(OTHER_JOURNAL)


def test_article_of_another_journal_with_a_citation_line_names_its_journal(tmp_path):
    path = tmp_path / "cited.txt"
    path.write_text(
        OTHER_JOURNAL.read_text(encoding="utf-8").replace(
            "## Introduction",
            "**Cite this article:** Sadykova A.N., Ospanov T.B. Nomadic heritage // "
            "Journal of Oriental Studies. – 2024. – Vol. 110, No. 3. – P. 45–58.\n\n"
            "## Introduction",
        ),
        encoding="utf-8",
    )
    ingest(path, verbosity=0)
    article = Article.objects.get()
    issue = article.issue
    assert issue.series.journal.title_en == "Journal of Oriental Studies"
    assert (issue.year, issue.volume, issue.number) == (2024, "110", "3")
    assert (article.first_page, article.last_page) == (45, 58)
