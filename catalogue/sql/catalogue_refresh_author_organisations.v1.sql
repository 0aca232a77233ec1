-- catalogue_refresh_author_organisations v1.
-- Rewrites catalogue_authororganisation, the organisations each person has signed
-- for, for the people given: what their authorships' affiliations say now
-- (migration 0025).
CREATE OR REPLACE FUNCTION catalogue_refresh_author_organisations(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM catalogue_authororganisation WHERE author_id = ANY(ids);
    INSERT INTO catalogue_authororganisation (author_id, organisation_id)
    SELECT DISTINCT au.author_id, aa.organisation_id
    FROM catalogue_authorship au
    JOIN catalogue_authorshipaffiliation aa ON aa.authorship_id = au.id
    WHERE au.author_id = ANY(ids)
    ORDER BY 1, 2;
$$;
