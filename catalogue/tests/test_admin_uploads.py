"""The editors' "Add documents" page: upload, preview what would change, confirm or cancel."""

import datetime
import json
import re
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from catalogue.export import export_articles
from catalogue.ingest.loader import load_file, rehearsal
from catalogue.models import (
    Article,
    ArticleSource,
    Author,
    DocumentUpload,
    IngestWarning,
    Journal,
    Keyword,
    KeywordConcept,
    Organisation,
    SourceDocument,
)

from .pdfmaker import LAYOUTS, make_pdf

pytestmark = pytest.mark.django_db

ISSUE_004 = "004_5cc4925e9724fd50.txt"
ARTICLE_003 = "003_fdd0b68bd806740f.txt"
ADD = "admin:add_documents"


def upload(client, seeds, *names, **options):
    """Post files (seed names, or (name, bytes) pairs) to the page; return its response."""
    files = [
        SimpleUploadedFile(name, (seeds / name).read_bytes())
        if isinstance(name, str)
        else SimpleUploadedFile(*name)
        for name in names
    ]
    return client.post(reverse(ADD), {"files": files, **options})


def page_html(response) -> str:
    """The page as the browser gets it, streamed (a preview with a PDF) or not."""
    if not hasattr(response, "html"):
        content = b"".join(response.streaming_content) if response.streaming else response.content
        response.html = content.decode()
    return response.html


def plans(response) -> dict:
    """The confirm form's fields, as the browser would post them."""
    return dict(re.findall(r'name="(plan-\d+)" value="([0-9a-f]*)"', page_html(response)))


def confirm_url(response) -> str:
    return re.search(r'action="([^"]+/confirm/)"', page_html(response)).group(1)


def confirm(client, response, **extra):
    return client.post(confirm_url(response), {**plans(response), "_confirm": "1", **extra})


def reports(response):
    return [preview.report for preview in response.context["previews"] if preview.report]


def records() -> str:
    """The catalogue's articles as the export gives them, with author ids renumbered in
    order of appearance (two loads give new rows different ids), and each article's
    review warnings."""
    data = list(export_articles())
    ids: dict[int, int] = {}
    for item in data:
        for author in item["authors"]:
            author["author_id"] = ids.setdefault(author["author_id"], len(ids) + 1)
    warnings = sorted(
        IngestWarning.objects.values_list("article__doi", "kind", "field", "language", "message")
    )
    return json.dumps([data, warnings], sort_keys=True, ensure_ascii=False, default=str)


def empty_the_catalogue():
    Journal.objects.all().delete()  # series, issues, articles and their parts go with it
    for model in (Author, Keyword, KeywordConcept, Organisation, SourceDocument):
        model.objects.all().delete()


# ---------------------------------------------------------------- who may


def test_a_non_editor_cannot_reach_the_page(client, seeds):
    clerk = User.objects.create_user("clerk", password="a-long-clerk-passphrase", is_staff=True)
    url = reverse(ADD)
    assert client.get(url).status_code == 302  # anonymous: to the login
    client.force_login(clerk)
    for response in (client.get(url), upload(client, seeds, ISSUE_004)):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    assert not DocumentUpload.objects.exists()
    assert not Article.objects.exists()


def test_the_admin_index_links_to_the_page(editor_client):
    response = editor_client.get(reverse("admin:index"))
    assert reverse(ADD) in response.content.decode()
    page = editor_client.get(reverse(ADD))
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()


# ---------------------------------------------------------------- refusals


def test_a_refused_file_shows_its_one_line_reason_and_writes_nothing(editor_client):
    response = upload(editor_client, None, ("scan.txt", b"\x00\x01binary\x00" * 20))
    assert response.status_code == 200
    refusals = [p.refused for p in response.context["previews"]]
    assert refusals == ["file is binary, not text (it contains NUL bytes)"]
    html = response.content.decode()
    assert "Refused: file is binary, not text (it contains NUL bytes)." in html
    assert "confirm-documents" not in html
    assert not DocumentUpload.objects.exists()
    assert not SourceDocument.objects.exists()
    assert not Article.objects.exists()


@override_settings(INGEST_MAX_BYTES=1000)
def test_a_file_above_the_commands_size_limit_is_refused_in_its_words(editor_client, seeds):
    response = upload(editor_client, seeds, ISSUE_004)
    size = (seeds / ISSUE_004).stat().st_size
    [preview] = response.context["previews"]
    assert preview.refused == f"file is too large ({size:,} bytes; the limit is 1,000)"
    assert not DocumentUpload.objects.exists()
    assert not Article.objects.exists()


def test_a_refused_file_does_not_keep_the_others_from_loading(editor_client, seeds):
    response = upload(editor_client, seeds, ("empty.txt", b"  \n"), ISSUE_004)
    previews = response.context["previews"]
    assert [p.refused for p in previews] == ["file is empty", ""]
    confirm(editor_client, response)
    assert Article.objects.count() == 20
    assert list(DocumentUpload.objects.values_list("file_name", flat=True)) == [ISSUE_004]


def test_a_wrong_year_is_refused_by_the_form(editor_client, seeds):
    response = upload(editor_client, seeds, ISSUE_004, year="99")
    assert response.status_code == 200
    assert "year" in response.context["form"].errors
    assert not DocumentUpload.objects.exists()


# ---------------------------------------------------------------- preview, confirm, cancel


def test_the_preview_writes_nothing_and_lists_twenty_articles_to_create(editor_client, seeds):
    response = upload(editor_client, seeds, ISSUE_004)
    [report] = reports(response)
    assert report.counts == {"created": 20, "updated": 0, "unchanged": 0}
    assert any(outcome.warnings for outcome in report.articles)
    html = response.content.decode()
    assert "20 articles to create" in html
    assert html.count('class="article-outcome status-created"') == 20
    assert not Article.objects.exists()
    assert not SourceDocument.objects.exists()
    pending = DocumentUpload.objects.get()
    assert pending.status == DocumentUpload.Status.PENDING
    assert bytes(pending.content) == (seeds / ISSUE_004).read_bytes()


def test_confirm_writes_what_the_preview_showed_and_keeps_the_file(editor_client, editor, seeds):
    preview = upload(editor_client, seeds, ISSUE_004)
    [shown] = reports(preview)
    response = confirm(editor_client, preview)
    assert response.status_code == 302
    kept = DocumentUpload.objects.get()
    assert kept.status == DocumentUpload.Status.CONFIRMED
    assert kept.uploaded_by == editor
    assert kept.confirmed is not None
    assert kept.document.sha256 == kept.sha256 == SourceDocument.objects.get().sha256
    titles = sorted(str(outcome.article) for outcome in shown.articles)
    assert sorted(str(a) for a in Article.objects.all()) == titles
    assert IngestWarning.objects.count() == sum(len(o.warnings) for o in shown.articles)
    done = editor_client.get(response["Location"])
    assert done.status_code == 200
    for article in Article.objects.all():
        assert reverse("catalogue:article_detail", args=[article.pk]) in done.content.decode()


def test_preview_and_confirm_give_the_same_records_as_the_command(editor_client, seeds):
    preview = upload(editor_client, seeds, ISSUE_004, ARTICLE_003)
    confirm(editor_client, preview)
    from_page = records()
    empty_the_catalogue()
    call_command(
        "ingest", str(seeds / ISSUE_004), str(seeds / ARTICLE_003), stdout=StringIO(), verbosity=0
    )
    assert records() == from_page
    assert Article.objects.count() == 20  # 003 is an article of 004


def test_the_preview_is_the_commands_dry_run(editor_client, seeds):
    preview = upload(editor_client, seeds, ISSUE_004, ARTICLE_003)
    with rehearsal():
        dry = [load_file(seeds / ISSUE_004), load_file(seeds / ARTICLE_003)]
    assert [r.plan() for r in reports(preview)] == [r.plan() for r in dry]
    out = StringIO()
    call_command(
        "ingest", str(seeds / ISSUE_004), str(seeds / ARTICLE_003), "--dry-run", stdout=out
    )
    for report in reports(preview):  # the command's dry run counts what the page shows
        counts = report.counts
        assert (
            f"{len(report.articles)} articles ({counts['created']} created, "
            f"{counts['updated']} updated, {counts['unchanged']} unchanged)"
        ) in out.getvalue()
    assert not Article.objects.exists()


def test_cancel_writes_nothing_and_forgets_the_upload(editor_client, seeds):
    preview = upload(editor_client, seeds, ISSUE_004)
    response = editor_client.post(confirm_url(preview), {**plans(preview), "_cancel": "1"})
    assert response.status_code == 302
    assert not DocumentUpload.objects.exists()
    assert not Article.objects.exists()
    assert not SourceDocument.objects.exists()
    again = confirm(editor_client, preview)  # a stale confirm form cannot write it
    assert again.status_code == 302
    assert not Article.objects.exists()


def test_the_same_file_again_would_change_nothing(editor_client, seeds):
    confirm(editor_client, upload(editor_client, seeds, ISSUE_004))
    before = records()
    response = upload(editor_client, seeds, ISSUE_004)
    [report] = reports(response)
    assert report.changes_nothing
    assert "Nothing would change" in response.content.decode()
    assert report.authors_new == 0
    assert report.authors_matched > 0
    confirm(editor_client, response)
    assert records() == before


def test_a_changed_catalogue_shows_the_new_preview_instead_of_writing(editor_client, seeds):
    preview = upload(editor_client, seeds, ISSUE_004)
    # Meanwhile someone ingests the same issue on the server.
    call_command("ingest", str(seeds / ISSUE_004), stdout=StringIO(), verbosity=0)
    before = records()
    response = confirm(editor_client, preview)
    assert response.status_code == 200
    assert "The catalogue changed since the preview" in response.content.decode()
    [report] = reports(response)
    assert report.changes_nothing
    assert records() == before
    assert DocumentUpload.objects.get().status == DocumentUpload.Status.PENDING
    # Confirming the new preview writes it.
    assert confirm(editor_client, response).status_code == 302
    assert DocumentUpload.objects.get().status == DocumentUpload.Status.CONFIRMED
    assert records() == before


def test_an_editors_correction_is_listed_as_kept_and_a_field_change_as_old_and_new(
    editor_client, seeds
):
    call_command("ingest", str(seeds / ISSUE_004), stdout=StringIO(), verbosity=0)
    corrected = Article.objects.exclude(title_en="").order_by("position").first()
    corrected.title_en = "A title an editor corrected"
    corrected.edited_fields = ["title_en"]
    corrected.save()
    other = (
        Article.objects.exclude(pk=corrected.pk)
        .filter(received__isnull=False)
        .order_by("position")
        .first()
    )
    printed = other.received
    Article.objects.filter(pk=other.pk).update(received=datetime.date(2000, 1, 1))
    response = upload(editor_client, seeds, ISSUE_004)
    [report] = reports(response)
    by_pk = {outcome.article.pk: outcome for outcome in report.articles}
    assert by_pk[corrected.pk].editor_kept == ["title_en"]
    assert by_pk[corrected.pk].status == "unchanged"
    assert [(c.field, c.old, c.new) for c in by_pk[other.pk].changes] == [
        ("received", "2000-01-01", str(printed))
    ]
    assert by_pk[other.pk].status == "updated"
    html = response.content.decode()
    assert 'class="kept-field" data-field="title_en"' in html
    assert "2000-01-01</del> → <ins>" in html
    confirm(editor_client, response)
    corrected.refresh_from_db()
    other.refresh_from_db()
    assert corrected.title_en == "A title an editor corrected"
    assert other.received == printed


def test_people_matched_to_authors_show_the_evidence(editor_client, seeds):
    call_command("ingest", str(seeds / ARTICLE_003), stdout=StringIO(), verbosity=0)
    response = upload(editor_client, seeds, ISSUE_004)
    [report] = reports(response)
    people = [person for outcome in report.articles for person in outcome.people]
    matched = [person for person in people if not person.new]
    assert matched, "the authors of 003 are authors of 004"
    for person in matched:
        assert Author.objects.filter(pk=person.author_id).exists()
        assert person.evidence
    assert all(Author.objects.filter(pk=p.author_id).exists() is False for p in people if p.new)
    assert "matched-person" in response.content.decode()
    assert report.authors_matched == len(matched)


def test_an_editor_downloads_the_document_an_article_came_from(editor_client, seeds):
    confirm(editor_client, upload(editor_client, seeds, ISSUE_004))
    article = Article.objects.order_by("position").first()
    page = editor_client.get(reverse("admin:catalogue_article_change", args=[article.pk]))
    html = page.content.decode()
    kept = DocumentUpload.objects.get()
    download = reverse("admin:download_upload", args=[kept.pk])
    assert download in html
    assert kept.sha256 in html
    response = editor_client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == (seeds / ISSUE_004).read_bytes()
    assert ISSUE_004 in response["Content-Disposition"]
    assert ArticleSource.objects.filter(article=article, document=kept.document).exists()


def test_a_pending_upload_cannot_be_downloaded(editor_client, seeds):
    upload(editor_client, seeds, ISSUE_004)
    pending = DocumentUpload.objects.get()
    response = editor_client.get(reverse("admin:download_upload", args=[pending.pk]))
    assert response.status_code == 404


def test_the_options_say_what_a_lone_article_does_not(editor_client, seeds):
    preview = upload(
        editor_client,
        seeds,
        ARTICLE_003,
        journal="Bulletin of Ablai Khan KazUIRandWL",
        series="International Relations",
        year="2025",
        number="4",
    )
    [report] = reports(preview)
    assert "2025" in report.issue
    confirm(editor_client, preview)
    article = Article.objects.get()
    assert article.issue.year == 2025
    assert article.issue.number == "4"
    assert article.issue.series.journal.title_en == "Bulletin of Ablai Khan KazUIRandWL"


def test_a_pdf_preview_shows_each_page_as_it_is_read_then_the_preview(
    editor_client, seeds, tmp_path
):
    pdf = tmp_path / "article-003.pdf"
    text = (seeds / ARTICLE_003).read_text(encoding="utf-8")
    pages = make_pdf(text, pdf, LAYOUTS["a4-two-columns"])
    response = upload(editor_client, tmp_path, pdf.name, year="2025", number="4")
    assert response.streaming
    html = page_html(response)
    assert html.count('<p class="reading-page"><progress') == pages
    assert f"{pdf.name}: page {pages} of {pages} read" in html
    assert "1 article to create" in html
    assert html.rstrip().endswith("</html>")
    assert not Article.objects.exists()
    confirm(editor_client, response)
    article = Article.objects.get()
    assert (article.issue.year, article.issue.number) == (2025, "4")
    kept = DocumentUpload.objects.get()
    assert bytes(kept.content) == pdf.read_bytes()
    assert kept.status == DocumentUpload.Status.CONFIRMED


def test_an_export_names_its_people_by_catalogue_id_in_the_preview(editor_client, seeds):
    call_command("ingest", str(seeds / ISSUE_004), stdout=StringIO(), verbosity=0)
    out = StringIO()
    call_command("export", "--format", "json", stdout=out)
    Journal.objects.all().delete()  # the articles go; their people stay
    people = Author.objects.count()
    response = upload(editor_client, None, ("catalogue.json", out.getvalue().encode()))
    [report] = reports(response)
    assert report.counts["created"] == 20
    bylines = [person for outcome in report.articles for person in outcome.people]
    assert bylines and all(not person.new for person in bylines)
    assert {person.evidence for person in bylines} == {
        f"catalogue id {person.author_id}" for person in bylines
    }
    assert report.authors_matched == len(bylines)
    assert report.authors_new == 0
    confirm(editor_client, response)
    assert Article.objects.count() == 20
    assert Author.objects.count() == people


def test_a_large_upload_lists_its_first_articles_and_counts_the_rest(
    editor_client, seeds, monkeypatch
):
    from catalogue.admin import uploads

    monkeypatch.setattr(uploads, "ARTICLES_LISTED", 5)
    response = upload(editor_client, seeds, ISSUE_004)
    html = page_html(response)
    assert html.count('class="article-outcome status-created"') == 5
    assert "and 15 more articles, not listed here" in html
    assert "20 articles to create" in html
    confirm(editor_client, response)
    assert Article.objects.count() == 20
