"""The admin page that merges a duplicate article into the one kept (preview first)."""

from django.contrib import admin, messages
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from .. import editorial
from ..models import Article
from .concurrency import versions_of
from .people import _ids, _require, merge_on_post


def article_merge_view(request):
    """Preview articles side by side, choose the one to keep, merge on POST."""
    _require(request, "change_article", "delete_article")
    ids = _ids(request.POST.get("ids") or request.GET.get("ids", ""))
    articles = _articles(ids)
    if len(articles) < 2:
        messages.error(request, "Choose at least two articles to merge.")
        return HttpResponseRedirect(reverse("admin:catalogue_article_changelist"))
    problems = editorial.article_merge_problems(articles)
    done, problems = merge_on_post(request, articles, problems, editorial.merge_articles)
    if done:
        return done
    if request.method == "POST":
        articles = _articles(ids)  # show them as they are now
    context = {
        **admin.site.each_context(request),
        "title": "Merge articles",
        "opts": Article._meta,
        "articles": articles,
        "ids": ",".join(str(a.pk) for a in articles),
        "versions": versions_of(articles),
        "problems": problems,
        # The richer record: more sources, then more authors, then the older one.
        "suggested_keep": max(articles, key=lambda a: (a.source_count, a.author_count, -a.pk)).pk,
    }
    return TemplateResponse(request, "admin/catalogue/article/merge.html", context)


def _articles(ids):
    return list(
        Article.objects.filter(pk__in=ids)
        .select_related("issue__series__journal")
        .annotate(
            source_count=Count("sources", distinct=True),
            author_count=Count("authorships", distinct=True),
        )
        .order_by("pk")
    )
