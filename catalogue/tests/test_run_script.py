"""`scripts/run` serves what production serves: gunicorn with DEBUG off, and the static
files collected and served by whitenoise.

The test runs the very function the script ends with (`serve` in scripts/lib.sh) on a
free port against the test database, with the static files collected into a
temporary folder, and reads a mistyped address and a stylesheet from it. Bounded:
127.0.0.1 only, one server, stopped afterwards.
"""

import os
import re
import subprocess
import urllib.error
import urllib.request

import pytest

from .served import free_port, stop, wait_until_answering
from .test_limits_workers import ROOT, _database_url

pytestmark = pytest.mark.skipif(
    not (ROOT / ".venv/bin/gunicorn").exists(), reason="scripts/run serves from .venv"
)


def _get(url: str) -> tuple[int, dict, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.fixture
def served(transactional_db, tmp_path):
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "DEBUG", "HTTPS", "SECRET_KEY")
    }
    env.update(
        DATABASE_URL=_database_url(),
        STATIC_ROOT=str(tmp_path / "static"),
        ALLOWED_HOSTS="127.0.0.1",
        SECRET_KEY="run-script-test-only",
        WEB_CONCURRENCY="1",
        LOG_LEVEL="WARNING",
    )
    log = open(tmp_path / "serve.log", "w")
    process = subprocess.Popen(
        ["bash", "-c", f'source scripts/lib.sh && serve "{port}"'],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(base, process, tmp_path / "serve.log", seconds=90)
        yield base
    finally:
        stop(process)
        log.close()


def test_run_serves_the_sites_own_404_and_collected_static_files(served):
    status, _headers, html = _get(served + "/no-such-pgae/")
    assert status == 404
    assert "Page not found" in html
    assert 'class="site-nav"' in html  # the site's own page, with its navigation
    assert "URLconf" not in html and "DEBUG = True" not in html  # not Django's debug page

    status, _headers, home = _get(served + "/")
    assert status == 200
    # The stylesheet under its collected, hashed name, served by whitenoise for good.
    [stylesheet] = re.findall(r'href="(/static/catalogue/site\.[0-9a-f]{12}\.css)"', home)
    status, headers, css = _get(served + stylesheet)
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert "immutable" in headers["Cache-Control"]
    assert css == (ROOT / "static/catalogue/site.css").read_text()
    # The favicon every page links is served too (it was a 404 on every page).
    [icon] = re.findall(r'rel="icon" href="([^"]+)"', home)
    status, headers, _svg = _get(served + icon)
    assert status == 200 and headers["Content-Type"].startswith("image/svg+xml")
