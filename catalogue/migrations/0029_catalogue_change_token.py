# A random token per count row: the catalogue's version then never repeats a value it had,
# even after a restore from a backup or a flush that restarts the ids.

import django.contrib.postgres.functions
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0028_note_change_without_updates'),
    ]

    operations = [
        migrations.AddField(
            model_name='cataloguechange',
            name='token',
            field=models.UUIDField(db_default=django.contrib.postgres.functions.RandomUUID(), editable=False),
        ),
    ]
