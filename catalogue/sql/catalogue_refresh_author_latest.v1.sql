-- catalogue_refresh_author_latest v1.
-- Rewrites catalogue_authorlatest, each person's most recent article (latest year, then
-- issue, then id), for the people given, from the browse entries: the author search
-- shows the affiliation of that article without walking thousands of a prolific
-- author's authorships (migration 0026). A row a concurrent transaction wrote first is
-- kept if it is the more recent.
CREATE OR REPLACE FUNCTION catalogue_refresh_author_latest(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM catalogue_authorlatest WHERE author_id = ANY(ids);
    INSERT INTO catalogue_authorlatest AS l (author_id, article_id, year, number_sort)
    SELECT DISTINCT ON (u.author) u.author, b.article_id, b.year, b.number_sort
    FROM catalogue_browseentry b, unnest(b.authors) AS u(author)
    WHERE b.authors && ids AND u.author = ANY(ids)
    ORDER BY u.author, b.year DESC, b.number_sort DESC, b.article_id DESC
    ON CONFLICT (author_id) DO UPDATE SET
        article_id = EXCLUDED.article_id, year = EXCLUDED.year,
        number_sort = EXCLUDED.number_sort
    WHERE (EXCLUDED.year, EXCLUDED.number_sort, EXCLUDED.article_id)
        > (l.year, l.number_sort, l.article_id);
$$;
