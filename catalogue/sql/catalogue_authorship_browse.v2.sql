-- catalogue_authorship_browse v2.
-- Trigger function on catalogue_authorship, statement-level: an authorship added,
-- removed, or moved to another article or person changes the entry's authors and
-- organisations. Version 1 handled only updates and deletes (migration 0021).
CREATE OR REPLACE FUNCTION catalogue_authorship_browse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM catalogue_refresh_browse(ARRAY(SELECT DISTINCT article_id FROM old_rows));
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM catalogue_refresh_browse(ARRAY(SELECT DISTINCT article_id FROM new_rows));
    ELSE
        PERFORM catalogue_refresh_browse(ARRAY(
            SELECT article_id FROM new_rows UNION SELECT article_id FROM old_rows));
    END IF;
    RETURN NULL;
END $$;
