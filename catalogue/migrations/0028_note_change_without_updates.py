from django.db import migrations

from catalogue import sql


class Migration(migrations.Migration):
    """Count a transaction's later statements in a setting, not by updating its row."""

    dependencies = [
        ("catalogue", "0027_catalogue_change"),
    ]

    operations = [sql.run("catalogue_note_change", 2)]
