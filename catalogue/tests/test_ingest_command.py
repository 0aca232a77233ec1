"""The ingest command end to end: seeds in, catalogue out, safe to run again."""

import json
import re
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from catalogue.export import export_articles
from catalogue.ingest.loader import store_documents
from catalogue.ingest.report import SourceInfo
from catalogue.models import Article, Author, IngestWarning, Issue, Journal, Keyword
from catalogue.parsing import article as parsing_article
from catalogue.parsing.records import (
    ArticleRecord,
    AuthorRecord,
    DocumentError,
    DocumentRecord,
    IssueRecord,
    JournalRecord,
)

from .pdfmaker import LAYOUTS, make_pdf

pytestmark = pytest.mark.django_db

ISSUE_004 = "004_5cc4925e9724fd50.txt"
# The lone article does not name its journal; an editor says it on the command line.
JOURNAL = {"journal": "Bulletin of Ablai Khan KazUIRandWL", "series": "International Relations"}
ARTICLE_003 = "003_fdd0b68bd806740f.txt"


def ingest(*paths, **options):
    out = StringIO()
    call_command("ingest", *[str(p) for p in paths], stdout=out, stderr=out, **options)
    return out.getvalue()


def snapshot():
    return json.dumps(list(export_articles()), sort_keys=True, ensure_ascii=False)


def test_seeds_give_39_articles_with_003_merged_into_004(seeds):
    ingest(seeds, verbosity=0)
    data = json.loads(json.dumps(list(export_articles())))
    assert len(data) == 39
    dois = [item["doi"] for item in data if item["doi"]]
    assert len(dois) == len(set(d.lower() for d in dois))
    article = next(item for item in data if item["doi"] == "10.48371/ISMO.2025.62.4.002")
    assert sorted(article["sources"]) == [ARTICLE_003, ISSUE_004]
    assert Article.objects.filter(issue__year=2025, issue__number="4").count() == 20
    assert Article.objects.filter(issue__year=2025, issue__number="2").count() == 19


def test_reingest_changes_nothing(seeds):
    ingest(seeds, verbosity=0)
    before = snapshot()
    authors = Author.objects.count()
    output = ingest(seeds / ISSUE_004)
    assert snapshot() == before
    assert Author.objects.count() == authors
    assert "0 created" in output and "0 updated" in output


def test_reingesting_every_seed_twice_changes_nothing(seeds):
    ingest(seeds, verbosity=0)
    ingest(seeds, verbosity=0)
    before = snapshot()
    output = ingest(seeds)
    assert snapshot() == before
    assert " 0 updated" in output and " 1 updated" not in output and "created, " in output
    assert all(
        "0 created, 0 updated" in line for line in output.splitlines() if "articles (" in line
    )


def test_single_article_alone_then_issue_gives_one_article(seeds):
    ingest(seeds / ARTICLE_003, verbosity=0, **JOURNAL)
    ingest(seeds / ISSUE_004, verbosity=0)
    assert Article.objects.filter(doi__iexact="10.48371/ISMO.2025.62.4.002").count() == 1
    assert Article.objects.count() == 20


def test_same_person_across_scripts_is_one_author(seeds):
    ingest(seeds / ISSUE_004, verbosity=0)
    for authorship in Article.objects.get(
        doi__iexact="10.48371/ISMO.2025.62.4.002"
    ).authorships.all():
        names = {authorship.name_en, authorship.name_kk, authorship.name_ru} - {""}
        variants = set(authorship.author.name_variants.values_list("name", flat=True))
        assert names <= variants


def store(*articles, number="1"):
    document = DocumentRecord(
        kind="issue",
        journal=JournalRecord(title={"en": "Test Journal"}),
        issue=IssueRecord(year=2024, number=number),
        articles=list(articles),
    )
    return store_documents([document], SourceInfo(file_name=f"test-{number}.txt"))


def concept_of(language, text):
    return Keyword.objects.get(language=language, normalized=Keyword.normalize(text)).concept_id


def test_keyword_lists_of_equal_length_are_linked_in_order():
    store(
        ArticleRecord(
            title={"en": "One"},
            keywords={"en": ["soft power", "Kazakhstan"], "ru": ["мягкая сила", "Казахстан"]},
        )
    )
    assert concept_of("en", "soft power") == concept_of("ru", "мягкая сила")
    assert concept_of("en", "Kazakhstan") == concept_of("ru", "Казахстан")
    assert concept_of("en", "soft power") != concept_of("en", "Kazakhstan")


def test_keyword_lists_of_different_length_link_only_what_is_certain():
    store(
        ArticleRecord(
            title={"en": "One"},
            keywords={
                "en": ["soft power", "diplomacy", "Asia"],
                "kk": ["дипломатия", "жұмсақ күш"],
                "ru": ["дипломатия", "мягкая сила"],
            },
        )
    )
    assert concept_of("kk", "дипломатия") == concept_of("ru", "дипломатия")
    assert concept_of("en", "soft power") != concept_of("ru", "мягкая сила")


def test_a_known_keyword_brings_its_concept_to_a_new_translation():
    store(
        ArticleRecord(title={"en": "One"}, keywords={"en": ["soft power"], "ru": ["мягкая сила"]})
    )
    store(
        ArticleRecord(title={"en": "Two"}, keywords={"en": ["soft power"], "kk": ["жұмсақ күш"]}),
        number="2",
    )
    assert concept_of("kk", "жұмсақ күш") == concept_of("ru", "мягкая сила")


def test_people_with_same_surname_and_other_initials_stay_two():
    store(
        ArticleRecord(
            title={"en": "One"},
            authors=[
                AuthorRecord(position=1, names={"en": "Akhmetova A.B.", "ru": "Ахметова А.Б."}),
                AuthorRecord(position=2, names={"en": "Akhmetova K.B.", "ru": "Ахметова К.Б."}),
            ],
        )
    )
    assert Author.objects.count() == 2


def test_same_person_in_another_script_and_issue_is_matched():
    store(
        ArticleRecord(title={"en": "One"}, authors=[AuthorRecord(1, names={"en": "Zhumatay G."})])
    )
    store(
        ArticleRecord(title={"en": "Two"}, authors=[AuthorRecord(1, names={"kk": "Жұматай Ғ.Б."})]),
        number="2",
    )
    assert Author.objects.count() == 1
    assert set(Author.objects.get().name_variants.values_list("name", flat=True)) == {
        "Zhumatay G.",
        "Жұматай Ғ.Б.",
    }


def test_same_orcid_is_the_same_person_whatever_the_name():
    orcid = "0000-0002-1825-0097"
    store(
        ArticleRecord(
            title={"en": "One"}, authors=[AuthorRecord(1, names={"en": "Smith J."}, orcid=orcid)]
        )
    )
    store(
        ArticleRecord(
            title={"en": "Two"},
            authors=[AuthorRecord(1, names={"en": "Smith-Jones J."}, orcid=orcid)],
        ),
        number="2",
    )
    assert Author.objects.count() == 1


def test_editor_correction_survives_reingest(seeds):
    ingest(seeds / ARTICLE_003, verbosity=0, **JOURNAL)
    article = Article.objects.get()
    article.title_en = "Corrected by an editor"
    article.edited_fields = ["title_en"]
    article.save()
    output = ingest(seeds / ARTICLE_003, **JOURNAL)
    article.refresh_from_db()
    assert article.title_en == "Corrected by an editor"
    assert "editor's value kept for title_en" in output
    assert IngestWarning.objects.filter(
        article=article, kind=IngestWarning.Kind.EDITOR_VALUE_KEPT, field="title_en"
    ).exists()


def test_lone_article_naming_no_journal_waits_under_a_placeholder(seeds):
    output = ingest(seeds / ARTICLE_003, verbosity=2)
    article = Article.objects.get()
    assert article.issue.series.journal.title_en == "Unnamed journal (DOI prefix 10.48371)"
    assert "does not name its journal" in output
    ingest(seeds / ISSUE_004, verbosity=0)
    assert Journal.objects.count() == 1
    journal = Journal.objects.get()
    assert not journal.title_en.startswith("Unnamed journal")
    assert journal.issn_print == "2411-8753"
    assert Article.objects.count() == 20


def test_lone_article_that_does_not_say_its_issue_waits_in_an_unassigned_issue(tmp_path):
    path = tmp_path / "no-issue.txt"
    path.write_text(
        SAMPLE_ARTICLE.replace("DOI 10.1234/TEST.2024.1.1.001\n", "").replace(
            "Introduction", "Received: 12.03.2024\nAccepted: 20.05.2024\nIntroduction"
        ),
        encoding="utf-8",
    )
    output = ingest(path, verbosity=2, journal="Test Journal")
    article = Article.objects.get()
    assert (article.issue.year, article.issue.number) == (2024, "unassigned")
    assert "does not say its issue" in output


def test_lone_article_with_neither_journal_nor_doi_waits_under_a_placeholder(tmp_path):
    path = tmp_path / "no-doi.txt"
    path.write_text(SAMPLE_ARTICLE.replace("DOI 10.1234/TEST.2024.1.1.001\n", ""), encoding="utf-8")
    output = ingest(path, verbosity=2)
    article = Article.objects.get()
    assert article.issue.series.journal.title_en == "Unnamed journal (no DOI)"
    assert article.issue.is_unassigned
    assert "does not name its journal" in output and "does not say its issue" in output
    assert set(article.warnings.open().values_list("field", flat=True)) >= {"journal", "issue"}
    # a second such article waits in the same places
    other = tmp_path / "no-doi-2.txt"
    other.write_text(
        path.read_text(encoding="utf-8").replace("CULTURAL DIPLOMACY", "SOFT POWER"),
        encoding="utf-8",
    )
    ingest(other, verbosity=0)
    assert Journal.objects.count() == 1 and Issue.objects.count() == 1


def test_dry_run_writes_nothing(seeds):
    output = ingest(seeds / ARTICLE_003, dry_run=True, **JOURNAL)
    assert "dry run" in output
    assert Article.objects.count() == 0 and Author.objects.count() == 0


def test_json_export_loads_back_unchanged(seeds, tmp_path):
    ingest(seeds, verbosity=0)
    target = tmp_path / "catalogue.json"
    call_command("export", "--format", "json", "--output", str(target))
    before = json.loads(target.read_text(encoding="utf-8"))
    Issue.objects.all().delete()
    Author.objects.all().delete()
    ingest(target, verbosity=0)
    after = json.loads(snapshot())
    assert after == before


def test_pdf_is_read_through_its_text(tmp_path):
    pdf = tmp_path / "article.pdf"
    pdf.write_bytes(minimal_pdf(SAMPLE_ARTICLE.splitlines()))
    ingest(pdf, verbosity=0, journal="Test Journal")
    article = Article.objects.get()
    assert article.doi == "10.1234/TEST.2024.1.1.001"
    assert "cultural diplomacy" in article.title_en.lower()


SAMPLE_ARTICLE = """UDC 327
DOI 10.1234/TEST.2024.1.1.001
CULTURAL DIPLOMACY AND NATIONAL IDENTITY
Ivanov I.I.1
1 Test University, Almaty, Kazakhstan
Abstract. Cultural diplomacy is examined as a tool of national identity.
Key words: cultural diplomacy, identity, soft power
Introduction
The body of the article.
References
1. Nye J. Soft Power. New York, 2004."""


def minimal_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with the given ASCII lines, written by hand (no PDF library)."""
    text = (
        "BT /F1 10 Tf 40 800 Td 12 TL "
        + " ".join(
            "({}) '".format(line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)"))
            for line in lines
        )
        + " ET"
    )
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(text)} >>\nstream\n{text}\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.txt", b"", "file is empty"),
        ("blank.txt", b"\n\n   \n", "file is empty"),
        ("binary.txt", b"\x00\x01\x02\xff" * 100, "binary"),
        ("latin1.txt", "Café résumé naïve".encode("latin-1") * 3, "not UTF-8"),
        (
            "prose.txt",
            b"Just a shopping list: milk, bread.\n" * 5,
            "no recognisable article",
        ),
        ("broken.json", b'[{"doi": ', "not valid JSON"),
        ("broken.pdf", b"%PDF-1.4\ngarbage", "PDF"),
    ],
)
def test_bad_document_gets_one_line_and_changes_nothing(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError) as error:
        ingest(path)
    assert "1 of 1 documents failed" in str(error.value)
    assert Article.objects.count() == 0 and Author.objects.count() == 0


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.txt", b"", "file is empty"),
        ("binary.txt", b"\x00\x01\x02\xff" * 100, "binary"),
        ("latin1.txt", "Café résumé naïve".encode("latin-1") * 3, "not UTF-8"),
        (
            "prose.txt",
            b"Just a shopping list: milk, bread.\n" * 5,
            "no recognisable article",
        ),
    ],
)
def test_bad_document_message_names_file_and_problem(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("ingest", str(path), stdout=out, stderr=out)
    [line] = [line for line in out.getvalue().splitlines() if line.strip()]
    assert line.startswith(str(path)) and message in line


def test_missing_path_is_refused():
    with pytest.raises(CommandError, match="no such file or folder"):
        ingest("/nonexistent/issue.txt")


def test_oversized_file_is_refused(tmp_path, seeds):
    path = tmp_path / "big.txt"
    shutil.copy(seeds / ARTICLE_003, path)
    with override_settings(INGEST_MAX_BYTES=1000), pytest.raises(CommandError):
        out = StringIO()
        try:
            call_command("ingest", str(path), stdout=out, stderr=out)
        finally:
            assert "too large" in out.getvalue()
    assert Article.objects.count() == 0


def test_a_bad_file_does_not_stop_the_good_ones(tmp_path, seeds):
    (tmp_path / "a_empty.txt").write_bytes(b"")
    shutil.copy(seeds / ARTICLE_003, tmp_path / "b_article.txt")
    with pytest.raises(CommandError, match="1 of 2 documents failed"):
        ingest(tmp_path, **JOURNAL)
    assert Article.objects.count() == 1


RUSSIAN_ARTICLE = """УДК 327
DOI 10.1234/TEST.2024.1.1.002
КУЛЬТУРНАЯ ДИПЛОМАТИЯ И НАЦИОНАЛЬНАЯ ИДЕНТИЧНОСТЬ
Иванов И.И.1
1 Тестовый университет, Алматы, Казахстан
Аннотация. Культурная дипломатия рассматривается как инструмент укрепления идентичности.
Ключевые слова: культурная дипломатия, идентичность, мягкая сила
Введение
Текст статьи – с «кавычками» и тире.
Список литературы
1. Най Дж. Мягкая сила. – М., 2004.
"""


def test_cp1251_cyrillic_is_detected(tmp_path):
    path = tmp_path / "article-cp1251.txt"
    path.write_bytes(RUSSIAN_ARTICLE.encode("cp1251"))
    ingest(path, verbosity=0, journal="Test Journal")
    article = Article.objects.get()
    assert article.doi == "10.1234/TEST.2024.1.1.002"
    assert article.title_ru.lower().startswith("культурная дипломатия")


def test_utf16_is_detected(tmp_path, seeds):
    path = tmp_path / "article-utf16.txt"
    path.write_bytes((seeds / ARTICLE_003).read_text(encoding="utf-8").encode("utf-16"))
    ingest(path, verbosity=0, **JOURNAL)
    assert Article.objects.get().doi == "10.48371/ISMO.2025.62.4.002"


def test_a_failing_parser_step_refuses_the_document_and_the_others_still_load(
    tmp_path, seeds, monkeypatch
):
    """A defect in one step must not turn into an issue stored without its abstracts."""

    def broken(text):
        raise RuntimeError("step is broken")

    # The issue path reads each article through the article module; the lone
    # article (003) goes another way and must still load.
    monkeypatch.setattr(parsing_article, "parse_article", broken)
    shutil.copy(seeds / ISSUE_004, tmp_path / "a_issue.txt")
    shutil.copy(seeds / ARTICLE_003, tmp_path / "b_article.txt")
    out = StringIO()
    with pytest.raises(CommandError, match="1 of 2 documents failed"):
        call_command("ingest", str(tmp_path), stdout=out, stderr=out, **JOURNAL)
    refusals = [line for line in out.getvalue().splitlines() if "a_issue.txt" in line]
    assert len(refusals) == 1
    assert "the parser failed on this document (RuntimeError: step is broken)" in refusals[0]
    assert "Traceback" not in out.getvalue()
    assert Article.objects.count() == 1


def test_a_database_refusal_names_the_article_it_comes_from():
    too_long = ArticleRecord(title={"en": "Rivers"}, doi="10.1234/" + "x" * 300, position=3)
    with pytest.raises(DocumentError) as error:
        store(too_long)
    message = str(error.value)
    assert message.startswith("article 3 (DOI 10.1234/xxx")
    assert "the catalogue refused it" in message and "200" in message
    assert Article.objects.count() == 0


class Terminal(StringIO):
    """What the command writes to when a person runs it in a terminal."""

    def isatty(self):
        return True


def test_on_a_terminal_ingest_shows_the_pages_read_and_then_one_line_per_document(tmp_path, seeds):
    path = tmp_path / "article.pdf"
    make_pdf((seeds / ARTICLE_003).read_text(encoding="utf-8"), path, LAYOUTS["a4-two-columns"])
    terminal, out = Terminal(), StringIO()
    call_command("ingest", str(path), stdout=out, stderr=terminal, **JOURNAL)
    shown = terminal.getvalue()
    assert "█" in shown and re.search(r"(\d+)/\1 pages", shown)
    assert "article.pdf" in out.getvalue() and "1 created" in out.getvalue()

    quiet = StringIO()  # not a terminal: no bar, just the report line
    call_command("ingest", str(path), stdout=StringIO(), stderr=quiet, **JOURNAL)
    assert "pages" not in quiet.getvalue()
