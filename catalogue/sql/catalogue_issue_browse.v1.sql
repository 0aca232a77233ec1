-- catalogue_issue_browse v1.
-- Trigger function on catalogue_issue, row-level (its trigger fires only when the
-- year, series or order changes): refreshes the issue's articles.
CREATE OR REPLACE FUNCTION catalogue_issue_browse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM catalogue_refresh_browse(
        ARRAY(SELECT id FROM catalogue_article WHERE issue_id = NEW.id));
    RETURN NULL;
END $$;
