from django.db import migrations, models

# Each entry now counts four times: in the whole catalogue, in its year, in its
# language, and in its year and language together.
SLICES_SQL = """
CREATE FUNCTION catalogue_facet_slices(e catalogue_browseentry)
RETURNS TABLE (year smallint, language text) LANGUAGE sql IMMUTABLE AS $$
    VALUES (0::smallint, '*'), (e.year, '*'), (0::smallint, e.language), (e.year, e.language)
$$;

CREATE OR REPLACE FUNCTION catalogue_count_facets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO catalogue_facetcount AS f (facet, value, year, language, count)
        SELECT v.facet, v.value, s.year, s.language, count(*)
        FROM new_rows n, catalogue_facet_values(n) v, catalogue_facet_slices(n) s
        GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (facet, value, year, language)
        DO UPDATE SET count = f.count + EXCLUDED.count;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO catalogue_facetcount AS f (facet, value, year, language, count)
        SELECT v.facet, v.value, s.year, s.language, -count(*)
        FROM old_rows o, catalogue_facet_values(o) v, catalogue_facet_slices(o) s
        GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (facet, value, year, language)
        DO UPDATE SET count = f.count + EXCLUDED.count;
    ELSE
        INSERT INTO catalogue_facetcount AS f (facet, value, year, language, count)
        SELECT facet, value, year, language, sum(delta) FROM (
            SELECT v.facet, v.value, s.year, s.language, 1 AS delta
            FROM new_rows n, catalogue_facet_values(n) v, catalogue_facet_slices(n) s
            UNION ALL
            SELECT v.facet, v.value, s.year, s.language, -1
            FROM old_rows o, catalogue_facet_values(o) v, catalogue_facet_slices(o) s
        ) AS change
        GROUP BY 1, 2, 3, 4 HAVING sum(delta) <> 0 ORDER BY 1, 2, 3, 4
        ON CONFLICT (facet, value, year, language)
        DO UPDATE SET count = f.count + EXCLUDED.count;
    END IF;
    RETURN NULL;
END $$;

-- The counts of the entries already in the catalogue.
INSERT INTO catalogue_facetcount (facet, value, year, language, count)
SELECT v.facet, v.value, s.year, s.language, count(*)
FROM catalogue_browseentry e, catalogue_facet_values(e) v, catalogue_facet_slices(e) s
GROUP BY 1, 2, 3, 4;
"""

# Back to whole-catalogue counts only (the table is rebuilt by the reversed operations).
UNSLICED_SQL = """
CREATE OR REPLACE FUNCTION catalogue_count_facets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO catalogue_facetcount AS f (facet, value, count)
        SELECT v.facet, v.value, count(*)
        FROM new_rows n, catalogue_facet_values(n) v
        GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (facet, value) DO UPDATE SET count = f.count + EXCLUDED.count;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO catalogue_facetcount AS f (facet, value, count)
        SELECT v.facet, v.value, -count(*)
        FROM old_rows o, catalogue_facet_values(o) v
        GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (facet, value) DO UPDATE SET count = f.count + EXCLUDED.count;
    ELSE
        INSERT INTO catalogue_facetcount AS f (facet, value, count)
        SELECT facet, value, sum(delta) FROM (
            SELECT v.facet, v.value, 1 AS delta FROM new_rows n, catalogue_facet_values(n) v
            UNION ALL
            SELECT v.facet, v.value, -1 FROM old_rows o, catalogue_facet_values(o) v
        ) AS change
        GROUP BY 1, 2 HAVING sum(delta) <> 0 ORDER BY 1, 2
        ON CONFLICT (facet, value) DO UPDATE SET count = f.count + EXCLUDED.count;
    END IF;
    RETURN NULL;
END $$;
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
