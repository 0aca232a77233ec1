"""Template context shared by every page."""

from django.urls import reverse
from django.utils.functional import SimpleLazyObject


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
