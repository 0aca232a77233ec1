"""sitemap.xml (an index of per-section sitemaps) and robots.txt.

The sections are django.contrib.sitemaps `Sitemap` classes. They are rendered
here with lxml rather than by the contrib views, which need the sitemaps app's
templates installed. Every page is listed once per language (/en/, /kk/, /ru/),
each entry with its `xhtml:link rel="alternate" hreflang` siblings and x-default,
as search engines read multilingual sitemaps. Django's own `i18n` sitemaps would
build a list of every item in every language on each request; the language
versions are made here from the default language's address instead.
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sites.requests import RequestSite
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe
from lxml import etree

from .interop import sub
from .models import Article, Author, Issue, Series

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def language_versions(location: str) -> dict[str, str]:
    """{hreflang: URL} of a page whose `location` is in the default language: the same
    path under each language's prefix (the URL patterns have no translated words), and
    x-default, the unprefixed address that sends a visitor on to their language."""
    prefix = f"/{settings.LANGUAGE_CODE}/"
    scheme_host, _, path = location.partition("://")
    host, slash, rest = path.partition("/")
    path = slash + rest
    if not path.startswith(prefix):
        return {}
    base = f"{scheme_host}://{host}"
    tail = path[len(prefix) :]
    versions = {code: f"{base}/{code}/{tail}" for code, _ in settings.LANGUAGES}
    versions["x-default"] = f"{base}/{tail}"
    return versions


class HomeSitemap(Sitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["catalogue:home", "catalogue:article_list", "catalogue:author_list"]

    def location(self, item):
        return reverse(item)


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8
    limit = 10000

    def items(self):
        # When anything the article's page shows last changed (RecordDatestamp).
        return (
            Article.objects.annotate(changed=Coalesce("datestamp__changed", "updated"))
            .only("pk")
            .order_by("pk")
        )

    def lastmod(self, article):
        return article.changed

    def location(self, article):
        return reverse("catalogue:article_detail", args=[article.pk])


class IssueSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Issue.objects.only("pk").order_by("pk")

    def location(self, issue):
        return reverse("catalogue:issue_detail", args=[issue.pk])


class SeriesSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Series.objects.only("pk").order_by("pk")

    def location(self, series):
        return reverse("catalogue:series_detail", args=[series.pk])


class AuthorSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4
    limit = 10000

    def items(self):
        return Author.objects.only("pk").order_by("pk")

    def location(self, author):
        return reverse("catalogue:author_detail", args=[author.pk])


SITEMAPS = {
    "home": HomeSitemap,
    "articles": ArticleSitemap,
    "issues": IssueSitemap,
    "series": SeriesSitemap,
    "authors": AuthorSitemap,
}


def _xml(root) -> HttpResponse:
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return HttpResponse(body, content_type="application/xml; charset=utf-8")


@require_safe
def index(request):
    root = etree.Element(f"{{{SITEMAP_NS}}}sitemapindex", nsmap={None: SITEMAP_NS})
    for section, sitemap_class in SITEMAPS.items():
        location = request.build_absolute_uri(reverse("interop:sitemap_section", args=[section]))
        for page in sitemap_class().paginator.page_range:
            entry = sub(root, f"{{{SITEMAP_NS}}}sitemap")
            sub(entry, f"{{{SITEMAP_NS}}}loc", location + (f"?p={page}" if page > 1 else ""))
    return _xml(root)


@require_safe
def section(request, section):
    if section not in SITEMAPS:
        raise Http404("No such sitemap.")
    try:
        with translation.override(settings.LANGUAGE_CODE):
            urls = SITEMAPS[section]().get_urls(
                page=request.GET.get("p", 1), site=RequestSite(request), protocol=request.scheme
            )
    except (EmptyPage, PageNotAnInteger):
        raise Http404("No such page.") from None
    root = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS, "xhtml": XHTML_NS})
    for url in urls:
        versions = language_versions(url["location"])
        pages = (
            [url["location"]]
            if not versions
            else [versions[code] for code, _ in settings.LANGUAGES]
        )
        for location in pages:
            entry = sub(root, f"{{{SITEMAP_NS}}}url")
            sub(entry, f"{{{SITEMAP_NS}}}loc", location)
            if url.get("lastmod"):
                sub(entry, f"{{{SITEMAP_NS}}}lastmod", url["lastmod"].isoformat())
            if url.get("changefreq"):
                sub(entry, f"{{{SITEMAP_NS}}}changefreq", url["changefreq"])
            if url.get("priority"):
                sub(entry, f"{{{SITEMAP_NS}}}priority", str(url["priority"]))
            for hreflang, href in versions.items():
                sub(
                    entry,
                    f"{{{XHTML_NS}}}link",
                    attrs={"rel": "alternate", "hreflang": hreflang, "href": href},
                )
    return _xml(root)


@require_safe
def robots_txt(request):
    """Everything but the admin is open; /oai is for harvesters, so it is not disallowed."""
    sitemap = reverse("interop:sitemap")
    base = settings.CATALOGUE_BASE_URL
    sitemap = base.rstrip("/") + sitemap if base else request.build_absolute_uri(sitemap)
    lines = [
        "User-agent: *",
        f"Disallow: /{settings.ADMIN_URL_PREFIX}",
        f"Sitemap: {sitemap}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
