"""The site's URLs. Pages carry their language in the path (/en/, /kk/, /ru/, the default
language too) through i18n_patterns; the machine interfaces (OAI-PMH, the API, feeds,
sitemaps, robots.txt), the admin, the health check and static files do not. An old
address without a prefix is sent on for good (301) to its prefixed page by
catalogue.middleware.LocaleMiddleware."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

urlpatterns = [
    path(settings.ADMIN_URL_PREFIX, admin.site.urls),
    # The language switcher posts without a CSRF token, so that public pages hold nothing
    # of the visitor and a proxy may share them; choosing a language changes no data.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("", include("catalogue.health")),
    path("", include("catalogue.interop.urls")),
    path("", include("catalogue.urls_api")),
    *i18n_patterns(
        path("", include("catalogue.urls_reports")),
        path("", include("catalogue.urls")),
        prefix_default_language=True,
    ),
]
