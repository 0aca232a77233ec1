from django.db import migrations

from catalogue import sql

# Functions come from their versioned files in catalogue/sql/ (see its README.md).

# Every wording of an article's keyword concepts joins its entry's search vector, so a
# text query is one lookup in the entries' GIN index. Before, a query's matching
# concepts were listed first and OR-ed with it: a common word matched some 1,500
# concepts at a million articles, and that OR alone took seconds.

# Only the entries' search vectors change, so their facet counts stay as they are: the
# count trigger is off while every entry is rewritten (at a million articles it would
# compare some thirty million facet values before and after, to find no difference).
REFRESH_VECTORS = """
ALTER TABLE catalogue_browseentry DISABLE TRIGGER browse_count_update;
SELECT catalogue_refresh_browse(ARRAY(SELECT id FROM catalogue_article));
ALTER TABLE catalogue_browseentry ENABLE TRIGGER browse_count_update;
"""

WORDINGS_SQL = f"""
{sql.replace('catalogue_refresh_browse', 5)}

{sql.replace('catalogue_keyword_browse', 2)}
DROP TRIGGER keyword_browse_update ON catalogue_keyword;
CREATE TRIGGER keyword_browse_update AFTER UPDATE ON catalogue_keyword FOR EACH ROW
    WHEN (OLD.concept_id IS DISTINCT FROM NEW.concept_id
          OR OLD.search_vector IS DISTINCT FROM NEW.search_vector)
    EXECUTE FUNCTION catalogue_keyword_browse();
CREATE TRIGGER keyword_browse_insert AFTER INSERT ON catalogue_keyword FOR EACH ROW
    EXECUTE FUNCTION catalogue_keyword_browse();
CREATE TRIGGER keyword_browse_delete AFTER DELETE ON catalogue_keyword FOR EACH ROW
    EXECUTE FUNCTION catalogue_keyword_browse();

{REFRESH_VECTORS}
"""

PREVIOUS_SQL = f"""
DROP TRIGGER keyword_browse_insert ON catalogue_keyword;
DROP TRIGGER keyword_browse_delete ON catalogue_keyword;
DROP TRIGGER keyword_browse_update ON catalogue_keyword;
CREATE TRIGGER keyword_browse_update AFTER UPDATE ON catalogue_keyword FOR EACH ROW
    WHEN (OLD.concept_id IS DISTINCT FROM NEW.concept_id)
    EXECUTE FUNCTION catalogue_keyword_browse();
{sql.replace('catalogue_keyword_browse', 1)}

{sql.replace('catalogue_refresh_browse', 4)}

{REFRESH_VECTORS}
"""


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0023_page_cache_table")]

    operations = [migrations.RunSQL(WORDINGS_SQL, PREVIOUS_SQL)]
