"""URLs of the interoperability endpoints: OAI-PMH, sitemaps, robots.txt, feeds."""

from django.urls import path

from .. import feeds, oai, sitemaps

app_name = "interop"

urlpatterns = [
    path("oai", oai.endpoint, name="oai"),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-<str:section>.xml", sitemaps.section, name="sitemap_section"),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
    path("feeds/articles.atom", feeds.LatestArticlesFeed(), name="feed_latest"),
    path("feeds/series/<int:pk>.atom", feeds.SeriesArticlesFeed(), name="feed_series"),
]
