"""Create the "Editors" group with the permissions editors need, and no more.

Editors view and correct every catalogue record and add or remove the parts of
an article (authorships, keywords, references). Provenance is written by the
ingestion only, so they may view it but not change it; journals and series
are not theirs to delete; and they get no permission on users or groups.
"""

from django.db import migrations

EDITORS = "Editors"
VIEW_ONLY = {"sourcedocument", "articlesource"}
NO_DELETE = {"journal", "series"}


def editor_codenames(model_names):
    for model in model_names:
        yield f"view_{model}"
        if model in VIEW_ONLY:
            continue
        yield f"add_{model}"
        yield f"change_{model}"
        if model not in NO_DELETE:
            yield f"delete_{model}"


def create_editors_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; this one needs them now.
    app_config = apps.get_app_config("catalogue")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    model_names = [model._meta.model_name for model in app_config.get_models()]
    permissions = Permission.objects.filter(
        content_type__app_label="catalogue", codename__in=list(editor_codenames(model_names))
    )
    group, _ = Group.objects.get_or_create(name=EDITORS)
    group.permissions.set(permissions)


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
