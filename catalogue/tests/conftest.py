import os
from pathlib import Path

import pytest
from django.test import override_settings
from hypothesis import settings as hypothesis_settings

# CI replays the same examples every run, so a landing is judged on the code, not on a
# draw; a developer's runs keep exploring new ones.
hypothesis_settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"

PLAIN_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@pytest.fixture(autouse=True)
def _plain_static_files():
    """Tests render pages without running collectstatic first."""
    with override_settings(STORAGES=PLAIN_STATIC):
        yield


@pytest.fixture
def seeds() -> Path:
    return SEEDS


@pytest.fixture
def editor(monkeypatch):
    """A staff account in the Editors group, made with createeditor."""
    from .editors import make_editor

    return make_editor(monkeypatch)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
