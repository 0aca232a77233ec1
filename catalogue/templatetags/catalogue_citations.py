"""{% coins article %}: an article's COinS ContextObject (catalogue.citations.coins)."""

from django import template
from django.urls import reverse

from .. import citations

register = template.Library()


@register.simple_tag(takes_context=True)
def coins(context, article) -> str:
    """URL-encoded KEV for a COinS span's title; the tag's output is HTML-escaped."""
    paths = context.get("paths")
    path = f"{paths['article']}{article.pk}/" if paths else None
    path = path or reverse("catalogue:article_detail", args=[article.pk])
    request = context.get("request")
    url = request.build_absolute_uri(path) if request else path
    return citations.coins(article, url)
