"""Read-only JSON API: the browse and author search as data.

GET /api/articles takes the browse page's parameters and answers with articles
in the export format (catalogue.export) plus facet counts; bad parameters get
a JSON 400 naming them, never a 500. The description is OpenAPI 3.1 at
/api/openapi.json (catalogue.openapi).

ApiMiddleware makes every /api/ path a public, read-only JSON resource: any
error there (an unknown path, a wrong method, a server error) is JSON; HEAD
and OPTIONS (a CORS preflight) are answered wherever GET is; every answer
carries `Access-Control-Allow-Origin: *`.
"""

from http import HTTPStatus

from django.core.paginator import InvalidPage, Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.views.decorators.http import require_safe

from . import pagecache
from .authors import search_authors
from .filters import ArticleFilter
from .models import Article

PAGE_SIZE = 20
KEYWORD_FACET_SIZE = 50


class _MarkupSafeEncoder(DjangoJSONEncoder):
    """JSON whose text cannot open a tag: an error echoes what the client sent, and a
    browser that sniffs the body as HTML must find no <script> in it."""

    def encode(self, o):
        text = super().encode(o)
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


API_PREFIX = "/api/"
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
PREFLIGHT_MAX_AGE = 86400


def json_response(data, status: int = 200) -> JsonResponse:
    return JsonResponse(
        data, status=status, encoder=_MarkupSafeEncoder, json_dumps_params={"ensure_ascii": False}
    )


def error(message: str, status: int = 400, **details) -> JsonResponse:
    return json_response({"error": message, **details}, status=status)


def not_found(request, path=""):
    # The path is not echoed back: what a visitor sent never comes back as text.
    return error("no such API path; see /api/openapi.json", status=404)


class ApiMiddleware:
    """JSON errors, HEAD, OPTIONS and CORS for every path under /api/."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS" and _resolves(request.path_info):
            response = HttpResponse(status=204)
            del response["Content-Type"]
            response["Allow"] = ALLOWED_METHODS
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response["Access-Control-Allow-Headers"] = request.headers.get(
                "Access-Control-Request-Headers", "Accept"
            )
            response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
        else:
            response = self.get_response(request)
            if response.status_code >= 400 and not response.get("Content-Type", "").startswith(
                "application/json"
            ):
                response = _as_json(response)
        response["Access-Control-Allow-Origin"] = "*"
        if request.method == "HEAD" and not response.streaming:
            # The headers of a GET, Content-Length included, and no body.
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response


def _resolves(path: str) -> bool:
    """Whether an API resource is at this path (not the catch-all 404)."""
    try:
        return resolve(path).func is not not_found
    except Resolver404:
        return False


def _as_json(response) -> JsonResponse:
    """An error page from elsewhere (a 404, 405, 500 handler) as a JSON error."""
    status = response.status_code
    try:
        message = HTTPStatus(status).phrase.lower()
    except ValueError:
        message = "error"
    if status == 405:
        message = f"method not allowed; use {ALLOWED_METHODS}"
    replacement = error(message, status=status)
    for header in ("Allow", "Retry-After", "Cache-Control", "Vary"):
        if header in response:
            replacement[header] = (
                ALLOWED_METHODS if header == "Allow" and status == 405 else response[header]
            )
    return replacement


@require_safe
@pagecache.kept_whole
def article_list(request):
    filterset = ArticleFilter(request.GET)
    if not filterset.is_valid() or filterset.form.rejected:
        errors = {
            name: [e["message"] for e in items]
            for name, items in filterset.form.errors.get_json_data().items()
        }
        for name, values in filterset.form.rejected.items():
            errors.setdefault(name, []).extend(
                f"“{value}” is not a valid value." for value in values
            )
        return error("invalid parameters", errors=errors)
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        return error("page must be a positive whole number")
    facets = filterset.facets(keyword_limit=KEYWORD_FACET_SIZE)  # also counts the results
    # The page's ids and stamps; each article's export comes from the cache (pagecache).
    paginator = Paginator(filterset.results(), PAGE_SIZE)
    try:
        page = paginator.page(number)
    except InvalidPage:
        # A page past the last is a resource that does not exist, not a bad request.
        status = 404 if number > 1 else 400
        return error(f"page {number} is out of range (1 to {paginator.num_pages})", status=status)
    response = json_response(
        {
            "count": paginator.count,
            "count_complete": not filterset.counts_incomplete,
            "page": page.number,
            "pages": paginator.num_pages,
            "results": pagecache.article_exports(request, page.object_list),
            "facets": {
                name: [
                    {"value": v["value"], "label": v["label"], "count": v["count"]} for v in values
                ]
                for name, values in facets.items()
            },
        }
    )
    if filterset.counts_incomplete:
        pagecache.keep_briefly(response)
    return response


@require_safe
@pagecache.kept_whole
def article_detail(request, pk):
    found = pagecache.article_exports(
        request, list(Article.objects.only("id").with_stamp().filter(pk=pk))
    )
    if not found:
        return error(f"no article {pk}", status=404)
    return json_response(found[0])


@require_safe
@pagecache.kept_whole
def author_list(request):
    query = request.GET.get("q", "").strip()
    if not query:
        return error("the q parameter (a name to search for) is required")
    found = search_authors(query)
    return json_response(
        {
            "count": len(found["results"]),
            "results": [
                {
                    "author_id": row["author_id"],
                    "name": {code: names[0] for code, names in row["names"].items()},
                    "matched": row["matched"],
                    "articles": row["article_count"],
                    "orcid": row["orcid"],
                }
                for row in found["results"]
            ],
            "suggestions": found["suggestions"],
        }
    )
