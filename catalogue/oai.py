"""OAI-PMH 2.0 data provider at /oai (https://www.openarchives.org/OAI/openarchivesprotocol.html).

Items are articles; the datestamp is when anything the article's record shows
last changed (`RecordDatestamp`, kept by database triggers: the article, its
authors, their organisations, its keywords, references, section, issue, series
and journal), seconds granularity, UTC. Sets are journals (`journal:3`) and
their series (`journal:3:series:5`), in a hierarchy whose parents ListSets
declares too (`journal`, `journal:3`, `journal:3:series`), and `openaire`, the
open-access articles OpenAIRE's guidelines ask a repository to offer as one set.
Metadata formats: `oai_dc`, `jats` (JATS front matter and references),
`oai_openaire` (OpenAIRE Guidelines for Literature Repositories v4) and `marc21`
(MARCXML). Deleted articles stay as deleted records for good
(`deletedRecord` "persistent"): a trigger leaves an `OaiTombstone` for every
deleted article, with the sets it was in and when it went; lists and GetRecord
give it as a header with `status="deleted"`, in the same (datestamp, id) order
as the articles, honouring from/until and sets.

Resumption tokens are stateless: the query (format, set, from, until) and the
position (datestamp and id of the last item sent, items sent so far) are
signed with the site's secret and expire after `TOKEN_LIFETIME`. Lists are
ordered by (datestamp, id) and a page starts after the last item sent, so an
article edited during a harvest moves to the end of the list and is sent again
rather than being skipped.
"""

import re
from datetime import UTC, datetime, timedelta
from typing import NamedTuple
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.db.models import Min, Q
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from lxml import etree

from .interop import dc, jats, marc, openaire, sub, text
from .models import (
    AccessRight,
    Article,
    ArticleQuerySet,
    Journal,
    OaiTombstone,
    RecordDatestamp,
    Series,
)

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_ID_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
OAI_ID_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"

TOKEN_LIFETIME = timedelta(days=1)
TOKEN_SALT = "catalogue.oai.resumption"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
DATESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

FORMATS = {
    "oai_dc": {
        "schema": dc.SCHEMA,
        "namespace": dc.OAI_DC_NS,
        "build": lambda article, base_url: dc.oai_dc(article, base_url),
    },
    "jats": {
        "schema": jats.OAI_SCHEMA,
        "namespace": jats.OAI_NAMESPACE,
        "build": lambda article, base_url: jats.jats_article(
            article, base_url, namespace=jats.OAI_NAMESPACE
        ),
    },
    "oai_openaire": {
        "schema": openaire.SCHEMA,
        "namespace": openaire.OAIRE_NS,
        "build": openaire.oai_openaire,
    },
    "marc21": {
        "schema": marc.SCHEMA,
        "namespace": marc.MARC_NS,
        "build": marc.marcxml,
    },
}

# verb: (required arguments, optional arguments, exclusive argument)
VERBS = {
    "Identify": (set(), set(), None),
    "ListMetadataFormats": (set(), {"identifier"}, None),
    "ListSets": (set(), set(), "resumptionToken"),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set"}, "resumptionToken"),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set"}, "resumptionToken"),
    "GetRecord": ({"identifier", "metadataPrefix"}, set(), None),
}

# journal, journal:3, journal:3:series, journal:3:series:5 (the hierarchy), and openaire.
_SET_SPEC = re.compile(r"^journal(?::(\d{1,18})(?::series(?::(\d{1,18}))?)?)?$")
OPENAIRE_SET = "openaire"
# The setSpec syntax of the protocol's schema: a malformed one is a bad argument, a
# well-formed one that names no set of this repository selects nothing.
_SET_SYNTAX = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


class OaiError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def page_size() -> int:
    return settings.OAI_PAGE_SIZE


FALLBACK_IDENTIFIER = "localhost"


def repository_identifier(request=None) -> str:
    """The namespace of OAI identifiers: OAI_REPOSITORY_IDENTIFIER, else the host name of
    CATALOGUE_BASE_URL, else "localhost". Never the request's Host header: identifiers
    must not change with the name a harvester uses, nor be chosen by the harvester."""
    if settings.OAI_REPOSITORY_IDENTIFIER:
        return settings.OAI_REPOSITORY_IDENTIFIER
    host = urlsplit(settings.CATALOGUE_BASE_URL).hostname if settings.CATALOGUE_BASE_URL else ""
    return host or FALLBACK_IDENTIFIER


def datestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime(DATESTAMP_FORMAT)


# ---------------------------------------------------------------- queries


class OaiArticleQuerySet(ArticleQuerySet):
    """Article queries of the OAI-PMH provider."""

    def harvest_order(self):
        return self.order_by("datestamp__changed", "id")

    def in_set(self, spec: str | None):
        if not spec:
            return self
        wanted = parse_set(spec)
        if wanted is None:
            return self.none()
        if wanted.open_access:
            return self.open_access()
        qs = self
        if wanted.journal is not None:
            qs = qs.filter(issue__series__journal_id=wanted.journal)
        if wanted.series is not None:
            qs = qs.filter(issue__series_id=wanted.series)
        return qs

    def open_access(self):
        """The `openaire` set: open access by the article's own right, else its journal's."""
        return self.filter(
            Q(access_right=AccessRight.OPEN)
            | Q(access_right="", issue__series__journal__access_right=AccessRight.OPEN)
        )

    def updated_between(self, first: datetime | None, last: datetime | None):
        """`first` <= datestamp < `last` (`last` is exclusive: the end of the until-second)."""
        if first is not None:
            self = self.filter(datestamp__changed__gte=first)
        if last is not None:
            self = self.filter(datestamp__changed__lt=last)
        return self

    def after(self, position):
        """Items after (datestamp, id) in harvest order."""
        if position is None:
            return self
        stamp, pk = position
        stamp = datetime.fromisoformat(stamp) if isinstance(stamp, str) else stamp
        return self.filter(Q(datestamp__changed__gt=stamp) | Q(datestamp__changed=stamp, id__gt=pk))

    def for_records(self):
        """Headers need issue→series→journal; records need everything the builders show."""
        return self.with_details().select_related("datestamp")

    def for_headers(self):
        return self.select_related("issue__series__journal", "datestamp")


class SetFilter(NamedTuple):
    journal: int | None
    series: int | None
    open_access: bool


def parse_set(spec: str) -> SetFilter | None:
    """What a setSpec selects; None for a spec that names no set of this repository
    (its lists are empty: noRecordsMatch, as the protocol has it)."""
    if spec == OPENAIRE_SET:
        return SetFilter(None, None, True)
    match = _SET_SPEC.match(spec)
    if not match:
        return None
    journal, series = (int(value) if value else None for value in match.groups())
    return SetFilter(journal, series, False)


def articles() -> OaiArticleQuerySet:
    """Every article has a datestamp (a trigger adds it with the article)."""
    return OaiArticleQuerySet(model=Article).filter(datestamp__isnull=False)


def tombstones(query: dict | None = None):
    """Deleted articles, filtered like the articles of a list query."""
    qs = OaiTombstone.objects.all()
    if not query:
        return qs
    wanted = parse_set(query["set"]) if query.get("set") else None
    if query.get("set") and wanted is None:
        return qs.none()
    # The openaire set lists every deleted article: what a deleted article's access was is
    # not kept, and a harvester of the set must still hear that a record it has is gone.
    if wanted and wanted.journal is not None:
        qs = qs.filter(journal_id=wanted.journal)
    if wanted and wanted.series is not None:
        qs = qs.filter(series_id=wanted.series)
    if query.get("from"):
        qs = qs.filter(deleted__gte=_parse_date(query["from"], False)[0])
    if query.get("until"):
        qs = qs.filter(deleted__lt=_parse_date(query["until"], True)[0])
    position = query.get("after")
    if position:
        stamp, pk = position
        stamp = datetime.fromisoformat(stamp) if isinstance(stamp, str) else stamp
        qs = qs.filter(Q(deleted__gt=stamp) | Q(deleted=stamp, article_id__gt=pk))
    return qs.order_by("deleted", "article_id")


def is_deleted(item) -> bool:
    return isinstance(item, OaiTombstone)


def stamp_of(item) -> datetime:
    return item.deleted if is_deleted(item) else item.datestamp.changed


def harvest_key(item) -> tuple:
    return (stamp_of(item), item.article_id if is_deleted(item) else item.pk)


def set_specs(item) -> list[str]:
    if is_deleted(item):
        if item.journal_id is None:
            return []
        specs = [f"journal:{item.journal_id}"]
        if item.series_id is not None:
            specs.append(f"journal:{item.journal_id}:series:{item.series_id}")
        return specs
    series = item.issue.series
    specs = [f"journal:{series.journal_id}", f"journal:{series.journal_id}:series:{series.pk}"]
    return specs + [OPENAIRE_SET] if item.access == AccessRight.OPEN else specs


# ---------------------------------------------------------------- arguments


def _parse_date(value: str, upper: bool):
    if _DAY.match(value):
        try:
            day = datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
        except ValueError:
            raise OaiError("badArgument", f"Not a date: {value}") from None
        return (day + timedelta(days=1) if upper else day), "day"
    if _SECOND.match(value):
        try:
            moment = datetime.strptime(value, DATESTAMP_FORMAT).replace(tzinfo=UTC)
        except ValueError:
            raise OaiError("badArgument", f"Not a datestamp: {value}") from None
        return (moment + timedelta(seconds=1) if upper else moment), "second"
    raise OaiError("badArgument", f"Dates are YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ, not {value!r}.")


def _arguments(request) -> dict[str, str]:
    data = request.POST if request.method == "POST" else request.GET
    arguments = {}
    for key in data:
        values = data.getlist(key)
        if len(values) > 1:
            raise OaiError("badArgument", f"The argument {key} is repeated.")
        arguments[key] = values[0]
    return arguments


def _check_arguments(verb: str, arguments: dict) -> None:
    required, optional, exclusive = VERBS[verb]
    given = set(arguments) - {"verb"}
    if exclusive and exclusive in given:
        if given != {exclusive}:
            raise OaiError("badArgument", f"{exclusive} must be the only argument.")
        return
    missing = required - given
    if missing:
        raise OaiError("badArgument", f"Missing argument: {', '.join(sorted(missing))}.")
    unknown = given - required - optional
    if unknown:
        raise OaiError("badArgument", f"Illegal argument: {', '.join(sorted(unknown))}.")


def _query(arguments: dict) -> dict:
    """The list query of ListIdentifiers/ListRecords from arguments or a resumption token."""
    if "resumptionToken" in arguments:
        return _read_token(arguments["resumptionToken"])
    prefix = arguments["metadataPrefix"]
    if prefix not in FORMATS:
        raise OaiError("cannotDisseminateFormat", f"Unknown metadata format: {prefix}")
    query = {"prefix": prefix, "set": arguments.get("set", ""), "from": "", "until": ""}
    granularity = set()
    bounds = {}
    for name, upper in (("from", False), ("until", True)):
        if name in arguments:
            bounds[name], unit = _parse_date(arguments[name], upper)
            granularity.add(unit)
            query[name] = arguments[name]
    if len(granularity) > 1:
        raise OaiError("badArgument", "from and until must have the same granularity.")
    if "from" in bounds and "until" in bounds and bounds["from"] >= bounds["until"]:
        raise OaiError("badArgument", "from is later than until.")
    if query["set"] and not _SET_SYNTAX.match(query["set"]):
        raise OaiError("badArgument", f"Not a setSpec: {query['set']!r}")
    query.update(after=None, cursor=0)
    return query


def _make_token(query: dict) -> str:
    return signing.dumps(query, salt=TOKEN_SALT, compress=True)


def _read_token(token: str) -> dict:
    try:
        query = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_LIFETIME)
    except signing.SignatureExpired:
        raise OaiError("badResumptionToken", "The resumption token has expired.") from None
    except (signing.BadSignature, ValueError, TypeError):
        raise OaiError("badResumptionToken", "The resumption token is not valid.") from None
    if not isinstance(query, dict) or query.get("prefix") not in FORMATS:
        raise OaiError("badResumptionToken", "The resumption token is not valid.")
    return query


def _filtered(query: dict) -> OaiArticleQuerySet:
    first = _parse_date(query["from"], False)[0] if query.get("from") else None
    last = _parse_date(query["until"], True)[0] if query.get("until") else None
    return articles().in_set(query.get("set")).updated_between(first, last)


def _article_for(identifier: str, request):
    prefix = f"oai:{repository_identifier(request)}:article/"
    if not identifier.startswith(prefix) or not identifier[len(prefix) :].isdigit():
        raise OaiError("idDoesNotExist", f"No item has the identifier {identifier}.")
    pk = int(identifier[len(prefix) :])
    article = articles().for_records().filter(pk=pk).first()
    if article is None:
        article = OaiTombstone.objects.filter(article_id=pk).first()
    if article is None:
        raise OaiError("idDoesNotExist", f"No item has the identifier {identifier}.")
    return article


# ---------------------------------------------------------------- response


class Response:
    def __init__(self, request):
        self.request = request
        self.base_url = request.build_absolute_uri("/")
        self.root = etree.Element(f"{{{OAI_NS}}}OAI-PMH", nsmap={None: OAI_NS, "xsi": XSI_NS})
        self.root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_NS} {OAI_SCHEMA}")
        sub(self.root, f"{{{OAI_NS}}}responseDate", datestamp(datetime.now(UTC)))
        self.request_element = sub(
            self.root, f"{{{OAI_NS}}}request", request.build_absolute_uri(request.path)
        )

    def o(self, parent, name, value=None, attrs=None):
        return sub(parent, f"{{{OAI_NS}}}{name}", value, attrs)

    def echo(self, arguments: dict) -> None:
        """Arguments go back as attributes of <request> (only once they are known valid)."""
        for key, value in arguments.items():
            self.request_element.set(key, text(value))

    def error(self, code: str, message: str) -> None:
        self.o(self.root, "error", message, {"code": code})

    def http(self) -> HttpResponse:
        body = etree.tostring(self.root, xml_declaration=True, encoding="UTF-8")
        return HttpResponse(body, content_type="text/xml; charset=utf-8")

    def identifier(self, item) -> str:
        pk = item.article_id if is_deleted(item) else item.pk
        return f"oai:{repository_identifier(self.request)}:article/{pk}"

    def header(self, parent, item):
        """An article's header, or a deleted article's (status="deleted")."""
        header = self.o(parent, "header", attrs={"status": "deleted" if is_deleted(item) else ""})
        self.o(header, "identifier", self.identifier(item))
        self.o(header, "datestamp", datestamp(stamp_of(item)))
        for spec in set_specs(item):
            self.o(header, "setSpec", spec)
        return header

    def record(self, parent, article, prefix: str):
        record = self.o(parent, "record")
        self.header(record, article)
        if is_deleted(article):
            return  # a deleted record has a header only
        metadata = self.o(record, "metadata")
        metadata.append(FORMATS[prefix]["build"](article, self.base_url))


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def endpoint(request):
    response = Response(request)
    try:
        arguments = _arguments(request)
        verb = arguments.get("verb")
        if verb not in VERBS:
            raise OaiError("badVerb", "Missing or unknown verb." if verb else "Missing verb.")
        _check_arguments(verb, arguments)
        response.echo(arguments)
        HANDLERS[verb](response, arguments)
    except OaiError as error:
        if error.code in ("badVerb", "badArgument"):
            # The protocol: no request attributes when the request itself is malformed.
            for key in list(response.request_element.attrib):
                del response.request_element.attrib[key]
        response.error(error.code, error.message)
    return response.http()


# ---------------------------------------------------------------- verbs


def identify(response, arguments):
    stamps = [
        RecordDatestamp.objects.aggregate(first=Min("changed"))["first"],
        OaiTombstone.objects.aggregate(first=Min("deleted"))["first"],
    ]
    earliest = min((stamp for stamp in stamps if stamp), default=None)
    element = response.o(response.root, "Identify")
    response.o(element, "repositoryName", settings.OAI_REPOSITORY_NAME)
    response.o(element, "baseURL", response.request.build_absolute_uri(response.request.path))
    response.o(element, "protocolVersion", "2.0")
    admins = (
        settings.OAI_ADMIN_EMAILS
        or [email for _, email in settings.ADMINS]
        or ["admin@example.org"]
    )
    for email in admins:
        response.o(element, "adminEmail", email)
    response.o(
        element,
        "earliestDatestamp",
        datestamp(earliest) if earliest else "1970-01-01T00:00:00Z",
    )
    response.o(element, "deletedRecord", "persistent")
    response.o(element, "granularity", GRANULARITY)
    repository = repository_identifier(response.request)
    if re.match(r"^[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+$", repository):
        description = response.o(element, "description")
        ident = etree.SubElement(
            description, f"{{{OAI_ID_NS}}}oai-identifier", nsmap={None: OAI_ID_NS}
        )
        ident.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_ID_NS} {OAI_ID_SCHEMA}")
        sub(ident, f"{{{OAI_ID_NS}}}scheme", "oai")
        sub(ident, f"{{{OAI_ID_NS}}}repositoryIdentifier", repository)
        sub(ident, f"{{{OAI_ID_NS}}}delimiter", ":")
        sub(ident, f"{{{OAI_ID_NS}}}sampleIdentifier", f"oai:{repository}:article/1")


def list_metadata_formats(response, arguments):
    if "identifier" in arguments:
        _article_for(arguments["identifier"], response.request)
    element = response.o(response.root, "ListMetadataFormats")
    for prefix, spec in FORMATS.items():
        item = response.o(element, "metadataFormat")
        response.o(item, "metadataPrefix", prefix)
        response.o(item, "schema", spec["schema"])
        response.o(item, "metadataNamespace", spec["namespace"])


def list_sets(response, arguments):
    if "resumptionToken" in arguments:
        # Every set fits in one response, so no token is ever issued.
        raise OaiError("badResumptionToken", "This repository issues no ListSets tokens.")
    element = response.o(response.root, "ListSets")

    def declare(spec, name):
        item = response.o(element, "set")
        response.o(item, "setSpec", spec)
        response.o(item, "setName", name)

    journals = list(Journal.objects.order_by("pk"))
    series_by_journal: dict[int, list[Series]] = {}
    for series in Series.objects.order_by("journal_id", "pk"):
        series_by_journal.setdefault(series.journal_id, []).append(series)
    # Every parent a setSpec implies is declared: journal:3:series:5 is in journal:3:series,
    # which is in journal:3, which is in journal.
    if journals:
        declare("journal", "Journals")
    for journal in journals:
        title = journal.title_en or journal.title
        declare(f"journal:{journal.pk}", title)
        children = series_by_journal.get(journal.pk, [])
        if children:
            declare(f"journal:{journal.pk}:series", f"{title}: series")
        for series in children:
            name = series.name_en or series.name or "main series"
            declare(f"journal:{journal.pk}:series:{series.pk}", f"{title}: {name}")
    declare(OPENAIRE_SET, "OpenAIRE")


def _list(response, arguments, verb: str):
    query = _query(arguments)
    qs = _filtered(query)
    gone = tombstones(query)
    total = qs.count() + tombstones({**query, "after": None}).count()
    page = qs.after(query["after"]).harvest_order()
    page = page.for_records() if verb == "ListRecords" else page.for_headers()
    size = page_size()
    # Articles and deleted articles, merged in one (datestamp, id) order.
    items = sorted([*page[: size + 1], *gone[: size + 1]], key=harvest_key)[: size + 1]
    more, items = len(items) > size, items[:size]
    if not items:
        if query["cursor"]:
            raise OaiError("badResumptionToken", "The list this token continues has changed.")
        raise OaiError("noRecordsMatch", "No items match the request.")
    element = response.o(response.root, verb)
    for article in items:
        if verb == "ListRecords":
            response.record(element, article, query["prefix"])
        else:
            response.header(element, article)
    cursor = query["cursor"]
    if more or cursor:
        token_attrs = {"completeListSize": str(total), "cursor": str(cursor)}
        if more:
            last = items[-1]
            expiry = datetime.now(UTC) + TOKEN_LIFETIME
            token_attrs["expirationDate"] = datestamp(expiry)
            token = _make_token(
                {
                    **query,
                    "after": [stamp_of(last).isoformat(), harvest_key(last)[1]],
                    "cursor": cursor + len(items),
                }
            )
            response.o(element, "resumptionToken", token, token_attrs)
        else:
            # The last page of a resumed list: an empty token says the list is complete.
            response.o(element, "resumptionToken", None, token_attrs)


def list_identifiers(response, arguments):
    _list(response, arguments, "ListIdentifiers")


def list_records(response, arguments):
    _list(response, arguments, "ListRecords")


def get_record(response, arguments):
    prefix = arguments["metadataPrefix"]
    if prefix not in FORMATS:
        raise OaiError("cannotDisseminateFormat", f"Unknown metadata format: {prefix}")
    article = _article_for(arguments["identifier"], response.request)
    element = response.o(response.root, "GetRecord")
    response.record(element, article, prefix)


HANDLERS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
    "GetRecord": get_record,
}
