-- catalogue_article_datestamp v1.
-- Trigger function on catalogue_article, statement-level (insert and update): the
-- datestamp of each article's record (catalogue_recorddatestamp, what OAI-PMH and the
-- sitemap give) follows the article's own changes. A new article, or one whose
-- `updated` was set, takes that value; a row changed without touching `updated` takes
-- the clock. An update that leaves a row as it was changes nothing.
CREATE OR REPLACE FUNCTION catalogue_article_datestamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO catalogue_recorddatestamp (article_id, changed)
        SELECT id, updated FROM new_rows ORDER BY id
        ON CONFLICT (article_id) DO UPDATE SET changed = EXCLUDED.changed;
    ELSE
        INSERT INTO catalogue_recorddatestamp (article_id, changed)
        SELECT n.id, CASE WHEN n.updated IS DISTINCT FROM o.updated
                          THEN n.updated ELSE clock_timestamp() END
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE to_jsonb(n) IS DISTINCT FROM to_jsonb(o)
        ORDER BY n.id
        ON CONFLICT (article_id) DO UPDATE SET changed = EXCLUDED.changed;
    END IF;
    RETURN NULL;
END $$;
