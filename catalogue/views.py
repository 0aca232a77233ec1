from django.shortcuts import render

from .models import Article, Issue


def home(request):
    context = {
        "latest_issues": Issue.objects.with_journal().latest_first()[:6],
        "article_count": Article.objects.count(),
    }
    return render(request, "catalogue/home.html", context)
