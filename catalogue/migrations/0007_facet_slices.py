from django.db import migrations, models

from catalogue import sql

# Functions come from their versioned files in catalogue/sql/ (see its README.md).
# Each entry now counts four times: in the whole catalogue, in its year, in its
# language, and in its year and language together.
SLICES_SQL = f"""
{sql.create('catalogue_facet_slices')}

{sql.replace('catalogue_count_facets', 2)}

-- The counts of the entries already in the catalogue.
INSERT INTO catalogue_facetcount (facet, value, year, language, count)
SELECT v.facet, v.value, s.year, s.language, count(*)
FROM catalogue_browseentry e, catalogue_facet_values(e) v, catalogue_facet_slices(e) s
GROUP BY 1, 2, 3, 4;
"""

# Back to whole-catalogue counts only (the table is rebuilt by the reversed operations).
UNSLICED_SQL = f"""
{sql.replace('catalogue_count_facets', 1)}
INSERT INTO catalogue_facetcount (facet, value, count)
SELECT v.facet, v.value, count(*)
FROM catalogue_browseentry e, catalogue_facet_values(e) v
GROUP BY 1, 2;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0006_browse_text_search"),
    ]

    # A composite primary key cannot be altered: the counts table is made anew.
    # Reversed, the old counts are rebuilt last, once the old table is back.
    operations = [
        migrations.RunSQL(migrations.RunSQL.noop, UNSLICED_SQL),
        migrations.DeleteModel(name="FacetCount"),
        migrations.CreateModel(
            name="FacetCount",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "facet",
                        "value",
                        "year",
                        "language",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("facet", models.CharField(max_length=20)),
                ("value", models.CharField(max_length=40)),
                ("year", models.SmallIntegerField(default=0)),
                ("language", models.CharField(default="*", max_length=2)),
                ("count", models.IntegerField(default=0)),
            ],
            options={
                "indexes": [
                    models.Index(
                        models.F("facet"),
                        models.F("year"),
                        models.F("language"),
                        models.OrderBy(models.F("count"), descending=True),
                        name="facet_count_slice_idx",
                    )
                ],
            },
        ),
        migrations.RunSQL(
            SLICES_SQL, "DROP FUNCTION catalogue_facet_slices(catalogue_browseentry);"
        ),
    ]
