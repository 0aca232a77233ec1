-- catalogue_keyword_browse v2.
-- Trigger function on catalogue_keyword, row-level, for inserts, deletes and updates
-- of the concept or the text: every entry whose article has the keyword's concept
-- (before or after the change) is refreshed, since each entry's search vector holds
-- every wording of its concepts (catalogue_refresh_browse v5, migration 0024).
CREATE OR REPLACE FUNCTION catalogue_keyword_browse() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        changed := ARRAY[NEW.concept_id];
    ELSIF TG_OP = 'DELETE' THEN
        changed := ARRAY[OLD.concept_id];
    ELSE
        changed := ARRAY[OLD.concept_id, NEW.concept_id];
    END IF;
    PERFORM catalogue_refresh_browse(ARRAY(
        SELECT article_id FROM catalogue_browseentry WHERE concepts && changed));
    RETURN NULL;
END $$;
