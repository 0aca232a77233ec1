-- catalogue_article_tombstone v1.
-- Trigger function, statement-level, after DELETE on catalogue_article: every deleted
-- article leaves a tombstone (catalogue_oaitombstone) with the journal and series it
-- was in and the clock as its deletion time, in the same transaction, so that OAI-PMH
-- reports it as deleted (deletedRecord "persistent"). The issue and series are read as
-- they are at the deletion (a cascade deletes articles before their issue); sets that
-- are gone already are left empty. An id deleted again (restored from a backup and
-- deleted once more) gets the new time. The deleted articles' datestamps go too: a
-- cascade can write one again after Django deleted it (deleting a journal first sets
-- its articles' section to NULL, which the datestamp trigger records), and a datestamp
-- left pointing at no article would fail the transaction at commit.
CREATE OR REPLACE FUNCTION catalogue_article_tombstone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO catalogue_oaitombstone (article_id, journal_id, series_id, deleted, merged_into)
    SELECT o.id, s.journal_id, s.id, clock_timestamp(), NULL
    FROM old_rows o
    LEFT JOIN catalogue_issue i ON i.id = o.issue_id
    LEFT JOIN catalogue_series s ON s.id = i.series_id
    ORDER BY o.id
    ON CONFLICT (article_id) DO UPDATE
        SET journal_id = EXCLUDED.journal_id, series_id = EXCLUDED.series_id,
            deleted = EXCLUDED.deleted, merged_into = NULL;
    DELETE FROM catalogue_recorddatestamp WHERE article_id IN (SELECT id FROM old_rows);
    RETURN NULL;
END $$;
