"""JATS front matter: `export --format jats` and the builder, validated against JATS 1.3.

The only offline JATS schema is the copy inside Crossref's bundle, which
Crossref put in the namespace http://www.ncbi.nlm.nih.gov/JATS1. Validation
moves a copy of our tree into that namespace first; the markup is otherwise
the same.
"""

import copy
import functools
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from catalogue.interop import load_schema
from catalogue.interop.jats import jats_article
from catalogue.models import AccessRight, Article, Licence

from .factories import (
    add_reference,
    make_article,
    make_full_article,
    make_issue,
    make_journal,
    make_series,
)

pytestmark = pytest.mark.django_db

JATS1 = "http://www.ncbi.nlm.nih.gov/JATS1"
ALI = "http://www.niso.org/schemas/ali/1.0/"
# Namespaces JATS itself uses (xlink, xml, MathML; NISO ALI for licences), left as they are.
KEPT_NAMESPACES = ("{http://www.w3.org/", f"{{{ALI}}}")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@functools.cache
def jats_schema():
    return load_schema("crossref/JATS-journalpublishing1-3d2-mathml3.xsd")


def assert_valid_jats(article_element):
    """Validate an <article> in no namespace or any namespace, as JATS 1.3 (publishing)."""
    tree = copy.deepcopy(article_element)
    for element in tree.iter():
        if isinstance(element.tag, str) and not element.tag.startswith(KEPT_NAMESPACES):
            element.tag = f"{{{JATS1}}}{etree.QName(element).localname}"
    etree.cleanup_namespaces(tree)
    # The offline schema is the 1.3d2 draft; its dtd-version list stops short of "1.3".
    if tree.get("dtd-version") == "1.3":
        tree.set("dtd-version", "1.3d2")
    tree = etree.fromstring(etree.tostring(tree))
    schema = jats_schema()
    assert schema.validate(tree), schema.error_log


def export_jats(tmp_path, *args):
    """The documents `export --format jats --output DIR` writes, parsed, in file order."""
    directory = tmp_path / "jats"
    call_command(
        "export",
        "--format",
        "jats",
        "--base-url",
        "https://cat.example.org",
        "--output",
        str(directory),
        *args,
        stderr=StringIO(),
    )
    parser = etree.XMLParser(no_network=True)
    return [etree.parse(str(path), parser).getroot() for path in sorted(directory.iterdir())]


def test_jats_front_matter_is_valid_and_has_titles_in_every_language():
    article = make_full_article(title_kk="Жұмсақ күш")
    element = jats_article(Article.objects.with_details().get(pk=article.pk), "https://x.org")
    assert_valid_jats(element)
    meta = element.find("front/article-meta")
    assert meta.find("title-group/article-title").text == "Soft power & <small> states"
    trans = {
        t.get(XML_LANG): t.findtext("trans-title")
        for t in meta.findall("title-group/trans-title-group")
    }
    assert trans == {"kk": "Жұмсақ күш", "ru": "Мягкая сила малых государств"}
    assert meta.find("abstract").get(XML_LANG) == "en"
    assert [a.get(XML_LANG) for a in meta.findall("trans-abstract")] == ["ru"]
    assert meta.findtext("article-id[@pub-id-type='doi']") == "10.48371/ISMO.2025.60.2.001"
    assert (meta.findtext("fpage"), meta.findtext("lpage")) == ("10", "22")
    contribs = meta.findall("contrib-group/contrib")
    assert contribs[0].findtext("contrib-id") == "https://orcid.org/0000-0002-1825-0097"
    names = contribs[0].findall("name-alternatives/name")
    assert [(n.get(XML_LANG), n.findtext("surname")) for n in names] == [
        ("en", "Zhumatay"),
        ("ru", "Жұматай"),
    ]
    assert contribs[0].find("xref").get("rid") == meta.find("aff").get("id")
    assert meta.find("aff").text == "Narxoz University, Almaty, Kazakhstan"
    keywords = {g.get(XML_LANG): [k.text for k in g] for g in meta.findall("kwd-group")}
    assert keywords == {"en": ["soft power", "Kazakhstan"], "ru": ["мягкая сила"]}


def test_export_jats_writes_one_article_per_catalogue_article_all_valid(tmp_path):
    article = make_full_article()
    # JATS Publishing requires an ISSN (Archiving, used for OAI, does not).
    series = make_series(make_journal(issn_online="1234-5679"))
    make_article(make_issue(series), title_ru="Только по-русски", language="ru")
    articles = export_jats(tmp_path)
    assert len(articles) == Article.objects.count() == 2
    for element in articles:
        assert_valid_jats(element)
    assert articles[0].find("front/article-meta/self-uri").get(
        "{http://www.w3.org/1999/xlink}href"
    ) in {f"https://cat.example.org/en/articles/{a.pk}/" for a in Article.objects.all()}
    assert article.pk


def test_export_jats_for_one_issue_only(tmp_path):
    article = make_full_article()
    make_article(make_issue(), title_en="Other issue")
    assert len(export_jats(tmp_path, "--issue", str(article.issue_id))) == 1


def test_jats_escapes_markup_in_metadata():
    article = make_full_article(abstract_en="Beware <script>alert(1)</script> & co")
    out = StringIO()
    call_command("export", "--format", "jats", "--issue", str(article.issue_id), stdout=out)
    assert "<script>" not in out.getvalue()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in out.getvalue()


def test_jats_permissions_carry_the_licence_and_open_access():
    article = make_full_article(licence_url=Licence.CC_BY, access_right=AccessRight.OPEN)
    element = jats_article(Article.objects.with_details().get(pk=article.pk), "https://x.org")
    assert_valid_jats(element)
    permissions = element.find("front/article-meta/permissions")
    assert permissions.find(f"{{{ALI}}}free_to_read") is not None
    licence = permissions.find("license")
    assert licence.get("{http://www.w3.org/1999/xlink}href") == Licence.CC_BY
    assert licence.findtext(f"{{{ALI}}}license_ref") == Licence.CC_BY
    assert licence.findtext("license-p") == "CC BY 4.0"


def test_jats_without_a_licence_has_no_permissions():
    article = make_full_article()
    element = jats_article(Article.objects.with_details().get(pk=article.pk))
    assert element.find("front/article-meta/permissions") is None


def test_jats_back_matter_lists_the_references_with_their_dois():
    article = make_full_article()
    add_reference(article, "Smith J. Without a DOI. 2020.")
    element = jats_article(Article.objects.with_details().get(pk=article.pk), "https://x.org")
    assert_valid_jats(element)
    refs = element.findall("back/ref-list/ref")
    texts = [r.find("mixed-citation") for r in refs]
    assert len(refs) == article.references.count() == 3
    assert [r.get("id") for r in refs] == ["ref1", "ref2", "ref3"]
    with_doi = [c for c in texts if c.find("pub-id") is not None]
    assert [c.find("pub-id").text for c in with_doi] == ["10.2307/j.ctt7sq9s"]
    assert with_doi[0].find("pub-id").get("pub-id-type") == "doi"
    # The printed text is kept whole, the DOI marked up where it stands or added once.
    for citation, reference in zip(texts, article.references.order_by("position"), strict=True):
        assert reference.text in "".join(citation.itertext())
        assert "".join(citation.itertext()).count(reference.doi or "@@") <= 1


def test_export_jats_writes_one_jats_document_per_article(tmp_path):
    first = make_full_article()
    second = make_article(first.issue, position=2, title_ru="Вторая", language="ru")
    out, err = StringIO(), StringIO()
    call_command("export", "--format", "jats", "--output", str(tmp_path / "jats"), stderr=err)
    files = sorted(p.name for p in (tmp_path / "jats").iterdir())
    assert files == sorted(f"article-{a.pk}.xml" for a in (first, second))
    for name in files:
        root = etree.parse(str(tmp_path / "jats" / name), etree.XMLParser(no_network=True))
        assert root.getroot().tag == "article"
    assert "2 JATS documents" in err.getvalue()
    with pytest.raises(CommandError, match="one document per article"):
        call_command("export", "--format", "jats", stdout=out)
