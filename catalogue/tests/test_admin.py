import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.urls import reverse

from .editors import ensure_editors_group
from .factories import add_author, add_keyword, make_article, make_author, make_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(monkeypatch):
    ensure_editors_group()  # a transactional test elsewhere may have emptied the tables
    monkeypatch.setenv("CATALOGUE_EDITOR_PASSWORD", "a-long-editor-passphrase")
    call_command("createeditor", "alice", verbosity=0)
    return User.objects.get(username="alice")


def test_createeditor_makes_a_staff_member_of_editors_only(editor):
    assert editor.is_staff and not editor.is_superuser
    assert list(editor.groups.values_list("name", flat=True)) == ["Editors"]
    assert editor.check_password("a-long-editor-passphrase")


def test_createeditor_refuses_a_weak_password(monkeypatch):
    monkeypatch.setenv("CATALOGUE_EDITOR_PASSWORD", "123")
    with pytest.raises(CommandError):
        call_command("createeditor", "bob", verbosity=0)
    assert not User.objects.filter(username="bob").exists()


def test_editors_may_correct_records_but_not_administer_users(editor):
    assert editor.has_perm("catalogue.change_article")
    assert editor.has_perm("catalogue.delete_authorship")
    assert editor.has_perm("catalogue.change_author")
    assert not editor.has_perm("catalogue.change_sourcedocument")
    assert not editor.has_perm("catalogue.delete_journal")
    assert not editor.has_perm("auth.add_user")
    assert not editor.has_perm("auth.change_user")
    assert not editor.has_perm("auth.change_group")
    assert (
        not Group.objects.get(name="Editors")
        .permissions.exclude(content_type__app_label="catalogue")
        .exists()
    )


def test_editor_cannot_open_the_user_admin(client, editor):
    client.force_login(editor)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


@pytest.mark.parametrize(
    "name", ["article", "author", "issue", "keyword", "organisation", "ingestwarning"]
)
def test_admin_change_lists_run_a_fixed_number_of_queries(
    client, editor, name, django_assert_max_num_queries
):
    issue = make_issue()
    for i in range(30):
        article = make_article(issue, position=i + 1)
        add_author(article, make_author(f"Author{i} A."), name_en=f"Author{i} A.")
        add_keyword(article, f"keyword {i}")
    client.force_login(editor)
    url = reverse(f"admin:catalogue_{name}_changelist")
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200


def test_editor_correction_is_remembered(client, editor):
    article = make_article(title_en="Wrong title")
    client.force_login(editor)
    url = reverse("admin:catalogue_article_change", args=[article.pk])
    response = client.get(url)
    form = response.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data.update({"title_en": "Right title", "issue": article.issue_id, "udc": "", "irsti": ""})
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
    article.refresh_from_db()
    assert article.title_en == "Right title"
    assert article.edited_fields == ["title_en"]
