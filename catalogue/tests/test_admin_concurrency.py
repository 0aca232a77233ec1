"""Two editors at once: no lost edit, no phantom edit."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from catalogue.models import Article

from .editors import make_editor
from .factories import make_article
from .test_editorial_review import change_form_data

pytestmark = pytest.mark.django_db


def open_form(client, article):
    """The change form as a browser holds it: its fields and the hidden version fields."""
    data = change_form_data(client, article)
    response = client.get(reverse("admin:catalogue_article_change", args=[article.pk]))
    form = response.context["adminform"].form
    data["version_seen"] = form["version_seen"].value()
    data["values_seen"] = form["values_seen"].value()
    return data


def save(client, article, data):
    return client.post(reverse("admin:catalogue_article_change", args=[article.pk]), data)


def two_editors(monkeypatch):
    clients = []
    for name in ("erin", "emil"):
        client = Client()
        client.force_login(make_editor(monkeypatch, name))
        clients.append(client)
    return clients


def test_a_stale_save_is_refused_shows_the_other_change_and_then_keeps_both(monkeypatch):
    article = make_article(title_en="Water policy")
    first, second = two_editors(monkeypatch)
    form_1, form_2 = open_form(first, article), open_form(second, article)

    assert save(first, article, {**form_1, "udc": "327.1"}).status_code == 302
    refused = save(second, article, {**form_2, "title_en": "Water policy of the steppe"})

    assert refused.status_code == 200
    message = " ".join(refused.context["adminform"].form.non_field_errors())
    assert "nothing was saved" in message and "UDC" in message and "327.1" in message
    article.refresh_from_db()
    assert article.udc == ["327.1"] and article.title_en == "Water policy"

    # The form came back with the other editor's UDC and this editor's title: saving keeps both.
    again = refused.context["adminform"].form.data
    assert again["udc"] == "327.1" and again["title_en"] == "Water policy of the steppe"
    assert save(second, article, again.dict()).status_code == 302
    article.refresh_from_db()
    assert article.udc == ["327.1"] and article.title_en == "Water policy of the steppe"
    assert sorted(article.edited_fields) == ["title_en", "udc"]


def test_the_same_field_changed_by_both_keeps_the_later_editors_value_only_after_a_look(
    monkeypatch,
):
    article = make_article(title_en="Water policy")
    first, second = two_editors(monkeypatch)
    form_1, form_2 = open_form(first, article), open_form(second, article)
    save(first, article, {**form_1, "title_en": "Water politics"})
    refused = save(second, article, {**form_2, "title_en": "Water policies"})
    message = " ".join(refused.context["adminform"].form.non_field_errors())
    assert "You both changed" in message
    article.refresh_from_db()
    assert article.title_en == "Water politics"


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_never_lose_an_edit(monkeypatch):
    article = make_article(title_en="Water policy")
    clients = two_editors(monkeypatch)
    forms = [open_form(client, article) for client in clients]
    changes = [{"udc": "327.1"}, {"title_en": "Water policy of the steppe"}]
    start = threading.Barrier(2)
    responses = [None, None]

    def post(i):
        try:
            start.wait()
            responses[i] = save(clients[i], article, {**forms[i], **changes[i]})
        finally:
            connection.close()  # each thread has its own database connection

    threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200, 302]
    loser = next(i for i, response in enumerate(responses) if response.status_code == 200)
    again = responses[loser].context["adminform"].form.data.dict()
    assert save(clients[loser], article, again).status_code == 302
    article.refresh_from_db()
    assert article.udc == ["327.1"] and article.title_en == "Water policy of the steppe"


def test_a_save_after_an_ingest_changed_the_record_is_refused(editor_client):
    article = make_article(title_en="Water policy")
    form = open_form(editor_client, article)
    Article.objects.filter(pk=article.pk).update(abstract_en="Read again from the document.")
    response = save(editor_client, article, {**form, "title_en": "Water policies"})
    assert response.status_code == 200
    assert "Read again from the document." in " ".join(
        response.context["adminform"].form.non_field_errors()
    )


def test_crlf_from_the_browser_marks_only_the_field_the_editor_changed(editor_client):
    article = make_article(
        title_en="Water policy",
        abstract_en="First line.\nSecond line.",
        abstract_kk="Бірінші жол.\nЕкінші жол.",
        abstract_ru="Первая строка.\nВторая строка.",
    )
    form = open_form(editor_client, article)
    for language in ("en", "kk", "ru"):
        form[f"abstract_{language}"] = form[f"abstract_{language}"].replace("\n", "\r\n") + " "
    assert save(editor_client, article, {**form, "title_en": "Water policies"}).status_code == 302

    article.refresh_from_db()
    assert article.edited_fields == ["title_en"]
    assert article.abstract_en == "First line.\nSecond line."
    latest, previous = article.history.all()[:2]
    changes = sorted(change.field for change in latest.diff_against(previous).changes)
    assert changes == ["edited_fields", "title_en"]  # the title, and that an editor set it


def test_a_change_counts_in_the_version_and_a_save_of_nothing_does_not():
    article = make_article(title_en="Water policy")
    Article.objects.filter(pk=article.pk).update(title_kk="Су саясаты")
    article.refresh_from_db()
    assert article.version == 2
    article.save()  # only the timestamp moves
    article.refresh_from_db()
    assert article.version == 2
    Article.objects.filter(pk=article.pk).update(version=1)  # a stale copy written back
    article.refresh_from_db()
    assert article.version == 2


@pytest.mark.parametrize("model_name", ["author", "organisation", "issue", "journal"])
def test_every_versioned_table_counts_a_change(model_name):
    from django.apps import apps

    from .factories import make_author, make_issue, make_organisation

    record = {
        "author": make_author,
        "organisation": make_organisation,
        "issue": make_issue,
        "journal": lambda: make_issue().series.journal,
    }[model_name]()
    model = apps.get_model("catalogue", model_name)
    field = {"author": "email", "organisation": "city", "issue": "whole_number"}.get(
        model_name, "publisher"
    )
    value = "x@example.org" if field == "email" else "Changed"
    model.objects.filter(pk=record.pk).update(**{field: value})
    record.refresh_from_db()
    assert record.version == 2
