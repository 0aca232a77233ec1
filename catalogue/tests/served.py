"""A server process started by a test (gunicorn, scripts/run's `serve`): a free port,
the wait until it answers, and its stop. Bounded: 127.0.0.1 only."""

import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_answering(base: str, process, log: Path, seconds: float = 30) -> None:
    """Until GET /healthz answers; fails with the server's log if it exits or stays silent."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=5)
            return
        except (OSError, urllib.error.URLError):
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, f"the server did not answer within {seconds} s"
            time.sleep(0.2)


def stop(process) -> None:
    """SIGTERM, then SIGKILL if it has not gone within 20 s."""
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
