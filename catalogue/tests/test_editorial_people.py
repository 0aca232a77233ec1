"""Merging and splitting authors, merging organisations, likely duplicates."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from catalogue.models import Author, AuthorshipAffiliation, NameVariant, Organisation

from .factories import (
    add_author,
    add_name_variant,
    make_article,
    make_author,
    make_organisation,
)

pytestmark = pytest.mark.django_db


def merge_through_admin(client, model_name, records, keep):
    changelist = reverse(f"admin:catalogue_{model_name}_changelist")
    response = client.post(
        changelist,
        {
            "action": f"merge_{model_name}s",
            "_selected_action": [r.pk for r in records],
        },
    )
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    return client.post(
        reverse(f"admin:catalogue_{model_name}_merge"),
        {
            "ids": ",".join(str(r.pk) for r in records),
            "keep": keep.pk,
            "versions": preview.context["versions"],
        },
    ), preview


def test_merge_moves_authorships_and_name_variants_to_the_kept_author(editor_client):
    keep = make_author("Zhumatay G.", orcid="0000-0002-1825-0097")
    other = make_author("Жұматай Ғ.Б.", language="kk", email="g@example.org")
    add_name_variant(other, "Zhumatay G.")  # same form as keep's: merged, not duplicated
    first, second = make_article(), make_article()
    add_author(first, keep, name_en="Zhumatay G.")
    add_author(second, other, name_kk="Жұматай Ғ.Б.")
    response, preview = merge_through_admin(editor_client, "author", [keep, other], keep)
    content = preview.content.decode()
    assert "0000-0002-1825-0097" in content and "g@example.org" in content
    assert str(second) in content
    assert response.status_code == 302
    assert list(Author.objects.all()) == [keep]
    keep.refresh_from_db()
    assert keep.email == "g@example.org"
    assert set(keep.authorships.values_list("article_id", flat=True)) == {first.pk, second.pk}
    assert sorted(keep.name_variants.values_list("name", flat=True)) == [
        "Zhumatay G.",
        "Жұматай Ғ.Б.",
    ]
    entry = LogEntry.objects.filter(object_id=str(keep.pk)).latest("action_time")
    assert f"#{other.pk}" in entry.change_message and "Merged" in entry.change_message


def test_a_merge_from_a_preview_older_than_a_record_merges_nothing(editor_client):
    keep = make_author("Zhumatay G.")
    other = make_author("Жұматай Ғ.Б.", language="kk")
    url = reverse("admin:catalogue_author_merge")
    preview = editor_client.get(url, {"ids": f"{keep.pk},{other.pk}"})
    Author.objects.filter(pk=other.pk).update(orcid="0000-0002-1825-0097")  # someone else
    data = {"ids": f"{keep.pk},{other.pk}", "keep": keep.pk}
    refused = editor_client.post(url, {**data, "versions": preview.context["versions"]})
    assert refused.status_code == 200
    assert "nothing was merged" in refused.content.decode()
    assert Author.objects.count() == 2
    # The page now shows the records as they are: merging from it goes through.
    done = editor_client.post(url, {**data, "versions": refused.context["versions"]})
    assert done.status_code == 302 and list(Author.objects.all()) == [keep]
    keep.refresh_from_db()
    assert keep.orcid == "0000-0002-1825-0097"


def test_merge_refuses_authors_with_different_orcids(editor_client):
    one = make_author("Smith J.", orcid="0000-0002-1825-0097")
    two = make_author("Smith J.", orcid="0000-0001-5109-3700")
    add_author(make_article(), one)
    add_author(make_article(), two)
    response, preview = merge_through_admin(editor_client, "author", [one, two], one)
    assert "different ORCIDs" in preview.content.decode()
    assert response.status_code == 200
    assert "different ORCIDs" in response.content.decode()
    assert Author.objects.count() == 2


def test_merge_refuses_coauthors_of_one_article(editor_client):
    article = make_article()
    one, two = make_author("Akhmetova A."), make_author("Akhmetova A.B.")
    add_author(article, one)
    add_author(article, two)
    response, _ = merge_through_admin(editor_client, "author", [one, two], one)
    assert "same article" in response.content.decode()
    assert Author.objects.count() == 2


def test_split_undoes_a_wrong_merge(editor_client):
    keep = make_author("Akhmetova A.")
    other = make_author("Akhmetova K.")
    mine, theirs = make_article(), make_article()
    add_author(mine, keep, name_en="Akhmetova A.")
    wrong = add_author(theirs, other, name_en="Akhmetova K.", email="k@example.org")
    merge_through_admin(editor_client, "author", [keep, other], keep)
    assert Author.objects.count() == 1

    page = editor_client.get(reverse("admin:catalogue_author_change", args=[keep.pk]))
    split_url = reverse("admin:catalogue_author_split", args=[keep.pk, wrong.pk])
    assert split_url in page.content.decode()
    response = editor_client.post(split_url, {"target": ""})
    assert response.status_code == 302
    new = Author.objects.exclude(pk=keep.pk).get()
    assert new.display_name == "Akhmetova K." and new.email == "k@example.org"
    assert list(new.authorships.values_list("article_id", flat=True)) == [theirs.pk]
    assert list(keep.authorships.values_list("article_id", flat=True)) == [mine.pk]
    assert list(keep.name_variants.values_list("name", flat=True)) == ["Akhmetova A."]
    assert list(new.name_variants.values_list("name", flat=True)) == ["Akhmetova K."]


def test_split_to_an_existing_author(editor_client):
    wrong, right = make_author("Ivanov I."), make_author("Ivanov I.I.")
    authorship = add_author(make_article(), wrong, name_en="Ivanov I.I.")
    url = reverse("admin:catalogue_author_split", args=[wrong.pk, authorship.pk])
    assert editor_client.post(url, {"target": right.pk}).status_code == 302
    authorship.refresh_from_db()
    assert authorship.author == right


def test_organisations_merge_with_their_affiliations(editor_client):
    keep = make_organisation("Narxoz University")
    other = make_organisation("Narxoz Univ.", city="", country="")
    other.name_ru = "Университет Нархоз"
    other.save()
    author = make_author()
    add_author(make_article(), author, affiliations=[keep])
    both = add_author(make_article(), make_author("Other O."), affiliations=[keep, other])
    add_author(make_article(), make_author("Third T."), affiliations=[other])
    response, _ = merge_through_admin(editor_client, "organisation", [keep, other], keep)
    assert response.status_code == 302
    assert list(Organisation.objects.all()) == [keep]
    keep.refresh_from_db()
    assert keep.name_ru == "Университет Нархоз"
    assert AuthorshipAffiliation.objects.filter(organisation=keep).count() == 3
    assert both.affiliation_links.count() == 1


def test_duplicates_page_suggests_the_same_name_across_scripts(
    editor_client, django_assert_max_num_queries
):
    latin = make_author("Zhumatay G.")
    cyrillic = make_author("Жұматай Ғ.Б.", language="kk")
    make_author("Zhumatay A.")  # other initial: another person
    for surname in ("Abenov", "Bekova", "Dauletov", "Ermekova", "Mukanov", "Nurlanova"):
        make_author(f"{surname} P.")
    with django_assert_max_num_queries(12):
        response = editor_client.get(reverse("admin:catalogue_author_duplicates"))
    pairs = [{a.pk for a in s.authors} for s in response.context["suggestions"]]
    assert pairs == [{latin.pk, cyrillic.pk}]
    assert reverse("admin:catalogue_author_merge") in response.content.decode()


def test_similar_names_sharing_a_coauthor_are_suggested(editor_client):
    one, two = make_author("Abdrakhmanov K."), make_author("Abdrakhmanova K.")
    coauthor = make_author("Nurov N.")
    first, second = make_article(), make_article()
    add_author(first, one), add_author(first, coauthor)
    add_author(second, two), add_author(second, coauthor)
    response = editor_client.get(reverse("admin:catalogue_author_duplicates"))
    [suggestion] = response.context["suggestions"]
    assert {a.pk for a in suggestion.authors} == {one.pk, two.pk}
    assert suggestion.reason == "very similar names"
    assert "Nurov N." in " ".join(suggestion.details)


def test_merge_preview_runs_a_bounded_number_of_queries(
    editor_client, django_assert_max_num_queries
):
    authors = [make_author("Zhumatay G.") for _ in range(3)]
    for n, author in enumerate(authors):
        for i in range(5):
            add_author(make_article(), author, affiliations=[make_organisation(f"Org {n}.{i}")])
    url = reverse("admin:catalogue_author_merge") + "?ids=" + ",".join(str(a.pk) for a in authors)
    with django_assert_max_num_queries(20):
        response = editor_client.get(url)
    assert response.status_code == 200
    assert NameVariant.objects.count() == 3


def test_a_merged_authors_address_redirects_for_good_to_the_person_kept(client, editor_client):
    keep = make_author("Zhumatay G.")
    first, second = make_author("Жұматай Ғ."), make_author("Zhumatay G.B.")
    for author in (keep, first, second):
        add_author(make_article(), author)
    merge_through_admin(editor_client, "author", [keep, first], keep)
    kept_url = reverse("catalogue:author_detail", args=[keep.pk])
    response = client.get(reverse("catalogue:author_detail", args=[first.pk]), {"page": "2"})
    assert response.status_code == 301 and response["Location"] == kept_url + "?page=2"
    # Merged again into another record: both old addresses lead to the last one.
    merge_through_admin(editor_client, "author", [keep, second], second)
    for old in (first, keep):
        response = client.get(reverse("catalogue:author_detail", args=[old.pk]))
        assert response.status_code == 301
        assert response["Location"] == reverse("catalogue:author_detail", args=[second.pk])
    assert client.get(reverse("catalogue:author_detail", args=[99999])).status_code == 404


@pytest.mark.parametrize("richer", ["articles", "orcid", "variants"])
def test_the_merge_preview_offers_the_richer_record_to_keep(editor_client, richer):
    older, newer = make_author("Zhumatay G."), make_author("Жұматай Ғ.Б.", language="kk")
    add_author(make_article(), older)
    add_author(make_article(), newer)
    if richer == "articles":
        add_author(make_article(), newer)
        add_name_variant(older, "Zhumatay Gulnar")
    elif richer == "orcid":
        newer.orcid = "0000-0002-1825-0097"
        newer.save()
        add_name_variant(older, "Zhumatay Gulnar")
    else:
        add_name_variant(newer, "Zhumatay Gulnar")
    url = reverse("admin:catalogue_author_merge")
    preview = editor_client.get(url, {"ids": f"{older.pk},{newer.pk}"})
    assert preview.context["suggested_keep"] == newer.pk
    assert f'value="{newer.pk}" id="keep-{newer.pk}" checked' in preview.content.decode()
