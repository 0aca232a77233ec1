-- catalogue_count_coauthors v1.
-- Adjusts catalogue_coauthor, the number of articles each two people sign together,
-- for the articles a statement on catalogue_authorship touched: `written` are the ids
-- of the authorships it inserted or updated, (`old_articles`, `old_authors`) the rows
-- it deleted or the updated rows as they were (migration 0025). The pairs after the
-- statement are the articles' authorships now; before it, those less the written ones,
-- plus the old. People sharing no article any more lose their row.
CREATE OR REPLACE FUNCTION catalogue_count_coauthors(
    written bigint[], old_articles bigint[], old_authors bigint[]) RETURNS void
LANGUAGE sql AS $$
    WITH old AS (
        SELECT article_id, author_id FROM unnest(old_articles, old_authors) AS o(article_id, author_id)
    ), touched AS (
        SELECT article_id FROM catalogue_authorship WHERE id = ANY(written)
        UNION SELECT article_id FROM old
    ), after AS (
        SELECT a.article_id, a.author_id FROM catalogue_authorship a
        WHERE a.article_id IN (SELECT article_id FROM touched)
    ), before AS (
        (SELECT article_id, author_id FROM after
         EXCEPT SELECT article_id, author_id FROM catalogue_authorship WHERE id = ANY(written))
        UNION SELECT article_id, author_id FROM old
    ), change AS (
        SELECT x.author_id AS author_id, y.author_id AS coauthor_id, 1 AS delta
        FROM after x JOIN after y ON y.article_id = x.article_id AND y.author_id <> x.author_id
        UNION ALL
        SELECT x.author_id, y.author_id, -1
        FROM before x JOIN before y ON y.article_id = x.article_id AND y.author_id <> x.author_id
    )
    INSERT INTO catalogue_coauthor AS c (author_id, coauthor_id, shared)
    SELECT author_id, coauthor_id, sum(delta) FROM change
    GROUP BY 1, 2 HAVING sum(delta) <> 0 ORDER BY 1, 2
    ON CONFLICT (author_id, coauthor_id) DO UPDATE SET shared = c.shared + EXCLUDED.shared;
    DELETE FROM catalogue_coauthor
    WHERE shared <= 0 AND author_id IN (
        SELECT author_id FROM catalogue_authorship
        WHERE article_id IN (SELECT article_id FROM catalogue_authorship WHERE id = ANY(written)
                             UNION SELECT unnest(old_articles))
        UNION SELECT unnest(old_authors));
$$;
