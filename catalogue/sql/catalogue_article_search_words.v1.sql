-- catalogue_article_search_words v1.
-- Trigger function on catalogue_article, statement-level: the words of the new titles
-- (any language, lower-cased, letters only, 4 to 40 of them) into catalogue_searchword,
-- the vocabulary "did you mean" draws on; one INSERT per statement.
CREATE OR REPLACE FUNCTION catalogue_article_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO catalogue_searchword (word)
    SELECT DISTINCT word
    FROM new_rows,
        unnest(ARRAY[new_rows.title_en, new_rows.title_kk, new_rows.title_ru]) AS title,
        regexp_split_to_table(lower(title), '[^[:alpha:]]+') AS word
    WHERE length(word) BETWEEN 4 AND 40
    ORDER BY word
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
