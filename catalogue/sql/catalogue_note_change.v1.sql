-- Version 1. After each statement that writes a table public pages read: count it in
-- catalogue_cataloguechange. A transaction's first such statement inserts a row of its own
-- (weight 1), its later ones add 1 to that row. The row becomes visible when the writer
-- commits, together with what it wrote, so the sum of the weights (the catalogue's version,
-- catalogue.pagecache) moves exactly when a reader can see a change, within the writing
-- transaction too; writers never wait on one another, since each writes a row of its own.
-- `catalogue.change_row` (local to the transaction, and undone with a savepoint that is
-- rolled back, like the insert) holds the transaction's row. Every 64th row folds the
-- committed rows before it into one, skipping rows a running fold holds, so the table stays
-- a few rows long and the sum is the same in every snapshot.
CREATE OR REPLACE FUNCTION catalogue_note_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    mine text := current_setting('catalogue.change_row', true);
    counted bigint;
BEGIN
    IF mine IS NOT NULL AND mine <> '' THEN
        UPDATE catalogue_cataloguechange SET weight = weight + 1 WHERE id = mine::bigint;
        RETURN NULL;
    END IF;
    INSERT INTO catalogue_cataloguechange (weight) VALUES (1) RETURNING id INTO counted;
    PERFORM set_config('catalogue.change_row', counted::text, true);
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
