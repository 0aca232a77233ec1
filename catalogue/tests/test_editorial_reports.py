"""Readers report errors; reports join the review queue; the page shows trust."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.template import Context, Template
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from catalogue.models import ErrorReport, IngestWarning

from .factories import make_article, page_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_report_form_accepts_a_report_that_joins_the_review_queue(client, editor_client):
    article = make_article(title_en="Soft power")
    url = reverse("report_error", args=[article.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"message": "The second author is missing.", "website": ""})
    assert response.status_code == 200 and response.context["sent"]
    report = ErrorReport.objects.get()
    assert report.article == article and not report.resolved

    queue = editor_client.get(reverse("admin:review_queue"))
    assert [a.pk for a in queue.context["page"]] == [article.pk]
    assert queue.context["page"][0].open_reports == 1
    only_reports = editor_client.get(reverse("admin:review_queue"), {"kind": "report"})
    assert [a.pk for a in only_reports.context["page"]] == [article.pk]
    change = editor_client.get(reverse("admin:catalogue_article_change", args=[article.pk]))
    assert "The second author is missing." in change.content.decode()


def test_report_form_rejects_the_honeypot(client):
    article = make_article()
    response = client.post(
        reverse("report_error", args=[article.pk]),
        {"message": "Buy cheap watches", "website": "http://spam.example"},
    )
    assert response.status_code == 400
    assert not ErrorReport.objects.exists()


@override_settings(REPORTS_PER_HOUR=2)
def test_report_form_is_rate_limited_per_address(client):
    article = make_article()
    url = reverse("report_error", args=[article.pk])
    for _ in range(2):
        assert client.post(url, {"message": "Typo in the title."}).status_code == 200
    assert client.post(url, {"message": "Typo in the title."}).status_code == 429
    assert ErrorReport.objects.count() == 2
    other = client.post(url, {"message": "Typo."}, REMOTE_ADDR="10.1.1.1")
    assert other.status_code == 200


def render_trust(article):
    return Template('{% include "catalogue/includes/trust.html" %}').render(
        Context({"article": article})
    )


def test_trust_line_tells_checked_from_extracted():
    article = make_article()
    warning = IngestWarning.objects.create(
        article=article, kind=IngestWarning.Kind.UNCERTAIN, message="doubt"
    )
    assert "not yet checked" in render_trust(article)
    warning.resolved = True
    warning.save()
    # A warning about no field in particular checks none.
    assert "not yet checked" in render_trust(article)
    edited = make_article(edited_fields=["title_en"])
    html = render_trust(edited)
    assert "Checked by an editor: title (English)." in html
    assert reverse("report_error", args=[edited.pk]) in html


def test_resolving_one_warning_checks_that_field_only():
    article = make_article(edited_fields=["keywords"])
    kind = IngestWarning.Kind.MISSING_FIELD
    title = IngestWarning.objects.create(
        article=article, kind=kind, field="title", language="kk", message="no Kazakh title"
    )
    IngestWarning.objects.create(article=article, kind=kind, field="doi", message="no DOI")
    pages = IngestWarning.objects.create(
        article=article, kind=IngestWarning.Kind.TOC_MISMATCH, field="pages", message="5 or 6"
    )
    assert "Checked by an editor: keywords." in render_trust(article)
    IngestWarning.objects.filter(pk__in=[title.pk, pages.pk]).update(resolved=True)
    html = render_trust(article)
    assert "Checked by an editor: title (Kazakh), keywords, pages." in html
    assert "The rest as extracted from the published issue." in html
    assert "DOI" not in html
    with translation.override("ru"):
        assert "Проверено редактором: название (Казахский), ключевые слова, страницы." in (
            render_trust(article)
        )


def test_article_page_shows_trust_and_the_report_link(client):
    article = make_article(edited_fields=["title_en"])
    response = client.get(reverse("catalogue:article_detail", args=[article.pk]))
    content = response.content.decode()
    assert "Checked by an editor: title (English)." in content
    assert reverse("report_error", args=[article.pk]) in content


INLINE_STYLE_OR_SCRIPT = re.compile(
    r"<style|\sstyle=|\son[a-z]+=|<script(?![^>]*\ssrc=)(?![^>]*application/ld\+json)"
)


def test_report_form_needs_no_inline_style_or_script(client):
    """The site's Content-Security-Policy allows neither: the honeypot is hidden by a class."""
    article = make_article()
    response = client.get(reverse("report_error", args=[article.pk]))
    html = response.content.decode()
    assert "style-src 'self'" in response["Content-Security-Policy"]
    assert INLINE_STYLE_OR_SCRIPT.findall(html) == []
    assert '<p class="honeypot" aria-hidden="true">' in html
    css = (settings.BASE_DIR / "static" / "catalogue" / "site.css").read_text()
    assert re.search(r"\.report-form \.honeypot \{[^}]*left: -9999px", css)


@pytest.mark.parametrize(
    ("language", "strings"),
    [
        ("ru", ["Что не так?", "Ваш e-mail (необязательно)", "Оставьте это поле пустым"]),
        ("kk", ["Не қате?", "Сіздің e-mail (міндетті емес)", "Бұл өрісті бос қалдырыңыз"]),
    ],
)
def test_report_form_speaks_the_readers_language(client, language, strings):
    url = page_url("report_error", make_article().pk, language=language)
    html = client.get(url).content.decode()
    assert [text for text in strings if text not in html] == []
    assert "What is wrong?" not in html
    refused = client.post(url, {"message": "Spam", "website": "x"}).content.decode()
    assert {"ru": "не может быть принято", "kk": "қабылданбады"}[language] in refused
