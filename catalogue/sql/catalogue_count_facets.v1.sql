-- catalogue_count_facets v1.
-- Trigger function on catalogue_browseentry, statement-level: adds the difference
-- between the entries before and after the statement to catalogue_facetcount.
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
