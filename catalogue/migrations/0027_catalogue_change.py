from django.db import migrations, models

from catalogue import sql

# Every table a public page reads, as they were when this migration was written (a later
# table gets its trigger in the migration that adds it; catalogue.sql.names lists them all).
TABLES = (
    "journal",
    "series",
    "issue",
    "section",
    "organisation",
    "author",
    "mergedauthor",
    "namevariant",
    "nameword",
    "searchword",
    "keywordconcept",
    "keyword",
    "irstisubject",
    "article",
    "recorddatestamp",
    "oaitombstone",
    "authorship",
    "authorshipaffiliation",
    "articlekeyword",
    "reference",
    "sourcedocument",
    "articlesource",
    "ingestwarning",
    "browseentry",
    "facetcount",
    "coauthor",
    "authororganisation",
    "authorlatest",
)

# The catalogue's version: one row per committed writing transaction, folded as they
# accumulate; the first row carries the writes made before it was counted.
CHANGE_SQL = "\n".join(
    [
        sql.create("catalogue_note_change"),
        *(
            f"CREATE TRIGGER {table}_note_change"
            f" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON catalogue_{table}"
            " FOR EACH STATEMENT EXECUTE FUNCTION catalogue_note_change();"
            for table in TABLES
        ),
        "INSERT INTO catalogue_cataloguechange (weight) VALUES (1);",
    ]
)
PREVIOUS_SQL = "\n".join(
    [
        *(f"DROP TRIGGER {table}_note_change ON catalogue_{table};" for table in TABLES),
        sql.drop("catalogue_note_change"),
    ]
)


class Migration(migrations.Migration):

    dependencies = [
        ("catalogue", "0026_author_latest"),
    ]

    operations = [
        migrations.CreateModel(
            name="CatalogueChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("weight", models.BigIntegerField(default=1)),
            ],
        ),
        migrations.RunSQL(CHANGE_SQL, PREVIOUS_SQL),
    ]
