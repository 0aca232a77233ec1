"""The editors' "Add documents" page: upload, see exactly what would change, confirm.

Three steps, each a request:
1. the upload: every file is read, parsed and written in one rehearsal
   (catalogue.ingest.loader, the code the `ingest` command runs) and rolled back;
   the page shows the reports, and the files that were not refused wait, with
   their bytes, as pending DocumentUploads;
2. the confirmation: each file is loaded again, one transaction each, told the
   plan its preview showed; a file whose plan changed (the catalogue moved on) is
   not written, and the page shows the new preview of it and of the files after it;
3. or the cancellation: the pending uploads are deleted, the catalogue untouched.

The work runs inside the request, by measurement (docs/ingestion.md): a whole issue
as text previews in a few seconds, a PDF in about 3 to 8 s per 100 pages, inside a
proxy's usual timeout for issues of up to a few hundred pages. When a PDF is among
the files, the preview page is streamed: each page read is shown as it is read (the
reader runs in a thread, which touches no database, and reports to the response),
then the preview follows in the same page.
"""

from __future__ import annotations

import hashlib
import io
import queue
import threading
import uuid
from dataclasses import dataclass
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import (
    FileResponse,
    Http404,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from ..ingest.loader import (
    IngestError,
    PlanChanged,
    load_bytes,
    load_source,
    read_upload,
    refuse_size,
    rehearsal,
)
from ..ingest.report import DocumentReport
from ..models import Article, DocumentUpload
from ..parsing.records import IssueRecord
from ..parsing.sources import SourceText

# Measured (docs/ingestion.md): preview of a 193-page PDF, 6 s on a quiet machine, 16 s
# on a busy one; the page tells the editor to expect about this per 100 pages.
SECONDS_PER_100_PAGES = "3–8"
# A large export is summed up past this many articles: the page stays a page. Every
# article still counts in the plan the confirmation checks.
ARTICLES_LISTED = 500
ABANDONED_HOURS = 24  # a pending upload older than this is deleted at the next upload
PREVIEW_TITLE = "Preview: what these documents would change"
PREVIEW = "admin/catalogue/add_documents_preview.html"
PLAN = "admin/catalogue/includes/documents_plan.html"
STREAM_MARK = "<!-- the pages read and the preview go here -->"
CONTENT_TYPES = {".pdf": "application/pdf", ".json": "application/json"}  # else text/plain


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)]


class AddDocumentsForm(forms.Form):
    """The `ingest` command's options, for documents that do not say them."""

    files = MultipleFileField(
        label="Documents",
        # An empty file is refused by the reader, in the command's words.
        allow_empty_file=True,
        help_text="PDF, text, or the catalogue's JSON export; one or more files.",
    )
    journal = forms.CharField(
        required=False, max_length=500, help_text="Journal title, for documents that lack one."
    )
    series = forms.CharField(
        required=False, max_length=500, help_text="Series name, for documents that lack one."
    )
    year = forms.IntegerField(
        required=False,
        min_value=1800,
        max_value=2200,
        help_text="Year of the issue, for documents that do not say it (overrides what they say).",
    )
    volume = forms.CharField(required=False, max_length=50)
    number = forms.CharField(
        required=False,
        max_length=50,
        help_text="Number of the issue within its year or volume (overrides what they say). "
        "An article whose issue is still not known waits in 'issue not known' for an editor.",
    )
    replace = forms.BooleanField(
        required=False,
        help_text="Let a document take over the article its DOI names even where it gives that "
        "article another journal, or another issue, title and authors at once.",
    )

    def options(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("journal", "series", "year", "volume", "number", "replace")
        }


@dataclass
class Preview:
    """One file as the page shows it: its report, or why it was refused."""

    file_name: str
    size: int
    sha256: str = ""
    report: DocumentReport | None = None
    refused: str = ""
    upload: DocumentUpload | None = None

    @property
    def plan(self) -> str:
        return self.report.plan() if self.report else ""

    @property
    def listed(self):
        return self.report.articles[:ARTICLES_LISTED]

    @property
    def not_listed(self) -> int:
        return max(0, len(self.report.articles) - ARTICLES_LISTED)


def _load_options(options: dict) -> dict:
    """The page's options as load_bytes takes them (those of the command line)."""
    issue = IssueRecord(
        year=options["year"],
        volume=(options["volume"] or "").strip(),
        number=(options["number"] or "").strip(),
    )
    return {
        "journal": options["journal"].strip(),
        "series": options["series"].strip(),
        "issue": issue,
        "replace": options["replace"],
    }


def _upload_options(upload: DocumentUpload) -> dict:
    return {
        name: getattr(upload, name)
        for name in ("journal", "series", "year", "volume", "number", "replace")
    }


def _read(name: str, data: bytes, on_page=None) -> SourceText | str:
    """The file's text, or the one line that refuses it."""
    try:
        return read_upload(name, data, on_page)
    except IngestError as error:
        return str(error)


def _rehearse(files: list[tuple[str, bytes, SourceText | str]], options: dict) -> list[Preview]:
    """Write every read file, each seeing the ones before it, and roll all of it back."""
    previews = []
    with rehearsal():
        for name, data, source in files:
            preview = Preview(file_name=name, size=len(data), refused=_refusal(source))
            if not preview.refused:
                try:
                    preview.report = load_source(source, **_load_options(options))
                except IngestError as error:
                    preview.refused = str(error)
            previews.append(preview)
    return previews


def _refusal(source: SourceText | str) -> str:
    return source if isinstance(source, str) else ""


def _check_editor(request):
    # Whoever may create articles may ingest them; admin_view has let in only editors.
    if not request.user.has_perm("catalogue.add_article"):
        raise PermissionDenied


def add_documents_view(request):
    """The upload form, and (posted) the preview of what the files would change."""
    _check_editor(request)
    form = AddDocumentsForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _page(request, "Add documents", form=form, max_bytes=settings.INGEST_MAX_BYTES)
    DocumentUpload.objects.abandoned(ABANDONED_HOURS).delete()
    files, too_large = [], []
    for upload in form.cleaned_data["files"]:
        name = PurePath(upload.name).name  # a browser may send a path
        try:
            refuse_size(upload.size)
        except IngestError as error:
            too_large.append(Preview(file_name=name, size=upload.size, refused=str(error)))
            continue
        files.append((name, upload.read()))
    batch = uuid.uuid4()
    if any(data.startswith(b"%PDF-") for _, data in files):
        return _streamed_preview(request, batch, too_large, files, form.options())
    read = [(name, data, _read(name, data)) for name, data in files]
    previews = _rehearse(read, form.options())
    _keep_all(request, batch, previews, read, form.options())
    return _preview_page(request, batch, too_large + previews)


def _keep_all(request, batch, previews: list[Preview], files, options: dict):
    """Keep, as pending uploads, the files whose preview is shown for confirmation."""
    for preview, (_, data, _) in zip(previews, files, strict=True):
        if preview.report is not None:
            preview.upload = _keep(batch, preview, data, request.user, options)


def _streamed_preview(request, batch, too_large, files, options: dict):
    """The preview page, sent as it is made: the pages of each PDF as they are read,
    then the preview. The proxy sees the response move; the editor sees how far it is."""
    get_token(request)  # the confirm form's token: its cookie goes out with the headers
    page = _page(request, PREVIEW_TITLE, template=PREVIEW, streamed=STREAM_MARK)
    head, tail = page.render().content.decode().split(STREAM_MARK)

    def stream():
        yield head
        yield '<div class="reading" role="status">'
        read = []
        for name, data in files:
            source = yield from _read_showing_pages(name, data)
            read.append((name, data, source))
        yield '<p class="reading-page">All pages read; what they would change follows.</p></div>'
        previews = _rehearse(read, options)
        _keep_all(request, batch, previews, read, options)
        yield render_to_string(PLAN, _plan_context(batch, too_large + previews), request)
        yield tail

    response = StreamingHttpResponse(stream(), content_type="text/html; charset=utf-8")
    response["X-Accel-Buffering"] = "no"  # nginx: pass each line on as it comes
    return response


def _read_showing_pages(name: str, data: bytes):
    """Read one file in a thread; yield a line for each page read; return the text.

    The thread only reads (no database): the rehearsal stays in the request's thread."""
    pages: queue.Queue = queue.Queue()
    result: dict = {}

    def work():
        try:
            result["source"] = _read(name, data, lambda read, total: pages.put((read, total)))
        except BaseException as error:  # re-raised below, in the request's thread
            result["error"] = error
        finally:
            pages.put(None)

    threading.Thread(target=work, name=f"read {name}", daemon=True).start()
    while (page := pages.get()) is not None:
        read, total = page
        yield format_html(
            '<p class="reading-page"><progress value="{}" max="{}"></progress> '
            "{}: page {} of {} read</p>",
            read,
            total,
            name,
            read,
            total,
        )
    if "error" in result:
        raise result["error"]
    return result["source"]


def _keep(batch, preview: Preview, data: bytes, user, options: dict) -> DocumentUpload:
    preview.sha256 = hashlib.sha256(data).hexdigest()
    return DocumentUpload.objects.create(
        batch=batch,
        file_name=preview.file_name[:500],
        sha256=preview.sha256,
        size=len(data),
        content=data,
        uploaded_by=user,
        **options,
    )


def confirm_view(request, batch):
    """Write the previewed files, each only if it still does what its preview showed."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _check_editor(request)
    pending = list(DocumentUpload.objects.pending(batch, request.user))
    if not pending:
        messages.warning(request, "These documents were already confirmed or cancelled.")
        return HttpResponseRedirect(reverse("admin:add_documents"))
    if "_cancel" in request.POST:
        DocumentUpload.objects.filter(pk__in=[u.pk for u in pending]).delete()
        messages.info(request, "Cancelled: nothing was written.")
        return HttpResponseRedirect(reverse("admin:add_documents"))
    for done, upload in enumerate(pending):
        if not _confirm(upload, request.POST.get(f"plan-{upload.pk}", "")):
            return _changed(request, batch, pending[done:], written=done)
    return HttpResponseRedirect(reverse("admin:documents_added", args=[batch]))


def _confirm(upload: DocumentUpload, plan: str) -> bool:
    """Load one upload in one transaction if its plan is still `plan`; say whether."""
    try:
        with transaction.atomic():
            report = load_bytes(
                upload.file_name,
                bytes(upload.content),
                expect=plan or "-",
                **_load_options(_upload_options(upload)),
            )
            upload.status = DocumentUpload.Status.CONFIRMED
            upload.confirmed = timezone.now()
            upload.document_id = report.source_document_id
            upload.save(update_fields=["status", "confirmed", "document"])
    except (PlanChanged, IngestError):
        return False
    return True


def _changed(request, batch, remaining: list[DocumentUpload], written: int):
    """The new preview of the files not written, with why they were not."""
    files = [(u.file_name, bytes(u.content)) for u in remaining]
    read = [(name, data, _read(name, data)) for name, data in files]
    previews = _rehearse(read, _upload_options(remaining[0]))
    for preview, upload in zip(previews, remaining, strict=True):
        preview.upload, preview.sha256 = upload, upload.sha256
        if preview.refused:
            upload.delete()
            preview.upload = None
    names = ", ".join(upload.file_name for upload in remaining)
    messages.warning(
        request,
        f"The catalogue changed since the preview: {remaining[0].file_name} would no longer do "
        f"what the preview showed, so nothing of {names} was written ({written} file(s) before "
        "it were). Below is what they would do now; confirm again to write it.",
    )
    return _preview_page(request, batch, previews)


def _preview_page(request, batch, previews: list[Preview]):
    return _page(request, PREVIEW_TITLE, template=PREVIEW, **_plan_context(batch, previews))


def _plan_context(batch, previews: list[Preview]) -> dict:
    return {
        "previews": previews,
        "batch": batch,
        "waiting": [p for p in previews if p.upload is not None],
    }


def documents_added_view(request, batch):
    """What the confirmed files of one upload wrote: their articles, here and in public."""
    _check_editor(request)
    uploads = list(
        DocumentUpload.objects.confirmed()
        .filter(batch=batch, uploaded_by=request.user)
        .defer("content")
        .select_related("document")
    )
    if not uploads:
        raise Http404("no confirmed documents in this upload")
    by_document = {
        upload.document_id: list(
            Article.objects.filter(sources__document_id=upload.document_id)
            .select_related("issue__series__journal")
            .order_by("issue_id", "position", "id")
        )
        for upload in uploads
    }
    for upload in uploads:
        upload.articles = by_document.get(upload.document_id, [])
    return _page(
        request,
        "Documents added",
        template="admin/catalogue/documents_added.html",
        uploads=uploads,
    )


def download_view(request, pk):
    """The bytes of a confirmed upload, under the name it was uploaded with."""
    if not request.user.has_perm("catalogue.view_sourcedocument"):
        raise PermissionDenied
    upload = get_object_or_404(DocumentUpload.objects.confirmed(), pk=pk)
    suffix = PurePath(upload.file_name).suffix.lower()
    return FileResponse(
        io.BytesIO(bytes(upload.content)),
        as_attachment=True,
        filename=upload.file_name,
        # No charset: a text document may be in cp1251; it is a download, not a page.
        content_type=CONTENT_TYPES.get(suffix, "text/plain"),
    )


def _page(request, title, template="admin/catalogue/add_documents.html", **context):
    return TemplateResponse(
        request, template, {**admin.site.each_context(request), "title": title, **context}
    )
