import django.contrib.postgres.indexes
from django.db import migrations, models

from catalogue import sql

# Functions come from their versioned files in catalogue/sql/ (see its README.md).

# The distinct words of the titles and keywords, kept by statement-level triggers (one
# INSERT per statement however many rows it writes, COPY included), and filled once here.
WORDS_SQL = f"""
{sql.create('catalogue_article_search_words')}
{sql.create('catalogue_keyword_search_words')}
CREATE TRIGGER article_search_words_insert AFTER INSERT ON catalogue_article
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION catalogue_article_search_words();
CREATE TRIGGER article_search_words_update AFTER UPDATE ON catalogue_article
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION catalogue_article_search_words();
CREATE TRIGGER keyword_search_words_insert AFTER INSERT ON catalogue_keyword
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION catalogue_keyword_search_words();
CREATE TRIGGER keyword_search_words_update AFTER UPDATE ON catalogue_keyword
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION catalogue_keyword_search_words();
INSERT INTO catalogue_searchword (word)
SELECT word FROM catalogue_article,
    unnest(ARRAY[title_en, title_kk, title_ru]) AS title,
    regexp_split_to_table(lower(title), '[^[:alpha:]]+') AS word
WHERE length(word) BETWEEN 4 AND 40
UNION
SELECT word FROM catalogue_keyword, regexp_split_to_table(normalized, '[^[:alpha:]]+') AS word
WHERE length(word) BETWEEN 4 AND 40;
"""

DROP_WORDS_SQL = """
DROP TRIGGER article_search_words_insert ON catalogue_article;
DROP TRIGGER article_search_words_update ON catalogue_article;
DROP TRIGGER keyword_search_words_insert ON catalogue_keyword;
DROP TRIGGER keyword_search_words_update ON catalogue_keyword;
DROP FUNCTION catalogue_article_search_words();
DROP FUNCTION catalogue_keyword_search_words();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0017_licences"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("word", models.CharField(max_length=40, primary_key=True, serialize=False)),
            ],
        ),
        migrations.AddIndex(
            model_name="searchword",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["word"], name="search_word_trgm", opclasses=["gin_trgm_ops"]
            ),
        ),
        migrations.RunSQL(WORDS_SQL, DROP_WORDS_SQL),
    ]
