"""URLs of the public pages. The root URLconf puts them under a language prefix
(/en/, /kk/, /ru/) with i18n_patterns."""

from django.urls import path

from . import views

app_name = "catalogue"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/", views.article_list, name="article_list"),
    path("articles/keywords/", views.keyword_list, name="keyword_list"),
    path("articles/<int:pk>/", views.article_detail, name="article_detail"),
    path("articles/<int:pk>/cite.<str:fmt>", views.article_cite, name="article_cite"),
    path("statistics/", views.statistics, name="statistics"),
    path("authors/", views.author_list, name="author_list"),
    path("authors/<int:pk>/", views.author_detail, name="author_detail"),
    path("issues/<int:pk>/", views.issue_detail, name="issue_detail"),
    path("series/<int:pk>/", views.series_detail, name="series_detail"),
    path("archive/", views.archive, name="archive"),
]
