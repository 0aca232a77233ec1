"""Public URL of the "report an error" form (catalogue.reports)."""

from django.urls import path

from . import reports

urlpatterns = [
    path("articles/<int:pk>/report/", reports.report_error, name="report_error"),
]
