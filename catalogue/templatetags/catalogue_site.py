"""{% site_path "articles" %}: the path of a page the site's frame links to, reversed once
per language (context_processors.site_paths) instead of by {% url %} on every page. A tag
rather than the `paths` context variable, so the error pages, rendered without a request,
link the same way."""

from django import template

from ..context_processors import site_paths

register = template.Library()


@register.simple_tag
def site_path(name: str) -> str:
    return site_paths()[name]
