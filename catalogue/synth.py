"""A realistic synthetic catalogue for measuring speed at scale (`manage.py synth`).

Many journals with one to three series each, four issues a year over twenty
years, trilingual titles and abstracts, keywords whose use follows Zipf's law
(a few very common, a long tail of rare ones), authors whose names are printed
in Cyrillic and in Latin, several authors per article with an affiliation each,
and a few references per article. Everything is random but seeded, so the same
arguments give the same catalogue, however many worker processes make it.

Speed (a million articles in minutes on two cores) comes from three things:
- worker processes generate batches of rows, already formatted as COPY text,
  while the main process streams the previous batch to PostgreSQL;
- each batch draws from its own random generator, seeded from the seed and the
  batch number, so batches can be made in any order and in parallel;
- the whole load is one transaction in which the filled tables' secondary
  indexes and foreign keys are dropped and then built once at the end
  (catalogue.pgcopy.indexes_built_after); a failure rolls all of it back.
"""

from __future__ import annotations

import bisect
import collections
import itertools
import math
import multiprocessing
import os
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from . import counted_searches
from .models import (
    Article,
    ArticleKeyword,
    Author,
    Authorship,
    AuthorshipAffiliation,
    BrowseEntry,
    CountedSearch,
    FacetCount,
    Issue,
    Journal,
    Keyword,
    KeywordConcept,
    NameVariant,
    Organisation,
    Reference,
    Section,
    Series,
)
from .pgcopy import copy_text, indexes_built_after, reserve_ids
from .sql.names import (
    AFFILIATION_AUTHORS,
    AFFILIATION_BROWSE,
    ARTICLE_BROWSE,
    ARTICLE_DATESTAMP,
    ARTICLE_KEYWORD_BROWSE,
    ARTICLE_SEARCH_WORDS,
    AUTHORSHIP_BROWSE,
    AUTHORSHIP_COAUTHORS,
    KEYWORD_BROWSE,
    KEYWORD_SEARCH_WORDS,
    NAME_VARIANT_WORDS,
    NOTE_CHANGE,
    RECORD_DATESTAMP,
    REFRESH_BROWSE,
)

FIRST_YEAR, YEARS = 2006, 20
BATCH = 5_000  # articles per batch: about 25 MB of COPY text
AUTHOR_BATCH = 25_000
TEAM_SIZES = (1, 2, 2, 3, 3, 4, 5)

# The tables synth fills with COPY: their indexes and foreign keys are built after the load.
FILLED = [
    Issue, Organisation, KeywordConcept, Keyword, Author, NameVariant,
    Article, Authorship, AuthorshipAffiliation, ArticleKeyword, Reference,
]  # fmt: skip

# Cyrillic -> Latin, close to the passport transliteration used in the journals.
LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ы": "y", "э": "e", "ю": "iu", "я": "ia",
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h",
    "і": "i", "ь": "", "ъ": "",
}  # fmt: skip

ONSETS = ["б", "ж", "қ", "с", "т", "н", "м", "к", "д", "р", "ш", "ғ", "ә", "а", "е", "о", "у"]
SYLLABLES = [
    "ах", "мет", "ба", "бек", "жу", "ма", "тай", "ос", "пан", "нур", "лан", "сар", "сен",
    "ту", "ле", "ген", "ке", "же", "да", "ул", "ет", "ка", "рым", "сұл", "тан", "ер", "ғали",
    "ай", "гүл", "бол", "ат", "иван", "пет", "ров", "ким", "иль", "яс", "ми", "ра", "ше",
]  # fmt: skip
MALE_ENDINGS = ["ов", "ев", "ин", "баев", "улы"]
FEMALE_ENDINGS = ["ова", "ева", "ина", "баева", "кызы"]
GIVEN = [
    "Асқар", "Ерлан", "Нұрлан", "Дәурен", "Серік", "Иван", "Алексей", "Марат", "Бауыржан",
    "Айгүл", "Гүлнар", "Сәуле", "Жанар", "Мария", "Елена", "Динара", "Әсел", "Ботагөз",
]  # fmt: skip

EN_WORDS = (
    "policy diplomacy security migration energy trade identity region cooperation strategy "
    "education media culture water economy governance reform integration youth language "
    "history heritage innovation digital transition climate agriculture transport border "
    "society religion law rights market finance investment health labour tourism science"
).split()
RU_WORDS = (
    "политика дипломатия безопасность миграция энергетика торговля идентичность регион "
    "сотрудничество стратегия образование медиа культура вода экономика управление реформа "
    "интеграция молодежь язык история наследие инновации цифровой переход климат сельское "
    "транспорт граница общество религия право рынок финансы инвестиции здоровье труд туризм"
).split()
KK_WORDS = (
    "саясат дипломатия қауіпсіздік көші-қон энергетика сауда бірегейлік аймақ ынтымақтастық "
    "стратегия білім медиа мәдениет су экономика басқару реформа интеграция жастар тіл тарих "
    "мұра инновация цифрлық көшу климат ауыл көлік шекара қоғам дін құқық нарық қаржы"
).split()
FILLER = {
    "en": "the of and in a on for with as by this article study shows that".split(),
    "ru": "и в на с по для как это статья исследование показывает что".split(),
    "kk": "және мен бұл мақала зерттеу көрсетеді үшін оның ретінде".split(),
}
IRSTI = [
    f"{a:02d}.{b:02d}.{c:02d}" for a in (2, 3, 4, 6, 10, 11, 12, 14) for b in (1, 15, 25)
    for c in (7, 21, 91)
]  # fmt: skip
UDC = ["327", "32", "33", "34", "37", "94(574)", "316", "811.512.122"]
CITIES = ["Almaty", "Astana", "Shymkent", "Karaganda", "Aktobe", "Pavlodar", "Semey", "Oral"]


def latin(text: str) -> str:
    out = []
    for ch in text:
        low = ch.lower()
        if low in LATIN:
            value = LATIN[low]
            out.append(value.capitalize() if ch != low else value)
        else:
            out.append(ch)
    return "".join(out)


@dataclass
class SynthReport:
    journals: int = 0
    series: int = 0
    issues: int = 0
    articles: int = 0
    authors: int = 0
    name_variants: int = 0
    authorships: int = 0
    keywords: int = 0
    article_keywords: int = 0
    references: int = 0
    timings: dict = field(default_factory=dict)


class Zipf:
    """Draw ranks 0..n-1 with probability proportional to 1 / (rank + 1) ** s."""

    def __init__(self, n: int, s: float = 1.05):
        self.cumulative = list(itertools.accumulate(1 / (r + 1) ** s for r in range(n)))
        self.total = self.cumulative[-1]

    def draw(self, rng: random.Random) -> int:
        return bisect.bisect_left(self.cumulative, rng.random() * self.total)


def sizes_for(articles: int) -> dict:
    return {
        "journals": max(2, min(60, articles // 20_000)),
        "issues": max(1, math.ceil(articles / 30)),
        "concepts": max(40, min(60_000, articles // 15)),
        "authors": max(10, int(articles * 0.55)),
        "organisations": max(5, min(2_000, articles // 500)),
    }


def default_workers() -> int:
    """Generating processes: all cores but one, which PostgreSQL needs for the COPY."""
    return max(1, min(4, (os.cpu_count() or 2) - 1))


def synthesize(
    articles: int,
    seed: int = 1,
    progress: Callable[[str], None] | None = None,
    workers: int | None = None,
) -> SynthReport:
    """Add `articles` synthetic articles (and their journals, people, keywords) to the catalogue.

    For an empty catalogue: the filled tables are locked and their indexes rebuilt, all in
    one transaction. `workers` processes generate the rows (0: this process does); the
    rows are the same whatever their number.
    """
    rng = random.Random(seed)
    size = sizes_for(articles)
    report = SynthReport()
    say = progress or (lambda message: None)
    workers = default_workers() if workers is None else workers

    with transaction.atomic():
        _prepare_session()
        browse_triggers = _disable_browse_triggers()
        with indexes_built_after(FILLED):
            journals, sections = _journals(rng, size["journals"], report)
            plan = _Plan(
                seed=seed,
                now=timezone.now().isoformat(),
                issues=_issues(journals, size["issues"], report),
                sections=sections,
                organisations=_organisations(size["organisations"]),
                keyword_ids=_keywords(rng, size["concepts"], report),
                keyword_rank=Zipf(size["concepts"]),
                author_rank=Zipf(size["authors"], s=0.6),
            )
            _load_authors(plan, size["authors"], workers, report)
            say(f"{report.journals} journals, {report.issues} issues, {report.authors} authors")
            _load_articles(plan, articles, workers, report, say)
            say("building indexes and foreign keys")
            clock = time.perf_counter()
        _timed(report, "indexes", clock, say)
        clock = time.perf_counter()
        with connection.cursor() as cursor:
            # Fresh statistics: the planner needs them for the browse refresh below, and the
            # first queries after the load should know the tables are large.
            cursor.execute("ANALYZE " + ", ".join(m._meta.db_table for m in FILLED))
        _timed(report, "statistics", clock, say)
        if browse_triggers:
            clock = time.perf_counter()
            _refresh_browse(browse_triggers)
            _timed(report, "browse index", clock, say)
    return report


def _prepare_session():
    """Memory for index builds, no wait for the WAL flush, and the filled tables to ourselves
    (ids are taken from the sequences in blocks)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        cursor.execute("SET LOCAL max_parallel_maintenance_workers = 2")
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in FILLED)
        cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")


# Triggers that keep the browse index (catalogue_browseentry) up to date, statement by
# statement. During the load they are off and the index is refreshed for all articles once:
# with the foreign-key indexes dropped, each statement's refresh would scan whole tables.
# The records' datestamps likewise: each new article's is written once at the end.
BROWSE_TRIGGER_FUNCTIONS = [
    ARTICLE_BROWSE,
    ARTICLE_KEYWORD_BROWSE,
    KEYWORD_BROWSE,
    AUTHORSHIP_BROWSE,
    AFFILIATION_BROWSE,
    AUTHORSHIP_COAUTHORS,
    AFFILIATION_AUTHORS,
    ARTICLE_DATESTAMP,
    RECORD_DATESTAMP,
]
# Insert triggers left on during the load: statement-level and reading only their
# transition table, so they cost one set-based INSERT per COPY (the catalogue's change
# count, one row for the whole transaction).
LOAD_SAFE_TRIGGER_FUNCTIONS = [
    NAME_VARIANT_WORDS,
    ARTICLE_SEARCH_WORDS,
    KEYWORD_SEARCH_WORDS,
    NOTE_CHANGE,
]


def _disable_browse_triggers() -> list[tuple[str, str]]:
    tables = [m._meta.db_table for m in FILLED]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgrelid::regclass::text, tgname FROM pg_trigger t"
            " JOIN pg_proc p ON p.oid = t.tgfoid WHERE tgrelid = ANY(%s::regclass[])"
            " AND NOT tgisinternal AND tgenabled <> 'D' AND p.proname = ANY(%s)",
            [tables, BROWSE_TRIGGER_FUNCTIONS],
        )
        triggers = cursor.fetchall()
        for table, name in triggers:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {connection.ops.quote_name(name)}")
    return triggers


def _refresh_browse(triggers: list[tuple[str, str]]):
    """Turn the browse triggers on again and do, for all articles at once, what they would
    have done statement by statement."""
    with connection.cursor() as cursor:
        for table, name in triggers:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {connection.ops.quote_name(name)}")
    # The entries' GIN indexes and the counts' slice index are built once every entry is
    # in (maintained row by row they cost more than the refresh), and the counts and each
    # person's latest article are taken from the entries in one pass each, as the insert
    # triggers would have (their transition table of a million wide rows goes to disk).
    entry_triggers = [
        "browse_count_insert",
        "browse_search_count_insert",
        "browse_author_latest_insert",
    ]
    with indexes_built_after([BrowseEntry, FacetCount]), connection.cursor() as cursor:
        for name in entry_triggers:
            cursor.execute(f"ALTER TABLE catalogue_browseentry DISABLE TRIGGER {name}")
        cursor.execute(f"SELECT {REFRESH_BROWSE}(ARRAY(SELECT id FROM catalogue_article))")
        for name in entry_triggers:
            cursor.execute(f"ALTER TABLE catalogue_browseentry ENABLE TRIGGER {name}")
        cursor.execute(
            "INSERT INTO catalogue_authorlatest (author_id, article_id, year, number_sort)"
            " SELECT DISTINCT ON (u.author) u.author, b.article_id, b.year, b.number_sort"
            " FROM catalogue_browseentry b, unnest(b.authors) AS u(author)"
            " ORDER BY u.author, b.year DESC, b.number_sort DESC, b.article_id DESC"
        )
        cursor.execute(
            "INSERT INTO catalogue_facetcount AS f (facet, value, year, language, count)"
            " SELECT v.facet, v.value, s.year, s.language, count(*)"
            " FROM catalogue_browseentry n, catalogue_facet_values(n) v,"
            " catalogue_facet_slices(n) s GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"
            " ON CONFLICT (facet, value, year, language)"
            " DO UPDATE SET count = f.count + EXCLUDED.count"
        )
    for search in CountedSearch.objects.counted():
        counted_searches.count(search)
    with connection.cursor() as cursor:
        # The co-author counts (catalogue_count_coauthors), from every article's authors.
        cursor.execute(
            "INSERT INTO catalogue_coauthor (author_id, coauthor_id, shared)"
            " SELECT x.author_id, y.author_id, count(*) FROM catalogue_authorship x"
            " JOIN catalogue_authorship y ON y.article_id = x.article_id"
            " AND y.author_id <> x.author_id GROUP BY 1, 2 ORDER BY 1, 2"
            " ON CONFLICT (author_id, coauthor_id) DO UPDATE SET shared = EXCLUDED.shared"
        )
        # Each person's organisations (catalogue_refresh_author_organisations).
        cursor.execute(
            "INSERT INTO catalogue_authororganisation (author_id, organisation_id)"
            " SELECT DISTINCT au.author_id, aa.organisation_id FROM catalogue_authorship au"
            " JOIN catalogue_authorshipaffiliation aa ON aa.authorship_id = au.id ORDER BY 1, 2"
            " ON CONFLICT DO NOTHING"
        )
        cursor.execute(
            "INSERT INTO catalogue_recorddatestamp (article_id, changed)"
            " SELECT id, updated FROM catalogue_article ON CONFLICT (article_id) DO NOTHING"
        )
        cursor.execute(
            "ANALYZE catalogue_browseentry, catalogue_recorddatestamp, catalogue_coauthor,"
            " catalogue_authororganisation, catalogue_authorlatest"
        )


def _timed(report: SynthReport, step: str, clock: float, say):
    report.timings[step] = time.perf_counter() - clock
    say(f"{step} in {report.timings[step]:.1f} s")


# ---------------------------------------------------------------- fixed parts


def _journals(rng, count, report):
    journals, sections = [], {}
    for j in range(count):
        topic = EN_WORDS[j % len(EN_WORDS)]
        journal = Journal.objects.create(
            title_en=f"Bulletin of {topic.capitalize()} Studies {j + 1}",
            title_ru=f"Вестник: {RU_WORDS[j % len(RU_WORDS)]} {j + 1}",
            title_kk=f"Хабаршы: {KK_WORDS[j % len(KK_WORDS)]} {j + 1}",
            publisher="Synthetic University Press",
        )
        report.journals += 1
        names = [("", "", "")]
        if j % 3:
            names = [
                (f"{w.capitalize()} series", f"Серия «{r}»", f"«{k}» сериясы")
                for w, r, k in zip(
                    rng.sample(EN_WORDS, 3),
                    rng.sample(RU_WORDS, 3),
                    rng.sample(KK_WORDS, 3),
                    strict=True,
                )
            ][: 1 + j % 3]
        for en, ru, kk in names:
            series = Series.objects.create(journal=journal, name_en=en, name_ru=ru, name_kk=kk)
            journals.append(series)
            report.series += 1
        sections[journal.pk] = [
            Section.objects.create(
                journal=journal,
                name_en=f"{word.capitalize()} and society",
                name_ru=f"{RU_WORDS[i]} и общество",
            ).pk
            for i, word in enumerate(rng.sample(EN_WORDS[:30], 5))
        ]
    return journals, sections


def _issues(all_series, count, report):
    """`count` issues spread over every series and twenty years: [(id, journal id, year)]."""
    first = reserve_ids(Issue, count)
    lines, result = [], []
    for i in range(count):
        pk, series = first + i, all_series[i % len(all_series)]
        slot = i // len(all_series)
        year = FIRST_YEAR + slot % YEARS
        number = slot // YEARS + 1
        sort = Issue.number_sort_for(str(number))
        lines.append(f"{pk}\t{series.pk}\t{year}\t{number}\t{sort}\t{slot + 1}\t\t\\N\n")
        result.append((pk, series.journal_id, year))
    columns = [
        "id",
        "series_id",
        "year",
        "number",
        "number_sort",
        "whole_number",
        "volume",
        "published",
    ]
    copy_text(Issue, columns, ["".join(lines)])
    report.issues = count
    return result


def _organisations(count):
    first = reserve_ids(Organisation, count)
    lines = []
    for i in range(count):
        city = CITIES[i % len(CITIES)]
        name = f"{city} University of {EN_WORDS[i % len(EN_WORDS)].capitalize()} No. {i + 1}"
        lines.append(f"{first + i}\t{name}\t\t\t{city}\tKazakhstan\t{Organisation.key_for(name)}\n")
    columns = ["id", "name_en", "name_kk", "name_ru", "city", "country", "key"]
    copy_text(Organisation, columns, ["".join(lines)])
    return list(range(first, first + count))


def _word(rng, words, language_latin: bool) -> str:
    stem = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
    return latin(stem) if language_latin else stem


def _keywords(rng, concepts, report):
    """Concepts with an English, Russian and Kazakh wording each: [(en, ru, kk keyword id)]."""
    first_concept = reserve_ids(KeywordConcept, concepts)
    copy_text(KeywordConcept, ["id"], ["".join(f"{first_concept + i}\n" for i in range(concepts))])
    first = reserve_ids(Keyword, 3 * concepts)
    lines, seen, result = [], set(), []
    for index in range(concepts):
        base = index % len(EN_WORDS)
        tail = "" if index < len(EN_WORDS) else f" {_word(rng, None, True).lower()}"
        wordings = {
            "en": EN_WORDS[base] + tail,
            "ru": RU_WORDS[base % len(RU_WORDS)] + (f" {_cyr(tail)}" if tail else ""),
            "kk": KK_WORDS[base % len(KK_WORDS)] + (f" {_cyr(tail)}" if tail else ""),
        }
        ids = {}
        for language, text in wordings.items():
            normalized = Keyword.normalize(text)
            if (language, normalized) in seen:
                text = normalized = f"{normalized} {index}"
            seen.add((language, normalized))
            ids[language] = pk = first + len(lines)
            lines.append(f"{pk}\t{language}\t{text}\t{normalized}\t{first_concept + index}\n")
        result.append((ids["en"], ids["ru"], ids["kk"]))
    copy_text(Keyword, ["id", "language", "text", "normalized", "concept_id"], ["".join(lines)])
    report.keywords = len(lines)
    return result


def _cyr(latin_text: str) -> str:
    back = {"a": "а", "e": "е", "o": "о", "i": "и", "u": "у", "k": "к", "m": "м", "t": "т"}
    return "".join(back.get(ch, ch) for ch in latin_text.strip())


# ---------------------------------------------------------------- generation in workers


@dataclass
class _Plan:
    """What every batch needs to know; worker processes inherit it when they fork."""

    seed: int
    now: str
    issues: list  # (issue id, journal id, year)
    sections: dict  # journal id -> section ids
    organisations: list
    keyword_ids: list  # per concept: (en, ru, kk) keyword id
    keyword_rank: Zipf
    author_rank: Zipf
    # Per author: the authorship columns from author_id to email, the Latin byline (for
    # references) and the home organisation; filled in by _load_authors.
    people: list = field(default_factory=list)
    bylines: list = field(default_factory=list)
    homes: list = field(default_factory=list)


_plan: _Plan | None = None


def _in_order(function: Callable, tasks: Iterable, workers: int, plan: _Plan) -> Iterator:
    """function(task) for each task, in order, made by `workers` processes ahead of the caller
    (who meanwhile writes the previous result); at most workers + 2 results wait in memory."""
    global _plan
    _plan = plan
    try:
        if workers <= 0:
            yield from map(function, tasks)
            return
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            pending = collections.deque()
            for task in tasks:
                pending.append(pool.apply_async(function, (task,)))
                if len(pending) > workers + 1:
                    yield pending.popleft().get()
            while pending:
                yield pending.popleft().get()
    finally:
        _plan = None


AUTHOR_COLUMNS = ["id", "display_name", "orcid", "email", "match_key"]
VARIANT_COLUMNS = ["author_id", "name", "language", "kind", "search_key"]


def _load_authors(plan: _Plan, count: int, workers: int, report: SynthReport):
    first = reserve_ids(Author, count)
    tasks = [
        (index, first + start, min(AUTHOR_BATCH, count - start))
        for index, start in enumerate(range(0, count, AUTHOR_BATCH))
    ]
    for authors, variants, variant_count, people, bylines, homes in _in_order(
        _author_batch, tasks, workers, plan
    ):
        copy_text(Author, AUTHOR_COLUMNS, [authors])
        copy_text(NameVariant, VARIANT_COLUMNS, [variants])
        report.name_variants += variant_count
        plan.people.extend(people)
        plan.bylines.extend(bylines)
        plan.homes.extend(homes)
    report.authors = count


def _author_batch(task):
    """Authors `first`.. with their printed forms: COPY text of authors and name variants."""
    index, first, count = task
    rng = random.Random(f"{_plan.seed}/authors/{index}")
    organisations = _plan.organisations
    authors, variants, people, bylines, homes = [], [], [], [], []
    for pk in range(first, first + count):
        female = rng.random() < 0.5
        stem = rng.choice(ONSETS).upper() + "".join(
            rng.choice(SYLLABLES) for _ in range(rng.randint(1, 2))
        )
        surname = stem + rng.choice(FEMALE_ENDINGS if female else MALE_ENDINGS)
        given = rng.choice(GIVEN)
        patronymic = rng.choice(GIVEN)
        ru = f"{surname} {given[0]}.{patronymic[0]}."
        en = latin(ru)
        full_ru = f"{surname} {given}"
        full_en = latin(full_ru)
        byline = {"ru": ru, "en": en}
        full = {"en": full_en}
        if rng.random() < 0.3:
            byline["kk"] = ru
        if rng.random() < 0.3:
            full["ru"] = full_ru
        authors.append(f"{pk}\t{full_en}\t\\N\t\t{Author.match_key_for(en)}\n")
        forms = {}
        for kind, names in (("byline", byline), ("full", full)):
            for language, name in names.items():
                forms.setdefault((name, language), kind)
        for (name, language), kind in forms.items():
            variants.append(
                f"{pk}\t{name}\t{language}\t{kind}\t{NameVariant.search_key_for(name)}\n"
            )
        people.append(
            f"{pk}\t{en}\t{byline.get('kk', '')}\t{ru}\t{full_en}\t\t{full.get('ru', '')}\t"
        )
        bylines.append(en)
        homes.append(organisations[rng.randrange(len(organisations))])
    return (
        "".join(authors).encode(),
        "".join(variants).encode(),
        len(variants),
        people,
        bylines,
        homes,
    )


ARTICLE_COLUMNS = [
    "id", "issue_id", "section_id", "position", "doi", "doi_inferred", "first_page",
    "last_page", "udc", "irsti", "language", "received", "accepted",
    "title_en", "title_kk", "title_ru", "abstract_en", "abstract_kk", "abstract_ru",
    "edited_fields", "created", "updated",
]  # fmt: skip
AUTHORSHIP_COLUMNS = [
    "id", "article_id", "position", "author_id", "name_en", "name_kk", "name_ru",
    "full_name_en", "full_name_kk", "full_name_ru", "email",
]  # fmt: skip
AFFILIATION_COLUMNS = ["authorship_id", "organisation_id", "position"]
ARTICLE_KEYWORD_COLUMNS = ["article_id", "keyword_id", "position"]
REFERENCE_COLUMNS = ["article_id", "position", "text", "doi", "url"]


def _load_articles(plan: _Plan, articles: int, workers: int, report: SynthReport, say):
    first_article = reserve_ids(Article, articles)

    def tasks():
        for index, start in enumerate(range(0, articles, BATCH)):
            count = min(BATCH, articles - start)
            # Team sizes are drawn here, so that authorship ids can be taken in order.
            teams = random.Random(f"{plan.seed}/teams/{index}").choices(TEAM_SIZES, k=count)
            first_authorship = reserve_ids(Authorship, sum(teams))
            yield index, start, first_article + start, first_authorship, teams

    batches = math.ceil(articles / BATCH)
    for index, (texts, counts) in enumerate(_in_order(_article_batch, tasks(), workers, plan)):
        copy_text(Article, ARTICLE_COLUMNS, [texts[0]])
        copy_text(Authorship, AUTHORSHIP_COLUMNS, [texts[1]])
        copy_text(AuthorshipAffiliation, AFFILIATION_COLUMNS, [texts[2]])
        copy_text(ArticleKeyword, ARTICLE_KEYWORD_COLUMNS, [texts[3]])
        copy_text(Reference, REFERENCE_COLUMNS, [texts[4]])
        report.articles += counts[0]
        report.authorships += counts[1]
        report.article_keywords += counts[3]
        report.references += counts[4]
        if (index + 1) % 10 == 0 or index + 1 == batches:
            say(f"{report.articles:,} articles")


# Vocabulary size per language; word use follows Zipf's law, as in real abstracts.
VOCABULARY_SIZE = 5000
# The topic words sit at these ranks, so "policy" appears in a few per cent of abstracts
# rather than in all of them; more frequent ranks are made-up words.
TOPIC_RANK = 100
WORD_ONSETS = {"en": "bdfgklmnprstvz", "ru": "бдфгклмнпрствз", "kk": "бдғгклмнпрстқз"}
WORD_VOWELS = {"en": "aeiou", "ru": "аеиоу", "kk": "аеиоұ"}


def vocabulary(code: str) -> list[str]:
    """Content words of one language, most frequent first (seeded: the same every run)."""
    rng = random.Random(f"vocabulary/{code}")
    topic = {"en": EN_WORDS, "ru": RU_WORDS, "kk": KK_WORDS}[code]
    made, seen = [], set(topic)
    onsets, vowels = WORD_ONSETS[code], WORD_VOWELS[code]
    while len(made) < VOCABULARY_SIZE - len(topic):
        word = "".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            made.append(word)
    return made[:TOPIC_RANK] + topic + made[TOPIC_RANK:]


_VOCABULARY = {}
for _code in ("en", "ru", "kk"):
    # A content word with probability 0.45 (Zipf over the vocabulary), else a filler word.
    _words = vocabulary(_code)
    _zipf = [1 / rank for rank in range(1, len(_words) + 1)]
    _weights = [0.45 * w / sum(_zipf) for w in _zipf]
    _weights += [0.55 / len(FILLER[_code])] * len(FILLER[_code])
    _VOCABULARY[_code] = (_words + FILLER[_code], list(itertools.accumulate(_weights)))
LANGUAGES, LANGUAGE_WEIGHTS = ("ru", "kk", "en"), (5, 8, 10)  # 5 : 3 : 2, cumulative


def _article_batch(task):
    """One batch of articles with their authorships, affiliations, keywords and references,
    as COPY text for each table, and the row counts."""
    index, start, first, first_authorship, teams = task
    plan = _plan
    rng = random.Random(f"{plan.seed}/articles/{index}")
    rnd, choices, bisect_left = rng.random, rng.choices, bisect.bisect_left
    en_words, en_weights = _VOCABULARY["en"]
    ru_words, ru_weights = _VOCABULARY["ru"]
    kk_words, kk_weights = _VOCABULARY["kk"]
    issues, sections, now = plan.issues, plan.sections, plan.now
    people, bylines, homes = plan.people, plan.bylines, plan.homes
    keyword_ids = plan.keyword_ids
    author_cumulative, author_total = plan.author_rank.cumulative, plan.author_rank.total
    keyword_cumulative, keyword_total = plan.keyword_rank.cumulative, plan.keyword_rank.total
    issue_count, people_count = len(issues), len(bylines)
    articles, authorships, affiliations, keywords, references = [], [], [], [], []
    authorship = first_authorship
    for offset, team_size in enumerate(teams):
        pk, n = first + offset, start + offset
        issue_id, journal_id, year = issues[n % issue_count]
        journal_sections = sections[journal_id]
        first_page = 1 + (n // issue_count) * 12
        title_en = " ".join(choices(en_words, cum_weights=en_weights, k=5 + int(rnd() * 8)))
        title_ru = " ".join(choices(ru_words, cum_weights=ru_weights, k=5 + int(rnd() * 8)))
        title_kk = " ".join(choices(kk_words, cum_weights=kk_weights, k=5 + int(rnd() * 8)))
        abstract_en = " ".join(choices(en_words, cum_weights=en_weights, k=30 + int(rnd() * 41)))
        abstract_ru = " ".join(choices(ru_words, cum_weights=ru_weights, k=30 + int(rnd() * 41)))
        abstract_kk = " ".join(choices(kk_words, cum_weights=kk_weights, k=30 + int(rnd() * 41)))
        articles.append(
            f"{pk}\t{issue_id}\t{journal_sections[int(rnd() * len(journal_sections))]}\t"
            f"{n // issue_count + 1}\t10.59999/synth.{pk}\tf\t{first_page}\t"
            f"{first_page + 5 + int(rnd() * 7)}\t"
            f'{{"{UDC[int(rnd() * len(UDC))]}"}}\t{{"{IRSTI[int(rnd() * len(IRSTI))]}"}}\t'
            f"{choices(LANGUAGES, cum_weights=LANGUAGE_WEIGHTS)[0]}\t\\N\t\\N\t"
            f"{title_en.capitalize()}\t{title_kk.capitalize()}\t{title_ru.capitalize()}\t"
            f"{abstract_en}\t{abstract_kk}\t{abstract_ru}\t{{}}\t{now}\t{now}\n"
        )
        team = []
        while len(team) < team_size:
            person = bisect_left(author_cumulative, rnd() * author_total)
            if person not in team:
                team.append(person)
        for place, person in enumerate(team, 1):
            authorships.append(f"{authorship}\t{pk}\t{place}\t{people[person]}\n")
            affiliations.append(f"{authorship}\t{homes[person]}\t1\n")
            authorship += 1
        concepts, wanted = [], 3 + int(rnd() * 4)
        while len(concepts) < wanted:
            concept = bisect_left(keyword_cumulative, rnd() * keyword_total)
            if concept not in concepts:
                concepts.append(concept)
        for language in range(3):
            for place, concept in enumerate(concepts, 1):
                keywords.append(f"{pk}\t{keyword_ids[concept][language]}\t{place}\n")
        for place in range(1, 2 + int(rnd() * 7)):
            title = " ".join(choices(en_words, cum_weights=en_weights, k=8)).capitalize()
            references.append(
                f"{pk}\t{place}\t{bylines[int(rnd() * people_count)]} {title}. "
                f"Almaty, {year - 1 - int(rnd() * 15)}.\t\t\n"
            )
    tables = (articles, authorships, affiliations, keywords, references)
    return [("".join(rows)).encode() for rows in tables], [len(rows) for rows in tables]
