"""Corrections stay: field history with who and when, and releasing a protected field."""

import pytest
from django.urls import reverse

from catalogue.ingest.loader import store_documents
from catalogue.ingest.report import SourceInfo
from catalogue.models import Article, IngestWarning
from catalogue.parsing.records import ArticleRecord, DocumentRecord, IssueRecord, JournalRecord

from .factories import add_keyword, make_author, make_organisation
from .test_editorial_review import post_article

pytestmark = pytest.mark.django_db


def ingest_title(title):
    document = DocumentRecord(
        kind="issue",
        journal=JournalRecord(title={"en": "Test Journal"}),
        issue=IssueRecord(year=2024, number="1"),
        articles=[
            ArticleRecord(
                title={"en": title}, doi="10.1234/test.2024.1.1", position=1, abstract={"en": "A."}
            )
        ],
    )
    store_documents([document], SourceInfo(file_name="test-1.txt"))
    return Article.objects.get()


def test_correction_survives_reingest_and_shows_in_history(editor_client):
    article = ingest_title("Soft power in Central Asia")
    post_article(editor_client, article, title_en="Soft Power in Central Asia")
    ingest_title("Soft power in Central Asia")
    article.refresh_from_db()
    assert article.title_en == "Soft Power in Central Asia"
    assert article.edited_fields == ["title_en"]
    assert IngestWarning.objects.filter(
        article=article, kind=IngestWarning.Kind.EDITOR_VALUE_KEPT, field="title_en"
    ).exists()

    record = article.history.filter(history_user__username="erin").latest("history_date")
    delta = record.diff_against(record.prev_record, included_fields=["title_en"])
    [change] = delta.changes
    assert (change.old, change.new) == ("Soft power in Central Asia", "Soft Power in Central Asia")

    response = editor_client.get(reverse("admin:catalogue_article_history", args=[article.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "erin" in content
    assert "Soft power in Central Asia" in content and "Soft Power in Central Asia" in content


def test_release_lets_the_next_ingest_update_the_field(editor_client):
    article = ingest_title("Soft power in Central Asia")
    post_article(editor_client, article, title_en="A wrong correction")
    article.refresh_from_db()
    assert article.edited_fields == ["title_en"]
    post_article(editor_client, article, release=["title_en"])
    article.refresh_from_db()
    assert article.edited_fields == []
    ingest_title("Soft power in Central Asia")
    article.refresh_from_db()
    assert article.title_en == "Soft power in Central Asia"


def test_release_action_frees_every_protected_field(editor_client):
    article = ingest_title("One")
    Article.objects.filter(pk=article.pk).update(edited_fields=["title_en", "keywords"])
    response = editor_client.post(
        reverse("admin:catalogue_article_changelist"),
        {"action": "release_all_fields", "_selected_action": [article.pk]},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.edited_fields == []


@pytest.mark.parametrize("model", ["article", "author", "organisation", "keyword", "issue"])
def test_history_pages_open_for_editors(editor_client, model, django_assert_max_num_queries):
    article = ingest_title("One")
    records = {
        "article": article,
        "author": make_author(),
        "organisation": make_organisation(),
        "keyword": add_keyword(article, "diplomacy").keyword,
        "issue": article.issue,
    }
    obj = records[model]
    with django_assert_max_num_queries(15):
        response = editor_client.get(reverse(f"admin:catalogue_{model}_history", args=[obj.pk]))
    assert response.status_code == 200
