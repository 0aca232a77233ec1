"""Template context shared by every page."""

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from .sitemaps import language_versions

# The paths every page links to, by language, script prefix and URLconf: the URL patterns do
# not change while the process runs, and reversing them for each request was a tenth
# of a browse page's time.
_PATHS: dict[tuple, dict[str, str]] = {}
SITE_PAGES = {
    "home": "catalogue:home",
    "articles": "catalogue:article_list",
    "authors": "catalogue:author_list",
    "archive": "catalogue:archive",
    "statistics": "catalogue:statistics",
    "feed": "interop:feed_latest",
    "set_language": "set_language",
}


def site_paths() -> dict[str, str]:
    """The paths of SITE_PAGES and the detail prefixes in the active language."""
    key = (
        translation.get_language() or settings.LANGUAGE_CODE,
        get_script_prefix(),
        get_urlconf() or settings.ROOT_URLCONF,
    )
    if key not in _PATHS:
        paths = {name: reverse(view) for name, view in SITE_PAGES.items()}
        for name in ("article", "author", "issue"):
            path = reverse(f"catalogue:{name}_detail", args=[0])
            paths[name] = path.removesuffix("0/")
        _PATHS[key] = paths
    return _PATHS[key]


def detail_paths(request):
    """`paths.article` etc.: the detail pages' paths up to the id ("/articles/"), and
    the pages the site's frame links to (`paths.home`, `paths.articles`...).

    A result list links each article, its issue and every author: a reverse() per
    link cost a third of an issue page's time. Each is reversed once per language.
    """
    return {"paths": SimpleLazyObject(site_paths)}


def _alternates(request) -> list[dict[str, str]]:
    """This page in every language and x-default, as the sitemaps give them; none for a
    page outside the language prefixes or one that does not exist (a 404). The URL
    patterns have no translated words, so the page in the default language is the same
    path under its prefix."""
    language = translation.get_language_from_path(request.path_info)
    if language is None or getattr(request, "resolver_match", None) is None:
        return []
    tail = request.path_info[len(language) + 2 :]
    query = request.META.get("QUERY_STRING", "")
    here = request.build_absolute_uri(
        f"{get_script_prefix()}{settings.LANGUAGE_CODE}/{tail}" + (f"?{query}" if query else "")
    )
    return [{"hreflang": code, "href": href} for code, href in language_versions(here).items()]


def language_alternates(request):
    """`language_alternates`: the <link rel="alternate" hreflang> of the page, lazily."""
    return {"language_alternates": SimpleLazyObject(lambda: _alternates(request))}
