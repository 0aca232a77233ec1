-- catalogue_irsti_prefixes v1.
-- Every prefix of every IRSTI code ('11.25.40' gives 11, 11.25 and 11.25.40), so
-- that browsing a broad heading finds the articles filed under its narrower ones.
CREATE OR REPLACE FUNCTION catalogue_irsti_prefixes(codes text[]) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(array_agg(DISTINCT prefix ORDER BY prefix), '{}')
    FROM unnest(codes) AS code,
         generate_series(1, cardinality(string_to_array(code, '.'))) AS level,
         array_to_string((string_to_array(code, '.'))[1:level], '.') AS prefix
    WHERE prefix <> ''
$$;
