-- catalogue_article_keyword_browse v1.
-- Trigger function on catalogue_articlekeyword, statement-level: refreshes the
-- articles whose keywords were added, moved or removed.
CREATE OR REPLACE FUNCTION catalogue_article_keyword_browse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM catalogue_refresh_browse(ARRAY(SELECT DISTINCT article_id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM catalogue_refresh_browse(ARRAY(SELECT DISTINCT article_id FROM old_rows));
    ELSE
        PERFORM catalogue_refresh_browse(ARRAY(
            SELECT article_id FROM new_rows UNION SELECT article_id FROM old_rows));
    END IF;
    RETURN NULL;
END $$;
