"""Load test driver: N clients for D seconds against a running catalogue, plus disruptions.

Run through scripts/loadtest, which starts a throwaway PostgreSQL cluster and
gunicorn on 127.0.0.1 and passes their details in the environment. Each client is a
thread with its own keep-alive HTTP connection, looping over browse, search,
article, author and API pages. During the load an ingest of a whole issue and an
editor-like save run against the same database. Afterwards the database is stopped
and started again: visitors must get a clean 503 meanwhile, and the site must
recover by itself (no gunicorn restart). Exit status 1 if any request failed.
"""

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
SEARCHES = ["soft power", "Kazakhstan", "education", "policy", "China", "язык", "саясат", "zzzz"]
AUTHOR_QUERIES = ["Zhumatay", "Ivanov", "Жұматай", "Smith", "Ab"]


def fetch_json(host, port, path):
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"GET {path}: {response.status}")
    return json.loads(body)


def build_paths(host, port) -> list[str]:
    first = fetch_json(host, port, "/api/articles")
    pages = first["pages"]
    article_ids = [a["id"] for a in first["results"]]
    for page in range(2, pages + 1):
        article_ids += [
            a["id"] for a in fetch_json(host, port, f"/api/articles?page={page}")["results"]
        ]
    years = [f["value"] for f in first["facets"].get("year", [])]
    keywords = [f["value"] for f in first["facets"].get("keyword", [])][:10]
    paths = ["/en/", "/en/articles/", "/en/articles/?sort=title", "/en/authors/"]
    if len(article_ids) > 20:  # the site lists 20 articles a page: a second page exists
        paths.append("/en/articles/?page=2")
    paths += [f"/en/articles/?year={y}" for y in years]
    paths += [f"/en/articles/?keyword={k}" for k in keywords]
    paths += [f"/en/articles/?q={q.replace(' ', '+')}" for q in SEARCHES]
    paths += [f"/en/authors/?q={q}" for q in AUTHOR_QUERIES]
    paths += [f"/en/articles/{i}/" for i in article_ids]
    paths += [f"/api/articles/{i}" for i in article_ids[:20]]
    paths += ["/api/articles", "/api/articles?q=policy", "/api/authors?q=Zhumatay"]
    paths += [f"/en/articles/{i}/cite.bib" for i in article_ids[:5]]
    return paths


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.failures: list[str] = []
        self.by_kind: dict[str, list[float]] = {}

    def add(self, kind, seconds, failure=None):
        with self.lock:
            if failure:
                self.failures.append(failure)
            else:
                self.latencies.append(seconds)
                self.by_kind.setdefault(kind, []).append(seconds)


def kind_of(path: str) -> str:
    if path.startswith("/api/"):
        return "api"
    if "?q=" in path and path.startswith("/en/articles/"):
        return "search"
    if path.startswith("/en/articles/") and path[len("/en/articles/") :][:1].isdigit():
        return "article"
    if path.startswith("/en/authors/"):
        return "authors"
    return "browse"


def client(host, port, paths, deadline, results, seed):
    rng = random.Random(seed)
    conn = http.client.HTTPConnection(host, port, timeout=30)
    while time.monotonic() < deadline:
        path = rng.choice(paths)
        target = quote(path, safe="/?=&+.-_")
        started = time.monotonic()
        try:
            conn.request("GET", target, headers={"Accept-Language": rng.choice(["en", "ru", "kk"])})
            response = conn.getresponse()
            response.read()
            elapsed = time.monotonic() - started
            if response.status >= 400:
                results.add(kind_of(path), elapsed, f"{response.status} {path}")
            else:
                results.add(kind_of(path), elapsed)
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=30)
        except (OSError, http.client.HTTPException) as error:
            results.add(kind_of(path), 0, f"{error.__class__.__name__} {path}")
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.close()


def manage(*args, timeout=600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


EDITOR_SAVE = """
from django.db import transaction
from catalogue.models import Article
with transaction.atomic():
    article = Article.objects.select_for_update().order_by("pk").first()
    article.title_en = (article.title_en or "") + " "
    article.full_clean()
    article.save()
    article.title_en = article.title_en[:-1]
    article.save()
print("saved", article.pk)
"""


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def database_outage(host, port, pg_ctl: list[str]) -> dict:
    """Stop the database, expect 503s, start it, expect 200s without restarting gunicorn."""
    outcome = {}

    def status(path):
        conn = http.client.HTTPConnection(host, port, timeout=30)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            body = response.read()
            return response.status, body
        finally:
            conn.close()

    subprocess.run([*pg_ctl, "stop", "-m", "fast", "-w"], check=True, capture_output=True)
    down = [status(p) for p in ("/en/articles/", "/en/articles/?q=policy", "/api/articles", "/en/")]
    outcome["while_down"] = [code for code, _ in down]
    outcome["clean_503"] = all(
        code == 503 and b"Traceback" not in body and b"psycopg" not in body for code, body in down
    )
    subprocess.run([*pg_ctl, "start", "-w", "-t", "60"], check=True, capture_output=True)
    started = time.monotonic()
    recovered = None
    while time.monotonic() - started < 30:
        codes = [status(p)[0] for p in ("/en/articles/", "/api/articles", "/en/")]
        if all(code == 200 for code in codes):
            recovered = time.monotonic() - started
            break
        time.sleep(0.2)
    outcome["recovered_after_s"] = None if recovered is None else round(recovered, 2)
    return outcome


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--ingest", help="a whole issue to ingest during the load")
    parser.add_argument("--output", help="write the figures here as JSON")
    args = parser.parse_args()
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        parser.error("the load test runs against this machine only (127.0.0.1)")
    if not 1 <= args.clients <= 200 or not 1 <= args.duration <= 600:
        parser.error("keep it bounded: 1-200 clients, 1-600 seconds")

    paths = build_paths(args.host, args.port)
    results = Results()
    deadline = time.monotonic() + args.duration
    threads = [
        threading.Thread(
            target=client, args=(args.host, args.port, paths, deadline, results, n), daemon=True
        )
        for n in range(args.clients)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()

    side = {}

    def disruptions():
        time.sleep(min(10, args.duration / 4))
        if args.ingest:
            t0 = time.monotonic()
            done = manage("ingest", args.ingest)
            side["ingest"] = {
                "ok": done.returncode == 0,
                "seconds": round(time.monotonic() - t0, 2),
                "output": (done.stdout + done.stderr).strip().splitlines()[-1:],
            }
        t0 = time.monotonic()
        done = manage("shell", "--no-imports", "-c", EDITOR_SAVE)
        side["editor_save"] = {
            "ok": done.returncode == 0,
            "seconds": round(time.monotonic() - t0, 2),
            "output": (done.stdout + done.stderr).strip().splitlines()[-1:],
        }

    writer = threading.Thread(target=disruptions, daemon=True)
    writer.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    writer.join()
    side["writes_finished_within_load"] = time.monotonic() - started <= elapsed + 0.5

    lat = results.latencies
    figures = {
        "clients": args.clients,
        "duration_s": round(elapsed, 1),
        "requests": len(lat) + len(results.failures),
        "failed": len(results.failures),
        "throughput_rps": round((len(lat) + len(results.failures)) / elapsed, 1),
        "p50_ms": round(percentile(lat, 0.50) * 1000, 1),
        "p95_ms": round(percentile(lat, 0.95) * 1000, 1),
        "p99_ms": round(percentile(lat, 0.99) * 1000, 1),
        "max_ms": round(max(lat) * 1000, 1) if lat else None,
        "by_kind": {
            kind: {
                "requests": len(values),
                "p50_ms": round(statistics.median(values) * 1000, 1),
                "p95_ms": round(percentile(values, 0.95) * 1000, 1),
            }
            for kind, values in sorted(results.by_kind.items())
        },
        "first_failures": results.failures[:10],
        **side,
    }
    pg_ctl = os.environ.get("LOADTEST_PG_CTL")
    if pg_ctl:
        figures["database_outage"] = database_outage(args.host, args.port, json.loads(pg_ctl))
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    if args.output:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    ok = (
        not results.failures
        and all(item["ok"] for item in side.values() if isinstance(item, dict))
        and (
            not pg_ctl
            or (
                figures["database_outage"]["clean_503"]
                and figures["database_outage"]["recovered_after_s"] is not None
            )
        )
    )
    print("load test:", "PASSED" if ok else "FAILED", file=sys.stderr)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
