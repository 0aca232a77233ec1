"""The JSON API described as OpenAPI 3.1, served at /api/openapi.json.

Articles are the export format (catalogue/parsing/json_export.schema.json),
whose definitions are taken in whole as components, so the API, the export and
this description cannot drift apart; OpenAPI 3.1 schemas are JSON Schema 2020-12.
"""

import copy
import json
from functools import cache
from pathlib import Path

from django.views.decorators.http import require_safe

from .api import KEYWORD_FACET_SIZE, PAGE_SIZE, json_response
from .filters import SORTS, ArticleFilter
from .middleware import MAX_VALUE_LENGTH, MAX_VALUES_PER_PARAMETER

EXPORT_SCHEMA = Path(__file__).parent / "parsing" / "json_export.schema.json"
MAX_ID = 2**63 - 1
# Parameters never hold NUL (PostgreSQL text cannot); a name needs a letter that is not a space.
NO_NUL = "^[^\\u0000]*$"
SOME_TEXT = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"


def _components_refs(node):
    """ "#/$defs/x" -> "#/components/schemas/x", throughout."""
    if isinstance(node, dict):
        return {
            key: (
                value.replace("#/$defs/", "#/components/schemas/")
                if key == "$ref" and isinstance(value, str)
                else _components_refs(value)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_components_refs(item) for item in node]
    return node


def _bounded(parameters: list[dict]) -> list[dict]:
    """The bounds every public query string keeps (catalogue.middleware), written into
    each parameter, so that what the description allows the API also takes."""
    bounded = copy.deepcopy(parameters)
    for parameter in bounded:
        schema = parameter["schema"]
        if schema.get("type") == "array":
            schema["maxItems"] = MAX_VALUES_PER_PARAMETER
            schema = schema["items"]
        if schema.get("type") == "string" or "enum" not in schema and "type" not in schema:
            schema.setdefault("maxLength", MAX_VALUE_LENGTH)
    return bounded


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error(description: str) -> dict:
    return _json(description, _ref("Error"))


ERRORS = {
    "400": _error("Bad parameters: the message (and `errors`, per parameter) says which."),
    "405": _error("A method other than GET, HEAD or OPTIONS."),
    "503": _error("The database is briefly unavailable; `Retry-After` says when to retry."),
}


def _id_list(name: str, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "description": f"{description} Repeat to OR several.",
        "schema": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": MAX_ID}},
        "style": "form",
        "explode": True,
    }


BROWSE_PARAMETERS = [
    {
        "name": "q",
        "in": "query",
        "description": "Words to search for in titles and abstracts, in any of the languages.",
        "schema": {"type": "string", "pattern": NO_NUL},
    },
    _id_list("series", "Series id."),
    {
        "name": "year",
        "in": "query",
        "description": "Year of the issue. Repeat to OR several.",
        "schema": {"type": "array", "items": {"type": "integer", "minimum": 1800, "maximum": 2200}},
        "style": "form",
        "explode": True,
    },
    {
        "name": "year_from",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1800, "maximum": 2200},
    },
    {
        "name": "year_to",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1800, "maximum": 2200},
    },
    _id_list("keyword", "Keyword concept id (the same keyword in every language)."),
    {
        "name": "language",
        "in": "query",
        "description": "Language of the article. Repeat to OR several.",
        "schema": {"type": "array", "items": {"enum": ["en", "kk", "ru"]}},
        "style": "form",
        "explode": True,
    },
    _id_list("issue", "Issue id."),
    _id_list("section", "Section id."),
    _id_list("author", "Author id: articles by this person."),
    _id_list("organisation", "Organisation id: articles with an author affiliated to it."),
    {
        "name": "irsti",
        "in": "query",
        "description": "IRSTI subject code or prefix (11, 11.25, 11.25.91). Repeat to OR several.",
        "schema": {
            "type": "array",
            "items": {"type": "string", "pattern": r"^\d{2}(\.\d{2}){0,2}$"},
        },
        "style": "form",
        "explode": True,
    },
    {
        "name": "sort",
        "in": "query",
        "description": "Default: relevance for a search, else newest first.",
        "schema": {"enum": list(SORTS)},
    },
    {
        "name": "page",
        "in": "query",
        "description": f"Page of {PAGE_SIZE} results, from 1; past the last is a 404.",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    },
]

API_SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {"type": "string"},
            "errors": {
                "type": "object",
                "description": "Per parameter, what was wrong with it.",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
        },
    },
    "ApiArticle": {
        "description": "An article in the export format, with its id in the catalogue.",
        "allOf": [
            _ref("article"),
            {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "integer", "minimum": 1}},
            },
        ],
    },
    "FacetValue": {
        "type": "object",
        "required": ["value", "label", "count"],
        "properties": {
            "value": {
                "description": "What to pass as the parameter of the same name.",
                "type": ["integer", "string"],
            },
            "label": {"type": "string"},
            "count": {"type": "integer", "minimum": 0},
        },
    },
    "ArticleList": {
        "type": "object",
        "required": ["count", "count_complete", "page", "pages", "results", "facets"],
        "properties": {
            "count": {"type": "integer", "minimum": 0},
            "count_complete": {
                "type": "boolean",
                "description": "False when a text search matched so much of the catalogue "
                "that its facets could not all be counted in time: `count` then stops at "
                "10,001 (more than 10,000) and the facets that ran out of time are empty.",
            },
            "page": {"type": "integer", "minimum": 1},
            "pages": {"type": "integer", "minimum": 1},
            "results": {"type": "array", "maxItems": PAGE_SIZE, "items": _ref("ApiArticle")},
            "facets": {
                "type": "object",
                "description": "Per browse parameter, the values and how many results each "
                f"would give with the other filters applied (keywords: the {KEYWORD_FACET_SIZE} "
                "most frequent).",
                "propertyNames": {"enum": list(ArticleFilter.FACETS)},
                "additionalProperties": {"type": "array", "items": _ref("FacetValue")},
            },
        },
    },
    "AuthorResult": {
        "type": "object",
        "required": ["author_id", "name", "matched", "articles", "orcid"],
        "properties": {
            "author_id": {"type": "integer", "minimum": 1},
            "name": {
                "type": "object",
                "description": "The person's printed name per language.",
                "propertyNames": {"enum": ["en", "kk", "ru"]},
                "additionalProperties": {"type": "string"},
            },
            "matched": {"type": "string", "description": "The printed form that matched best."},
            "articles": {"type": "integer", "minimum": 0},
            "orcid": {"type": ["string", "null"]},
        },
    },
    "AuthorList": {
        "type": "object",
        "required": ["count", "results", "suggestions"],
        "properties": {
            "count": {"type": "integer", "minimum": 0},
            "results": {"type": "array", "items": _ref("AuthorResult")},
            "suggestions": {
                "type": "array",
                "description": "Printed names near a query that matched nothing.",
                "items": {"type": "string"},
            },
        },
    },
}


@cache
def _document() -> dict:
    export = json.loads(EXPORT_SCHEMA.read_text(encoding="utf-8"))
    schemas = _components_refs(export["$defs"])
    assert not set(schemas) & set(API_SCHEMAS)
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "Journal catalogue API",
            "version": "1.0",
            "description": (
                "Read-only: the catalogue's browse and author search as data. Every path "
                "under /api/ answers JSON, errors included, to GET, HEAD and OPTIONS, with "
                "`Access-Control-Allow-Origin: *`. Articles are in the catalogue's JSON "
                "export format; language keys are ISO 639-1 (en, kk, ru)."
            ),
        },
        "servers": [{"url": "/"}],
        "paths": {
            "/api/articles": {
                "get": {
                    "operationId": "listArticles",
                    "summary": "Browse articles: the /articles/ page's filters, with facet counts.",
                    "parameters": _bounded(BROWSE_PARAMETERS),
                    "responses": {
                        "200": _json("A page of articles and the facets.", _ref("ArticleList")),
                        "404": _error("A page past the last."),
                        **ERRORS,
                    },
                }
            },
            "/api/articles/{id}": {
                "get": {
                    "operationId": "getArticle",
                    "summary": "One article.",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                        }
                    ],
                    "responses": {
                        "200": _json("The article.", _ref("ApiArticle")),
                        "404": _error("No article has this id."),
                        **ERRORS,
                    },
                }
            },
            "/api/authors": {
                "get": {
                    "operationId": "searchAuthors",
                    "summary": "Find authors by name, in any script or spelling.",
                    "parameters": [
                        {
                            "name": "q",
                            "in": "query",
                            "required": True,
                            "description": "A name or part of one.",
                            "schema": {
                                "type": "string",
                                "pattern": SOME_TEXT,
                                "maxLength": MAX_VALUE_LENGTH,
                            },
                        }
                    ],
                    "responses": {
                        "200": _json("Matching authors, best first.", _ref("AuthorList")),
                        **ERRORS,
                    },
                }
            },
            "/api/openapi.json": {
                "get": {
                    "operationId": "getOpenApi",
                    "summary": "This description.",
                    "responses": {"200": _json("OpenAPI 3.1 document.", {"type": "object"})},
                }
            },
        },
        "components": {"schemas": {**schemas, **API_SCHEMAS}},
    }


def document() -> dict:
    return copy.deepcopy(_document())


@require_safe
def view(request):
    return json_response(_document())
