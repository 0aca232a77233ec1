"""Page speed of the public site and the admin at one catalogue size.

Run through scripts/benchmark-site, which fills a scratch database with
`manage.py synth` and serves it with gunicorn on 127.0.0.1:

    python benchmarks/site_speed.py http://127.0.0.1:PORT ARTICLES

Every page is requested a fixed number of times, one request at a time, over
loopback only; median and p95 latency go to benchmarks/results/site_speed.md
(one section per size), with each page's ratio to the floor (/healthz: one
trivial query). The slowest SQL query of each page, captured in-process, is
kept with its EXPLAIN ANALYZE in benchmarks/results/explain/.
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
        (f"browse, text query ({word}) + year", "/en/articles/?" + urlencode(text)),
        ("author search, Latin", "/en/authors/?" + urlencode({"q": v["latin"]})),
        ("author search, Cyrillic", "/en/authors/?" + urlencode({"q": v["cyrillic"]})),
        ("author search, misspelt", "/en/authors/?" + urlencode({"q": v["misspelt"]})),
        ("article page", f"/en/articles/{v['article']}/"),
        ("issue page", f"/en/issues/{v['issue']}/"),
        ("API browse, no filter", "/api/articles"),
        ("API browse, one facet (year)", "/api/articles?" + urlencode(one)),
        ("API browse, three facets", "/api/articles?" + urlencode(three)),
        ("API browse, text query + year", "/api/articles?" + urlencode(text)),
        ("API author search, Latin", "/api/authors?" + urlencode({"q": v["latin"]})),
        ("API author search, Cyrillic", "/api/authors?" + urlencode({"q": v["cyrillic"]})),
        ("API author search, misspelt", "/api/authors?" + urlencode({"q": v["misspelt"]})),
        ("API article", f"/api/articles/{v['article']}"),
        # Beyond the targets: where the design is slower, measured to be seen.
        (
            "beyond: three broad facets (year, language, keyword)",
            "/en/articles/?"
            + urlencode({"year": v["year"], "language": "ru", "keyword": v["concept"]}),
        ),
        (
            "beyond: six-year range",
            "/en/articles/?" + urlencode({"year_from": v["year"] - 5, "year_to": v["year"]}),
        ),
        (
            f"beyond: very common word ({common}) + year",
            "/en/articles/?" + urlencode({"q": v["common"], "year": v["year"]}),
        ),
        # The search box's other answers, and the bound on list parameters.
        (
            f"search: misspelt word ({v['typo']}), did you mean",
            "/en/articles/?" + urlencode({"q": v["typo"]}),
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


def fetch(url: str, expected: int = 200) -> float:
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    if status != expected:
        raise RuntimeError(f"{url}: HTTP {status}")
    return (time.perf_counter() - start) * 1000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(call, deadline: float, count: int = REQUESTS) -> list[float]:
    for _ in range(WARMUP):
        call()
    times = []
    for _ in range(count):
        if time.monotonic() > deadline:
            break
        times.append(call())
    return times


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
    rows = []
    floor = None
    for label, path in pages(values):
        # Pages beyond the targets can take seconds: fewer requests keep the run short.
        count = REQUESTS // 4 if label.startswith("beyond") else REQUESTS
        expected = 400 if label.startswith("refused") else 200
        times = measure(
            lambda path=path, expected=expected: fetch(base + path, expected), deadline, count
        )
        if not times:
            break
        median, p95 = statistics.median(times), percentile(times, 0.95)
        floor = floor or median
        note = "" if path == "/healthz" else explain_slowest(client, label, path, size)
        rows.append((label, path, median, p95, median / floor, len(times), note))
        print(f"{label:34} median {median:8.1f} ms  p95 {p95:8.1f} ms  {note}", flush=True)

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
                raise RuntimeError(f"{path}: HTTP {response.status_code}")
            return (time.perf_counter() - start) * 1000

        try:
            times = measure(call, deadline)
        except RuntimeError as problem:
            print(f"{label}: skipped ({problem})")
            continue
        if not times:
            break
        median, p95 = statistics.median(times), percentile(times, 0.95)
        note = explain_slowest(admin, label, path, size)
        rows.append((label + " (in-process)", path, median, p95, median / floor, len(times), note))
        print(f"{label:34} median {median:8.1f} ms  p95 {p95:8.1f} ms  {note}", flush=True)
    write_table(size, rows)


def write_table(size: int, rows):
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = RESULTS / "site_speed.md"
    text = target.read_text(encoding="utf-8") if target.exists() else "# Site speed\n"
    heading = f"## {size:,} articles"
    sections = re.split(r"(?m)^(?=## )", text)
    sections = [s for s in sections if not s.startswith(heading + "\n")]
    lines = [
        heading,
        "",
        f"gunicorn, 2 workers, DEBUG off, 127.0.0.1; {REQUESTS} sequential requests per page "
        f"({REQUESTS // 4} for the rows beyond the targets) after {WARMUP} warm-up; measured "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average before the run "
        f"{os.getloadavg()[0]:.2f}. {synth_note(size)}",
        "",
        "| page | median ms | p95 ms | × floor | n | queries (in-process) |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for label, _path, median, p95, ratio, n, note in rows:
        lines.append(f"| {label} | {median:.1f} | {p95:.1f} | {ratio:.1f} | {n} | {note} |")
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
