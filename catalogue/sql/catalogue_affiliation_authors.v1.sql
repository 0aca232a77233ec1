-- catalogue_affiliation_authors v1.
-- Trigger function on catalogue_authorshipaffiliation and on updates of
-- catalogue_authorship, statement-level: the organisations of the people whose
-- affiliations were added, changed or removed, or whose authorships moved to another
-- person (catalogue_refresh_author_organisations; migration 0025).
CREATE OR REPLACE FUNCTION catalogue_affiliation_authors() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'catalogue_authorship' THEN
        PERFORM catalogue_refresh_author_organisations(ARRAY(
            SELECT n.author_id FROM new_rows n JOIN old_rows o USING (id)
            WHERE n.author_id <> o.author_id
            UNION SELECT o.author_id FROM new_rows n JOIN old_rows o USING (id)
            WHERE n.author_id <> o.author_id));
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM catalogue_refresh_author_organisations(ARRAY(
            SELECT DISTINCT au.author_id FROM new_rows n
            JOIN catalogue_authorship au ON au.id = n.authorship_id));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM catalogue_refresh_author_organisations(ARRAY(
            SELECT DISTINCT au.author_id FROM old_rows o
            JOIN catalogue_authorship au ON au.id = o.authorship_id));
    ELSE
        PERFORM catalogue_refresh_author_organisations(ARRAY(
            SELECT au.author_id FROM new_rows n
            JOIN catalogue_authorship au ON au.id = n.authorship_id
            UNION
            SELECT au.author_id FROM old_rows o
            JOIN catalogue_authorship au ON au.id = o.authorship_id));
    END IF;
    RETURN NULL;
END $$;
