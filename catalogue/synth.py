"""A realistic synthetic catalogue for measuring speed at scale (`manage.py synth`).

Many journals with one to three series each, four issues a year over twenty
years, trilingual titles and abstracts, keywords whose use follows Zipf's law
(a few very common, a long tail of rare ones), authors whose names are printed
in Cyrillic and in Latin, several authors per article with an affiliation each,
and a few references per article. Everything is random but seeded, so the same
arguments give the same catalogue.

Rows are written with PostgreSQL COPY (catalogue.ingest.bulk) in batches, one
transaction per batch, so memory stays flat however many articles are asked for.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from .ingest.bulk import allocate_ids, copy_rows
from .ingest.names import name_key
from .models import (
    Article,
    ArticleKeyword,
    Author,
    Authorship,
    AuthorshipAffiliation,
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
from .search import search_key

FIRST_YEAR, YEARS = 2006, 20
BATCH = 10_000

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


def synthesize(articles: int, seed: int = 1, progress=None) -> SynthReport:
    """Add `articles` synthetic articles (and their journals, people, keywords) to the catalogue."""
    rng = random.Random(seed)
    size = sizes_for(articles)
    report = SynthReport()
    say = progress or (lambda message: None)
    now = timezone.now()

    with transaction.atomic():
        journals, sections = _journals(rng, size["journals"], report)
        issues = _issues(rng, journals, size["issues"], report)
        organisations = _organisations(rng, size["organisations"])
        keyword_ids = _keywords(rng, size["concepts"], report)
        authors = _authors(rng, size["authors"], report)
    say(f"{report.journals} journals, {report.issues} issues, {report.authors} authors")

    keyword_rank = Zipf(size["concepts"])
    author_rank = Zipf(size["authors"], s=0.6)
    home = [rng.randrange(len(organisations)) for _ in range(size["authors"])]
    for start in range(0, articles, BATCH):
        count = min(BATCH, articles - start)
        with transaction.atomic():
            _article_batch(
                rng, start, count, issues, sections, keyword_ids, authors, organisations,
                home, keyword_rank, author_rank, now, report,
            )  # fmt: skip
        say(f"{start + count:,} articles")
    return report


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
                key=f"{word} and society",
            ).pk
            for i, word in enumerate(rng.sample(EN_WORDS[:30], 5))
        ]
    return journals, sections


def _issues(rng, all_series, count, report):
    """`count` issues spread over every series and twenty years, in (series, year, number)."""
    ids = allocate_ids(Issue, count)
    rows, result = [], []
    for i, pk in enumerate(ids):
        series = all_series[i % len(all_series)]
        slot = i // len(all_series)
        year = FIRST_YEAR + slot % YEARS
        number = slot // YEARS + 1
        rows.append((pk, series.pk, year, str(number), number, str(slot + 1), None))
        result.append((pk, series.journal_id, year))
    copy_rows(
        Issue,
        ["id", "series_id", "year", "number", "number_sort", "whole_number", "published"],
        rows,
    )
    report.issues = count
    return result


def _organisations(rng, count):
    ids = allocate_ids(Organisation, count)
    rows = []
    for i, pk in enumerate(ids):
        city = CITIES[i % len(CITIES)]
        name = f"{city} University of {EN_WORDS[i % len(EN_WORDS)].capitalize()} No. {i + 1}"
        rows.append((pk, name, "", "", city, "Kazakhstan", name.lower()))
    copy_rows(Organisation, ["id", "name_en", "name_kk", "name_ru", "city", "country", "key"], rows)
    return ids


def _word(rng, words, language_latin: bool) -> str:
    stem = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
    return latin(stem) if language_latin else stem


def _keywords(rng, concepts, report):
    """Concepts with an English, Russian and Kazakh wording each: {concept index: [ids]}."""
    concept_ids = allocate_ids(KeywordConcept, concepts)
    copy_rows(KeywordConcept, ["id"], ((pk,) for pk in concept_ids))
    rows, by_concept, seen = [], [], set()
    for index, concept in enumerate(concept_ids):
        base = index % len(EN_WORDS)
        tail = "" if index < len(EN_WORDS) else f" {_word(rng, None, True).lower()}"
        wordings = {
            "en": EN_WORDS[base] + tail,
            "ru": RU_WORDS[base % len(RU_WORDS)] + (f" {_cyr(tail)}" if tail else ""),
            "kk": KK_WORDS[base % len(KK_WORDS)] + (f" {_cyr(tail)}" if tail else ""),
        }
        wanted = []
        for language, text in wordings.items():
            normalized = Keyword.normalize(text)
            if (language, normalized) in seen:
                text = normalized = f"{normalized} {index}"
            seen.add((language, normalized))
            wanted.append((language, text, normalized, concept))
        rows.extend(wanted)
        by_concept.append(wanted)
    ids = allocate_ids(Keyword, len(rows))
    copy_rows(
        Keyword,
        ["id", "language", "text", "normalized", "concept_id"],
        ((pk, *row) for pk, row in zip(ids, rows, strict=True)),
    )
    report.keywords = len(rows)
    # Per concept: {language: keyword id}.
    it = iter(ids)
    return [{row[0]: next(it) for row in wanted} for wanted in by_concept]


def _cyr(latin_text: str) -> str:
    back = {"a": "а", "e": "е", "o": "о", "i": "и", "u": "у", "k": "к", "m": "м", "t": "т"}
    return "".join(back.get(ch, ch) for ch in latin_text.strip())


@dataclass
class _Person:
    pk: int
    byline: dict  # {"ru": "Ахметов А.Б.", "en": "Akhmetov A.B.", "kk": ...}
    full: dict


def _authors(rng, count, report):
    ids = allocate_ids(Author, count)
    people, author_rows, variant_rows = [], [], []
    for pk in ids:
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
        people.append(_Person(pk, byline, full))
        author_rows.append((pk, full_en, None, "", name_key(en)))
        forms = {}
        for kind, names in (("byline", byline), ("full", full)):
            for language, name in names.items():
                forms.setdefault((name, language), kind)
        for (name, language), kind in forms.items():
            variant_rows.append((pk, name, language, kind, search_key(name)[:300]))
    copy_rows(Author, ["id", "display_name", "orcid", "email", "match_key"], author_rows)
    variant_ids = allocate_ids(NameVariant, len(variant_rows))
    copy_rows(
        NameVariant,
        ["id", "author_id", "name", "language", "kind", "search_key"],
        ((pk, *row) for pk, row in zip(variant_ids, variant_rows, strict=True)),
    )
    report.authors = count
    report.name_variants = len(variant_rows)
    return people


# ---------------------------------------------------------------- articles


def _text(rng, language, count):
    words = {"en": EN_WORDS, "ru": RU_WORDS, "kk": KK_WORDS}[language]
    filler = FILLER[language]
    return " ".join(
        rng.choice(words) if rng.random() < 0.45 else rng.choice(filler) for _ in range(count)
    )


def _article_batch(
    rng, start, count, issues, sections, keyword_ids, authors, organisations, home,
    keyword_rank, author_rank, now, report,
):  # fmt: skip
    article_ids = allocate_ids(Article, count)
    article_rows, authorship_rows, keyword_rows, reference_rows = [], [], [], []
    issue_count = len(issues)
    for offset, pk in enumerate(article_ids):
        n = start + offset
        issue_id, journal_id, year = issues[n % issue_count]
        position = n // issue_count + 1
        language = rng.choices(("ru", "kk", "en"), (5, 3, 2))[0]
        titles = {
            code: _text(rng, code, rng.randint(5, 12)).capitalize() for code in "en ru kk".split()
        }
        abstracts = {code: _text(rng, code, rng.randint(30, 70)) for code in titles}
        first = 1 + (position - 1) * 12
        article_rows.append(
            (
                pk, issue_id, rng.choice(sections[journal_id]), position,
                f"10.59999/synth.{pk}", False, first, first + rng.randint(5, 11),
                [rng.choice(UDC)], [rng.choice(IRSTI)], language,
                None, None,
                titles["en"], titles["kk"], titles["ru"],
                abstracts["en"], abstracts["kk"], abstracts["ru"],
                [], now, now,
            )
        )  # fmt: skip
        team = []
        while len(team) < rng.choice((1, 2, 2, 3, 3, 4, 5)):
            person = author_rank.draw(rng)
            if person not in team:
                team.append(person)
        for place, person in enumerate(team, 1):
            p = authors[person]
            authorship_rows.append(
                (
                    pk, p.pk, place,
                    p.byline["en"], p.byline.get("kk", ""), p.byline["ru"],
                    p.full["en"], "", p.full.get("ru", ""), "",
                    organisations[home[person]],
                )
            )  # fmt: skip
        concepts = []
        while len(concepts) < rng.randint(3, 6):
            concept = keyword_rank.draw(rng)
            if concept not in concepts:
                concepts.append(concept)
        for language_code in ("en", "ru", "kk"):
            for place, concept in enumerate(concepts, 1):
                keyword_rows.append((pk, keyword_ids[concept][language_code], place))
        for place in range(1, rng.randint(2, 8)):
            reference_rows.append(
                (
                    pk,
                    place,
                    f"{latin(authors[rng.randrange(len(authors))].byline['ru'])} "
                    f"{_text(rng, 'en', 8).capitalize()}. Almaty, {year - rng.randint(1, 15)}.",
                    "",
                    "",
                )
            )
    copy_rows(
        Article,
        [
            "id", "issue_id", "section_id", "position", "doi", "doi_inferred", "first_page",
            "last_page", "udc", "irsti", "language", "received", "accepted",
            "title_en", "title_kk", "title_ru", "abstract_en", "abstract_kk", "abstract_ru",
            "edited_fields", "created", "updated",
        ],
        article_rows,
    )  # fmt: skip
    authorship_ids = allocate_ids(Authorship, len(authorship_rows))
    copy_rows(
        Authorship,
        [
            "id", "article_id", "author_id", "position", "name_en", "name_kk", "name_ru",
            "full_name_en", "full_name_kk", "full_name_ru", "email",
        ],
        ((pk, *row[:-1]) for pk, row in zip(authorship_ids, authorship_rows, strict=True)),
    )  # fmt: skip
    link_ids = allocate_ids(AuthorshipAffiliation, len(authorship_rows))
    copy_rows(
        AuthorshipAffiliation,
        ["id", "authorship_id", "organisation_id", "position"],
        (
            (link, authorship, row[-1], 1)
            for link, authorship, row in zip(link_ids, authorship_ids, authorship_rows, strict=True)
        ),
    )
    ids = allocate_ids(ArticleKeyword, len(keyword_rows))
    copy_rows(
        ArticleKeyword,
        ["id", "article_id", "keyword_id", "position"],
        ((k, *row) for k, row in zip(ids, keyword_rows, strict=True)),
    )
    ids = allocate_ids(Reference, len(reference_rows))
    copy_rows(
        Reference,
        ["id", "article_id", "position", "text", "doi", "url"],
        ((k, *row) for k, row in zip(ids, reference_rows, strict=True)),
    )
    report.articles += count
    report.authorships += len(authorship_rows)
    report.article_keywords += len(keyword_rows)
    report.references += len(reference_rows)
