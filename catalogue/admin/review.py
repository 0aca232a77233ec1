"""The editors' review queue and issue overview: admin pages outside any one model."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import HttpResponseNotAllowed, HttpResponseRedirect, QueryDict
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode

from .. import editorial
from ..models import Article, IngestWarning, Issue

PAGE_SIZE = 50
# An article opened from the queue carries the queue's filters in this parameter of its
# change page, so that the buttons resolving its warnings lead back to the queue as it was.
FROM_QUEUE = "_review"
QUEUE_PARAMS = ("issue", "kind", "p")
RESOLVE_BUTTONS = ("_resolve_warning", "_resolve_all", "_confirm_doi")


def queue_url(params) -> str:
    kept = {name: params[name] for name in QUEUE_PARAMS if params.get(name)}
    return reverse("admin:review_queue") + (f"?{urlencode(kept)}" if kept else "")


def _from_queue(params) -> str:
    """The query string the queue's article links carry ("" for the queue unfiltered)."""
    query = queue_url(params).partition("?")[2]
    return urlencode({FROM_QUEUE: query}) if query else ""


def after_resolving(request, response):
    """The article change form's response: after a resolve button, the review queue."""
    if not any(name in request.POST for name in RESOLVE_BUTTONS):
        return response
    return HttpResponseRedirect(queue_url(QueryDict(request.GET.get(FROM_QUEUE, ""))))


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def queue_view(request):
    """Articles with open warnings, filterable by issue and warning kind."""
    if not request.user.has_perm("catalogue.change_article"):
        raise PermissionDenied
    issue_id = _int(request.GET.get("issue"))
    kind = request.GET.get("kind", "")
    if kind not in (*IngestWarning.Kind.values, editorial.REPORT_KIND):
        kind = ""
    articles = editorial.review_articles(kind)
    if issue_id:
        articles = articles.filter(issue_id=issue_id)
    articles = articles.select_related("issue__series__journal").order_by(
        "-issue__year", "issue_id", "position", "id"
    )
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("p"))
    labels = dict(IngestWarning.Kind.choices)
    for article in page:
        article.kind_labels = [labels.get(k, k) for k in article.open_kinds]
        article.doi_to_confirm = article.doi if article.doi_inferred else ""
        if article.open_reports:
            article.kind_labels.append("reader's error report")
    in_queue = editorial.review_articles().filter(issue=OuterRef("pk"))
    issues = Issue.objects.filter(Exists(in_queue)).with_journal().latest_first()
    context = {
        **admin.site.each_context(request),
        "title": "Review queue",
        "report_kind": editorial.REPORT_KIND,
        "page": page,
        "kind_counts": editorial.warning_kind_counts(issue_id),
        "issues": issues,
        "selected_issue": issue_id,
        "selected_kind": kind,
        "inferred_in_issue": (
            Article.objects.filter(issue_id=issue_id, doi_inferred=True).count() if issue_id else 0
        ),
        "from_queue": _from_queue(request.GET),
    }
    return TemplateResponse(request, "admin/catalogue/review_queue.html", context)


def confirm_dois_view(request):
    """Confirm inferred DOIs from the queue: one article's, or every one of an issue."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.has_perm("catalogue.change_article"):
        raise PermissionDenied
    article_id, issue_id = _int(request.POST.get("article")), _int(request.POST.get("issue"))
    if article_id:
        articles = Article.objects.filter(pk=article_id)
    elif issue_id:
        articles = Article.objects.filter(issue_id=issue_id)
    else:
        articles = Article.objects.none()
    count = editorial.confirm_inferred_dois(articles, request.user)
    messages.success(request, f"Confirmed {count} inferred DOI{'s' if count != 1 else ''}.")
    keep = {k: request.POST[k] for k in ("kind", "issue_filter") if request.POST.get(k)}
    if "issue_filter" in keep:
        keep["issue"] = keep.pop("issue_filter")
    query = f"?{urlencode(keep)}" if keep else ""
    return HttpResponseRedirect(reverse("admin:review_queue") + query)


def overview_view(request):
    """Per issue: articles complete in each language and open warnings."""
    if not request.user.has_perm("catalogue.view_article"):
        raise PermissionDenied
    context = {
        **admin.site.each_context(request),
        "title": "Issue overview",
        "rows": editorial.issue_overview(),
        "languages": ["en", "kk", "ru"],
    }
    return TemplateResponse(request, "admin/catalogue/issue_overview.html", context)
