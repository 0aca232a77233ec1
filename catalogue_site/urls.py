from django.conf import settings
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
    path("", include("catalogue.urls_reports")),
    path("", include("catalogue.urls")),
]
