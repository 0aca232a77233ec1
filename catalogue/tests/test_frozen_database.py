"""A frozen database server gives the 503 page within seconds, not a hung worker.

A throwaway PostgreSQL cluster (initdb in a temporary directory, a free loopback port)
serves gunicorn; once gunicorn holds a connection, the postmaster and its backends are
stopped with SIGSTOP, as a server that is paused, swapping or cut off looks to a client:
the connection stays open and nothing answers. The page on the kept connection (the
watchdog in DatabaseGuardMiddleware) and the next one on a new connection
(connect_timeout) must both come back 503 within 5 s. Bounded: one cluster, one worker,
a few requests; the processes are continued and stopped, the directory removed, whatever
happens. Skipped where the PostgreSQL server programs are not installed.
"""

import glob
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .served import free_port, stop, wait_until_answering

ROOT = Path(__file__).resolve().parents[2]
LIMIT_SECONDS = 5


def _bindir() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    found = shutil.which("initdb")
    if found:
        candidates.insert(0, str(Path(found).parent))
    for directory in candidates:
        if (Path(directory) / "initdb").exists() and (Path(directory) / "pg_ctl").exists():
            return Path(directory)
    return None


def _as_owner(command: list[str]) -> list[str]:
    """initdb refuses root: as root, run the server programs as the postgres user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def _children(pid: int) -> list[int]:
    found = []
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            fields = Path(stat).read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(Path(stat).parent.name))
    return found


def _get(url: str) -> tuple[int, float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, time.monotonic() - started


@pytest.fixture
def cluster():
    """(port, postmaster pid) of a throwaway cluster, removed afterwards."""
    bindir = _bindir()
    if bindir is None:
        pytest.skip("PostgreSQL server programs (initdb, pg_ctl) are not installed")
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root with no postgres user to own a cluster")
    directory = Path(tempfile.mkdtemp(prefix="frozen-db-", dir="/tmp"))
    data = directory / "data"
    if os.geteuid() == 0:
        os.chown(directory, owner.pw_uid, owner.pw_gid)
    port = free_port()
    stopped: list[int] = []
    try:
        subprocess.run(
            _as_owner(
                [str(bindir / "initdb"), "-D", str(data), "-U", "catalogue", "--auth=trust"]
                + ["--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"]
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )
        options = f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
        subprocess.run(
            _as_owner([str(bindir / "pg_ctl"), "-D", str(data), "-w", "-t", "30"])
            + ["-o", options, "-l", str(directory / "log"), "start"],
            check=True,
            capture_output=True,
            timeout=60,
        )
        postmaster = int((data / "postmaster.pid").read_text().split()[0])
        yield port, postmaster, stopped
    finally:
        for pid in stopped:
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass
        if (data / "postmaster.pid").exists():
            subprocess.run(
                _as_owner([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                capture_output=True,
                timeout=60,
            )
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def gunicorn(cluster, tmp_path):
    port, postmaster, stopped = cluster
    web_port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "catalogue.tests.served_settings",
        "DATABASE_URL": f"postgres://catalogue@127.0.0.1:{port}/postgres",
        "CONN_MAX_AGE": "600",  # the worker keeps its connection, as in production
        "PUBLIC_STATEMENT_TIMEOUT_MS": "3000",
        "DATABASE_CONNECT_TIMEOUT": "2",
        "DEBUG": "false",
        "HTTPS": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECRET_KEY": "frozen-database-test-only",
        "LOG_LEVEL": "CRITICAL",
        "CACHE_URL": "locmem://",
    }
    log = open(tmp_path / "gunicorn.log", "w")
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "catalogue_site.wsgi"),
            *("--bind", f"127.0.0.1:{web_port}", "--workers", "1", "--timeout", "60"),
            *("--access-logfile", "/dev/null"),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{web_port}"
    try:
        wait_until_answering(base, process, tmp_path / "gunicorn.log")
        yield base, postmaster, stopped
    finally:
        stop(process)
        log.close()


def test_a_frozen_server_gives_the_503_page_within_seconds(gunicorn):
    base, postmaster, stopped = gunicorn
    assert _get(base + "/healthz")[0] == 200  # the worker now holds a connection
    for pid in [postmaster, *_children(postmaster)]:
        os.kill(pid, signal.SIGSTOP)
        stopped.append(pid)

    status, seconds = _get(base + "/healthz")  # on the connection the worker kept
    assert status == 503
    assert seconds < LIMIT_SECONDS

    status, seconds = _get(base + "/en/articles/")  # a new connection to the frozen server
    assert status == 503
    assert seconds < LIMIT_SECONDS
