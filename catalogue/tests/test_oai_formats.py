"""The OpenAIRE (oai_openaire) and MARCXML (marc21) records, checked against the official
schemas (catalogue/schemas/openaire, catalogue/schemas/marc21) and read back by pymarc."""

import io

import pymarc
import pytest
from lxml import etree

from catalogue.interop import load_schema
from catalogue.models import AccessRight, Licence

from .factories import make_article, make_full_article
from .test_oai import NS, base_url, harvest  # noqa: F401  (base_url: the autouse fixture)

pytestmark = pytest.mark.django_db

OAIRE = "http://namespace.openaire.eu/schema/oaire/"
NS = {
    **NS,
    "oaire": OAIRE,
    "datacite": "http://datacite.org/schema/kernel-4",
    "marc": "http://www.loc.gov/MARC21/slim",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture
def article():
    return make_full_article(
        title_kk="Шағын мемлекеттердің жұмсақ күші",
        licence_url=Licence.CC_BY,
        access_right=AccessRight.OPEN,
        accepted="2025-03-01",
    )


def get_record(client, article, prefix):
    doc = harvest(
        client,
        verb="GetRecord",
        metadataPrefix=prefix,
        identifier=f"oai:testserver:article/{article.pk}",
    )
    return doc.find(".//o:metadata", NS)[0]


@pytest.mark.parametrize(
    ("prefix", "schema"),
    [("oai_openaire", "openaire/openaire.xsd"), ("marc21", "marc21/MARC21slim.xsd")],
)
def test_a_record_validates_on_its_own_against_its_official_schema(client, article, prefix, schema):
    record = get_record(client, article, prefix)
    schema = load_schema(schema)
    assert schema.validate(etree.ElementTree(record)), schema.error_log


def test_an_openaire_record_carries_titles_creators_rights_and_citation(client, article):
    resource = get_record(client, article, "oai_openaire")
    titles = resource.findall("datacite:titles/datacite:title", NS)
    assert [(t.get(XML_LANG), t.get("titleType")) for t in titles] == [
        ("en", None),
        ("kk", "TranslatedTitle"),
        ("ru", "TranslatedTitle"),
    ]
    assert titles[1].text == "Шағын мемлекеттердің жұмсақ күші"
    names = resource.xpath(
        "datacite:creators/datacite:creator/datacite:creatorName/text()", namespaces=NS
    )
    assert names == ["Zhumatay, G.", "Baissultanova, K.Ch."]
    orcid = resource.findtext(
        "datacite:creators/datacite:creator/datacite:nameIdentifier", namespaces=NS
    )
    assert orcid == "https://orcid.org/0000-0002-1825-0097"
    identifier = resource.find("datacite:identifier", NS)
    assert (identifier.get("identifierType"), identifier.text) == ("DOI", article.doi)
    rights = resource.find("datacite:rights", NS)
    assert rights.get("rightsURI") == AccessRight.OPEN
    assert resource.find("oaire:licenseCondition", NS).get("uri") == Licence.CC_BY
    dates = {
        d.get("dateType"): d.text for d in resource.findall("datacite:dates/datacite:date", NS)
    }
    assert dates == {"Accepted": "2025-03-01", "Issued": "2025"}
    assert resource.findtext("dc:language", namespaces=NS) == "eng"
    assert resource.findtext("oaire:citationVolume", namespaces=NS) == "60"
    assert resource.findtext("oaire:citationIssue", namespaces=NS) == "2"
    assert resource.findtext("oaire:citationStartPage", namespaces=NS) == "10"
    issns = resource.xpath(
        "datacite:relatedIdentifiers/datacite:relatedIdentifier/@relatedIdentifierType",
        namespaces=NS,
    )
    assert issns == ["ISSN", "EISSN"]


def test_an_openaire_record_without_access_rights_is_metadata_only(client):
    article = make_full_article(doi=None)
    resource = get_record(client, article, "oai_openaire")
    assert resource.find("datacite:rights", NS).get("rightsURI") == AccessRight.METADATA_ONLY
    assert resource.find("datacite:identifier", NS).get("identifierType") == "URL"
    assert resource.find("oaire:licenseCondition", NS) is None


def test_pymarc_reads_the_marc_record_back(client, article):
    element = get_record(client, article, "marc21")
    (record,) = pymarc.parse_xml_to_array(io.BytesIO(etree.tostring(element)))
    assert record["245"]["a"] == "Soft power & <small> states"
    assert [f["a"] for f in record.get_fields("246")] == [
        "Шағын мемлекеттердің жұмсақ күші",
        "Мягкая сила малых государств",
    ]
    assert record["100"]["a"] == "Zhumatay, G."
    assert record["100"]["1"] == "https://orcid.org/0000-0002-1825-0097"
    assert record["700"]["a"] == "Baissultanova, K.Ch."
    assert record["024"]["a"] == article.doi
    assert record["773"]["x"] == "2411-8753"
    assert record["773"]["g"] == "Vol. 60, no. 2 (2025), p. 10-22"
    assert record["540"]["u"] == Licence.CC_BY
    assert record["506"].indicators[0] == "0"
    assert record["008"].data[35:38] == "eng" and len(record["008"].data) == 40
    assert record.leader[7] == "b"


def test_a_russian_article_is_catalogued_in_russian(client):
    article = make_full_article(language="ru")
    element = get_record(client, article, "marc21")
    (record,) = pymarc.parse_xml_to_array(io.BytesIO(etree.tostring(element)))
    assert record["245"]["a"] == "Мягкая сила малых государств"
    assert record["100"]["a"] == "Жұматай, Ғ.Б."
    assert record["041"]["a"] == "rus"
    assert record["773"]["t"] == "Вестник КазУМОиМЯ им. Абылай хана"


@pytest.mark.parametrize("prefix", ["oai_openaire", "marc21"])
def test_list_records_of_the_new_formats_validate(client, article, prefix):
    make_article(article.issue, position=2, title_ru="Вторая статья")
    doc = harvest(client, verb="ListRecords", metadataPrefix=prefix)
    assert len(doc.findall(".//o:record", NS)) == 2
