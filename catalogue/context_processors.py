"""Template context shared by every page."""

from django.conf import settings
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from .sitemaps import language_versions


def _detail_prefixes() -> dict[str, str]:
    prefixes = {}
    for name in ("article", "author", "issue"):
        path = reverse(f"catalogue:{name}_detail", args=[0])
        prefixes[name] = path.removesuffix("0/")
    return prefixes


def detail_paths(request):
    """`paths.article` etc.: the detail pages' paths up to the id ("/articles/").

    A result list links each article, its issue and every author: a reverse() per
    link cost a third of an issue page's time. The prefix is reversed once, lazily.
    """
    return {"paths": SimpleLazyObject(_detail_prefixes)}


def _alternates(request) -> list[dict[str, str]]:
    """This page in every language and x-default, as the sitemaps give them; none for a
    page outside the language prefixes or one that does not exist (a 404)."""
    if translation.get_language_from_path(request.path_info) is None:
        return []
    try:
        resolve(request.path_info)
    except Resolver404:
        return []
    here = translate_url(request.build_absolute_uri(), settings.LANGUAGE_CODE)
    return [{"hreflang": code, "href": href} for code, href in language_versions(here).items()]


def language_alternates(request):
    """`language_alternates`: the <link rel="alternate" hreflang> of the page, lazily."""
    return {"language_alternates": SimpleLazyObject(lambda: _alternates(request))}
