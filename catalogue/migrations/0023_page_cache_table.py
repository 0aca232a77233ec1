"""The pages' cache table (settings.CACHES["pages"], catalogue_cache_pages by default),
which keeps what public pages show of a record apart from the rate limits' counters
(catalogue.pagecache). The step of 0013 again: createcachetable makes the tables that
are missing and does nothing when CACHE_URL names Redis."""

from importlib import import_module

from django.db import migrations

create_cache_table = import_module("catalogue.migrations.0013_cache_table").create_cache_table


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0021_discovery"),
    ]

    operations = [
        migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=True),
    ]
