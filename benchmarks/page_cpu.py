"""Python CPU per request of each benchmark page, in-process, for one code tree or two.

    DATABASE_URL=.../catalogue_scale_10000 python benchmarks/page_cpu.py [TREE ...]

Each page of scripts/benchmark-site (its rows up to the searches) is requested
in-process with Django's test client, every page made for its request
(PAGE_MEMORY_MB=0): five warm-up requests, then RUNS runs of REQUESTS requests, and
the least CPU time per request of the runs is printed (what the machine's other
load adds is never less than nothing). This process's CPU only: PostgreSQL's share
is another process's, and gunicorn's own share of a request is not in it.

Given the paths of other checkouts of the catalogue (`git worktree add ../before
COMMIT`, then `collectstatic` there), it measures each tree's code on the same
database, page by page and tree by tree in turn, so that a change's effect is not
confused with a change in the machine's speed. ROUNDS repeats the whole and keeps
each page's least figure. Prints a Markdown table.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("RUNS", "3"))
REQUESTS = int(os.environ.get("REQUESTS", "40"))
ROUNDS = int(os.environ.get("ROUNDS", "2"))
SETTINGS = {
    "DJANGO_SETTINGS_MODULE": "catalogue_site.settings",
    "DEBUG": "false",
    "SECRET_KEY": "benchmark-only",
    "ALLOWED_HOSTS": "testserver",
    "HTTPS": "false",
    "PAGE_MEMORY_MB": "0",
    "LOG_LEVEL": "ERROR",
}


def _django(tree: Path):
    sys.path.insert(0, str(tree))
    for name, value in SETTINGS.items():
        os.environ.setdefault(name, value)
    import django

    django.setup()


def measure(path: str) -> float:
    """CPU ms per request of one page, in this process (the tree already set up)."""
    from django.test import Client

    client = Client()
    for _ in range(5):
        response = client.get(path)
    if response.status_code != 200:
        sys.exit(f"HTTP {response.status_code} for {path}")
    best = float("inf")
    for _ in range(RUNS):
        start = time.process_time()
        for _ in range(REQUESTS):
            client.get(path)
        best = min(best, (time.process_time() - start) * 1000 / REQUESTS)
    return best


def pages() -> list[tuple[str, str]]:
    _django(ROOT)
    from benchmarks.site_speed import pages as site_pages
    from benchmarks.site_speed import sample_values

    return [
        (label, path)
        for label, path in site_pages(sample_values())
        if not label.startswith(("beyond:", "refused:", "search: pasted"))
    ]


def in_tree(tree: Path, path: str) -> float:
    """measure(path) in a process of its own, running `tree`'s code."""
    output = subprocess.run(
        [sys.executable, __file__, "--one", str(tree), path],
        cwd=tree,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return float(output.split()[-1])


def main():
    if sys.argv[1:2] == ["--one"]:
        tree, path = Path(sys.argv[2]), sys.argv[3]
        _django(tree)
        print(f"{measure(path):.3f}")
        return
    trees = [Path(arg).resolve() for arg in sys.argv[1:]] or [ROOT]
    if ROOT not in trees:
        trees.append(ROOT)
    listed = pages()
    best: dict[tuple[str, Path], float] = {}
    for _ in range(ROUNDS):
        for label, path in listed:
            for tree in trees:
                figure = in_tree(tree, path)
                best[label, tree] = min(best.get((label, tree), float("inf")), figure)
            print(label, *(f"{best[label, tree]:.2f}" for tree in trees), file=sys.stderr)
    print("| page | " + " | ".join(f"{tree.name} CPU ms" for tree in trees) + " |")
    print("|---|" + "---:|" * len(trees))
    for label, _path in listed:
        print(f"| {label} | " + " | ".join(f"{best[label, tree]:.2f}" for tree in trees) + " |")


if __name__ == "__main__":
    main()
