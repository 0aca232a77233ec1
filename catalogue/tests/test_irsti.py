"""IRSTI subject names: the codes on the browse page and the article page read as names
where the catalogue knows them, else with the nearest named heading above them."""

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from catalogue.models import IrstiSubject

from .factories import make_article, page_url

pytestmark = pytest.mark.django_db

BROWSE = reverse("catalogue:article_list")


@pytest.fixture
def politics():
    IrstiSubject.objects.create(
        code="11",
        name_en="Politics and political sciences",
        name_ru="Политика и политические науки",
        name_kk="Саясат және саяси ғылымдар",
    )
    IrstiSubject.objects.create(code="11.25", name_en="International relations")


def test_a_named_code_reads_as_its_name_in_the_visitors_language(politics):
    assert IrstiSubject.labels(["11"], "ru") == {"11": "11 Политика и политические науки"}
    # A name missing in that language falls back to another.
    assert IrstiSubject.labels(["11.25"], "kk") == {"11.25": "11.25 International relations"}


def test_an_unnamed_code_shows_its_nearest_named_parent(politics):
    labels = IrstiSubject.labels(["11.25.91", "11.27"], "en")
    assert labels == {
        "11.25.91": "11.25.91, in: International relations",
        "11.27": "11.27, in: Politics and political sciences",
    }


def test_a_code_with_nothing_known_above_it_stays_bare(politics):
    assert IrstiSubject.labels(["03.20"], "en") == {"03.20": "03.20"}


def test_the_browse_facet_and_the_article_page_show_the_names(client, politics):
    article = make_article(irsti=["11.25.91"])
    html = client.get(page_url("catalogue:article_list", language="ru")).content.decode()
    assert "11 Политика и политические науки" in html
    html = client.get(BROWSE, {"irsti": "11"}).content.decode()
    assert "11.25 International relations" in html  # the chosen code opens its children
    page = client.get(reverse("catalogue:article_detail", args=[article.pk])).content.decode()
    assert '?irsti=11.25.91">11.25.91, in: International relations</a>' in page


def test_the_database_refuses_a_malformed_code():
    with pytest.raises(IntegrityError), transaction.atomic():
        IrstiSubject.objects.create(code="11.2", name_en="Not a code")


def test_names_load_from_a_csv_file(tmp_path, politics):
    path = tmp_path / "irsti.csv"
    path.write_text(
        "code,name_en,name_kk,name_ru\n"
        "11.25,,Халықаралық қатынастар,Международные отношения\n"
        "03,History. Historical sciences,,\n",
        encoding="utf-8",
    )
    call_command("irsti", str(path), verbosity=0)
    relations = IrstiSubject.objects.get(code="11.25")
    assert relations.name_en == "International relations"  # an empty cell keeps the name
    assert relations.name_ru == "Международные отношения"
    assert IrstiSubject.objects.get(code="03").name_en == "History. Historical sciences"


def test_a_bad_row_refuses_the_whole_file(tmp_path):
    path = tmp_path / "irsti.csv"
    path.write_text("code,name_en,name_kk,name_ru\n11,Politics,,\n11.2,Broken,,\n", "utf-8")
    with pytest.raises(CommandError, match="line 3: “11.2” is not an IRSTI code"):
        call_command("irsti", str(path), verbosity=0)
    assert not IrstiSubject.objects.exists()
    path.write_text("code;name\n11;Politics\n", "utf-8")
    with pytest.raises(CommandError, match="the header must be"):
        call_command("irsti", str(path), verbosity=0)


def test_editors_name_subjects_in_the_admin(editor_client):
    url = reverse("admin:catalogue_irstisubject_add")
    response = editor_client.post(url, {"code": "11", "name_en": "Politics"})
    assert response.status_code == 302
    assert IrstiSubject.objects.get(code="11").name_en == "Politics"
