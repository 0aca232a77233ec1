-- catalogue_affiliation_browse v1.
-- Trigger function on catalogue_authorshipaffiliation, statement-level: an author's
-- affiliations added, changed (an organisation merge) or removed.
CREATE OR REPLACE FUNCTION catalogue_affiliation_browse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM catalogue_refresh_browse(ARRAY(
            SELECT DISTINCT au.article_id FROM new_rows n
            JOIN catalogue_authorship au ON au.id = n.authorship_id));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM catalogue_refresh_browse(ARRAY(
            SELECT DISTINCT au.article_id FROM old_rows o
            JOIN catalogue_authorship au ON au.id = o.authorship_id));
    ELSE
        PERFORM catalogue_refresh_browse(ARRAY(
            SELECT au.article_id FROM new_rows n
            JOIN catalogue_authorship au ON au.id = n.authorship_id
            UNION
            SELECT au.article_id FROM old_rows o
            JOIN catalogue_authorship au ON au.id = o.authorship_id));
    END IF;
    RETURN NULL;
END $$;
