"""The review queue, warnings on the article page, and the issue overview."""

import pytest
from django.urls import reverse

from catalogue.models import Article, IngestWarning

from .factories import add_keyword, make_article, make_issue

pytestmark = pytest.mark.django_db

Kind = IngestWarning.Kind


def warn(article, kind, field="", language="", message="check this"):
    return IngestWarning.objects.create(
        article=article, kind=kind, field=field, language=language, message=message
    )


def change_form_data(client, article):
    """The article's change form as the browser would post it back, unchanged."""
    response = client.get(reverse("admin:catalogue_article_change", args=[article.pk]))
    form = response.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data.update({"issue": article.issue_id, "udc": "", "irsti": ""})
    if article.section_id:
        data["section"] = article.section_id
    for formset in response.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        forms = formset.formset.forms
        data[f"{prefix}-TOTAL_FORMS"] = len(forms)
        data[f"{prefix}-INITIAL_FORMS"] = len(forms)
        for i, inline_form in enumerate(forms):
            for name, value in inline_form.initial.items():
                if value is not None and not isinstance(value, list):
                    data[f"{prefix}-{i}-{name}"] = value
            data[f"{prefix}-{i}-id"] = inline_form.instance.pk
            data[f"{prefix}-{i}-article"] = article.pk
            if inline_form.initial.get("resolved") is False:
                data.pop(f"{prefix}-{i}-resolved", None)
    return data


def post_article(client, article, **changes):
    data = change_form_data(client, article)
    data.update(changes)
    url = reverse("admin:catalogue_article_change", args=[article.pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def test_queue_lists_articles_with_open_warnings_and_counts_per_kind(editor_client):
    issue = make_issue()
    missing = make_article(issue, position=1, title_en="Missing abstract")
    inferred = make_article(issue, position=2, title_en="Inferred DOI", doi="10.1/x.1")
    make_article(issue, position=3, title_en="Clean article")
    warn(missing, Kind.MISSING_FIELD, "abstract", "kk")
    warn(inferred, Kind.INFERRED_DOI, "doi")
    response = editor_client.get(reverse("admin:review_queue"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Missing abstract" in content and "Inferred DOI" in content
    assert "Clean article" not in content
    counts = {row["kind"]: row["count"] for row in response.context["kind_counts"]}
    assert counts[Kind.MISSING_FIELD] == 1 and counts[Kind.INFERRED_DOI] == 1
    assert counts[Kind.TOC_MISMATCH] == 0

    response = editor_client.get(reverse("admin:review_queue"), {"kind": Kind.INFERRED_DOI})
    assert [a.pk for a in response.context["page"]] == [inferred.pk]


def test_queue_filters_by_issue(editor_client):
    first, second = make_issue(), make_issue()
    warn(make_article(first, title_en="In the first"), Kind.UNCERTAIN)
    warn(make_article(second, title_en="In the second"), Kind.UNCERTAIN)
    response = editor_client.get(reverse("admin:review_queue"), {"issue": second.pk})
    assert [a.title_en for a in response.context["page"]] == ["In the second"]


def test_warning_shows_beside_its_field_on_the_change_page(editor_client):
    article = make_article()
    warn(article, Kind.MISSING_FIELD, "abstract", "kk", message="no Kazakh abstract found")
    response = editor_client.get(reverse("admin:catalogue_article_change", args=[article.pk]))
    form = response.context["adminform"].form
    assert "no Kazakh abstract found" in form.fields["abstract_kk"].help_text
    assert "no Kazakh abstract found" not in form.fields["abstract_en"].help_text
    assert 'id="open-warnings"' in response.content.decode()


def test_filling_the_missing_field_clears_the_queue(editor_client):
    article = make_article()
    warn(article, Kind.MISSING_FIELD, "abstract", "kk")
    post_article(editor_client, article, abstract_kk="Мақаланың аңдатпасы.")
    assert not IngestWarning.objects.open().exists()
    response = editor_client.get(reverse("admin:review_queue"))
    assert response.context["page"].paginator.count == 0
    article.refresh_from_db()
    assert article.edited_fields == ["abstract_kk"]


def test_confirming_an_inferred_doi_resolves_its_warning(editor_client):
    article = make_article(doi="10.48371/ISMO.2025.62.4.005", doi_inferred=True)
    warn(article, Kind.INFERRED_DOI, "doi")
    post_article(editor_client, article, _confirm_doi="Confirm this DOI")
    article.refresh_from_db()
    assert article.doi_inferred is False
    assert not article.warnings.open().exists()


def test_marking_one_warning_resolved_keeps_the_others_open(editor_client):
    article = make_article()
    done = warn(article, Kind.UNATTACHED_BLOCK, message="a block was left over")
    other = warn(article, Kind.TOC_MISMATCH, "pages", message="TOC 5, article 6")
    post_article(editor_client, article, _resolve_warning=str(done.pk))
    done.refresh_from_db(), other.refresh_from_db()
    assert done.resolved and not other.resolved


def test_issue_overview_counts_complete_languages_and_open_warnings(editor_client):
    issue = make_issue()
    complete = make_article(issue, position=1, abstract_en="An abstract.")
    add_keyword(complete, "diplomacy")
    incomplete = make_article(issue, position=2, abstract_en="Another abstract.")
    warn(incomplete, Kind.MISSING_FIELD, "keywords", "en")
    response = editor_client.get(reverse("admin:issue_overview"))
    [row] = [row for row in response.context["rows"] if row["issue"] == issue]
    assert row["articles"] == 2
    assert {c["language"]: c["count"] for c in row["complete"]} == {"en": 1, "kk": 0, "ru": 0}
    assert row["open_warnings"] == 1


@pytest.mark.parametrize("name", ["admin:review_queue", "admin:issue_overview"])
def test_review_pages_run_a_fixed_number_of_queries(
    editor_client, name, django_assert_max_num_queries
):
    for _ in range(3):
        issue = make_issue()
        for i in range(10):
            article = make_article(issue, position=i + 1)
            warn(article, Kind.MISSING_FIELD, "abstract", "ru")
            warn(article, Kind.INFERRED_DOI, "doi")
    with django_assert_max_num_queries(10):
        response = editor_client.get(reverse(name))
    assert response.status_code == 200


def test_article_change_page_runs_a_bounded_number_of_queries(
    editor_client, django_assert_max_num_queries
):
    article = make_article()
    for i in range(10):
        warn(article, Kind.UNCERTAIN, message=f"doubt {i}")
    with django_assert_max_num_queries(40):
        response = editor_client.get(reverse("admin:catalogue_article_change", args=[article.pk]))
    assert response.status_code == 200
    assert Article.objects.count() == 1


def test_mark_resolved_returns_to_the_review_queue_as_it_was(editor_client):
    issue = make_issue()
    article = make_article(issue)
    done = warn(article, Kind.UNATTACHED_BLOCK, message="a block was left over")
    warn(article, Kind.TOC_MISMATCH, "pages", message="TOC 5, article 6")
    queue = editor_client.get(
        reverse("admin:review_queue"), {"issue": issue.pk, "kind": Kind.UNATTACHED_BLOCK}
    )
    html = queue.content.decode()
    change = reverse("admin:catalogue_article_change", args=[article.pk])
    link = html[html.index(f'href="{change}?') + 6 :].split('"', 1)[0].replace("&amp;", "&")
    data = {**change_form_data(editor_client, article), "_resolve_warning": str(done.pk)}
    response = editor_client.post(link, data)
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("admin:review_queue") + f"?issue={issue.pk}&kind={Kind.UNATTACHED_BLOCK}"
    )
    done.refresh_from_db()
    assert done.resolved
    # Opened from anywhere else, the button still leads to the queue; a plain save does not.
    response = post_article(editor_client, article, _resolve_all="1")
    assert response["Location"] == reverse("admin:review_queue")
    response = post_article(editor_client, article)
    assert response["Location"] == reverse("admin:catalogue_article_changelist")


def test_article_change_form_adds_no_inline_style(editor_client):
    """The production CSP (style-src 'self') would block inline styles in the admin too."""
    article = make_article()
    warn(article, Kind.UNATTACHED_BLOCK, message="a block was left over")
    response = editor_client.get(reverse("admin:catalogue_article_change", args=[article.pk]))
    html = response.content.decode()
    assert "catalogue/admin.css" in html and 'class="offscreen-default"' in html
    assert "<style" not in html and ' style="position' not in html
