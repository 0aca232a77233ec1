"""Licence and access rights: the journal's by default, an article's own when it has one;
shown on the article page and editable in the admin."""

import pytest
from django.urls import reverse

from catalogue.models import AccessRight, Article, Licence

from .factories import make_article, make_full_article

pytestmark = pytest.mark.django_db


def test_an_article_takes_its_journals_rights_unless_it_has_its_own():
    article = make_full_article()
    assert (article.licence, article.access) == ("", "")
    journal = article.issue.series.journal
    journal.licence_url = Licence.CC_BY_NC_ND
    journal.access_right = AccessRight.OPEN
    journal.save()
    article = Article.objects.with_details().get(pk=article.pk)
    assert article.licence == "https://creativecommons.org/licenses/by-nc-nd/4.0/"
    assert article.access == "http://purl.org/coar/access_right/c_abf2"
    article.licence_url = Licence.CC0
    article.save()
    assert article.licence == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert article.licence_label() == "CC0 1.0 (public domain)"
    assert article.access_label() == "open access"


def test_the_article_page_shows_the_licence_and_access(client):
    article = make_full_article(licence_url=Licence.CC_BY, access_right=AccessRight.OPEN)
    html = client.get(reverse("catalogue:article_detail", args=[article.pk])).content.decode()
    assert (
        '<a href="https://creativecommons.org/licenses/by/4.0/" rel="license">CC BY 4.0</a>' in html
    )
    assert "open access" in html
    bare = make_article(article.issue, position=2)
    html = client.get(reverse("catalogue:article_detail", args=[bare.pk])).content.decode()
    assert 'rel="license"' not in html


def test_editors_set_rights_in_the_admin(editor_client):
    article = make_full_article()
    journal = article.issue.series.journal
    for name, obj in (("article", article), ("journal", journal)):
        page = editor_client.get(reverse(f"admin:catalogue_{name}_change", args=[obj.pk]))
        assert page.status_code == 200
        html = page.content.decode()
        assert 'name="licence_url"' in html
        assert 'name="access_right"' in html
        assert "http://purl.org/coar/access_right/c_abf2" in html
