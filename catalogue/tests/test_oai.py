"""OAI-PMH 2.0 provider: every verb, errors, paging, validated against the XSDs offline."""

import copy
import functools
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from lxml import etree

from catalogue.interop import load_schema
from catalogue.models import AccessRight, Article, RecordDatestamp
from catalogue.oai import OAI_NS, TOKEN_SALT

from .factories import (
    add_author,
    add_keyword,
    make_article,
    make_author,
    make_full_article,
    make_issue,
    make_journal,
    make_series,
)

pytestmark = pytest.mark.django_db

NS = {
    "o": OAI_NS,
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "j": "https://jats.nlm.nih.gov/ns/archiving/1.3/",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@functools.cache
def oai_schema(driver="oai-pmh/oai-pmh-with-oai_dc.xsd"):
    return load_schema(driver)


# OpenAIRE's profile has its own schema for the Dublin Core namespace, so its records
# (and MARCXML ones) are checked with a driver of their own.
OTHER_DRIVER = "oai-pmh/oai-pmh-with-oai_openaire-and-marc21.xsd"
OTHER_FORMATS = (
    "{http://namespace.openaire.eu/schema/oaire/}resource",
    "{http://www.loc.gov/MARC21/slim}record",
)


def assert_valid(doc):
    """Valid OAI-PMH; JATS records are checked as JATS, and the envelope around them.

    OAI-PMH.xsd validates <metadata> content strictly, and there is no offline
    schema in the JATS archiving namespace: each JATS <article> is validated on
    its own (see test_jats) and stands in as an empty oai_dc record for the envelope.
    """
    from .test_jats import assert_valid_jats

    jats_records = doc.findall(".//o:metadata/j:article", NS)
    if jats_records:
        doc = copy.deepcopy(doc)
        for article in doc.findall(".//o:metadata/j:article", NS):
            assert_valid_jats(article)
            article.getparent().replace(
                article, etree.Element(f"{{{NS['oai_dc']}}}dc", nsmap={"oai_dc": NS["oai_dc"]})
            )
    metadata = [child.tag for m in doc.findall(".//o:metadata", NS) for child in m]
    other = any(tag in OTHER_FORMATS for tag in metadata)
    schema = oai_schema(OTHER_DRIVER) if other else oai_schema()
    assert schema.validate(doc), schema.error_log


def harvest(client, HTTP_HOST="testserver", **params):
    response = client.get("/oai", params, HTTP_HOST=HTTP_HOST)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    doc = etree.fromstring(response.content, etree.XMLParser(no_network=True))
    assert_valid(doc)
    return doc


def error_codes(doc):
    return [element.get("code") for element in doc.findall("o:error", NS)]


@pytest.fixture(autouse=True)
def base_url(settings):
    """The identifiers these tests expect (oai:testserver:…) come from the site's address."""
    settings.CATALOGUE_BASE_URL = "http://testserver"


def records_of(doc):
    return doc.findall(".//o:record", NS)


@pytest.fixture
def full_article():
    return make_full_article(
        title_kk="Шағын мемлекеттердің жұмсақ күші",
        abstract_kk="Біз жұмсақ күшті зерттейміз <script>alert(1)</script>.",
    )


@pytest.fixture
def many_articles(full_article, settings):
    settings.OAI_PAGE_SIZE = 3
    issue = make_issue(full_article.issue.series, year=2024, number="1")
    for i in range(7):
        article = make_article(issue, position=i + 1, title_ru=f"Статья {i}")
        add_author(article, make_author(f"Author{i} A."), name_en=f"Author{i} A.")
        add_keyword(article, f"topic {i % 3}")
    return Article.objects.count()


# ---------------------------------------------------------------- Identify & formats


def test_identify_describes_the_repository_and_validates(client, full_article, settings):
    settings.OAI_REPOSITORY_IDENTIFIER = "catalogue.example.org"
    doc = harvest(client, verb="Identify")
    identify = doc.find("o:Identify", NS)
    assert identify.findtext("o:protocolVersion", namespaces=NS) == "2.0"
    assert identify.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.findtext("o:deletedRecord", namespaces=NS) == "persistent"
    assert identify.findtext("o:baseURL", namespaces=NS) == "http://testserver/oai"
    earliest = identify.findtext("o:earliestDatestamp", namespaces=NS)
    changed = RecordDatestamp.objects.get(article=full_article).changed
    assert earliest == changed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    sample = doc.find(".//{http://www.openarchives.org/OAI/2.0/oai-identifier}sampleIdentifier")
    assert sample.text == "oai:catalogue.example.org:article/1"
    assert doc.find("o:request", NS).get("verb") == "Identify"


def test_identifiers_come_from_the_base_url_not_the_host_header(client, full_article, settings):
    settings.CATALOGUE_BASE_URL = "https://catalogue.example.org:8443/"
    settings.ALLOWED_HOSTS = ["testserver", "mirror.example.net"]
    for host in ("testserver", "mirror.example.net"):
        doc = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc", HTTP_HOST=host)
        assert doc.findtext(".//o:header/o:identifier", namespaces=NS) == (
            f"oai:catalogue.example.org:article/{full_article.pk}"
        )
    doc = harvest(
        client,
        verb="GetRecord",
        metadataPrefix="oai_dc",
        identifier=f"oai:catalogue.example.org:article/{full_article.pk}",
    )
    assert not error_codes(doc)
    doc = harvest(
        client,
        verb="GetRecord",
        metadataPrefix="oai_dc",
        identifier=f"oai:mirror.example.net:article/{full_article.pk}",
    )
    assert error_codes(doc) == ["idDoesNotExist"]


def test_the_configured_identifier_wins_and_nothing_falls_back_to_the_host(client, settings):
    from catalogue.oai import repository_identifier

    settings.OAI_REPOSITORY_IDENTIFIER = "journals.example.kz"
    assert repository_identifier() == "journals.example.kz"
    settings.OAI_REPOSITORY_IDENTIFIER = ""
    settings.CATALOGUE_BASE_URL = ""
    assert repository_identifier() == "localhost"


@override_settings(
    OAI_REPOSITORY_NAME="Eurasian journals", OAI_ADMIN_EMAILS=["oai@journal.example.kz"]
)
def test_identify_reports_the_configured_name_and_admin_emails(client):
    identify = harvest(client, verb="Identify").find("o:Identify", NS)
    assert identify.findtext("o:repositoryName", namespaces=NS) == "Eurasian journals"
    assert identify.findtext("o:adminEmail", namespaces=NS) == "oai@journal.example.kz"


@override_settings(OAI_ADMIN_EMAILS=[], ADMINS=[("Office", "office@example.org")])
def test_identify_falls_back_to_the_admins_emails(client):
    identify = harvest(client, verb="Identify").find("o:Identify", NS)
    assert identify.findtext("o:repositoryName", namespaces=NS) == "Journal catalogue"
    assert [e.text for e in identify.findall("o:adminEmail", NS)] == ["office@example.org"]


def test_identify_works_on_an_empty_catalogue(client):
    doc = harvest(client, verb="Identify")
    assert doc.find("o:Identify", NS) is not None


def test_identify_answers_post_requests(client):
    response = client.post("/oai", {"verb": "Identify"})
    doc = etree.fromstring(response.content)
    assert_valid(doc)
    assert doc.find("o:Identify", NS) is not None


def test_list_metadata_formats_offers_dc_jats_openaire_and_marc21(client, full_article):
    doc = harvest(client, verb="ListMetadataFormats")
    prefixes = doc.xpath("//o:metadataPrefix/text()", namespaces=NS)
    assert prefixes == ["oai_dc", "jats", "oai_openaire", "marc21"]
    identifier = f"oai:testserver:article/{full_article.pk}"
    doc = harvest(client, verb="ListMetadataFormats", identifier=identifier)
    assert len(doc.findall(".//o:metadataFormat", NS)) == 4


def test_list_sets_has_each_journal_and_series_with_their_parents(client, full_article):
    series = full_article.issue.series
    other = make_series(series.journal, name_en="Philology")
    doc = harvest(client, verb="ListSets")
    specs = doc.xpath("//o:setSpec/text()", namespaces=NS)
    journal = series.journal_id
    assert specs == [
        "journal",
        f"journal:{journal}",
        f"journal:{journal}:series",
        f"journal:{journal}:series:{series.pk}",
        f"journal:{journal}:series:{other.pk}",
        "openaire",
    ]


def test_every_parent_of_a_declared_set_is_declared(client, full_article):
    """The protocol's hierarchy: a:b:c is in a:b and in a, so ListSets names a:b and a too."""
    make_series(make_journal(title_en="Second journal"), name_en="History")
    doc = harvest(client, verb="ListSets")
    specs = doc.xpath("//o:setSpec/text()", namespaces=NS)
    assert len(specs) == len(set(specs))
    for spec in specs:
        parts = spec.split(":")
        for cut in range(1, len(parts)):
            assert ":".join(parts[:cut]) in specs, spec


# ---------------------------------------------------------------- GetRecord


def test_get_record_oai_dc_has_every_language_creators_subjects_and_doi(client, full_article):
    identifier = f"oai:testserver:article/{full_article.pk}"
    doc = harvest(client, verb="GetRecord", identifier=identifier, metadataPrefix="oai_dc")
    header = doc.find(".//o:header", NS)
    assert header.findtext("o:identifier", namespaces=NS) == identifier
    series = full_article.issue.series
    assert header.xpath("o:setSpec/text()", namespaces=NS) == [
        f"journal:{series.journal_id}",
        f"journal:{series.journal_id}:series:{series.pk}",
    ]
    dc = doc.find(".//oai_dc:dc", NS)
    titles = {t.get(XML_LANG): t.text for t in dc.findall("dc:title", NS)}
    assert titles == {
        "en": "Soft power & <small> states",
        "ru": "Мягкая сила малых государств",
        "kk": "Шағын мемлекеттердің жұмсақ күші",
    }
    descriptions = {d.get(XML_LANG) for d in dc.findall("dc:description", NS)}
    assert descriptions == {"en", "ru", "kk"}
    assert [c.text for c in dc.findall("dc:creator", NS)] == [
        "Zhumatay, G.",
        "Baissultanova, K.Ch.",
    ]
    subjects = [(s.get(XML_LANG), s.text) for s in dc.findall("dc:subject", NS)]
    assert ("en", "soft power") in subjects
    assert ("ru", "мягкая сила") in subjects
    identifiers = [i.text for i in dc.findall("dc:identifier", NS)]
    assert "https://doi.org/10.48371/ISMO.2025.60.2.001" in identifiers
    assert f"http://testserver/en/articles/{full_article.pk}/" in identifiers
    assert dc.findtext("dc:language", namespaces=NS) == "en"


def test_metadata_containing_script_comes_out_escaped(client, full_article):
    identifier = f"oai:testserver:article/{full_article.pk}"
    response = client.get(
        "/oai", {"verb": "GetRecord", "identifier": identifier, "metadataPrefix": "oai_dc"}
    )
    body = response.content.decode()
    assert "<script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "&lt;small&gt;" in body


def test_get_record_jats_carries_front_matter_valid_against_jats(client, full_article):
    identifier = f"oai:testserver:article/{full_article.pk}"
    doc = harvest(client, verb="GetRecord", identifier=identifier, metadataPrefix="jats")
    article = doc.find(".//j:article", NS)
    assert article.findtext(".//j:article-id[@pub-id-type='doi']", namespaces=NS) == (
        "10.48371/ISMO.2025.60.2.001"
    )
    assert article.findtext(".//j:contrib-id", namespaces=NS) == (
        "https://orcid.org/0000-0002-1825-0097"
    )
    from .test_jats import assert_valid_jats

    assert_valid_jats(article)


@pytest.mark.parametrize(
    "identifier",
    [
        "oai:testserver:article/999999",
        "oai:elsewhere.org:article/1",
        "nonsense",
        "oai:testserver:article/x",
    ],
)
def test_get_record_of_unknown_identifier_is_id_does_not_exist(client, full_article, identifier):
    doc = harvest(client, verb="GetRecord", identifier=identifier, metadataPrefix="oai_dc")
    assert error_codes(doc) == ["idDoesNotExist"]


def test_list_metadata_formats_of_unknown_identifier_is_id_does_not_exist(client):
    doc = harvest(client, verb="ListMetadataFormats", identifier="oai:testserver:article/5")
    assert error_codes(doc) == ["idDoesNotExist"]


# ---------------------------------------------------------------- lists and paging


def walk(client, verb, **params):
    """Every page of a list; returns (items, tokens seen, pages)."""
    doc = harvest(client, verb=verb, **params)
    items, tokens, pages = [], [], 0
    while True:
        pages += 1
        assert not error_codes(doc), error_codes(doc)
        items += doc.findall(".//o:header", NS)
        token = doc.find(".//o:resumptionToken", NS)
        if token is None or not token.text:
            if token is not None:
                assert int(token.get("cursor")) + 0 <= int(token.get("completeListSize"))
            return items, tokens, pages
        tokens.append(token)
        doc = harvest(client, verb=verb, resumptionToken=token.text)


def test_list_records_walks_through_tokens_to_every_article(client, many_articles):
    headers, tokens, pages = walk(client, "ListRecords", metadataPrefix="oai_dc")
    identifiers = [h.findtext("o:identifier", namespaces=NS) for h in headers]
    assert len(identifiers) == many_articles == Article.objects.count()
    assert len(set(identifiers)) == len(identifiers)
    assert pages == 3
    assert [int(t.get("cursor")) for t in tokens] == [0, 3]
    assert {t.get("completeListSize") for t in tokens} == {str(many_articles)}


def test_list_identifiers_walks_to_the_same_items_as_list_records(client, many_articles):
    headers, _, _ = walk(client, "ListIdentifiers", metadataPrefix="jats")
    assert len(headers) == many_articles


def test_list_records_jats_is_valid_jats_for_every_record(client, full_article):
    doc = harvest(client, verb="ListRecords", metadataPrefix="jats")
    from .test_jats import assert_valid_jats

    articles = doc.findall(".//j:article", NS)
    assert len(articles) == 1
    for article in articles:
        assert_valid_jats(article)


def test_an_article_edited_during_a_harvest_is_sent_again_not_skipped(client, many_articles):
    doc = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    first_page = [h.findtext("o:identifier", namespaces=NS) for h in doc.findall(".//o:header", NS)]
    token = doc.findtext(".//o:resumptionToken", namespaces=NS)
    edited = Article.objects.get(pk=int(first_page[0].rsplit("/", 1)[1]))
    edited.title_en = "Corrected"
    edited.save()
    rest, _, _ = walk(client, "ListIdentifiers", resumptionToken=token)
    seen = first_page + [h.findtext("o:identifier", namespaces=NS) for h in rest]
    assert set(seen) == {
        f"oai:testserver:article/{pk}" for pk in Article.objects.values_list("pk", flat=True)
    }
    assert seen[-1] == first_page[0]


def test_list_records_takes_a_fixed_number_of_queries_per_page(client, many_articles, settings):
    def queries(size):
        settings.OAI_PAGE_SIZE = size
        with CaptureQueriesContext(connection) as context:
            harvest(client, verb="ListRecords", metadataPrefix="oai_dc")
        return len(context.captured_queries)

    assert queries(2) == queries(8)


def test_sets_select_journal_and_series(client, many_articles, full_article):
    series = full_article.issue.series
    other_series = make_series(series.journal, name_en="Philology")
    make_article(make_issue(other_series), title_en="Elsewhere")
    spec = f"journal:{series.journal_id}:series:{series.pk}"
    headers, _, _ = walk(client, "ListIdentifiers", metadataPrefix="oai_dc", set=spec)
    assert len(headers) == many_articles
    headers, _, _ = walk(
        client, "ListIdentifiers", metadataPrefix="oai_dc", set=f"journal:{series.journal_id}"
    )
    assert len(headers) == many_articles + 1
    doc = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="journal:99999")
    assert error_codes(doc) == ["noRecordsMatch"]


def test_parent_sets_select_what_their_children_hold(client, many_articles, full_article):
    series = full_article.issue.series
    make_article(make_issue(make_series(make_journal())), title_en="Another journal's")
    journal_spec = f"journal:{series.journal_id}"
    by_journal, _, _ = walk(client, "ListIdentifiers", metadataPrefix="oai_dc", set=journal_spec)
    by_series_parent, _, _ = walk(
        client, "ListIdentifiers", metadataPrefix="oai_dc", set=f"{journal_spec}:series"
    )
    everything, _, _ = walk(client, "ListIdentifiers", metadataPrefix="oai_dc", set="journal")
    assert len(by_journal) == len(by_series_parent) == many_articles
    assert len(everything) == Article.objects.count() == many_articles + 1


@pytest.mark.parametrize(
    "spec", ["volume:1", "journal:1:series:x", "openaire:1", "journal:" + "9" * 30]
)
def test_an_unknown_set_gives_no_records_match(client, full_article, spec):
    """The protocol lists badArgument for malformed arguments only; a set that holds
    nothing, or that the repository does not have, gives an empty list: noRecordsMatch."""
    for verb in ("ListIdentifiers", "ListRecords"):
        doc = harvest(client, verb=verb, metadataPrefix="oai_dc", set=spec)
        assert error_codes(doc) == ["noRecordsMatch"]


@pytest.mark.parametrize("spec", ["journal:", ":journal", "journal::1", "journal 1"])
def test_a_malformed_set_spec_is_a_bad_argument(client, full_article, spec):
    doc = harvest(client, verb="ListRecords", metadataPrefix="oai_dc", set=spec)
    assert error_codes(doc) == ["badArgument"]


def test_the_openaire_set_holds_the_open_access_articles(client, full_article):
    journal = full_article.issue.series.journal
    journal.access_right = AccessRight.OPEN
    journal.save()
    closed = make_article(
        full_article.issue, position=2, title_en="Closed", access_right=AccessRight.RESTRICTED
    )
    elsewhere = make_article(
        make_issue(make_series(make_journal())),
        title_en="Open on its own",
        access_right=AccessRight.OPEN,
    )
    make_article(make_issue(make_series(make_journal())), title_en="Nothing said")
    doc = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_openaire", set="openaire")
    identifiers = doc.xpath("//o:header/o:identifier/text()", namespaces=NS)
    assert identifiers == [
        f"oai:testserver:article/{full_article.pk}",
        f"oai:testserver:article/{elsewhere.pk}",
    ]
    specs = doc.xpath("//o:header/o:setSpec/text()", namespaces=NS)
    assert specs.count("openaire") == 2
    doc = harvest(
        client,
        verb="GetRecord",
        metadataPrefix="oai_dc",
        identifier=f"oai:testserver:article/{closed.pk}",
    )
    assert "openaire" not in doc.xpath("//o:header/o:setSpec/text()", namespaces=NS)


def test_from_and_until_select_by_datestamp(client, full_article):
    old = make_article(full_article.issue, title_en="Old")
    Article.objects.filter(pk=old.pk).update(updated=datetime(2020, 5, 1, 12, 0, 0, tzinfo=UTC))
    stamps = lambda doc: doc.xpath("//o:header/o:datestamp/text()", namespaces=NS)  # noqa: E731
    doc = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc", until="2020-05-01")
    assert stamps(doc) == ["2020-05-01T12:00:00Z"]
    doc = harvest(
        client, verb="ListIdentifiers", metadataPrefix="oai_dc", until="2020-05-01T12:00:00Z"
    )
    assert stamps(doc) == ["2020-05-01T12:00:00Z"]
    doc = harvest(
        client, verb="ListIdentifiers", metadataPrefix="oai_dc", until="2020-05-01T11:59:59Z"
    )
    assert error_codes(doc) == ["noRecordsMatch"]
    doc = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": "2020-05-02"})
    assert len(stamps(doc)) == 1 and stamps(doc)[0] != "2020-05-01T12:00:00Z"
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%d")
    doc = harvest(client, verb="ListRecords", metadataPrefix="oai_dc", **{"from": tomorrow})
    assert error_codes(doc) == ["noRecordsMatch"]


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Harvest"}, "badVerb"),
        ({"verb": "Identify", "extra": "1"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "yesterday"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2025-02-30"}, "badArgument"),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2025-01-01",
                "until": "2025-01-02T00:00:00Z",
            },
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2025-02-01",
                "until": "2025-01-01",
            },
            "badArgument",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "abc"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "mods"}, "cannotDisseminateFormat"),
        (
            {
                "verb": "GetRecord",
                "metadataPrefix": "mods",
                "identifier": "oai:testserver:article/1",
            },
            "cannotDisseminateFormat",
        ),
        ({"verb": "ListRecords", "resumptionToken": "not-a-token"}, "badResumptionToken"),
        ({"verb": "ListIdentifiers", "resumptionToken": "x:y:z"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "anything"}, "badResumptionToken"),
    ],
)
def test_error_codes(client, full_article, params, code):
    doc = harvest(client, **params)
    assert error_codes(doc) == [code]
    request = doc.find("o:request", NS)
    if code in ("badVerb", "badArgument"):
        assert dict(request.attrib) == {}


def test_repeated_argument_is_bad_argument(client):
    doc = harvest(client, verb=["Identify", "Identify"])
    assert error_codes(doc) == ["badArgument"]


def test_no_records_match_on_an_empty_catalogue(client):
    doc = harvest(client, verb="ListRecords", metadataPrefix="oai_dc")
    assert error_codes(doc) == ["noRecordsMatch"]


def test_expired_resumption_token_is_bad_resumption_token(client, many_articles):
    from django.core import signing

    doc = harvest(client, verb="ListRecords", metadataPrefix="oai_dc")
    token = doc.findtext(".//o:resumptionToken", namespaces=NS)
    query = signing.loads(token, salt=TOKEN_SALT)
    signer = signing.TimestampSigner(salt=TOKEN_SALT)
    old = signing.dumps(query, salt=TOKEN_SALT, compress=True)
    # Re-sign the same query as if two days ago.
    value = signer.unsign(old)
    stale = signing.TimestampSigner(salt=TOKEN_SALT)
    stale.timestamp = lambda: signing.b62_encode(int(datetime.now(UTC).timestamp()) - 2 * 86400)
    expired = stale.sign(value)
    doc = harvest(client, verb="ListRecords", resumptionToken=expired)
    assert error_codes(doc) == ["badResumptionToken"]


def test_tampered_resumption_token_is_bad_resumption_token(client, many_articles):
    doc = harvest(client, verb="ListRecords", metadataPrefix="oai_dc")
    token = doc.findtext(".//o:resumptionToken", namespaces=NS)
    doc = harvest(client, verb="ListRecords", resumptionToken=token[:-2] + "xx")
    assert error_codes(doc) == ["badResumptionToken"]


# ---------------------------------------------------------------- deleted records


def headers_of(doc):
    return [
        (h.findtext("o:identifier", namespaces=NS), h.get("status"))
        for h in doc.findall(".//o:header", NS)
    ]


def test_a_deleted_article_leaves_a_tombstone_with_its_sets(full_article):
    from catalogue.models import OaiTombstone

    series = full_article.issue.series
    pk = full_article.pk
    full_article.delete()
    tombstone = OaiTombstone.objects.get(article_id=pk)
    assert (tombstone.journal_id, tombstone.series_id) == (series.journal_id, series.pk)
    assert tombstone.merged_into is None


def test_a_cascade_from_the_journal_leaves_tombstones(full_article):
    from catalogue.models import OaiTombstone

    journal = full_article.issue.series.journal
    journal_id = journal.pk
    other = make_article(full_article.issue, position=2)
    journal.delete()
    assert set(OaiTombstone.objects.values_list("article_id", "journal_id")) == {
        (full_article.pk, journal_id),
        (other.pk, journal_id),
    }


def test_deleted_articles_are_reported_as_deleted(client, full_article):
    other = make_article(full_article.issue, position=2)
    series = full_article.issue.series
    identifier = f"oai:testserver:article/{full_article.pk}"
    full_article.delete()

    doc = harvest(client, verb="GetRecord", identifier=identifier, metadataPrefix="jats")
    record = doc.find(".//o:record", NS)
    header = record.find("o:header", NS)
    assert header.get("status") == "deleted"
    assert record.find("o:metadata", NS) is None
    assert [s.text for s in header.findall("o:setSpec", NS)] == [
        f"journal:{series.journal_id}",
        f"journal:{series.journal_id}:series:{series.pk}",
    ]
    doc = harvest(client, verb="ListMetadataFormats", identifier=identifier)
    assert not error_codes(doc)

    for verb in ("ListIdentifiers", "ListRecords"):
        doc = harvest(client, verb=verb, metadataPrefix="oai_dc")
        assert headers_of(doc) == [
            (f"oai:testserver:article/{other.pk}", None),
            (identifier, "deleted"),
        ]
    doc = harvest(
        client, verb="ListIdentifiers", metadataPrefix="oai_dc", set=f"journal:{series.journal_id}"
    )
    assert (identifier, "deleted") in headers_of(doc)
    elsewhere = make_series(series.journal)
    doc = harvest(
        client,
        verb="ListIdentifiers",
        metadataPrefix="oai_dc",
        set=f"journal:{series.journal_id}:series:{elsewhere.pk}",
    )
    assert error_codes(doc) == ["noRecordsMatch"]


def test_deleted_records_honour_from_and_until(client, full_article):
    from catalogue.models import OaiTombstone

    pk = full_article.pk
    full_article.delete()
    OaiTombstone.objects.filter(article_id=pk).update(deleted=datetime(2026, 3, 5, 12, tzinfo=UTC))
    before = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc", until="2026-03-04")
    assert error_codes(before) == ["noRecordsMatch"]
    after = harvest(
        client, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": "2026-03-06"}
    )
    assert error_codes(after) == ["noRecordsMatch"]
    doc = harvest(
        client,
        verb="ListIdentifiers",
        metadataPrefix="oai_dc",
        until="2026-03-05",
        **{"from": "2026-03-05"},
    )
    assert headers_of(doc) == [(f"oai:testserver:article/{pk}", "deleted")]
    identify = harvest(client, verb="Identify").find("o:Identify", NS)
    assert identify.findtext("o:earliestDatestamp", namespaces=NS) == "2026-03-05T12:00:00Z"


def test_paging_walks_articles_and_deleted_articles_once_each(client, many_articles):
    gone = list(Article.objects.order_by("pk").values_list("pk", flat=True)[1:6:2])
    Article.objects.filter(pk__in=gone).delete()
    doc = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    seen = headers_of(doc)
    token = doc.find(".//o:resumptionToken", NS)
    assert token.get("completeListSize") == str(many_articles)
    while token is not None and token.text:
        doc = harvest(client, verb="ListIdentifiers", resumptionToken=token.text)
        seen += headers_of(doc)
        token = doc.find(".//o:resumptionToken", NS)
    assert len(seen) == len(set(seen)) == many_articles
    deleted = {identifier for identifier, status in seen if status == "deleted"}
    assert deleted == {f"oai:testserver:article/{pk}" for pk in gone}


def test_oai_dc_rights_give_the_licence_and_the_access_right(client, full_article):
    from catalogue.models import AccessRight, Licence

    journal = full_article.issue.series.journal
    journal.licence_url = Licence.CC_BY_SA
    journal.access_right = AccessRight.OPEN
    journal.save()
    identifier = f"oai:testserver:article/{full_article.pk}"
    doc = harvest(client, verb="GetRecord", identifier=identifier, metadataPrefix="oai_dc")
    assert [r.text for r in doc.findall(".//dc:rights", NS)] == [
        "https://creativecommons.org/licenses/by-sa/4.0/",
        "http://purl.org/coar/access_right/c_abf2",
    ]
    full_article.access_right = AccessRight.EMBARGOED
    full_article.save()
    doc = harvest(client, verb="GetRecord", identifier=identifier, metadataPrefix="jats")
    assert doc.find(".//j:permissions/j:license", NS) is not None
    doc = harvest(client, verb="GetRecord", identifier=identifier, metadataPrefix="oai_dc")
    assert doc.findall(".//dc:rights", NS)[1].text == "http://purl.org/coar/access_right/c_f1cf"
