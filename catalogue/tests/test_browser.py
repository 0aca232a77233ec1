"""The public pages and the editors' admin in a real browser.

Debian's Chromium, driven by Playwright from PyPI: no browser is downloaded
(scripts/test installs the `chromium` package when it can; without it these
tests skip). The site runs under pytest-django's live_server with the seed
documents ingested by the `ingest` command.

Ingesting the seeds takes several seconds, and live_server empties the database
after every test, so the seeds are ingested once per module, their rows kept in
memory, and inserted again (bulk, no signals) before each test. That flush also removes the
groups the migrations created (Editors); they are put back before each test and
after the last one, so that a database kept with --reuse-db stays as migrated.

Each page visited is kept as a screenshot in screenshots/ (git-ignored), and
the main public pages are checked with axe-core (vendored in browser/vendor/):
no "serious" or "critical" accessibility violation.
"""

import os
import re
import shutil
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "screenshots"
AXE = Path(__file__).resolve().parent / "browser" / "vendor" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
EDITOR_PASSWORD = "browser-test-Editor-7f3k"
LATIN = re.compile(r"[A-Za-z]")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


# ---------------------------------------------------------------- browser


@pytest.fixture(scope="module")
def browser():
    executable = chromium_path()
    if executable is None:
        pytest.skip("Chromium is not installed: sudo apt-get install chromium")
    # Playwright's sync API keeps an event loop in this thread; Django refuses ORM
    # calls from a thread with a running loop unless told that this is deliberate.
    saved = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if saved is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = saved


@pytest.fixture
def page(browser):
    # bypass_csp: axe-core is injected as an inline script; the site's own CSP forbids those.
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB", bypass_csp=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


def assert_accessible(page, name: str) -> None:
    """No axe-core violation of impact "serious" or "critical" on the page as shown."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in bad
    )
    assert not bad, f"accessibility violations on {name}:\n{report}"


# ---------------------------------------------------------------- data


def _group_snapshot():
    from django.contrib.auth.models import Group

    return {
        group.name: list(group.permissions.values_list("content_type__app_label", "codename"))
        for group in Group.objects.prefetch_related("permissions")
    }


def _rerun_catalogue_data_migrations():
    """Run the catalogue migrations' RunPython steps again (they make the Editors group).

    Only needed when a database kept with --reuse-db was left flushed, e.g. by an
    interrupted run: the snapshot taken before these tests then has no groups.
    """
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunPython

    loader = MigrationLoader(connection)
    leaves = loader.graph.leaf_nodes("catalogue")
    for key in loader.graph.forwards_plan(leaves[0]):
        if key[0] != "catalogue":
            continue
        steps = [op for op in loader.graph.nodes[key].operations if isinstance(op, RunPython)]
        if steps:
            state = loader.project_state(key, at_end=False)
            with connection.schema_editor() as editor:
                for step in steps:
                    step.code(state.apps, editor)


def _restore_groups(snapshot):
    """Put back the groups the migrations made, after a flush removed them."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    for name, permissions in snapshot.items():
        group, _ = Group.objects.get_or_create(name=name)
        query = Q(pk__in=[])
        for app_label, codename in permissions:
            query |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.filter(query))


def _catalogue_rows():
    """Every row of the catalogue's tables, as model instances, by model.

    The tables the database's triggers write (browse index, facet counts, name
    words, records' datestamps, co-authors, people's organisations) are left out:
    inserting the rest writes them again.
    """
    from django.apps import apps

    from catalogue.models import (
        AuthorLatest,
        AuthorOrganisation,
        BrowseEntry,
        CoAuthor,
        FacetCount,
        NameWord,
        RecordDatestamp,
    )

    derived = {
        BrowseEntry,
        FacetCount,
        NameWord,
        RecordDatestamp,
        CoAuthor,
        AuthorOrganisation,
        AuthorLatest,
    }
    models = apps.get_app_config("catalogue").get_models(include_auto_created=True)
    return [
        (model, list(model._base_manager.order_by("pk")))
        for model in models
        if model not in derived
    ]


def _load_rows(rows):
    """Insert the rows again (foreign keys are checked at commit) and reset the sequences."""
    from django.core.management.color import no_style
    from django.db import connection, transaction

    with transaction.atomic():
        for model, objects in rows:
            model._base_manager.bulk_create(objects)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [m for m, _ in rows]):
                cursor.execute(sql)


@pytest.fixture(scope="module")
def seed_rows(django_db_setup, django_db_blocker):
    """Ingest the seeds once; return (the catalogue's rows, the groups to restore)."""
    from catalogue.tests.conftest import SEEDS

    with django_db_blocker.unblock():
        groups = _group_snapshot()
        if not groups:
            _rerun_catalogue_data_migrations()
            groups = _group_snapshot()
        call_command("ingest", str(SEEDS), stdout=StringIO(), stderr=StringIO(), verbosity=0)
        rows = _catalogue_rows()
    yield rows, groups
    with django_db_blocker.unblock():
        _restore_groups(groups)


@pytest.fixture
def site(live_server, seed_rows):
    """The live server's address, with the ingested seeds in its database."""
    from catalogue.models import Article

    rows, groups = seed_rows
    _restore_groups(groups)
    if not Article.objects.exists():
        _load_rows(rows)
    return live_server.url


def results_count(page) -> int:
    text = page.locator("h2.results-count").inner_text()
    return int(re.match(r"\s*(\d+)", text).group(1))


def facet_counts(page, facet: str) -> dict[str, int]:
    counts = {}
    for item in page.locator(f"#facet-{facet} li").all():
        label = " ".join(item.locator("a").inner_text().replace("☐", "").replace("☑", "").split())
        counts[label] = int(item.locator(".count").inner_text())
    return counts


# ---------------------------------------------------------------- public pages


def test_home_page(page, site):
    from catalogue.models import Article

    page.goto(site + "/")
    expect(page.locator("h1")).to_have_text("Journal catalogue")
    expect(page.locator("p.counts")).to_contain_text(f"{Article.objects.count()} articles")
    expect(page.locator("link[rel=stylesheet]")).to_have_count(1)
    screenshot(page, "home")
    assert_accessible(page, "the home page")


def test_statistics_page_draws_its_charts_accessibly(page, site):
    page.goto(site + "/en/statistics/")
    expect(page.locator("svg.bar-chart")).to_have_count(5)
    expect(page.locator("table caption")).to_have_count(5)
    screenshot(page, "statistics")
    assert_accessible(page, "the statistics page")


def test_ticking_a_facet_narrows_the_results_and_updates_the_counts(page, site):
    from catalogue.models import Article

    page.goto(site + "/en/articles/")
    total = results_count(page)
    assert total == Article.objects.count()
    screenshot(page, "browse")
    assert_accessible(page, "the browse page")

    # The issue facet: tick the value that holds fewer articles than all of them.
    issues = facet_counts(page, "issue")
    assert len(issues) >= 2, issues
    label, count = min(issues.items(), key=lambda item: item[1])
    assert 0 < count < total
    languages_before = facet_counts(page, "language")

    link = page.locator("#facet-issue li a").filter(has_text=label)
    expect(link).not_to_have_attribute("aria-current", "true")
    link.click()

    expect(page.locator("h2.results-count")).to_have_text(re.compile(rf"^\s*{count} articles?"))
    expect(page).to_have_url(re.compile(r"[?&]issue=\d+"))
    ticked = page.locator("#facet-issue li a.selected")
    expect(ticked).to_have_count(1)
    expect(ticked).to_contain_text(label)
    expect(ticked).to_have_attribute("aria-current", "true")
    expect(page.locator(".chips .chip")).to_contain_text(label)
    expect(page.locator(".result-list > li.result")).to_have_count(min(count, 20))

    # Another facet now counts only the narrowed results.
    languages_after = facet_counts(page, "language")
    assert sum(languages_after.values()) <= sum(languages_before.values())
    assert all(n <= count for n in languages_after.values()), languages_after
    assert languages_after != languages_before
    screenshot(page, "browse-facet")

    # Unticking (the chip) gives every article back.
    page.locator(".chips .chip").filter(has_text=label).click()
    expect(page.locator("h2.results-count")).to_have_text(re.compile(rf"^\s*{total} articles"))


def _bilingual_author():
    """An author printed in Latin and in Cyrillic; Zhumatay when the seeds have him."""
    from catalogue.models import Author

    candidates = []
    for author in Author.objects.prefetch_related("name_variants").order_by("pk"):
        names = [variant.name for variant in author.name_variants.all()]
        latin = [n for n in names if LATIN.search(n) and not CYRILLIC.search(n)]
        cyrillic = [n for n in names if CYRILLIC.search(n) and not LATIN.search(n)]
        if latin and cyrillic:
            candidates.append((author, latin, cyrillic))
    assert candidates, "no author in the seeds has both a Latin and a Cyrillic name"
    for candidate in candidates:
        if any(name.startswith("Zhumatay") for name in candidate[1]):
            return candidate
    return candidates[0]


def search_authors(page, site, text: str) -> None:
    page.goto(site + "/en/authors/")
    box = page.get_by_label("Name, in any script or spelling")
    box.fill(text)
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/en/authors/\?q="))
    expect(page.locator(".results-count")).to_be_visible()


def test_author_search_across_scripts(page, site):
    author, latin, cyrillic = _bilingual_author()
    author_href = f"/en/authors/{author.pk}/"
    cyrillic_surname = cyrillic[0].split()[0]  # e.g. Жұматай
    latin_surname = latin[0].split()[0]  # e.g. Zhumatay

    # Typed in Cyrillic, finds the Latin-named author.
    search_authors(page, site, cyrillic_surname)
    found = page.locator(f"li.result:has(a.result-title[href='{author_href}'])")
    expect(found).to_have_count(1)
    expect(found.locator("a.result-title")).to_have_text(author.display_name)
    expect(found.locator(".names")).to_contain_text(latin[0])
    screenshot(page, "author-search")
    assert_accessible(page, "the author search page")

    # Typed in Latin, finds the Cyrillic form of the name.
    search_authors(page, site, latin_surname)
    found = page.locator(f"li.result:has(a.result-title[href='{author_href}'])")
    expect(found).to_have_count(1)
    expect(found.locator(".names")).to_contain_text(cyrillic[0])

    found.locator("a.result-title").click()
    expect(page).to_have_url(re.compile(re.escape(author_href) + "$"))
    expect(page.locator("h1")).to_contain_text(author.display_name)
    expect(page.locator("main")).to_contain_text(cyrillic[0])
    screenshot(page, "author")


def _trilingual_article():
    from catalogue.models import Article

    articles = Article.objects.exclude(title_en="").exclude(title_kk="").exclude(title_ru="")
    articles = articles.exclude(abstract_en="").exclude(abstract_kk="").exclude(abstract_ru="")
    article = articles.order_by("issue__year", "issue_id", "position", "pk").first()
    assert article is not None, "no seed article has titles and abstracts in en, kk and ru"
    return article


def clean(text: str) -> str:
    return " ".join(text.split())


def test_article_page_shows_its_three_languages(page, site):
    article = _trilingual_article()
    page.goto(f"{site}/articles/{article.pk}/")
    expect(page.locator("h1")).to_have_text(clean(article.title_en))
    for code in ("en", "kk", "ru"):
        version = page.locator(f"article.version[lang={code}]")
        expect(version).to_have_count(1)
        expect(version).to_contain_text(clean(getattr(article, f"title_{code}")))
        paragraphs = getattr(article, f"abstract_{code}").split("\n\n")
        expect(version.locator("div.abstract p")).to_have_text([clean(p) for p in paragraphs])
    screenshot(page, "article")
    assert_accessible(page, "the article page")

    page.locator(".breadcrumbs a[href*='/en/issues/']").click()
    expect(page).to_have_url(re.compile(rf"/en/issues/{article.issue_id}/$"))
    expect(page.locator(f"a[href='/en/articles/{article.pk}/']").first).to_be_visible()
    screenshot(page, "issue")


# ---------------------------------------------------------------- the editors' admin


def _warning_to_fix():
    """An open warning on a text field of an article that has no other open warning."""
    from django.db.models import Count, Q

    from catalogue.models import Article, IngestWarning

    lonely = Article.objects.annotate(
        open_count=Count("warnings", filter=Q(warnings__resolved=False))
    ).filter(open_count=1)
    warning = (
        IngestWarning.objects.open()
        .filter(article__in=lonely, field__in=["abstract", "title"])
        .exclude(language="")
        .select_related("article")
        .order_by("article_id")
        .first()
    )
    assert warning is not None, "no seed article has exactly one open warning on a text field"
    return warning


def test_editor_fixes_an_ingestion_warning(page, site, monkeypatch, settings):
    from catalogue.models import Article, IngestWarning

    # A fast hasher for the test account (the live server shares these settings).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setenv("CATALOGUE_EDITOR_PASSWORD", EDITOR_PASSWORD)
    call_command("createeditor", "alice", stdout=StringIO())
    warning = _warning_to_fix()
    article = warning.article
    field = f"{warning.field}_{warning.language}"
    fixed = clean(getattr(article, field)) + " (checked by an editor)"
    open_before = IngestWarning.objects.open().count()

    page.goto(site + "/admin/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_contain_text("alice")

    # The review queue lists the article; open it from there.
    page.goto(site + "/admin/review/")
    heading = page.locator("#content-main h2").filter(has_text="to review")
    expect(heading).to_be_visible()
    queued_before = int(re.match(r"\s*(\d+)", heading.inner_text()).group(1))
    kind_count = page.locator(f".warning-kinds a[data-kind='{warning.kind}'] + .count")
    kind_before = int(kind_count.inner_text())
    screenshot(page, "admin-review")
    page.locator(f"#review-queue a[href$='/catalogue/article/{article.pk}/change/']").click()
    expect(page).to_have_url(re.compile(rf"/admin/catalogue/article/{article.pk}/change/$"))

    # The warning is shown beside its field; correct the field and tick "resolved".
    expect(page.locator(f"#open-warnings li[data-kind='{warning.kind}']")).to_be_visible()
    page.locator(f"#id_{field}").fill(fixed)
    row = page.locator("tr.form-row").filter(has_text=warning.message[:60])
    expect(row).to_have_count(1)
    row.locator("input[type=checkbox][name$='-resolved']").check()
    screenshot(page, "admin-article-fix", full_page=False)
    page.locator("input[name=_continue]").click()

    expect(page.locator("ul.messagelist")).to_contain_text("was changed successfully")
    expect(page.locator(f"#id_{field}")).to_have_value(fixed)
    expect(page.locator("#open-warnings")).to_have_count(0)

    warning.refresh_from_db()
    article.refresh_from_db()
    assert warning.resolved
    assert clean(getattr(article, field)) == fixed
    assert field in article.edited_fields
    assert IngestWarning.objects.open().count() == open_before - 1
    assert not Article.objects.filter(pk=article.pk, warnings__resolved=False).exists()

    # The queue no longer counts it.
    page.goto(site + "/admin/review/")
    expect(heading).to_have_text(re.compile(rf"^\s*{queued_before - 1} articles? to review"))
    expect(page.locator(f"#review-queue a[href$='/article/{article.pk}/change/']")).to_have_count(0)
    kind_after = page.locator(f".warning-kinds a[data-kind='{warning.kind}'] + .count")
    if kind_before > 1:
        expect(kind_after).to_have_text(str(kind_before - 1))
    else:
        expect(kind_after).to_have_count(0)
    screenshot(page, "admin-review-after")


# ---------------------------------------------------------------- the site's own CSP

CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`
      + ` at ${event.sourceFile || ''}:${event.lineNumber}`
  );
});
"""


@pytest.fixture
def strict_page(browser):
    """A page that keeps the site's Content-Security-Policy and records every violation."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(15_000)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.console_messages_seen = []
    page.on("console", lambda message: page.console_messages_seen.append(message.text))
    yield page
    context.close()


def csp_violations(page) -> list[str]:
    seen = page.evaluate("() => window.__cspViolations || []")
    refused = [text for text in page.console_messages_seen if "Content Security Policy" in text]
    return seen + refused


def test_no_page_breaks_the_sites_own_content_security_policy(
    strict_page, site, monkeypatch, settings
):
    from catalogue.models import Article, Author, Issue

    article = Article.objects.order_by("pk").first()
    author = Author.objects.order_by("pk").first()
    issue = Issue.objects.order_by("pk").first()
    public = [
        "/",
        "/en/articles/",
        "/en/articles/?q=diplomacy&year=2025",
        f"/en/articles/{article.pk}/",
        f"/en/articles/{article.pk}/report/",
        "/en/authors/",
        "/en/authors/?q=Zhumatay",
        f"/en/authors/{author.pk}/",
        f"/en/issues/{issue.pk}/",
        f"/en/series/{issue.series_id}/",
        "/en/statistics/",
        "/en/articles/keywords/",
        "/en/archive/",
        f"/en/articles/?author={author.pk}",
    ]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setenv("CATALOGUE_EDITOR_PASSWORD", EDITOR_PASSWORD)
    call_command("createeditor", "csp-editor", stdout=StringIO())
    admin_pages = [
        "/admin/",
        "/admin/review/",
        "/admin/review/issues/",
        "/admin/catalogue/article/",
        f"/admin/catalogue/article/{article.pk}/change/",
        f"/admin/catalogue/article/{article.pk}/history/",
        "/admin/catalogue/author/",
        f"/admin/catalogue/author/{author.pk}/change/",
        f"/admin/catalogue/issue/{issue.pk}/change/",
        "/admin/catalogue/ingestwarning/",
        "/admin/catalogue/irstisubject/",
    ]
    found = {}
    for path in public:
        strict_page.goto(site + path)
        found[path] = csp_violations(strict_page)
    strict_page.goto(site + "/admin/login/")
    found["/admin/login/"] = csp_violations(strict_page)
    strict_page.get_by_label("Username").fill("csp-editor")
    strict_page.get_by_label("Password").fill(EDITOR_PASSWORD)
    strict_page.get_by_role("button", name="Log in").click()
    expect(strict_page.locator("#user-tools")).to_contain_text("csp-editor")
    for path in admin_pages:
        strict_page.console_messages_seen.clear()
        response = strict_page.goto(site + path)
        assert response.status == 200, path
        found[path] = csp_violations(strict_page)
    broken = {path: seen for path, seen in found.items() if seen}
    assert broken == {}


def test_on_a_phone_the_filters_open_from_one_control_at_the_top(browser, site):
    """At 390×844 the facets fold under a "Filters" control above the results; a wide
    screen shows them without it. No script: a details element, under the site's CSP."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    context.set_default_timeout(15_000)
    context.add_init_script(CSP_LISTENER)
    phone = context.new_page()
    phone.console_messages_seen = []
    phone.on("console", lambda message: phone.console_messages_seen.append(message.text))
    try:
        phone.goto(site + "/en/articles/")
        control = phone.locator("details.filters > summary")
        expect(control).to_be_visible()
        expect(control).to_have_text(re.compile(r"^\s*Filters"))
        first_facet = phone.locator("#facet-year li a").first
        expect(first_facet).to_be_hidden()
        control_box = control.bounding_box()
        results_box = phone.locator("h2.results-count").bounding_box()
        assert control_box["y"] < results_box["y"], (control_box, results_box)
        assert control_box["y"] < 844
        control.click()
        expect(first_facet).to_be_visible()
        screenshot(phone, "browse-phone-filters", full_page=False)
        assert csp_violations(phone) == []
    finally:
        context.close()

    wide = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB", bypass_csp=True
    )
    try:
        desk = wide.new_page()
        desk.goto(site + "/en/articles/")
        expect(desk.locator("details.filters > summary")).to_be_hidden()
        expect(desk.locator("#facet-year li a").first).to_be_visible()
    finally:
        wide.close()


def test_the_phone_layout_with_the_filters_open_is_accessible(browser, site):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="en-GB", bypass_csp=True
    )
    context.set_default_timeout(15_000)
    try:
        phone = context.new_page()
        phone.goto(site + "/en/articles/")
        assert_accessible(phone, "the browse page on a phone, filters closed")
        phone.locator("details.filters > summary").click()
        assert_accessible(phone, "the browse page on a phone, filters open")
    finally:
        context.close()


# ---------------------------------------------------------------- one search box


def search_articles(page, site, text: str) -> None:
    page.goto(site + "/articles/")
    page.get_by_label("Search titles, abstracts and keywords").fill(text)
    page.get_by_label("Search titles, abstracts and keywords").press("Enter")
    page.wait_for_load_state()


def test_a_doi_pasted_in_the_search_box_opens_the_article(page, site):
    from catalogue.models import Article

    article = Article.objects.get(doi__iexact="10.48371/ISMO.2025.62.4.001")
    search_articles(page, site, " https://doi.org/10.48371/ismo.2025.62.4.001 ")
    assert page.url == f"{site}/en/articles/{article.pk}/"
    expect(page.locator("h1")).to_contain_text(article.title[:20])


def test_an_authors_name_in_the_search_box_offers_the_author(page, site):
    search_articles(page, site, "Zhumatay")
    offered = page.locator("section.author-matches")
    expect(offered).to_contain_text("Authors matching “Zhumatay”")
    link = offered.locator("a", has_text="Zhumatay")
    expect(link.first).to_be_visible()
    screenshot(page, "browse-author-offered")
    assert_accessible(page, "the browse page offering an author")
    link.first.click()
    expect(page.locator("h1")).to_contain_text("Zhumatay")


def test_a_misspelt_word_offers_did_you_mean_and_results_show_highlighted_snippets(page, site):
    search_articles(page, site, "diplomasy")
    suggestion = page.locator("p.did-you-mean a")
    expect(suggestion).to_have_text("diplomacy")
    suggestion.click()
    page.wait_for_load_state()
    assert results_count(page) > 0
    marks = page.locator("p.snippet mark")
    expect(marks.first).to_be_visible()
    assert all("diploma" in text.lower() for text in marks.all_inner_texts())
    screenshot(page, "browse-snippets")
    assert_accessible(page, "the browse page with snippets")


# ---------------------------------------------------------------- discovery pages


def test_the_archive_lists_every_issue_and_opens_one(page, site):
    from catalogue.models import Issue

    page.goto(site + "/")
    page.locator("nav.site-nav").get_by_role("link", name="Archive").click()
    expect(page).to_have_title("Archive of issues · Journal catalogue")
    links = page.locator(".archive-issues a")
    expect(links).to_have_count(Issue.objects.count())
    screenshot(page, "archive")
    assert_accessible(page, "the archive")
    issue = Issue.objects.filter(whole_number="62").first()
    page.get_by_role("link", name=issue.designation).click()
    expect(page.locator("h1")).to_contain_text(issue.designation)


def test_the_a_to_z_author_index_pages_through_a_letter(page, site, monkeypatch):
    from catalogue import authors
    from catalogue.models import Author

    monkeypatch.setattr(authors, "INDEX_PAGE_SIZE", 3)
    page.goto(site + "/authors/")
    letters = page.locator("nav.letters")
    expect(letters).to_contain_text("Latin:")
    screenshot(page, "authors-a-to-z")
    assert_accessible(page, "the A–Z author index")
    initials = Counter(
        name[:1].upper() for name in Author.objects.values_list("display_name", flat=True)
    )
    letter = next(initial for initial, n in sorted(initials.items()) if n > 3)
    if letters.locator("strong").inner_text() != letter:  # the first letter is shown already
        letters.get_by_role("link", name=letter, exact=True).click()
    first_page = page.locator("ul.author-index a").all_inner_texts()
    assert len(first_page) == 3 and all(name.upper().startswith(letter) for name in first_page)
    page.get_by_role("link", name=re.compile("next")).click()
    second_page = page.locator("ul.author-index a").all_inner_texts()
    assert second_page and not set(second_page) & set(first_page)
    assert all(name.upper().startswith(letter) for name in second_page)


def test_the_author_facet_narrows_the_results_to_one_person(page, site):
    page.goto(site + "/articles/")
    facet = page.locator("#facet-author")
    expect(facet).to_be_visible()
    first = facet.locator("li").first  # the most prolific person comes first
    name = " ".join(first.locator("a").text_content().replace("☐", "").split())
    count = int(first.locator(".count").text_content())
    facet.locator("a", has_text=name).first.click()
    page.wait_for_load_state()
    assert results_count(page) == count
    expect(page.locator(".chips")).to_contain_text(name)
    assert_accessible(page, "the browse page with an author chosen")


def test_a_mistyped_address_shows_the_sites_own_translated_404(browser, site):
    context = browser.new_context(locale="ru-RU", bypass_csp=True)
    try:
        page = context.new_page()
        response = page.goto(site + "/no-such-page/")
        assert response.status == 404
        expect(page.locator("h1")).to_have_text("Страница не найдена")
        expect(page).to_have_title("Страница не найдена · Каталог журналов")
        expect(page.locator("nav.site-nav")).to_contain_text("Архив")
        assert_accessible(page, "the 404 page")
    finally:
        context.close()
