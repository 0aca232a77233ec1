"""GET /healthz: the app server is up and reaches the database (one trivial query).

Also the floor of the page-speed benchmark: the cost of a Django request with
one query and no template, against which every page is compared.
"""

from django.db import connection
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok\n", content_type="text/plain")


urlpatterns = [path("healthz", healthz, name="healthz")]
