"""Editor accounts for tests, made the way an administrator makes them: `createeditor`.

A transactional test (transaction=True) empties every table when it ends, the
Editors group of migration 0002 included, and --reuse-db keeps that empty
database for the next run. So the group is put back first when it is missing,
with the permissions migrations 0002 and 0004 give it.
"""

from importlib import import_module

from django.apps import apps
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command

PASSWORD = "a-long-editor-passphrase"


def ensure_editors_group() -> Group:
    group, created = Group.objects.get_or_create(name="Editors")
    if created:
        first = import_module("catalogue.migrations.0002_editors_group")
        later = import_module("catalogue.migrations.0004_editorial_workflow")
        names = [
            model._meta.model_name
            for model in apps.get_app_config("catalogue").get_models()
            if not model._meta.model_name.startswith("historical")
            and model._meta.model_name != "errorreport"
        ]
        codenames = [*first.editor_codenames(names), *later.EDITOR_CODENAMES]
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="catalogue", codename__in=codenames)
        )
    return group


def make_editor(monkeypatch, username: str = "erin") -> User:
    ensure_editors_group()
    monkeypatch.setenv("CATALOGUE_EDITOR_PASSWORD", PASSWORD)
    call_command("createeditor", username, verbosity=0)
    return User.objects.get(username=username)
