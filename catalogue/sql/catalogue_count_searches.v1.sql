-- catalogue_count_searches v1.
-- Statement trigger on catalogue_browseentry: the counts of each counted search
-- (catalogue_countedsearch) whose query the changed entries match, before or after,
-- as catalogue_count_facets keeps FacetCount's. Nothing to do while no search is counted.
CREATE OR REPLACE FUNCTION catalogue_count_searches() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM catalogue_countedsearch WHERE counted) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO catalogue_searchfacetcount AS f (search_id, facet, value, year, language, count)
        SELECT c.id, v.facet, v.value, s.year, s.language, count(*)
        FROM catalogue_countedsearch c JOIN new_rows n ON n.search_vector @@ c.query::tsquery,
            catalogue_facet_values(n) v, catalogue_search_slices(n, v.facet) s
        WHERE c.counted
        GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (search_id, facet, value, year, language)
        DO UPDATE SET count = f.count + EXCLUDED.count;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO catalogue_searchfacetcount AS f (search_id, facet, value, year, language, count)
        SELECT c.id, v.facet, v.value, s.year, s.language, -count(*)
        FROM catalogue_countedsearch c JOIN old_rows o ON o.search_vector @@ c.query::tsquery,
            catalogue_facet_values(o) v, catalogue_search_slices(o, v.facet) s
        WHERE c.counted
        GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (search_id, facet, value, year, language)
        DO UPDATE SET count = f.count + EXCLUDED.count;
    ELSE
        INSERT INTO catalogue_searchfacetcount AS f (search_id, facet, value, year, language, count)
        SELECT search_id, facet, value, year, language, sum(delta) FROM (
            SELECT c.id AS search_id, v.facet, v.value, s.year, s.language, 1 AS delta
            FROM catalogue_countedsearch c JOIN new_rows n ON n.search_vector @@ c.query::tsquery,
                catalogue_facet_values(n) v, catalogue_search_slices(n, v.facet) s
            WHERE c.counted
            UNION ALL
            SELECT c.id, v.facet, v.value, s.year, s.language, -1
            FROM catalogue_countedsearch c JOIN old_rows o ON o.search_vector @@ c.query::tsquery,
                catalogue_facet_values(o) v, catalogue_search_slices(o, v.facet) s
            WHERE c.counted
        ) AS change
        GROUP BY 1, 2, 3, 4, 5 HAVING sum(delta) <> 0 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (search_id, facet, value, year, language)
        DO UPDATE SET count = f.count + EXCLUDED.count;
    END IF;
    RETURN NULL;
END $$;
