-- catalogue_record_datestamp v1.
-- Trigger function, statement-level, on the tables whose rows an article's record
-- shows: its authorships, their affiliations, its keywords and references (insert,
-- update, delete), and the authors, organisations, keywords, sections, issues, series
-- and journals they point to (update). The articles whose records show a row that
-- really changed (compared whole, old against new) get the clock as their datestamp,
-- in the same transaction. Only existing datestamps are updated: an article being
-- deleted loses its datestamp with it. Rows are locked in id order, as every writer
-- does, so that two transactions touching the same articles cannot deadlock.
CREATE OR REPLACE FUNCTION catalogue_record_datestamp() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed_rows jsonb[];
    keys bigint[];
    articles bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        changed_rows := ARRAY(SELECT to_jsonb(n) FROM new_rows n);
    ELSIF TG_OP = 'DELETE' THEN
        changed_rows := ARRAY(SELECT to_jsonb(o) FROM old_rows o);
    ELSE
        changed_rows := ARRAY(
            (SELECT to_jsonb(n) FROM new_rows n EXCEPT SELECT to_jsonb(o) FROM old_rows o)
            UNION ALL
            (SELECT to_jsonb(o) FROM old_rows o EXCEPT SELECT to_jsonb(n) FROM new_rows n));
    END IF;
    IF cardinality(changed_rows) = 0 THEN
        RETURN NULL;
    END IF;
    keys := ARRAY(
        SELECT DISTINCT (r ->> CASE
            WHEN TG_TABLE_NAME IN ('catalogue_authorship', 'catalogue_articlekeyword',
                                   'catalogue_reference') THEN 'article_id'
            WHEN TG_TABLE_NAME = 'catalogue_authorshipaffiliation' THEN 'authorship_id'
            ELSE 'id' END)::bigint
        FROM unnest(changed_rows) r);
    IF TG_TABLE_NAME IN ('catalogue_authorship', 'catalogue_articlekeyword',
                         'catalogue_reference') THEN
        articles := keys;
    ELSIF TG_TABLE_NAME = 'catalogue_authorshipaffiliation' THEN
        articles := ARRAY(SELECT article_id FROM catalogue_authorship WHERE id = ANY(keys));
    ELSIF TG_TABLE_NAME = 'catalogue_author' THEN
        articles := ARRAY(SELECT article_id FROM catalogue_authorship WHERE author_id = ANY(keys));
    ELSIF TG_TABLE_NAME = 'catalogue_organisation' THEN
        articles := ARRAY(
            SELECT au.article_id FROM catalogue_authorshipaffiliation aa
            JOIN catalogue_authorship au ON au.id = aa.authorship_id
            WHERE aa.organisation_id = ANY(keys));
    ELSIF TG_TABLE_NAME = 'catalogue_keyword' THEN
        articles := ARRAY(
            SELECT article_id FROM catalogue_articlekeyword WHERE keyword_id = ANY(keys));
    ELSIF TG_TABLE_NAME = 'catalogue_section' THEN
        articles := ARRAY(SELECT id FROM catalogue_article WHERE section_id = ANY(keys));
    ELSIF TG_TABLE_NAME = 'catalogue_issue' THEN
        articles := ARRAY(SELECT id FROM catalogue_article WHERE issue_id = ANY(keys));
    ELSIF TG_TABLE_NAME = 'catalogue_series' THEN
        articles := ARRAY(
            SELECT a.id FROM catalogue_article a JOIN catalogue_issue i ON i.id = a.issue_id
            WHERE i.series_id = ANY(keys));
    ELSIF TG_TABLE_NAME = 'catalogue_journal' THEN
        articles := ARRAY(
            SELECT a.id FROM catalogue_article a JOIN catalogue_issue i ON i.id = a.issue_id
            JOIN catalogue_series s ON s.id = i.series_id WHERE s.journal_id = ANY(keys));
    ELSE
        RAISE EXCEPTION 'catalogue_record_datestamp: no records read table %', TG_TABLE_NAME;
    END IF;
    UPDATE catalogue_recorddatestamp d SET changed = clock_timestamp()
    FROM (SELECT article_id FROM catalogue_recorddatestamp WHERE article_id = ANY(articles)
          ORDER BY article_id FOR UPDATE) locked
    WHERE d.article_id = locked.article_id;
    RETURN NULL;
END $$;
