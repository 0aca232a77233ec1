"""Who reaches the admin, and the login's resistance to password guessing."""

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-editor-passphrase"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def login(client, username, password):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
    )


def test_editor_reaches_the_admin_and_the_review_queue(client, editor):
    assert login(client, "erin", PASSWORD).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:review_queue")).status_code == 200


def test_staff_outside_the_editors_group_get_no_access(client):
    User.objects.create_user("sam", password=PASSWORD, is_staff=True)
    response = login(client, "sam", PASSWORD)
    assert response.status_code == 200
    assert "not an editor" in response.content.decode()
    client.force_login(User.objects.get(username="sam"))
    for name in ("admin:index", "admin:review_queue", "admin:catalogue_article_changelist"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_superuser_reaches_the_admin(client):
    admin = User.objects.create_superuser("root", password=PASSWORD)
    client.force_login(admin)
    assert client.get(reverse("admin:index")).status_code == 200


def test_editor_cannot_create_users_or_change_permissions(client, editor):
    client.force_login(editor)
    assert client.get(reverse("admin:auth_user_add")).status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert not editor.has_perm("auth.add_user")
    assert not editor.has_perm("auth.change_permission")


@override_settings(ADMIN_LOGIN_MAX_FAILURES=3, ADMIN_LOGIN_LOCKOUT_SECONDS=600)
def test_login_is_locked_after_repeated_failures(client, editor):
    for _ in range(3):
        response = login(client, "erin", "wrong guess")
        assert response.status_code == 200
    response = login(client, "erin", PASSWORD)
    assert response.status_code == 200
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address is not locked out.
    response = client.post(
        reverse("admin:login"),
        {"username": "erin", "password": PASSWORD, "next": reverse("admin:index")},
        REMOTE_ADDR="10.0.0.9",
    )
    assert response.status_code == 302
