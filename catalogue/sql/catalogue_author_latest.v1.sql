-- catalogue_author_latest v1.
-- Trigger function on catalogue_browseentry, statement-level: keeps each person's most
-- recent article (catalogue_authorlatest). A new or changed entry replaces a person's
-- latest when it is more recent (a maximum, so concurrent ingests commute); a person
-- whose latest entry the statement removed or changed is looked up again from the
-- entries (catalogue_refresh_author_latest; migration 0026).
CREATE OR REPLACE FUNCTION catalogue_author_latest() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM catalogue_refresh_author_latest(ARRAY(
            SELECT DISTINCT l.author_id
            FROM old_rows o, unnest(o.authors) AS u(author), catalogue_authorlatest l
            WHERE l.author_id = u.author AND l.article_id = o.article_id));
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO catalogue_authorlatest AS l (author_id, article_id, year, number_sort)
        SELECT DISTINCT ON (u.author) u.author, n.article_id, n.year, n.number_sort
        FROM new_rows n, unnest(n.authors) AS u(author)
        ORDER BY u.author, n.year DESC, n.number_sort DESC, n.article_id DESC
        ON CONFLICT (author_id) DO UPDATE SET
            article_id = EXCLUDED.article_id, year = EXCLUDED.year,
            number_sort = EXCLUDED.number_sort
        WHERE (EXCLUDED.year, EXCLUDED.number_sort, EXCLUDED.article_id)
            > (l.year, l.number_sort, l.article_id);
    END IF;
    RETURN NULL;
END $$;
