-- catalogue_refresh_browse v5.
-- Version 4, and the entry's search vector also holds every wording of the article's
-- keyword concepts (weight A), so that a text query needs no list of matching
-- concepts (migration 0024; catalogue_keyword_browse v2 refreshes the entries of a
-- concept when one of its wordings is added, changed or removed).
CREATE OR REPLACE FUNCTION catalogue_refresh_browse(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM catalogue_browseentry b
    WHERE b.article_id IN (SELECT unnest(ids))
      AND NOT EXISTS (SELECT 1 FROM catalogue_article a WHERE a.id = b.article_id);
    INSERT INTO catalogue_browseentry AS b
        (article_id, series_id, year, issue_id, number_sort, position, section_id,
         language, concepts, irsti, organisations, authors, search_vector)
    SELECT a.id, i.series_id, i.year, a.issue_id, i.number_sort, a.position, a.section_id,
           a.language,
           coalesce((SELECT array_agg(DISTINCT k.concept_id ORDER BY k.concept_id)
                     FROM catalogue_articlekeyword ak
                     JOIN catalogue_keyword k ON k.id = ak.keyword_id
                     WHERE ak.article_id = a.id), '{}'),
           catalogue_irsti_prefixes(a.irsti),
           coalesce((SELECT array_agg(DISTINCT aa.organisation_id ORDER BY aa.organisation_id)
                     FROM catalogue_authorship au
                     JOIN catalogue_authorshipaffiliation aa ON aa.authorship_id = au.id
                     WHERE au.article_id = a.id), '{}'),
           coalesce((SELECT array_agg(DISTINCT au.author_id ORDER BY au.author_id)
                     FROM catalogue_authorship au WHERE au.article_id = a.id), '{}'),
           -- Every wording of the article's keyword concepts, in any language, weighed as a
           -- title: a text query is then one GIN lookup, with no list of matching concepts.
           -- (The wordings' vectors are joined as text: their lexemes are already normalised.)
           a.search_vector || setweight(coalesce(
               (SELECT string_agg(w.search_vector::text, ' ' ORDER BY w.id)::tsvector
                FROM catalogue_keyword w
                -- ANY(ARRAY(...)): the article's concepts listed once, then looked up by
                -- index, whatever the planner's statistics say of the keyword table.
                WHERE w.concept_id = ANY(ARRAY(SELECT k.concept_id
                                               FROM catalogue_articlekeyword ak
                                               JOIN catalogue_keyword k ON k.id = ak.keyword_id
                                               WHERE ak.article_id = a.id))), ''), 'A')
    FROM catalogue_article a
    JOIN catalogue_issue i ON i.id = a.issue_id
    WHERE a.id IN (SELECT unnest(ids))
    ORDER BY a.id
    ON CONFLICT (article_id) DO UPDATE SET
        series_id = EXCLUDED.series_id, year = EXCLUDED.year, issue_id = EXCLUDED.issue_id,
        number_sort = EXCLUDED.number_sort, position = EXCLUDED.position,
        section_id = EXCLUDED.section_id, language = EXCLUDED.language,
        concepts = EXCLUDED.concepts, irsti = EXCLUDED.irsti,
        organisations = EXCLUDED.organisations, authors = EXCLUDED.authors,
        search_vector = EXCLUDED.search_vector
    WHERE (b.series_id, b.year, b.issue_id, b.number_sort, b.position, b.section_id,
           b.language, b.concepts, b.irsti, b.organisations, b.authors, b.search_vector)
        IS DISTINCT FROM
          (EXCLUDED.series_id, EXCLUDED.year, EXCLUDED.issue_id, EXCLUDED.number_sort,
           EXCLUDED.position, EXCLUDED.section_id, EXCLUDED.language, EXCLUDED.concepts,
           EXCLUDED.irsti, EXCLUDED.organisations, EXCLUDED.authors, EXCLUDED.search_vector);
$$;
