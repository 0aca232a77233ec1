"""Page speed of the public site and the admin at one catalogue size.

Run through scripts/benchmark-site, which fills a scratch database with
`manage.py synth` and serves it with gunicorn on 127.0.0.1:

    python benchmarks/site_speed.py http://127.0.0.1:PORT ARTICLES

Every page is requested a fixed number of times, one request at a time, over
loopback only; median and p95 latency go to benchmarks/results/site_speed.md
(one section per size), with each page's ratio to the floor (/healthz: one
trivial query). Beside the latency, the CPU time gunicorn's workers spent per
request (read from /proc for the workers of the master whose pid GUNICORN_PID
gives), also as a ratio to the floor's. An answer other than the one expected (a
503 from the statement timeout, a timeout of the request) is counted as a failed
request of its row, and the run goes on with the next. The slowest SQL query of
each page, captured in-process, is kept with its EXPLAIN ANALYZE in
benchmarks/results/explain/.

scripts/benchmark-site runs it twice: first against workers that keep no whole pages
(PAGE_MEMORY_MB=0), so each row is what making the page costs, then with
PAGES_KEPT=1 against workers with the default memory, where the warm-up requests
have left each page in both workers' memory and each row is what a visitor asking for
a page that was asked for before costs (catalogue.pagecache.kept_whole).
"""

import os
import re
import statistics
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "catalogue_site.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import DatabaseError, connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from catalogue.filters import ArticleFilter  # noqa: E402
from catalogue.models import Article, BrowseEntry, FacetCount, NameVariant  # noqa: E402
from catalogue.synth import vocabulary  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
REQUESTS = int(os.environ.get("REQUESTS", "40"))
WARMUP = 6  # both gunicorn workers warm
TIMEOUT = 60
BUDGET_SECONDS = 600  # the whole run stops measuring after this
KEPT = os.environ.get("PAGES_KEPT") == "1"


def sample_values() -> dict:
    """Real values from the catalogue to put in the URLs (cheap queries, any size)."""
    middle = BrowseEntry.objects.order_by("article_id").values_list("article_id", flat=True)
    article = Article.objects.select_related("issue").get(
        pk=middle[BrowseEntry.objects.count() // 2]
    )
    # The third most used keyword concept: broad, like a reader's first click.
    concept = (
        FacetCount.objects.filter(facet="keyword", year=0, language="*")
        .order_by("-count")
        .values_list("value", flat=True)[2]
    )
    latin = NameVariant.objects.filter(language="en", kind="byline").order_by("id").first()
    cyrillic = NameVariant.objects.filter(language="ru", kind="byline").order_by("-id").first()
    surname = latin.name.split()[0]
    misspelt = surname[:2] + surname[3:] if len(surname) > 4 else surname + "a"
    # A word of the synthetic vocabulary used about as often as a reader's topical word
    # (rank 200 of 5,000: in about 1.5 % of abstracts), and a very common one.
    word, common = vocabulary("en")[200], "policy"
    # The person with the most authorships: the author page with the most to rank.
    prolific = (
        FacetCount.objects.filter(facet="author", year=0, language="*")
        .order_by("-count")
        .values_list("value", "count")
        .first()
    )
    return {
        "article": article.pk,
        "issue": article.issue_id,
        "series": article.issue.series_id,
        "concept": int(concept),
        "year": article.issue.year,
        "latin": surname,
        "cyrillic": cyrillic.name.split()[0],
        "misspelt": misspelt,
        "word": word,
        "word_share": share_matching(word),
        "common": common,
        "common_share": share_matching(common),
        "typo": word[:2] + word[3:] if len(word) > 4 else word + "x",
        "doi": article.public_doi,
        "prolific": prolific,
        **seed_values(),
    }


def seed_values() -> dict:
    """The seed issues' article with the most references, and its issue: real records
    (three abstracts, tens of references, several authors) beside the synthetic ones.
    scripts/benchmark-site ingests them last, so they have the highest ids."""
    latest = Article.objects.order_by("-id").values_list("id", flat=True)[:100]
    article = (
        Article.objects.filter(id__in=list(latest))
        .annotate(
            refs=Count("references", distinct=True), people=Count("authorships", distinct=True)
        )
        .order_by("-refs", "id")
        .first()
    )
    if article is None or not article.refs:
        return {}
    return {
        "seed_article": article.pk,
        "seed_issue": article.issue_id,
        "seed_refs": article.refs,
        "seed_people": article.people,
    }


def share_matching(word: str) -> float:
    """The share of the catalogue a text query finds (titles, abstracts, keywords)."""
    filterset = ArticleFilter({"q": word})
    filterset.is_valid()
    filterset.counts(["year"], keyword_limit=None)
    return filterset.total / max(1, BrowseEntry.objects.count())


def pages(v: dict) -> list[tuple[str, str]]:
    one = {"year": v["year"]}
    # The three facets the catalogue is browsed by: series, year and keyword.
    three = {"series": v["series"], "year": v["year"], "keyword": v["concept"]}
    text = {"q": v["word"], "year": v["year"]}
    word = f"{v['word_share']:.1%} of articles"
    common = f"{v['common_share']:.0%} of articles"
    return [
        ("floor: /healthz (one trivial query)", "/healthz"),
        ("browse, no filter", "/en/articles/"),
        ("browse, one facet (year)", "/en/articles/?" + urlencode(one)),
        ("browse, three facets (series, year, keyword)", "/en/articles/?" + urlencode(three)),
        *(
            (f"browse, sorted by title ({code})", f"/{code}/articles/?sort=title")
            for code in ("en", "kk", "ru")
        ),
        ("browse, sorted by title, page 2 (kk)", "/kk/articles/?sort=title&page=2"),
        (
            "browse, sorted by title, one facet (year)",
            "/en/articles/?" + urlencode({"sort": "title", **one}),
        ),
        (f"browse, text query ({word}) + year", "/en/articles/?" + urlencode(text)),
        ("author search, Latin", "/en/authors/?" + urlencode({"q": v["latin"]})),
        ("author search, Cyrillic", "/en/authors/?" + urlencode({"q": v["cyrillic"]})),
        ("author search, misspelt", "/en/authors/?" + urlencode({"q": v["misspelt"]})),
        ("article page", f"/en/articles/{v['article']}/"),
        ("issue page", f"/en/issues/{v['issue']}/"),
        *(
            [
                (
                    f"author page, most prolific author ({v['prolific'][1]} articles)",
                    f"/en/authors/{v['prolific'][0]}/",
                )
            ]
            if v["prolific"]
            else []
        ),
        *(
            [
                (
                    f"article page, seed record ({v['seed_refs']} references, "
                    f"{v['seed_people']} authors)",
                    f"/en/articles/{v['seed_article']}/",
                ),
                ("issue page, seed issue", f"/en/issues/{v['seed_issue']}/"),
            ]
            if "seed_article" in v
            else []
        ),
        ("API browse, no filter", "/api/articles"),
        ("API browse, one facet (year)", "/api/articles?" + urlencode(one)),
        ("API browse, three facets", "/api/articles?" + urlencode(three)),
        ("API browse, text query + year", "/api/articles?" + urlencode(text)),
        ("API author search, Latin", "/api/authors?" + urlencode({"q": v["latin"]})),
        ("API author search, Cyrillic", "/api/authors?" + urlencode({"q": v["cyrillic"]})),
        ("API author search, misspelt", "/api/authors?" + urlencode({"q": v["misspelt"]})),
        ("API article", f"/api/articles/{v['article']}"),
        # The broad cases: filters that each match much of the catalogue, and a word
        # found in about half of it.
        (
            "broad: three broad facets (year, language, keyword)",
            "/en/articles/?"
            + urlencode({"year": v["year"], "language": "ru", "keyword": v["concept"]}),
        ),
        (
            "broad: six-year range",
            "/en/articles/?" + urlencode({"year_from": v["year"] - 5, "year_to": v["year"]}),
        ),
        (
            f"broad: very common word ({common}) + year",
            "/en/articles/?" + urlencode({"q": v["common"], "year": v["year"]}),
        ),
        (f"broad: very common word ({common})", "/en/articles/?" + urlencode({"q": v["common"]})),
        # The search box's other answers, and the bound on list parameters.
        (
            f"search: misspelt word ({v['typo']}), did you mean",
            "/en/articles/?" + urlencode({"q": v["typo"]}),
        ),
        (
            "search: an author's name (authors offered above the results)",
            "/en/articles/?" + urlencode({"q": v["latin"]}),
        ),
        *(
            [
                (
                    "search: pasted DOI link (302, then the article)",
                    "/en/articles/?" + urlencode({"q": f"https://doi.org/{v['doi']}"}),
                )
            ]
            if v["doi"]
            else []
        ),
        (
            "refused: 400 repeated year= values (400)",
            "/en/articles/?" + "&".join(f"year={1800 + i}" for i in range(400)),
        ),
    ]


ADMIN_PAGES = [
    ("admin: articles", "/admin/catalogue/article/"),
    ("admin: articles, year filter", "/admin/catalogue/article/?issue__year=2015"),
    ("admin: articles, search by DOI", "/admin/catalogue/article/?q=10.59999/synth.500000"),
    ("admin: articles, search by word", "/admin/catalogue/article/?q=policy"),
    ("admin: authors", "/admin/catalogue/author/"),
    ("admin: authors, search", "/admin/catalogue/author/?q=Akhmetov"),
    ("admin: authorships", "/admin/catalogue/authorship/"),
    ("admin: name variants", "/admin/catalogue/namevariant/"),
    ("admin: issues", "/admin/catalogue/issue/"),
    ("admin: keywords", "/admin/catalogue/keyword/"),
]


class Failed(Exception):
    """A request that did not get the answer its row expects."""


def fetch(url: str, expected: int = 200) -> float:
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    except (urllib.error.URLError, TimeoutError) as error:
        raise Failed(f"no answer ({error})") from None
    if status != expected:
        raise Failed(f"HTTP {status}")
    return (time.perf_counter() - start) * 1000


def worker_pids() -> list[int]:
    """The gunicorn workers: children of the master named by GUNICORN_PID."""
    master = os.environ.get("GUNICORN_PID", "")
    if not master:
        return []
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == master:  # the parent pid, after the state
            pids.append(int(stat.parent.name))
    return pids


def cpu_seconds(pids: list[int]) -> float:
    """CPU time the processes have used, in seconds (schedstat: nanoseconds)."""
    total = 0.0
    for pid in pids:
        try:
            total += int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9
        except (OSError, IndexError, ValueError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Measured:
    """One row's requests: latencies of the answered ones, failures, worker CPU."""

    def __init__(self):
        self.times: list[float] = []
        self.failures: list[str] = []
        self.cpu_ms = None  # per answered request, when the workers are known

    @property
    def failed(self) -> int:
        return len(self.failures)


def measure(call, deadline: float, count: int = REQUESTS, pids=()) -> Measured:
    result = Measured()
    for _ in range(WARMUP):
        try:
            call()
        except Failed as problem:
            result.failures.append(str(problem))
            return result  # a page that fails warm is not timed (it would cost the budget)
    before = cpu_seconds(pids)
    for _ in range(count):
        if time.monotonic() > deadline:
            break
        try:
            result.times.append(call())
        except Failed as problem:
            result.failures.append(str(problem))
    requests = len(result.times) + result.failed
    if pids and requests:
        result.cpu_ms = (cpu_seconds(pids) - before) * 1000 / requests
    return result


def slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def explain_slowest(client: Client, label: str, path: str, size: int) -> str:
    """Run the page in-process, EXPLAIN ANALYZE its slowest query; return a one-line note."""
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    queries = captured.captured_queries
    if not queries:
        return ""
    reads = [q for q in queries if q["sql"].lstrip()[:6].upper() in ("SELECT", "WITH S")]
    if not reads:
        return ""
    slowest = max(reads, key=lambda q: float(q["time"]))
    sql = slowest["sql"]
    # Settings the page made for its own transactions (pg_trgm's thresholds, planner
    # hints) apply again; the public statement timeout does not bound the EXPLAIN.
    settings = [
        q["sql"] for q in queries if q["sql"].startswith(("SELECT set_config(", "SET LOCAL"))
    ]
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 0")
            for statement in settings:
                cursor.execute(statement)
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
    except DatabaseError as problem:
        plan = f"EXPLAIN failed: {problem}"
    folder = RESULTS / "explain"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{size}-{slug(label)}.txt").write_text(
        f"-- {label}: {path} ({size:,} articles), slowest of "
        f"{len(queries)} queries\n{sql}\n\n{plan}\n",
        encoding="utf-8",
    )
    return f"{len(queries)} queries, slowest {float(slowest['time']) * 1000:.0f} ms"


def main():
    base, size = sys.argv[1].rstrip("/"), int(sys.argv[2])
    host = urlsplit(base).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("site_speed measures a server on loopback only")
    deadline = time.monotonic() + BUDGET_SECONDS
    values = sample_values()
    client = Client()
    pids = worker_pids()
    rows = []
    floor = floor_cpu = None
    for label, path in pages(values):
        expected = 400 if label.startswith("refused") else 200
        measured = measure(
            lambda path=path, expected=expected: fetch(base + path, expected),
            deadline,
            pids=pids,
        )
        if not measured.times and not measured.failures:
            break  # out of time
        if floor is None:
            floor, floor_cpu = statistics.median(measured.times), measured.cpu_ms
        note = "" if path == "/healthz" or KEPT else explain_slowest(client, label, path, size)
        rows.append(row(label, path, measured, floor, floor_cpu, note))
    if KEPT:
        write_table(size, rows)
        return

    # The admin, measured in-process (the view and its queries, no HTTP) as a superuser.
    user, _ = get_user_model().objects.get_or_create(
        username="benchmark-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    admin = Client()
    admin.force_login(user)
    for label, path in ADMIN_PAGES:

        def call(path=path):
            start = time.perf_counter()
            response = admin.get(path)
            if response.status_code != 200:
                raise Failed(f"HTTP {response.status_code}")
            return (time.perf_counter() - start) * 1000

        measured = measure(call, deadline)
        if not measured.times and not measured.failures:
            break
        note = explain_slowest(admin, label, path, size) if measured.times else ""
        rows.append(row(label + " (in-process)", path, measured, floor, None, note))
    write_table(size, rows)
    failed = sum(r["failed"] for r in rows)
    if failed:
        print(f"{failed} requests failed (the table's 'failed' column)", flush=True)


def row(label, path, measured: Measured, floor, floor_cpu, note) -> dict:
    """One line of the table, printed as it is measured."""
    times = measured.times
    result = {
        "label": label,
        "path": path,
        "median": statistics.median(times) if times else None,
        "p95": percentile(times, 0.95) if times else None,
        "n": len(times),
        "failed": measured.failed,
        "cpu": measured.cpu_ms,
        "note": note,
    }
    result["ratio"] = result["median"] / floor if times and floor else None
    result["cpu_ratio"] = measured.cpu_ms / floor_cpu if measured.cpu_ms and floor_cpu else None
    if measured.failures:
        kinds = sorted(set(measured.failures))
        result["note"] = "; ".join(filter(None, [f"failed: {', '.join(kinds)}", note]))
    print(
        f"{label:34} median {cell(result['median'])} ms  p95 {cell(result['p95'])} ms  "
        f"CPU {cell(result['cpu'], 2)} ms  failed {measured.failed}  {result['note']}",
        flush=True,
    )
    return result


def cell(value, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def write_table(size: int, rows):
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = RESULTS / "site_speed.md"
    text = target.read_text(encoding="utf-8") if target.exists() else "# Site speed\n"
    heading = f"## {size:,} articles" + (", pages asked for before" if KEPT else "")
    sections = re.split(r"(?m)^(?=## )", text)
    sections = [s for s in sections if not s.startswith(heading + "\n")]
    lines = [
        heading,
        "",
        f"gunicorn, 2 workers, DEBUG off, 127.0.0.1; {REQUESTS} sequential requests per page "
        f"after {WARMUP} warm-up; measured "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average before the run "
        f"{os.getloadavg()[0]:.2f}. {synth_note(size)}",
        "",
        "Worker CPU is what gunicorn's workers used per request (not PostgreSQL's share).",
        "Each page served whole from the workers' memory (PAGE_MEMORY_MB, default)."
        if KEPT
        else "Workers keeping no whole pages (PAGE_MEMORY_MB=0): each page made for the request.",
        "",
        "| page | median ms | p95 ms | × floor | worker CPU ms | CPU × floor | n | failed "
        "| queries (in-process) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['label']} | {cell(r['median'])} | {cell(r['p95'])} | {cell(r['ratio'])} "
            f"| {cell(r['cpu'], 2)} | {cell(r['cpu_ratio'])} | {r['n']} | {r['failed']} "
            f"| {r['note']} |"
        )
    sections.append("\n".join(lines) + "\n\n")
    head, *sizes = sections
    sizes.sort(key=lambda section: int(re.match(r"## ([\d,]+)", section).group(1).replace(",", "")))
    text = head + "".join(sizes)
    target.write_text(text, encoding="utf-8")
    show_in_readme(text)


def synth_note(size: int) -> str:
    """How long `manage.py synth` took to fill this database (kept by scripts/benchmark-site)."""
    record = RESULTS / f"synth-{size}.txt"
    if not record.exists():
        return ""
    return f"The catalogue was filled by `manage.py synth` in {record.read_text().strip()}."


def show_in_readme(table: str) -> None:
    """Put the latest tables between the README's site-speed markers."""
    readme = ROOT / "README.md"
    start, end = "<!-- site-speed:start -->", "<!-- site-speed:end -->"
    text = readme.read_text(encoding="utf-8")
    if start not in text or end not in text:
        return
    body = table.split("\n", 1)[1].replace("## ", "#### ").strip()
    before, rest = text.split(start, 1)
    after = rest.split(end, 1)[1]
    readme.write_text(f"{before}{start}\n{body}\n{end}{after}", encoding="utf-8")


if __name__ == "__main__":
    main()
