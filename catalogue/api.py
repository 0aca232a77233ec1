"""Read-only JSON API: the browse and author search as data.

GET /api/articles takes the browse page's parameters and answers with articles
in the export format (catalogue.export) plus facet counts; bad parameters get
a JSON 400 naming them, never a 500.
"""

from django.core.paginator import InvalidPage, Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from .authors import search_authors
from .export import article_to_dict
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


def error(message: str, status: int = 400, **details) -> JsonResponse:
    return JsonResponse({"error": message, **details}, status=status, encoder=_MarkupSafeEncoder)


def _article(article) -> dict:
    return {"id": article.pk, **article_to_dict(article)}


@require_GET
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
    paginator = Paginator(filterset.results(Article.objects.with_details()), PAGE_SIZE)
    try:
        page = paginator.page(number)
    except InvalidPage:
        return error(f"page {number} is out of range (1 to {paginator.num_pages})")
    return JsonResponse(
        {
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "results": [_article(article) for article in page.object_list],
            "facets": {
                name: [
                    {"value": v["value"], "label": v["label"], "count": v["count"]} for v in values
                ]
                for name, values in facets.items()
            },
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def article_detail(request, pk):
    article = Article.objects.with_details().filter(pk=pk).first()
    if article is None:
        return error(f"no article {pk}", status=404)
    return JsonResponse(_article(article), json_dumps_params={"ensure_ascii": False})


@require_GET
def author_list(request):
    query = request.GET.get("q", "").strip()
    if not query:
        return error("the q parameter (a name to search for) is required")
    found = search_authors(query)
    return JsonResponse(
        {
            "count": len(found["results"]),
            "results": [
                {
                    "author_id": row["author"].pk,
                    "name": {code: names[0] for code, names in row["names"].items()},
                    "matched": row["matched"],
                    "articles": row["article_count"],
                    "orcid": row["author"].orcid,
                }
                for row in found["results"]
            ],
            "suggestions": found["suggestions"],
        },
        json_dumps_params={"ensure_ascii": False},
    )
