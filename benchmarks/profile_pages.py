"""Where a page's milliseconds go: each public page profiled with pyinstrument.

    DATABASE_URL=... python benchmarks/profile_pages.py [REQUESTS]

Runs in-process (Django's test client, DEBUG off) against the database in
DATABASE_URL, which should hold the seed issues beside synthetic articles
(scripts/benchmark-site with KEEP_DB=1 leaves such a database). Each page is
requested REQUESTS times (default 30) after a warm-up, under one pyinstrument
profile; the sampled time is then shared out among a few kinds of work, each
sample going to the innermost kind on its stack (time in the database driver
under a template tag counts as SQL), and printed as a Markdown table for
docs/scaling.md: this process's CPU time per request measured without the
profiler, the profiled time per request and each kind's share of it.
The profiler slows Python down (it sees every call), so the profiled totals are
above what the benchmark measures; the shares are what to read.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "catalogue_site.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "profile-only")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("HTTPS", "false")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402
from pyinstrument import Profiler  # noqa: E402

from benchmarks.site_speed import pages as site_pages  # noqa: E402
from benchmarks.site_speed import sample_values  # noqa: E402

# (kind, what a frame's file path contains); the innermost match on a sample's stack wins.
KINDS = [
    ("SQL: driver and server wait", ("/psycopg/",)),
    ("ORM: building queries, making model instances", ("/django/db/",)),
    ("citations, meta tags, JSON-LD, COinS", ("/catalogue/citations.py", "citations.py")),
    ("URL reversing", ("/django/urls/",)),
    ("translation lookups", ("/django/utils/translation/", "/gettext.py")),
    ("template rendering", ("/django/template/", "/templatetags/")),
    ("middleware and request handling", ("/django/core/handlers/", "/django/middleware/")),
    ("catalogue code (views, filters, facets)", ("/catalogue/",)),
]
OTHER = "other (Python, Django's other parts)"


def pages() -> list[tuple[str, str]]:
    """The benchmark's pages (scripts/benchmark-site), without the rows beyond the targets."""
    return [
        (label, path)
        for label, path in site_pages(sample_values())
        if not label.startswith(("beyond:", "search:", "refused:"))
    ]


def kind_of(stack: list[str]) -> str:
    for path in reversed(stack):
        for kind, needles in KINDS:
            if any(needle in path for needle in needles):
                return kind
    return OTHER


def breakdown(root) -> dict[str, float]:
    """Seconds per kind of work: every frame's self time, by its innermost kind."""
    totals: dict[str, float] = {}
    todo = [(root, [])]
    while todo:
        frame, stack = todo.pop()
        stack = stack + [frame.file_path or ""]
        kind = kind_of(stack)
        totals[kind] = totals.get(kind, 0.0) + frame.total_self_time
        todo.extend((child, stack) for child in frame.children)
    return totals


def cpu_ms(client: Client, path: str, requests: int) -> float:
    """This process's CPU time per request, unprofiled: the server's share of a page
    without the machine's other load in it (the database's share is another process's)."""
    start = time.process_time()
    for _ in range(requests):
        client.get(path)
    return (time.process_time() - start) * 1000 / requests


def main():
    requests = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    # PROFILE_TREE=words prints pyinstrument's call tree of the pages whose label holds them.
    tree = os.environ.get("PROFILE_TREE", "")
    client = Client()
    names = [kind for kind, _ in KINDS] + [OTHER]
    rows = []
    for label, path in pages():
        for _ in range(5):
            response = client.get(path)
        if response.status_code != 200:
            sys.exit(f"{label}: HTTP {response.status_code} for {path}")
        cpu = cpu_ms(client, path, requests)
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(requests):
            client.get(path)
        profiler.stop()
        if tree and tree in label:
            print(profiler.output_text(show_all=False), file=sys.stderr)
        totals = breakdown(profiler.last_session.root_frame())
        total = sum(totals.values()) * 1000 / requests
        rows.append((label, cpu, total, {k: v * 1000 / requests for k, v in totals.items()}))
        print(f"{label}: CPU {cpu:.2f} ms, profiled {total:.1f} ms", file=sys.stderr, flush=True)
    print("| page | CPU ms | profiled ms | " + " | ".join(f"{name} %" for name in names) + " |")
    print("|---|---:|---:|" + "---:|" * len(names))
    for label, cpu, total, parts in rows:
        cells = " | ".join(f"{100 * parts.get(name, 0.0) / total:.0f}" for name in names)
        print(f"| {label} | {cpu:.2f} | {total:.1f} | {cells} |")


if __name__ == "__main__":
    main()
