-- Version 2. After each statement that writes a table public pages read: a transaction's
-- first such statement inserts a row of its own (weight 1) in catalogue_cataloguechange,
-- visible when the writer commits, together with what it wrote; its later statements only
-- count themselves in `catalogue.change_statements` (local to the transaction, and undone
-- with a savepoint that is rolled back, like the insert), which the version read inside
-- the writing transaction includes. Version 1 added 1 to the transaction's row instead:
-- each update left a row version the open transaction could not prune, so a transaction
-- of many statements (an ingest, a test) slowed down with every statement.
-- Every 64th row folds the committed rows before it into one, skipping rows a running
-- fold holds, so the table stays a few rows long and the sum is the same in every snapshot.
CREATE OR REPLACE FUNCTION catalogue_note_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    statements text := current_setting('catalogue.change_statements', true);
    counted bigint;
BEGIN
    IF statements IS NOT NULL AND statements <> '' THEN
        PERFORM set_config('catalogue.change_statements', (statements::bigint + 1)::text, true);
        RETURN NULL;
    END IF;
    INSERT INTO catalogue_cataloguechange (weight) VALUES (1) RETURNING id INTO counted;
    PERFORM set_config('catalogue.change_statements', '1', true);
    IF counted % 64 = 0 THEN
        WITH folded AS (
            DELETE FROM catalogue_cataloguechange WHERE id IN (
                SELECT id FROM catalogue_cataloguechange WHERE id < counted
                FOR UPDATE SKIP LOCKED
            ) RETURNING weight
        )
        INSERT INTO catalogue_cataloguechange (weight)
        SELECT sum(weight) FROM folded HAVING count(*) > 0;
    END IF;
    RETURN NULL;
END;
$$;
