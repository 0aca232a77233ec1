-- catalogue_article_browse v1.
-- Trigger function on catalogue_article, statement-level: refreshes the entries of
-- the articles inserted, updated or deleted, a COPY of thousands of rows in one go.
CREATE OR REPLACE FUNCTION catalogue_article_browse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM catalogue_refresh_browse(ARRAY(SELECT id FROM old_rows));
    ELSE
        PERFORM catalogue_refresh_browse(ARRAY(SELECT id FROM new_rows));
    END IF;
    RETURN NULL;
END $$;
