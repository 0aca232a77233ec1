-- catalogue_authorship_browse v1.
-- Trigger function on catalogue_authorship, statement-level: an authorship removed
-- or moved to another article takes its affiliations with it.
CREATE OR REPLACE FUNCTION catalogue_authorship_browse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM catalogue_refresh_browse(ARRAY(SELECT DISTINCT article_id FROM old_rows));
    ELSE
        PERFORM catalogue_refresh_browse(ARRAY(
            SELECT article_id FROM new_rows UNION SELECT article_id FROM old_rows));
    END IF;
    RETURN NULL;
END $$;
