"""The public site on a real streaming standby (scripts/replica).

scripts/replica copies the test database's server with pg_basebackup into a folder of
its own and starts it as a hot standby; gunicorn serves the site with the standby as
its "replica" alias. Pausing the standby's replay makes it hold an older state than
the primary, so a page shows which server it was read from: visitors read the
standby, editors and a visitor who has just posted read the primary, writes land on
the primary, and the site keeps answering when the standby stops. Skipped where the
PostgreSQL server binaries are not installed.
"""

import os
import shutil
import subprocess
import tempfile
import time
import urllib.parse
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.test import Client as DjangoClient
from django.urls import reverse

from catalogue.models import Article, ErrorReport

from .editors import PASSWORD, make_editor
from .factories import make_article
from .test_admin_concurrency import open_form
from .test_limits_workers import Client, serve  # noqa: F401 (serve: a fixture)

ROOT = Path(__file__).resolve().parents[2]
SERVER_BINARIES = subprocess.run(
    ["bash", "-c", f"source {ROOT}/scripts/lib.sh && pg_bindir"], capture_output=True
)

pytestmark = [
    pytest.mark.skipif(
        SERVER_BINARIES.returncode != 0, reason="PostgreSQL server binaries not installed"
    ),
    pytest.mark.django_db(transaction=True),
]


class Standby:
    """The standby scripts/replica started: its URL, SQL on it, and the script's commands."""

    def __init__(self, folder: Path):
        self.folder = folder
        db = connection.settings_dict
        quote = urllib.parse.quote
        self.env = {
            **os.environ,
            "PRIMARY_URL": (
                f"postgres://{quote(db['USER'])}:{quote(db['PASSWORD'])}@{db['HOST']}:{db['PORT']}"
            ),
            "REPLICA_DIR": str(folder / "standby"),
        }
        self.url = self.run("start").stdout.strip().splitlines()[-1].split("=", 1)[1]
        # The standby's copy of the test database, not of the development one.
        self.url = self.url.rsplit("/", 1)[0] + "/" + quote(db["NAME"])

    def run(self, command: str) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [str(ROOT / "scripts" / "replica"), command],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done

    def value(self, sql: str, *params):
        with psycopg.connect(self.url, autocommit=True) as conn:
            row = conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def wait_for(self, sql: str, *params, expected=True):
        deadline = time.monotonic() + 60
        while self.value(sql, *params) != expected:
            assert time.monotonic() < deadline, f"the standby never gave {expected!r} for {sql}"
            time.sleep(0.1)


@pytest.fixture
def standby():
    folder = Path(tempfile.mkdtemp(prefix="catalogue-standby-"))
    folder.chmod(0o755)  # the server's own user (as root: postgres) makes its folder here
    started = None
    try:
        started = Standby(folder)
        yield started
    finally:
        if started is not None:
            started.run("destroy")
        shutil.rmtree(folder, ignore_errors=True)


def test_the_public_site_reads_a_streaming_standby_and_editors_read_their_writes(
    standby,
    serve,  # noqa: F811 (the fixture imported above)
    monkeypatch,
):
    editor = make_editor(monkeypatch)
    article = make_article(title_en="Water policy")
    title = "SELECT title_en FROM catalogue_article WHERE id = %s"
    standby.wait_for(title, article.pk, expected="Water policy")
    assert standby.value("SELECT pg_is_in_recovery()") is True
    base = serve(DATABASE_REPLICA_URL=standby.url, REPLICA_RETRY_SECONDS="1")
    page = reverse("catalogue:article_detail", args=[article.pk])

    # The standby stops replaying: from now on it holds the state before the edits.
    standby.value("SELECT pg_wal_replay_pause()")
    editor_browser = Client(base, "192.0.2.10")
    status, _ = editor_browser.login(PASSWORD)
    assert status == 302
    form = open_form(_logged_in(editor), article)
    change = reverse("admin:catalogue_article_change", args=[article.pk])
    status, _ = editor_browser.post_form(change, {**form, "title_en": "Water policies"})
    assert status == 302
    assert Article.objects.get(pk=article.pk).title_en == "Water policies"  # on the primary
    assert standby.value(title, article.pk) == "Water policy"

    # The editor sees the change at once, in the admin and on the public page.
    assert "Water policies" in editor_browser.open(change)[1]
    assert "Water policies" in editor_browser.open(page)[1]
    # A visitor reads the standby, which has not replayed it yet.
    visitor = Client(base, "192.0.2.20")
    status, html = visitor.open(page)
    assert status == 200 and "Water policy" in html and "Water policies" not in html

    # A visitor who posts (an error report) reads the primary afterwards.
    report = reverse("report_error", args=[article.pk])
    status, _ = visitor.post_form(report, {"message": "The title lost its plural."})
    assert status == 200
    assert ErrorReport.objects.filter(article=article).count() == 1  # written to the primary
    assert "Water policies" in visitor.open(page)[1]

    # Replay again: visitors see the change once the standby has it.
    standby.value("SELECT pg_wal_replay_resume()")
    standby.wait_for(title, article.pk, expected="Water policies")
    assert "Water policies" in Client(base, "192.0.2.30").open(page)[1]

    # The standby stops: the site answers from the primary.
    standby.run("stop")
    for address in ("192.0.2.40", "192.0.2.41", "192.0.2.42"):
        status, html = Client(base, address).open(page)
        assert status == 200 and "Water policies" in html


def _logged_in(user) -> DjangoClient:
    client = DjangoClient()
    client.force_login(user)
    return client
