"""The database cache's table (settings.CACHES, catalogue_cache by default), so that a
freshly migrated database has it: the admin login lockout and the error-report limit
count in it. createcachetable skips a table that exists and does nothing when CACHE_URL
names Redis."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0012_record_versions"),
    ]

    operations = [
        migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=True),
    ]
