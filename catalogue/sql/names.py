"""Names of the database's functions and triggers, for the Python code that calls, turns off
or checks them. The functions are defined in the .sql files beside this module, the triggers
in the migrations; tests check that these names match both."""

from typing import NamedTuple

IRSTI_PREFIXES = "catalogue_irsti_prefixes"
REFRESH_BROWSE = "catalogue_refresh_browse"
FACET_VALUES = "catalogue_facet_values"
FACET_SLICES = "catalogue_facet_slices"
COUNT_COAUTHORS = "catalogue_count_coauthors"
REFRESH_AUTHOR_ORGANISATIONS = "catalogue_refresh_author_organisations"
REFRESH_AUTHOR_LATEST = "catalogue_refresh_author_latest"
SEARCH_SLICES = "catalogue_search_slices"

# Trigger functions.
ARTICLE_BROWSE = "catalogue_article_browse"
ARTICLE_KEYWORD_BROWSE = "catalogue_article_keyword_browse"
ISSUE_BROWSE = "catalogue_issue_browse"
KEYWORD_BROWSE = "catalogue_keyword_browse"
AUTHORSHIP_BROWSE = "catalogue_authorship_browse"
AFFILIATION_BROWSE = "catalogue_affiliation_browse"
AUTHORSHIP_COAUTHORS = "catalogue_authorship_coauthors"
AFFILIATION_AUTHORS = "catalogue_affiliation_authors"
AUTHOR_LATEST = "catalogue_author_latest"
COUNT_FACETS = "catalogue_count_facets"
COUNT_SEARCHES = "catalogue_count_searches"
NAME_VARIANT_WORDS = "catalogue_name_variant_words"
ARTICLE_SEARCH_WORDS = "catalogue_article_search_words"
KEYWORD_SEARCH_WORDS = "catalogue_keyword_search_words"
BUMP_VERSION = "catalogue_bump_version"
ARTICLE_DATESTAMP = "catalogue_article_datestamp"
RECORD_DATESTAMP = "catalogue_record_datestamp"
ARTICLE_TOMBSTONE = "catalogue_article_tombstone"
NOTE_CHANGE = "catalogue_note_change"

FUNCTIONS = frozenset(
    {
        IRSTI_PREFIXES,
        REFRESH_BROWSE,
        FACET_VALUES,
        FACET_SLICES,
        COUNT_COAUTHORS,
        REFRESH_AUTHOR_ORGANISATIONS,
        REFRESH_AUTHOR_LATEST,
        SEARCH_SLICES,
        ARTICLE_BROWSE,
        ARTICLE_KEYWORD_BROWSE,
        ISSUE_BROWSE,
        KEYWORD_BROWSE,
        AUTHORSHIP_BROWSE,
        AFFILIATION_BROWSE,
        AUTHORSHIP_COAUTHORS,
        AFFILIATION_AUTHORS,
        AUTHOR_LATEST,
        COUNT_FACETS,
        COUNT_SEARCHES,
        NAME_VARIANT_WORDS,
        ARTICLE_SEARCH_WORDS,
        KEYWORD_SEARCH_WORDS,
        BUMP_VERSION,
        ARTICLE_DATESTAMP,
        RECORD_DATESTAMP,
        ARTICLE_TOMBSTONE,
        NOTE_CHANGE,
    }
)


# Tables whose rows count their changes (catalogue.models.Versioned).
VERSIONED_MODELS = (
    "article",
    "author",
    "authorship",
    "issue",
    "journal",
    "keyword",
    "keywordconcept",
    "namevariant",
    "organisation",
    "section",
    "series",
)


# Tables whose every write moves the catalogue's version (catalogue_note_change): all the
# tables a public page, feed, harvest or the API reads, derived ones included.
PUBLIC_TABLES = (
    "journal",
    "series",
    "issue",
    "section",
    "organisation",
    "author",
    "mergedauthor",
    "namevariant",
    "nameword",
    "searchword",
    "keywordconcept",
    "keyword",
    "irstisubject",
    "article",
    "recorddatestamp",
    "oaitombstone",
    "authorship",
    "authorshipaffiliation",
    "articlekeyword",
    "reference",
    "sourcedocument",
    "articlesource",
    "ingestwarning",
    "browseentry",
    "facetcount",
    "searchfacetcount",
    "coauthor",
    "authororganisation",
    "authorlatest",
)


class Trigger(NamedTuple):
    table: str
    name: str
    function: str


TRIGGERS = frozenset(
    {
        Trigger("catalogue_article", "article_browse_insert", ARTICLE_BROWSE),
        Trigger("catalogue_article", "article_browse_update", ARTICLE_BROWSE),
        Trigger("catalogue_article", "article_browse_delete", ARTICLE_BROWSE),
        Trigger(
            "catalogue_articlekeyword", "article_keyword_browse_insert", ARTICLE_KEYWORD_BROWSE
        ),
        Trigger(
            "catalogue_articlekeyword", "article_keyword_browse_update", ARTICLE_KEYWORD_BROWSE
        ),
        Trigger(
            "catalogue_articlekeyword", "article_keyword_browse_delete", ARTICLE_KEYWORD_BROWSE
        ),
        Trigger("catalogue_issue", "issue_browse_update", ISSUE_BROWSE),
        Trigger("catalogue_keyword", "keyword_browse_insert", KEYWORD_BROWSE),
        Trigger("catalogue_keyword", "keyword_browse_update", KEYWORD_BROWSE),
        Trigger("catalogue_keyword", "keyword_browse_delete", KEYWORD_BROWSE),
        Trigger("catalogue_authorship", "authorship_browse_insert", AUTHORSHIP_BROWSE),
        Trigger("catalogue_authorship", "authorship_browse_update", AUTHORSHIP_BROWSE),
        Trigger("catalogue_authorship", "authorship_browse_delete", AUTHORSHIP_BROWSE),
        *(
            Trigger("catalogue_authorship", f"authorship_coauthors_{event}", AUTHORSHIP_COAUTHORS)
            for event in ("insert", "update", "delete")
        ),
        *(
            Trigger(
                "catalogue_authorshipaffiliation",
                f"affiliation_authors_{event}",
                AFFILIATION_AUTHORS,
            )
            for event in ("insert", "update", "delete")
        ),
        Trigger("catalogue_authorship", "authorship_organisations_update", AFFILIATION_AUTHORS),
        Trigger("catalogue_authorshipaffiliation", "affiliation_browse_insert", AFFILIATION_BROWSE),
        Trigger("catalogue_authorshipaffiliation", "affiliation_browse_update", AFFILIATION_BROWSE),
        Trigger("catalogue_authorshipaffiliation", "affiliation_browse_delete", AFFILIATION_BROWSE),
        Trigger("catalogue_browseentry", "browse_count_insert", COUNT_FACETS),
        Trigger("catalogue_browseentry", "browse_count_update", COUNT_FACETS),
        Trigger("catalogue_browseentry", "browse_count_delete", COUNT_FACETS),
        *(
            Trigger("catalogue_browseentry", f"browse_search_count_{event}", COUNT_SEARCHES)
            for event in ("insert", "update", "delete")
        ),
        *(
            Trigger("catalogue_browseentry", f"browse_author_latest_{event}", AUTHOR_LATEST)
            for event in ("insert", "update", "delete")
        ),
        Trigger("catalogue_namevariant", "name_variant_words_insert", NAME_VARIANT_WORDS),
        Trigger("catalogue_namevariant", "name_variant_words_update", NAME_VARIANT_WORDS),
        Trigger("catalogue_article", "article_search_words_insert", ARTICLE_SEARCH_WORDS),
        Trigger("catalogue_article", "article_search_words_update", ARTICLE_SEARCH_WORDS),
        Trigger("catalogue_keyword", "keyword_search_words_insert", KEYWORD_SEARCH_WORDS),
        Trigger("catalogue_keyword", "keyword_search_words_update", KEYWORD_SEARCH_WORDS),
        Trigger("catalogue_article", "article_datestamp_insert", ARTICLE_DATESTAMP),
        Trigger("catalogue_article", "article_datestamp_update", ARTICLE_DATESTAMP),
        Trigger("catalogue_article", "article_tombstone_delete", ARTICLE_TOMBSTONE),
        *(
            Trigger(f"catalogue_{table}", f"{short}_datestamp_{event}", RECORD_DATESTAMP)
            for table, short in (
                ("authorship", "authorship"),
                ("authorshipaffiliation", "affiliation"),
                ("articlekeyword", "article_keyword"),
                ("reference", "reference"),
            )
            for event in ("insert", "update", "delete")
        ),
        *(
            Trigger(f"catalogue_{table}", f"{table}_datestamp_update", RECORD_DATESTAMP)
            for table in (
                "author",
                "organisation",
                "keyword",
                "section",
                "issue",
                "series",
                "journal",
            )
        ),
    }
    | {
        Trigger(f"catalogue_{model}", f"{model}_version", BUMP_VERSION)
        for model in VERSIONED_MODELS
    }
    | {
        Trigger(f"catalogue_{table}", f"{table}_note_change", NOTE_CHANGE)
        for table in PUBLIC_TABLES
    }
)
