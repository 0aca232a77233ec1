-- catalogue_search_slices v1.
-- The slices a browse entry's facet value counts in for a counted search: those of
-- catalogue_facet_slices, but authors and organisations in the whole catalogue only.
CREATE OR REPLACE FUNCTION catalogue_search_slices(e catalogue_browseentry, facet text)
RETURNS TABLE (year smallint, language text) LANGUAGE sql IMMUTABLE AS $$
    SELECT 0::smallint, '*' WHERE facet IN ('author', 'organisation')
    UNION ALL
    SELECT s.year, s.language FROM catalogue_facet_slices(e) s
    WHERE facet NOT IN ('author', 'organisation')
$$;
