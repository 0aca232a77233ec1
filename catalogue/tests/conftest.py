import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.test.signals import setting_changed
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from catalogue import facets, pagecache

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


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language. A page request activates the language of
    its URL and leaves it active in the thread, and reverse() then gives that language's
    addresses: without this, a test would see the language of the one before it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


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


@pytest.fixture(autouse=True)
def _no_pages_kept_from_another_test():
    """A worker's whole pages are keyed on the catalogue's version, which counts committed
    writes: a test's writes are rolled back, so the next test can reach the same version
    with other records. The parts and facet names a worker keeps too: the cache table is
    rolled back."""
    _forget_pages()
    setting_changed.connect(_forget_pages)
    yield
    setting_changed.disconnect(_forget_pages)
    _forget_pages()


def _forget_pages(**kwargs):
    """A running site's settings never change, so they are not in a page's key; a test's
    do (override_settings, the settings fixture), and its next page must show them."""
    pagecache.MEMORY.clear()
    pagecache.PARTS.clear()
    facets.forget_names()
