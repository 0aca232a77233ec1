-- catalogue_facet_values v3.
-- Version 2, and each author (migration 0021).
CREATE OR REPLACE FUNCTION catalogue_facet_values(e catalogue_browseentry)
RETURNS TABLE (facet text, value text) LANGUAGE sql IMMUTABLE AS $$
    SELECT 'total', ''
    UNION ALL SELECT 'series', e.series_id::text
    UNION ALL SELECT 'year', e.year::text
    UNION ALL SELECT 'issue', e.issue_id::text
    UNION ALL SELECT 'language', e.language WHERE e.language <> ''
    UNION ALL SELECT 'section', e.section_id::text WHERE e.section_id IS NOT NULL
    UNION ALL SELECT 'keyword', concept::text FROM unnest(e.concepts) AS concept
    UNION ALL SELECT 'irsti', prefix FROM unnest(e.irsti) AS prefix
    UNION ALL SELECT 'organisation', organisation::text FROM unnest(e.organisations) AS organisation
    UNION ALL SELECT 'author', author::text FROM unnest(e.authors) AS author
$$;
