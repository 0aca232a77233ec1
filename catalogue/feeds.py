"""Atom feeds of the newest articles: the whole catalogue, and one per series."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .interop import landing_url, text
from .models import Article, Series

FEED_SIZE = 50


def _newest(queryset):
    return queryset.for_browse().order_by("-created", "-id")[:FEED_SIZE]


class LatestArticlesFeed(Feed):
    """The newest articles added to the catalogue."""

    feed_type = Atom1Feed
    title = "Journal catalogue: latest articles"
    subtitle = "Articles most recently added to the catalogue."

    def link(self):
        return reverse("catalogue:article_list")

    def items(self):
        return _newest(Article.objects.all())

    def item_title(self, item):
        return text(item.title)

    def item_description(self, item):
        return text(item.abstract)

    def item_link(self, item):
        return landing_url(item)

    def item_guid(self, item):
        return f"https://doi.org/{item.public_doi}" if item.public_doi else None

    def item_guid_is_permalink(self, item):
        return False

    def item_pubdate(self, item):
        return item.created

    def item_updateddate(self, item):
        return item.updated

    def item_author_name(self, item):
        names = [a.name_en or a.name or a.author.display_name for a in item.authorships.all()]
        return text(", ".join(names)) or None

    def item_categories(self, item):
        return [text(k.keyword.text) for k in item.article_keywords.all()]


class SeriesArticlesFeed(LatestArticlesFeed):
    """The newest articles of one series."""

    def get_object(self, request, pk):
        return get_object_or_404(Series.objects.select_related("journal"), pk=pk)

    def title(self, series):
        name = f"{series.journal}. {series.name}" if series.name else str(series.journal)
        return text(f"{name}: latest articles")

    def subtitle(self, series):
        return text(f"Articles most recently added to {series.journal}.")

    def link(self, series):
        return reverse("catalogue:series_detail", args=[series.pk])

    def items(self, series):
        return _newest(Article.objects.filter(issue__series=series))
