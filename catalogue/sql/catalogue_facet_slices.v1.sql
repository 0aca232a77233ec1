-- catalogue_facet_slices v1.
-- The slices a browse entry counts in: the whole catalogue, its year, its language,
-- and its year and language together (year 0 and language '*' mean all).
CREATE OR REPLACE FUNCTION catalogue_facet_slices(e catalogue_browseentry)
RETURNS TABLE (year smallint, language text) LANGUAGE sql IMMUTABLE AS $$
    VALUES (0::smallint, '*'), (e.year, '*'), (0::smallint, e.language), (e.year, e.language)
$$;
