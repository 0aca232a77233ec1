-- catalogue_keyword_browse v1.
-- Trigger function on catalogue_keyword, row-level (its trigger fires only when the
-- concept changes): refreshes the articles using the keyword.
CREATE OR REPLACE FUNCTION catalogue_keyword_browse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM catalogue_refresh_browse(ARRAY(
        SELECT article_id FROM catalogue_articlekeyword WHERE keyword_id = NEW.id));
    RETURN NULL;
END $$;
