"""URLs of the JSON API. They carry no language prefix: the API answers the same in every
language, and clients keep one address."""

from django.urls import path, re_path

from . import api, openapi

app_name = "api"

urlpatterns = [
    path("api/articles", api.article_list, name="article_list"),
    path("api/articles/<int:pk>", api.article_detail, name="article_detail"),
    path("api/authors", api.author_list, name="author_list"),
    path("api/openapi.json", openapi.view, name="openapi"),
    re_path(r"^api/", api.not_found),  # any other /api/ path: a JSON 404
]
