-- catalogue_authorship_coauthors v1.
-- Trigger function on catalogue_authorship, statement-level: the co-author counts of
-- the people whose authorships the statement added, removed, or moved to another
-- article or person (catalogue_count_coauthors; migration 0025).
CREATE OR REPLACE FUNCTION catalogue_authorship_coauthors() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM catalogue_count_coauthors(ARRAY(SELECT id FROM new_rows), '{}', '{}');
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM catalogue_count_coauthors('{}',
            ARRAY(SELECT article_id FROM old_rows ORDER BY id),
            ARRAY(SELECT author_id FROM old_rows ORDER BY id));
    ELSIF EXISTS (SELECT 1 FROM new_rows n JOIN old_rows o USING (id)
                  WHERE (n.article_id, n.author_id) IS DISTINCT FROM (o.article_id, o.author_id)) THEN
        PERFORM catalogue_count_coauthors(ARRAY(SELECT id FROM new_rows),
            ARRAY(SELECT article_id FROM old_rows ORDER BY id),
            ARRAY(SELECT author_id FROM old_rows ORDER BY id));
    END IF;
    RETURN NULL;
END $$;
