"""The public interface in Russian and Kazakh: locale/{ru,kk} catalogues, language choice, switcher.

The catalogues are checked as committed: every entry translated, no fuzzy flags, placeholders
kept, and the compiled .mo files in step with the .po files. A string added to a template fails
here only once `makemessages` has been re-run and the new entry left empty.
"""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from .factories import make_article, make_issue, page_url

LOCALE = Path(settings.BASE_DIR) / "locale"
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
HOME = reverse("catalogue:home")
BROWSE = reverse("catalogue:article_list")
# The addresses from before pages had a language prefix: they lead to the visitor's language.
OLD_HOME, OLD_BROWSE = "/", "/articles/"

# A few real interface strings per page and language (template and Python sources).
HOME_STRINGS = {
    "en": ["Journal catalogue", "Latest issues", "Search articles by title, abstract or keyword"],
    "ru": ["Каталог журналов", "Последние выпуски", "Поиск статей по названию, аннотации"],
    "kk": ["Журналдар каталогы", "Соңғы шығарылымдар", "Мақалаларды атауы, аңдатпасы"],
}
BROWSE_STRINGS = {
    "en": ["Search titles, abstracts and keywords", "2 articles", "Kazakh"],
    "ru": ["Поиск по названиям, аннотациям и ключевым словам", "2 статьи", "Казахский"],
    "kk": ["Атаулар, аңдатпалар және түйін сөздер бойынша іздеу", "2 мақала", "Қазақ тілі"],
}


@pytest.fixture
def two_articles(db):
    issue = make_issue()
    make_article(issue, language="kk")
    make_article(issue, language="kk")


def visible(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", TRANSLATED)
def test_home_page_in_the_language_of_the_cookie(client, two_articles, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(OLD_HOME, follow=True)
    assert response.redirect_chain == [(page_url("catalogue:home", language=language), 301)]
    html = visible(response)
    assert f'<html lang="{language}">' in html
    for text in HOME_STRINGS[language]:
        assert text in html
    assert "Latest issues" not in html


@pytest.mark.parametrize("language", TRANSLATED)
def test_browse_page_in_the_language_of_accept_language(client, two_articles, language):
    response = client.get(OLD_BROWSE, HTTP_ACCEPT_LANGUAGE=f"{language},en;q=0.5", follow=True)
    assert response.redirect_chain == [(page_url("catalogue:article_list", language=language), 301)]
    html = visible(response)
    assert f'<html lang="{language}">' in html
    for text in BROWSE_STRINGS[language]:
        assert text in html
    assert "Search titles, abstracts and keywords" not in html


def test_english_without_a_preference(client, two_articles):
    home = visible(client.get(HOME))
    browse = visible(client.get(BROWSE))
    assert '<html lang="en">' in home
    assert all(text in home for text in HOME_STRINGS["en"])
    assert all(text in browse for text in BROWSE_STRINGS["en"])


@pytest.mark.parametrize("language", TRANSLATED)
def test_language_switcher_posts_to_set_language_and_returns_to_the_page(two_articles, language):
    client = Client(enforce_csrf_checks=True)
    page = f"{BROWSE}?q=power&sort=newest"
    html = visible(client.get(page))
    form = re.search(r'<form class="language-switcher" action="([^"]+)" method="post">', html)
    assert form and form.group(1) == reverse("set_language")
    assert re.search(r'<input name="next" type="hidden" value="([^"]+)"', html).group(1) == (
        page.replace("&", "&amp;")
    )
    # No CSRF token: the page holds nothing of the visitor, so a proxy may share it.
    assert "csrfmiddlewaretoken" not in html
    response = client.post(reverse("set_language"), {"language": language, "next": page})
    assert response.status_code == 302
    # The same page, in the language chosen.
    assert response.url == page_url("catalogue:article_list", language=language) + (
        "?q=power&sort=newest"
    )
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == language

    html = visible(client.get(response.url))
    assert f'<option value="{language}" selected lang="{language}">' in html
    assert BROWSE_STRINGS[language][0] in html


# Not literal arguments of ngettext, so that makemessages doesn't list this file as a source.
ARTICLES = ("%(counter)s article", "%(counter)s articles")


@pytest.mark.parametrize(
    ("count", "russian"),
    [(1, "статья"), (2, "статьи"), (5, "статей"), (11, "статей"), (21, "статья"), (24, "статьи")],
)
def test_plural_forms(count, russian):
    def articles(language):
        with translation.override(language):
            text = translation.ngettext(*ARTICLES, count)
        return text % {"counter": count}

    assert articles("ru") == f"{count} {russian}"
    assert articles("kk") == f"{count} мақала"


# The .po files, parsed just enough for the checks below.


def read_po(path: Path) -> list[dict]:
    """Entries of a .po file: {"msgctxt", "msgid", "msgid_plural", "msgstr": [...], "flags"}."""
    entries, entry, field = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip() or line.startswith("#~"):
            if entry:
                entries.append(entry)
            entry = None
            continue
        if entry is None:
            entry = {
                "msgctxt": None,
                "msgid": "",
                "msgid_plural": None,
                "msgstr": [],
                "flags": set(),
            }
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            if field == "msgstr":
                entry["msgstr"][-1] += text
            else:
                entry[field] += text
        else:
            keyword, quoted = line.split(" ", 1)
            field = "msgstr" if keyword.startswith("msgstr") else keyword
            if field == "msgstr":
                entry["msgstr"].append(ast.literal_eval(quoted))
            else:
                entry[field] = ast.literal_eval(quoted)
    return entries


def plural_count(header: str) -> int:
    return int(re.search(r"Plural-Forms: nplurals=(\d+);", header).group(1))


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_entry_is_translated(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    header, *entries = read_po(po)
    assert header["msgid"] == "" and f"Language: {language}\n" in header["msgstr"][0]
    assert "fuzzy" not in header["flags"]
    nplurals = plural_count(header["msgstr"][0])
    assert entries, f"{po} has no entries"
    for entry in entries:
        where = f"{po}: {entry['msgid']!r}"
        assert "fuzzy" not in entry["flags"], f"fuzzy: {where}"
        assert all(entry["msgstr"]), f"untranslated: {where}"
        if entry["msgid_plural"] is not None:
            assert len(entry["msgstr"]) == nplurals, f"plural forms: {where}"
        wanted = sorted(PLACEHOLDER.findall(entry["msgid"]))
        for text in entry["msgstr"]:
            assert sorted(PLACEHOLDER.findall(text)) == wanted, f"placeholders: {where}"


def test_plural_form_headers():
    ru = read_po(LOCALE / "ru" / "LC_MESSAGES" / "django.po")[0]["msgstr"][0]
    kk = read_po(LOCALE / "kk" / "LC_MESSAGES" / "django.po")[0]["msgstr"][0]
    assert plural_count(ru) == 3
    # As in Django's own Kazakh catalogue.
    assert "Plural-Forms: nplurals=2; plural=(n!=1);" in kk


@pytest.mark.parametrize("language", TRANSLATED)
def test_compiled_catalogue_matches_the_po_file(language):
    """The committed .mo is compiled from the committed .po (run compilemessages after edits)."""
    directory = LOCALE / language / "LC_MESSAGES"
    with open(directory / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for entry in read_po(directory / "django.po")[1:]:
        if entry["msgctxt"] is not None:
            found = compiled.pgettext(entry["msgctxt"], entry["msgid"])
            assert found == entry["msgstr"][0], entry["msgid"]
        elif entry["msgid_plural"] is None:
            assert compiled.gettext(entry["msgid"]) == entry["msgstr"][0], entry["msgid"]
        else:
            # One count per plural form is enough to see every form is there.
            forms = {compiled.ngettext(entry["msgid"], entry["msgid_plural"], n) for n in (1, 2, 5)}
            assert forms == set(entry["msgstr"]), entry["msgid"]
