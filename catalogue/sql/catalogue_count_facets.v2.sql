-- catalogue_count_facets v2.
-- Version 1, with each value counted in the four slices of catalogue_facet_slices
-- (migration 0007).
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
