"""The "Add documents" page's speed: preview and confirm of issue 004 as text and as a PDF.

Run through `scripts/benchmark-ingest --admin`, which points DATABASE_URL at a
scratch database. Each step is one request through Django's test client (the
whole stack but the network): the upload and its preview, then the confirmation.
Pages render without collectstatic (plain static storage), as in the tests.
Prints the figures docs/ingestion.md quotes.
"""

import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "catalogue_site.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from benchmarks.ingest_speed import ISSUE, empty_catalogue, timed  # noqa: E402
from catalogue.models import Article, DocumentUpload  # noqa: E402
from catalogue.tests.conftest import PLAIN_STATIC  # noqa: E402
from catalogue.tests.pdfmaker import LAYOUTS, make_pdf  # noqa: E402


def editor_client() -> Client:
    user, _ = User.objects.get_or_create(
        username="benchmark-editor", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    return client


def preview_and_confirm(client: Client, path: Path, label: str):
    responses = {}

    def preview():
        file = SimpleUploadedFile(path.name, path.read_bytes())
        response = client.post("/admin/documents/add/", {"files": [file]}, secure=True)
        # A PDF's preview is streamed (its pages as they are read): the time is the reading.
        body = b"".join(response.streaming_content) if response.streaming else response.content
        responses["preview"], responses["html"] = response, body.decode()

    def confirm():
        html = responses["html"]
        action = re.search(r'action="([^"]+/confirm/)"', html).group(1)
        plans = dict(re.findall(r'name="(plan-\d+)" value="([0-9a-f]*)"', html))
        responses["confirm"] = client.post(action, {**plans, "_confirm": "1"}, secure=True)

    timed(f"{label}: upload and preview", preview)
    assert responses["preview"].status_code == 200, responses["preview"].status_code
    timed(f"{label}: confirm", confirm)
    assert responses["confirm"].status_code == 302, "the plan changed between the two"
    print(f"  {Article.objects.count()} articles")


@override_settings(STORAGES=PLAIN_STATIC)  # the admin's pages without collectstatic
def main():
    client = editor_client()
    empty_catalogue()
    DocumentUpload.objects.all().delete()
    preview_and_confirm(client, ISSUE, f"{ISSUE.name} into an empty catalogue")
    preview_and_confirm(client, ISSUE, f"{ISSUE.name} again (nothing changes)")
    empty_catalogue()
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "issue-004.pdf"
        pages = make_pdf(ISSUE.read_text(encoding="utf-8"), pdf, LAYOUTS["a4-two-columns"])
        preview_and_confirm(client, pdf, f"issue 004 as a {pages}-page two-column A4 PDF")
    empty_catalogue()
    DocumentUpload.objects.all().delete()
    User.objects.filter(username="benchmark-editor").delete()


if __name__ == "__main__":
    main()
