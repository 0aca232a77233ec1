-- catalogue_keyword_search_words v1.
-- Trigger function on catalogue_keyword, statement-level: the words of the new keywords
-- (their normalized, lower-cased text; letters only, 4 to 40 of them) into
-- catalogue_searchword; one INSERT per statement.
CREATE OR REPLACE FUNCTION catalogue_keyword_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO catalogue_searchword (word)
    SELECT DISTINCT word
    FROM new_rows, regexp_split_to_table(new_rows.normalized, '[^[:alpha:]]+') AS word
    WHERE length(word) BETWEEN 4 AND 40
    ORDER BY word
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
