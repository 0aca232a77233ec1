"""The production settings with plain static files, for gunicorn started by a test
(catalogue/tests/test_limits_workers.py): the pages render without collectstatic."""

from catalogue_site.settings import *  # noqa: F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
