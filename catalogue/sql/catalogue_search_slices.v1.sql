-- catalogue_search_slices v1.
-- The slices a browse entry's facet value counts in for a counted search: those of
-- catalogue_facet_slices, but authors and organisations only in the whole catalogue
-- and in their year (per language they would be most of a common word's rows).
CREATE OR REPLACE FUNCTION catalogue_search_slices(e catalogue_browseentry, facet text)
RETURNS TABLE (year smallint, language text) LANGUAGE sql IMMUTABLE AS $$
    SELECT s.year, s.language FROM catalogue_facet_slices(e) s
    WHERE facet NOT IN ('author', 'organisation') OR s.language = '*'
$$;
