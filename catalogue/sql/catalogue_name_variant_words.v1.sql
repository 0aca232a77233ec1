-- catalogue_name_variant_words v1.
-- Trigger function on catalogue_namevariant, statement-level: the words of the new
-- search keys into catalogue_nameword, one INSERT per statement.
CREATE OR REPLACE FUNCTION catalogue_name_variant_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO catalogue_nameword (word)
    SELECT DISTINCT word FROM new_rows, unnest(string_to_array(search_key, ' ')) AS word
    WHERE word <> ''
    ORDER BY word
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
