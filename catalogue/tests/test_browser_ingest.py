"""An editor adds an issue from the admin in a real browser: upload, preview, confirm.

Debian's Chromium through Playwright, as in test_browser (its browser and page
fixtures are used here), with the site's own Content-Security-Policy kept: the
upload, preview and confirmation pages must work without inline script or style.
The live server starts from an empty catalogue. The form and the preview are also
checked with axe-core, in a page that lets its script in.
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from . import test_browser as shared
from .test_browser import (
    EDITOR_PASSWORD,
    _group_snapshot,
    _rerun_catalogue_data_migrations,
    _restore_groups,
    assert_accessible,
    csp_violations,
    results_count,
    screenshot,
)

# The browser and a page that keeps the site's CSP, as test_browser starts them.
browser = shared.browser
strict_page = shared.strict_page
page = shared.page  # lets axe-core in (bypasses the CSP)

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = pytest.mark.browser

ISSUE_004 = "004_5cc4925e9724fd50.txt"


@pytest.fixture
def empty_site(live_server, django_db_blocker, settings, monkeypatch):
    """The live server with no catalogue yet and an editor, alice, to log in as.

    The live server's flush after the test removes the groups the migrations made;
    they are put back, so that a database kept with --reuse-db stays as migrated."""
    groups = _group_snapshot()
    if not groups:
        _rerun_catalogue_data_migrations()
        groups = _group_snapshot()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setenv("CATALOGUE_EDITOR_PASSWORD", EDITOR_PASSWORD)
    call_command("createeditor", "alice", stdout=StringIO())
    yield live_server.url
    with django_db_blocker.unblock():
        _restore_groups(groups)


def log_in(page, site):
    page.goto(site + "/admin/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_contain_text("alice")


def preview(page, site, path):
    page.goto(site + "/admin/")
    page.get_by_role("link", name="Add documents").click()
    page.locator("input[name=files]").set_input_files(str(path))
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("h1")).to_contain_text("Preview")


def test_an_editor_uploads_an_issue_previews_it_confirms_and_finds_it_public(
    strict_page, empty_site, seeds
):
    from catalogue.models import Article

    page, site = strict_page, empty_site
    log_in(page, site)

    # The first upload: twenty articles to create, with the warnings for the review queue.
    preview(page, site, seeds / ISSUE_004)
    expect(page.locator(".to-create")).to_have_text("20 articles to create")
    expect(page.locator("tr.article-outcome[data-status=created]")).to_have_count(20)
    assert page.locator(".article-warnings li.warning").count() > 0
    screenshot(page, "admin-add-documents-preview")
    assert not Article.objects.exists()
    page.get_by_role("button", name=re.compile("^Confirm")).click()
    expect(page.locator("h1")).to_have_text("Documents added")
    expect(page.locator(".added-articles li")).to_have_count(20)
    screenshot(page, "admin-documents-added")

    # They are on the public site.
    first = page.locator(".added-articles li a").first
    title = first.inner_text()
    first.click()
    expect(page.locator("h1")).to_contain_text(title.strip()[:40])
    page.goto(site + "/articles/")
    assert results_count(page) == 20

    # The same file again: nothing would change; cancel writes nothing.
    preview(page, site, seeds / ISSUE_004)
    expect(page.locator(".nothing-changes")).to_have_text("Nothing would change")
    expect(page.locator("tr.article-outcome[data-status=unchanged]")).to_have_count(20)
    page.get_by_role("button", name=re.compile("^Cancel")).click()
    expect(page.locator("ul.messagelist")).to_contain_text("Cancelled: nothing was written.")

    # An editor corrects a title; the next upload keeps it and says so.
    article = Article.objects.exclude(title_en="").order_by("position").first()
    page.goto(site + f"/admin/catalogue/article/{article.pk}/change/")
    page.locator("#id_title_en").fill("A title corrected by an editor")
    page.locator("input[name=_continue]").click()
    expect(page.locator("ul.messagelist")).to_contain_text("was changed successfully")
    preview(page, site, seeds / ISSUE_004)
    kept = page.locator(f"tr.article-outcome:has(a[href$='/article/{article.pk}/change/'])")
    expect(kept.locator(".kept-field[data-field=title_en]")).to_be_visible()
    screenshot(page, "admin-add-documents-kept")
    page.get_by_role("button", name=re.compile("^Confirm")).click()
    expect(page.locator("h1")).to_have_text("Documents added")
    article.refresh_from_db()
    assert article.title_en == "A title corrected by an editor"

    # The article's admin page offers the document it came from.
    page.goto(site + f"/admin/catalogue/article/{article.pk}/change/")
    with page.expect_download() as download:
        page.locator("a.download-upload").first.click()
    assert download.value.suggested_filename == ISSUE_004
    assert csp_violations(page) == []


def test_a_pdf_shows_its_pages_being_read_then_its_preview(
    strict_page, empty_site, seeds, tmp_path
):
    from .pdfmaker import LAYOUTS, make_pdf

    page, site = strict_page, empty_site
    pdf = tmp_path / "article-003.pdf"
    pages = make_pdf(
        (seeds / "003_fdd0b68bd806740f.txt").read_text(encoding="utf-8"),
        pdf,
        LAYOUTS["a4-two-columns"],
    )
    log_in(page, site)
    preview(page, site, pdf)
    reading = page.locator(".reading .reading-page")
    expect(reading).to_have_count(pages + 1)
    expect(reading.last).to_be_visible()  # only the latest line shows
    expect(reading.first).to_be_hidden()
    expect(page.locator(".to-create")).to_have_text("1 article to create")
    screenshot(page, "admin-add-documents-pdf")
    page.get_by_role("button", name=re.compile("^Confirm")).click()
    expect(page.locator(".added-articles li")).to_have_count(1)
    assert csp_violations(page) == []


def test_the_upload_form_and_the_preview_are_accessible(page, empty_site, seeds):
    """axe-core finds no serious or critical violation (the page fixture lets it in)."""
    site = empty_site
    log_in(page, site)
    page.goto(site + "/admin/documents/add/")
    assert_accessible(page, "the upload form")
    page.locator("input[name=files]").set_input_files(str(seeds / "003_fdd0b68bd806740f.txt"))
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".to-create")).to_have_text("1 article to create")
    assert_accessible(page, "the preview")
