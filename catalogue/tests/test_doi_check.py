"""checkdois asks the resolver about inferred DOIs, notes the answer, and confirms nothing.

The DOI resolver is on the internet; a local server answers as its handle API does."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from catalogue.models import Article, IngestWarning

from .factories import make_article

pytestmark = pytest.mark.django_db

REGISTERED_DOI = "10.48371/ISMO.2025.60.2.001"
MISSING_DOI = "10.48371/ISMO.2025.60.2.002"


class HandleApi(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.endswith(REGISTERED_DOI.replace("/", "%2F")) or self.path.endswith(
            REGISTERED_DOI
        ):
            body = {
                "responseCode": 1,
                "handle": REGISTERED_DOI,
                "values": [{"type": "URL", "data": {"value": "https://journal.example/a/1"}}],
            }
            status = 200
        else:
            body, status = {"responseCode": 100, "handle": "x"}, 404
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def resolver():
    server = ThreadingHTTPServer(("127.0.0.1", 0), HandleApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    with override_settings(DOI_RESOLVER_URL=f"http://127.0.0.1:{server.server_port}"):
        yield
    server.shutdown()


def guessed(doi):
    article = make_article(doi=doi, doi_inferred=True)
    IngestWarning.objects.create(
        article=article, kind=IngestWarning.Kind.INFERRED_DOI, field="doi", message="inferred."
    )
    return article


def test_the_answer_is_noted_for_the_editor_and_nothing_is_confirmed(resolver):
    registered, missing = guessed(REGISTERED_DOI), guessed(MISSING_DOI)
    out = StringIO()
    call_command("checkdois", stdout=out)
    assert f"{REGISTERED_DOI}: registered (points to https://journal.example/a/1)" in out.getvalue()
    assert f"{MISSING_DOI}: not registered" in out.getvalue()
    for article in (registered, missing):
        article.refresh_from_db()
        assert article.doi_inferred
    note = IngestWarning.objects.get(article=missing).message
    assert note.startswith("inferred. Checked ") and note.endswith("not registered.")


def test_checking_twice_keeps_one_note(resolver):
    article = guessed(REGISTERED_DOI)
    call_command("checkdois", stdout=StringIO())
    call_command("checkdois", stdout=StringIO())
    assert IngestWarning.objects.get(article=article).message.count("Checked ") == 1


def test_an_unreachable_resolver_is_said_and_changes_nothing():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again below: nothing listens there
    article = guessed(REGISTERED_DOI)
    with override_settings(DOI_RESOLVER_URL=f"http://127.0.0.1:{port}"):
        with pytest.raises(CommandError, match="cannot be reached"):
            call_command("checkdois", "--timeout", "2", stdout=StringIO())
    assert IngestWarning.objects.get(article=article).message == "inferred."
    assert Article.objects.get(pk=article.pk).doi_inferred
