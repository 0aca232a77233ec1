"""Keys derived from names are the model's to compute, whoever writes the row.

An editor's form in the admin, the careful ingest path, the COPY path and the
synthetic generator all end with the same keys for the same names.
"""

import pytest
from django.urls import reverse

from catalogue.ingest.bulk import BulkLoader
from catalogue.ingest.loader import store_documents
from catalogue.ingest.report import SourceInfo
from catalogue.models import Author, NameVariant, Organisation, Section
from catalogue.parsing.records import (
    ArticleRecord,
    AuthorRecord,
    DocumentRecord,
    IssueRecord,
    JournalRecord,
)

from .factories import make_author, make_journal

pytestmark = pytest.mark.django_db

NEW_NAME = "Смагулова А.К."


def change_form_data(response) -> dict:
    """What the admin change form would post back unchanged, its inlines included."""
    form = response.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management.initial.get(name, "")
        for subform in formset.initial_forms:
            for name, field in subform.fields.items():
                value = subform.initial.get(name, field.initial)
                if hasattr(value, "pk"):
                    value = value.pk
                if value is not None:
                    data[subform.add_prefix(name)] = value
    return data


def test_a_name_added_in_the_admin_inline_is_found_by_the_author_search(editor_client):
    author = make_author("Akhmetova A.K.")  # known so far by another surname only
    assert (
        editor_client.get(reverse("catalogue:author_list"), {"q": "Смагулова"}).context["results"]
        == []
    )
    url = reverse("admin:catalogue_author_change", args=[author.pk])
    data = change_form_data(editor_client.get(url))
    prefix = "name_variants"
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": index + 1,
            f"{prefix}-{index}-author": author.pk,
            f"{prefix}-{index}-name": NEW_NAME,
            f"{prefix}-{index}-language": "ru",
            f"{prefix}-{index}-kind": NameVariant.Kind.BYLINE,
        }
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    variant = author.name_variants.get(name=NEW_NAME)
    assert variant.search_key == NameVariant.search_key_for(NEW_NAME) == "smagulova a k"

    page = editor_client.get(reverse("catalogue:author_list"), {"q": "Смагулова"})
    found = page.context["results"]
    assert found and found[0]["author_id"] == author.pk
    assert found[0]["matched"] == NEW_NAME
    api = editor_client.get(reverse("api:author_list"), {"q": "Смагулова"}).json()
    assert api["count"] == 1 and api["results"][0]["matched"] == NEW_NAME


def test_renaming_a_form_moves_its_key():
    variant = make_author("Smagulova A.").name_variants.get()
    variant.name = NEW_NAME
    variant.save(update_fields=["name"])
    variant.refresh_from_db()
    assert variant.search_key == "smagulova a k"


# Long enough that the transliterated key is longer than the column: both paths cut it alike.
LONG_FULL_NAME = ("Щербаковская-Чжэньщиковская " * 12).strip()[:300]
NAMES = {"ru": NEW_NAME, "en": "Smagulova A.K.", "kk": "Смағұлова Ә.Қ."}
FULL_NAMES = {"ru": LONG_FULL_NAME, "en": "Smagulova Aigul"}


def document(doi: str, number: str, catalogue_id: int | None = None) -> DocumentRecord:
    author = AuthorRecord(
        position=1, names=dict(NAMES), full_names=dict(FULL_NAMES), catalogue_id=catalogue_id
    )
    return DocumentRecord(
        kind="issue",
        journal=JournalRecord(title={"en": "Test Journal"}),
        issue=IssueRecord(year=2024, number=number),
        articles=[ArticleRecord(title={"en": f"Article {number}"}, doi=doi, authors=[author])],
    )


def test_the_bulk_and_the_careful_path_give_one_name_the_same_keys(monkeypatch):
    store_documents([document("10.1234/careful", "1")], SourceInfo(file_name="careful.txt"))
    careful = Author.objects.get()

    loads = []
    load = BulkLoader.load
    monkeypatch.setattr(BulkLoader, "load", lambda self, docs: loads.append(1) or load(self, docs))
    store_documents(
        [document("10.1234/bulk", "2", catalogue_id=careful.pk + 1000)],
        SourceInfo(file_name="export.json"),
        export=True,
    )
    assert loads == [1]  # the export took the COPY path
    bulk = Author.objects.get(pk=careful.pk + 1000)

    def keys(author):
        return dict(author.name_variants.values_list("name", "search_key"))

    assert len(NameVariant.search_key_for(LONG_FULL_NAME)) == 300
    assert keys(careful) == keys(bulk)
    assert keys(bulk) == {
        name: NameVariant.search_key_for(name) for name in [*NAMES.values(), *FULL_NAMES.values()]
    }
    assert careful.match_key == bulk.match_key == Author.match_key_for(NAMES["en"])


def test_organisations_sections_and_authors_made_by_hand_get_their_keys():
    organisation = Organisation.objects.create(name_en="L.N. Gumilyov Eurasian National University")
    assert organisation.key == "l n gumilyov eurasian national university"
    assert organisation.key == Organisation.key_for(organisation.name_en)
    organisation.name_en = "Gumilyov University"
    organisation.save()
    assert organisation.key == "l n gumilyov eurasian national university"  # identity kept
    section = Section.objects.create(journal=make_journal(), name_ru="Мировая политика")
    assert section.key == "мировая политика" == Section.key_for("Мировая  политика.")
    author = Author.objects.create(display_name="Смагулова Айгуль")
    assert author.match_key == Author.match_key_for("Smagulova A.")
