"""What editors do to the catalogue beyond editing one field: plain functions, one
transaction each, every one of them recorded in the admin log.

- the review queue: articles with open ingestion warnings, counts per kind, and
  which form field a warning concerns;
- people: merge authors (or organisations), split one authorship off an author,
  and suggest likely duplicates;
- articles: merge a duplicate article into the one kept (its address redirects,
  OAI-PMH reports it deleted and the kept one changed);
- protected fields: release a field an editor corrected so the next ingest may
  update it again.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.expressions import ArraySubquery
from django.db import transaction
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import (
    LANGUAGE_CODES,
    Article,
    ArticleKeyword,
    Author,
    Authorship,
    AuthorshipAffiliation,
    ErrorReport,
    IngestWarning,
    Issue,
    MergedAuthor,
    NameVariant,
    OaiTombstone,
    Organisation,
    RecordDatestamp,
    in_language,
)
from .parsing.names import name_key, same_person


class EditorialError(Exception):
    """An editorial operation refused, with a message for the editor."""


# ---------------------------------------------------------------- review queue

# Warning fields that stand for a whole part of the article rather than one form field.
SECTION_FIELDS = {"authors", "keywords", "references"}


def form_field_of(warning: IngestWarning) -> str:
    """The article form field a warning concerns ("abstract" + "kk" -> "abstract_kk").

    "" when it concerns no single field (an unattached block, a possible duplicate
    person); "authors", "keywords" or "references" for the inline sections.
    """
    name = warning.field
    if not name:
        return ""
    if name in ("title", "abstract"):
        return f"{name}_{warning.language}" if warning.language else f"{name}_en"
    if name == "pages":
        return "first_page"
    if name in SECTION_FIELDS or name in Article.EDITABLE_FIELDS or name == "doi_inferred":
        return name
    return ""


# The queue's pseudo-kind for readers' error reports, beside the warning kinds.
REPORT_KIND = "report"


def _count(queryset):
    return Coalesce(
        Subquery(
            queryset.order_by().values("article").annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def review_articles(kind: str = ""):
    """Articles with an open warning (of `kind`) or an open reader's report.

    Annotated with `open_warnings`, `open_reports` and `open_kinds` (a list).
    """
    warnings = IngestWarning.objects.filter(article=OuterRef("pk"), resolved=False)
    reports = ErrorReport.objects.filter(article=OuterRef("pk"), resolved=False)
    if kind == REPORT_KIND:
        condition = Exists(reports)
    elif kind:
        condition = Exists(warnings.filter(kind=kind))
    else:
        condition = Exists(warnings) | Exists(reports)
    return Article.objects.filter(condition).annotate(
        open_warnings=_count(warnings),
        open_reports=_count(reports),
        open_kinds=ArraySubquery(warnings.order_by("kind").values("kind").distinct()),
    )


def warning_kind_counts(issue_id=None) -> list[dict]:
    """Open warnings per kind: [{"kind", "label", "count"}], every kind listed."""
    warnings = IngestWarning.objects.open().filter(article__isnull=False)
    if issue_id:
        warnings = warnings.filter(article__issue_id=issue_id)
    counts = dict(
        warnings.order_by()
        .values_list("kind")
        .annotate(count=Count("pk"))
        .values_list("kind", "count")
    )
    reports = ErrorReport.objects.open()
    if issue_id:
        reports = reports.filter(article__issue_id=issue_id)
    return [
        {"kind": kind, "label": label, "count": counts.get(kind, 0)}
        for kind, label in IngestWarning.Kind.choices
    ] + [{"kind": REPORT_KIND, "label": "reader's error report", "count": reports.count()}]


def resolve_filled_warnings(article: Article) -> int:
    """Close "missing field" warnings whose field an editor has now filled in."""
    keyword_languages = None
    closed = []
    for warning in article.warnings.open().filter(kind=IngestWarning.Kind.MISSING_FIELD):
        name = form_field_of(warning)
        if name == "keywords":
            if keyword_languages is None:
                keyword_languages = set(
                    article.article_keywords.values_list("keyword__language", flat=True)
                )
            filled = (
                warning.language in keyword_languages
                if warning.language
                else bool(keyword_languages)
            )
        elif name == "authors":
            filled = article.authorships.exists()
        elif name == "issue":
            filled = not article.issue.is_unassigned
        elif name and name not in SECTION_FIELDS:
            filled = getattr(article, name, None) not in (None, "", [])
        else:
            filled = False
        if filled:
            closed.append(warning.pk)
    return IngestWarning.objects.filter(pk__in=closed).update(resolved=True)


def resolve_warnings(article: Article, kind: str, user=None) -> int:
    count = article.warnings.open().filter(kind=kind).update(resolved=True)
    if count and user is not None:
        _log(user, article, CHANGE, f"Resolved {count} warning(s): {kind}.")
    return count


@transaction.atomic
def confirm_doi(article: Article, user=None) -> None:
    """The editor checked the inferred DOI: it is now as good as printed."""
    article.doi_inferred = False
    article.save(update_fields=["doi_inferred", "updated"])
    resolve_warnings(article, IngestWarning.Kind.INFERRED_DOI)
    if user is not None:
        _log(user, article, CHANGE, f"Confirmed the inferred DOI {article.doi}.")


def confirm_inferred_dois(articles, user=None) -> int:
    """Confirm every inferred DOI among `articles` (a queryset): an editor's bulk check."""
    count = 0
    for article in articles.filter(doi_inferred=True, doi__isnull=False):
        confirm_doi(article, user)
        count += 1
    return count


def issue_overview() -> list[dict]:
    """Per issue: articles, articles complete in each language, open warnings.

    Complete in a language means title, abstract and at least one keyword in it.
    Three queries whatever the number of issues.
    """
    keyword_in = {
        code: Exists(ArticleKeyword.objects.filter(article=OuterRef("pk"), keyword__language=code))
        for code in LANGUAGE_CODES
    }
    counts = {
        f"complete_{code}": Count(
            "pk",
            filter=Q(**{f"title_{code}__gt": "", f"abstract_{code}__gt": "", f"kw_{code}": True}),
        )
        for code in LANGUAGE_CODES
    }
    rows = (
        Article.objects.annotate(**{f"kw_{code}": expr for code, expr in keyword_in.items()})
        .order_by()
        .values("issue_id")
        .annotate(articles=Count("pk"), **counts)
    )
    per_issue = {row["issue_id"]: row for row in rows}
    warnings = dict(
        IngestWarning.objects.open()
        .filter(article__isnull=False)
        .order_by()
        .values_list("article__issue_id")
        .annotate(count=Count("pk"))
        .values_list("article__issue_id", "count")
    )
    result = []
    for issue in Issue.objects.with_journal().latest_first():
        row = per_issue.get(issue.pk, {})
        articles = row.get("articles", 0)
        result.append(
            {
                "issue": issue,
                "articles": articles,
                "complete": [
                    {"language": code, "count": row.get(f"complete_{code}", 0)}
                    for code in LANGUAGE_CODES
                ],
                "open_warnings": warnings.get(issue.pk, 0),
            }
        )
    return result


# ---------------------------------------------------------------- protected fields


@transaction.atomic
def release_fields(article: Article, fields, user=None) -> list[str]:
    """Remove fields from `edited_fields`: the next ingest may update them again."""
    released = [name for name in fields if name in article.edited_fields]
    if not released:
        return []
    article.edited_fields = [name for name in article.edited_fields if name not in released]
    article.save(update_fields=["edited_fields", "updated"])
    if user is not None:
        _log(
            user,
            article,
            CHANGE,
            "Released for re-ingest: " + ", ".join(released) + ".",
        )
    return released


# ---------------------------------------------------------------- people


def author_summary(author: Author) -> dict:
    """What an editor needs to judge a merge: names, identifiers, articles."""
    authorships = list(
        author.authorships.select_related("article__issue").order_by(
            "-article__issue__year", "article_id"
        )
    )
    return {
        "author": author,
        "variants": list(author.name_variants.all()),
        "authorships": authorships,
        "organisations": list(
            Organisation.objects.filter(affiliation_links__authorship__author=author).distinct()
        ),
    }


def richness(summary: dict) -> tuple:
    """How much a record holds, for the merge preview to offer the richest one as the record
    to keep: more articles, then an ORCID, then more printed name forms, then an e-mail;
    among equals the oldest."""
    author = summary["author"]
    return (
        len(summary["authorships"]),
        bool(author.orcid),
        len(summary["variants"]),
        bool(author.email),
        -author.pk,
    )


def merge_problems(authors: list[Author]) -> list[str]:
    """Why these authors cannot be one person; empty when they can."""
    problems = []
    orcids = {author.orcid for author in authors if author.orcid}
    if len(orcids) > 1:
        problems.append(
            "These authors have different ORCIDs ("
            + ", ".join(sorted(orcids))
            + "): an ORCID identifies one person, so they are not the same person. "
            "Correct the wrong ORCID first if one was mistyped."
        )
    shared = (
        Authorship.objects.filter(author__in=authors)
        .values("article_id")
        .annotate(n=Count("author", distinct=True))
        .filter(n__gt=1)
        .values_list("article_id", flat=True)
    )
    for article in Article.objects.filter(pk__in=list(shared)):
        problems.append(
            f"They sign the same article together (“{article}”): "
            "co-authors of one article are different people."
        )
    return problems


@transaction.atomic
def merge_authors(keep: Author, others, user) -> Author:
    """Make `others` one person with `keep`: authorships and name variants move to it.

    Refuses (EditorialError) authors with different ORCIDs or sharing an article.
    The merged records are deleted; the log entry on `keep` lists what they were.
    """
    others = [other for other in others if other.pk != keep.pk]
    if not others:
        raise EditorialError("Choose at least two authors to merge.")
    everyone = [keep, *others]
    # Lock the rows so that a concurrent ingest or merge waits for this one.
    list(Author.objects.select_for_update().filter(pk__in=[a.pk for a in everyone]))
    problems = merge_problems(everyone)
    if problems:
        raise EditorialError(" ".join(problems))
    descriptions = []
    known = set(keep.name_variants.values_list("name", "language"))
    orcid = keep.orcid
    email = keep.email
    for other in others:
        authorships = list(other.authorships.select_related("article"))
        descriptions.append(
            f"#{other.pk} “{other.display_name}”"
            f" (ORCID {other.orcid or '—'}, e-mail {other.email or '—'}; "
            f"articles: {', '.join(str(a.article_id) for a in authorships) or 'none'})"
        )
        for authorship in authorships:
            authorship.author = keep
            authorship.save(update_fields=["author"])
        for variant in other.name_variants.all():
            if (variant.name, variant.language) in known:
                variant.delete()
                continue
            variant.author = keep
            variant.save(update_fields=["author"])
            known.add((variant.name, variant.language))
        orcid = orcid or other.orcid
        email = email or other.email
        _log(user, other, DELETION, f"Merged into author #{keep.pk} “{keep.display_name}”.")
        # Its address, and those of the records merged into it before, lead to `keep`.
        MergedAuthor.objects.filter(author=other).update(author=keep)
        MergedAuthor.objects.create(merged_id=other.pk, author=keep)
        other.delete()
    if orcid != keep.orcid or email != keep.email:
        keep.orcid, keep.email = orcid, email
        keep.save(update_fields=["orcid", "email"])
    _log(user, keep, CHANGE, "Merged into this author: " + "; ".join(descriptions) + ".")
    return keep


@transaction.atomic
def split_authorship(authorship: Authorship, user, target: Author | None = None) -> Author:
    """Give one authorship to another person: `target`, or a new author made from it.

    The printed names of that byline go with it, and leave the old author when
    no other of their authorships prints them.
    """
    source = authorship.author
    if target is not None and target.pk == source.pk:
        raise EditorialError("The authorship already belongs to that author.")
    if target is not None and target.authorships.filter(article=authorship.article_id).exists():
        raise EditorialError(f"“{target}” already signs this article.")
    printed = {
        (getattr(authorship, f"{stem}_{code}"), code, kind)
        for stem, kind in (("name", NameVariant.Kind.BYLINE), ("full_name", NameVariant.Kind.FULL))
        for code in LANGUAGE_CODES
        if getattr(authorship, f"{stem}_{code}")
    }
    created = target is None
    if created:
        display = (
            in_language(authorship, "full_name", "en")
            or in_language(authorship, "name", "en")
            or source.display_name
        )
        target = Author.objects.create(
            display_name=display[:300],
            email=authorship.email,
            match_key=Author.match_key_for(in_language(authorship, "name", "en") or display),
        )
    authorship.author = target
    authorship.save(update_fields=["author"])
    still_printed = set()
    for other in source.authorships.all():
        for stem in ("name", "full_name"):
            for code in LANGUAGE_CODES:
                still_printed.add((getattr(other, f"{stem}_{code}"), code))
    target_has = set(target.name_variants.values_list("name", "language"))
    for name, code, kind in sorted(printed):
        if (name, code) not in target_has:
            NameVariant.objects.create(author=target, name=name, language=code, kind=kind)
            target_has.add((name, code))
        if (name, code) not in still_printed:
            source.name_variants.filter(name=name, language=code).delete()
    what = "a new author" if created else "author"
    _log(
        user,
        source,
        CHANGE,
        f"Split off the authorship of article {authorship.article_id} "
        f"to {what} #{target.pk} “{target.display_name}”.",
    )
    _log(
        user,
        target,
        CHANGE,
        f"Received the authorship of article {authorship.article_id} "
        f"from author #{source.pk} “{source.display_name}”.",
    )
    return target


@transaction.atomic
def merge_organisations(keep: Organisation, others, user) -> Organisation:
    """Make `others` one organisation with `keep`: every affiliation moves to it."""
    others = [other for other in others if other.pk != keep.pk]
    if not others:
        raise EditorialError("Choose at least two organisations to merge.")
    list(Organisation.objects.select_for_update().filter(pk__in=[keep.pk, *(o.pk for o in others)]))
    descriptions = []
    filled = []
    for other in others:
        links = list(other.affiliation_links.all())
        descriptions.append(f"#{other.pk} “{other.as_text()}” ({len(links)} affiliations)")
        for link in links:
            if AuthorshipAffiliation.objects.filter(
                authorship_id=link.authorship_id, organisation=keep
            ).exists():
                link.delete()
            else:
                link.organisation = keep
                link.save(update_fields=["organisation"])
        for name in ("name_en", "name_kk", "name_ru", "city", "country"):
            if not getattr(keep, name) and getattr(other, name):
                setattr(keep, name, getattr(other, name))
                filled.append(name)
        _log(user, other, DELETION, f"Merged into organisation #{keep.pk} “{keep}”.")
        other.delete()
    if filled:
        keep.save(update_fields=sorted(set(filled)))
    _log(user, keep, CHANGE, "Merged into this organisation: " + "; ".join(descriptions) + ".")
    return keep


# ---------------------------------------------------------------- articles

# What the kept article takes from a duplicate when it has none of its own: the fields an
# editor may correct, less its place and identity (issue, position, DOI: handled on their
# own) and the lists (authors, keywords, references: taken whole or not at all).
ARTICLE_FILLED_FIELDS = (
    *(
        name
        for name in Article.EDITABLE_FIELDS
        if name not in ("issue", "position", "doi", "authors", "keywords", "references")
    ),
    "licence_url",
    "access_right",
)


def article_merge_problems(articles: list[Article]) -> list[str]:
    """Why these articles cannot be one; empty when they can."""
    dois = {article.doi.lower() for article in articles if article.doi}
    if len(dois) > 1:
        return [
            "These articles have different DOIs ("
            + ", ".join(sorted(dois))
            + "): a DOI identifies one work, so they are not duplicates. "
            "Correct the wrong DOI first if one was mistyped."
        ]
    return []


@transaction.atomic
def merge_articles(keep: Article, others, user) -> Article:
    """Make `others` one article with `keep`, which survives.

    Their sources (provenance), readers' reports and open warnings move to `keep`;
    fields `keep` lacks (a title in another language, pages, dates, a DOI, and its
    authors, keywords or references when it has none) are taken from them and
    protected from re-ingest. They are then deleted: the tombstone trigger records
    each, and `merged_into` names `keep`, whose address their old ones redirect
    to. `keep`'s datestamp moves on, so a harvester sees the lost identifier
    deleted and the kept one changed.
    """
    others = [other for other in others if other.pk != keep.pk]
    if not others:
        raise EditorialError("Choose at least two articles to merge.")
    everyone = [keep, *others]
    list(Article.objects.select_for_update().filter(pk__in=[a.pk for a in everyone]))
    problems = article_merge_problems(everyone)
    if problems:
        raise EditorialError(" ".join(problems))
    filled: list[str] = []
    descriptions = []
    for other in others:
        descriptions.append(f"#{other.pk} “{other}”")
        for name in ARTICLE_FILLED_FIELDS:
            if not getattr(keep, name) and getattr(other, name):
                setattr(keep, name, getattr(other, name))
                filled.append(name)
        if not keep.doi and other.doi:
            doi, inferred = other.doi, other.doi_inferred
            Article.objects.filter(pk=other.pk).update(doi=None)  # the DOI is unique
            keep.doi, keep.doi_inferred = doi, inferred
            filled.append("doi")
        for relation, field_name in (
            ("authorships", "authors"),
            ("article_keywords", "keywords"),
            ("references", "references"),
        ):
            if not getattr(keep, relation).exists() and getattr(other, relation).exists():
                getattr(other, relation).update(article=keep)
                filled.append(field_name)
        known = set(keep.sources.values_list("document_id", flat=True))
        other.sources.exclude(document_id__in=known).update(article=keep)
        other.error_reports.update(article=keep)
        for warning in other.warnings.open():
            clash = IngestWarning.objects.filter(
                article=keep,
                kind=warning.kind,
                field=warning.field,
                language=warning.language,
                message=warning.message,
            ).exists()
            if not clash:
                warning.article = keep
                warning.save(update_fields=["article"])
        _log(user, other, DELETION, f"Merged into article #{keep.pk} “{keep}”.")
        lost = other.pk  # delete() clears it
        other.delete()
        # The trigger wrote the tombstone; it and the ones merged into `other` before lead on.
        OaiTombstone.objects.filter(Q(article_id=lost) | Q(merged_into=lost)).update(
            merged_into=keep.pk
        )
    if filled:
        keep.edited_fields = sorted(set(keep.edited_fields) | set(filled))
        keep.save()
    RecordDatestamp.objects.filter(article=keep).update(changed=timezone.now())
    message = "Merged into this article: " + "; ".join(descriptions) + "."
    if filled:
        message += " Taken from them: " + ", ".join(sorted(set(filled))) + "."
    _log(user, keep, CHANGE, message)
    return keep


@dataclass
class Suggestion:
    authors: list
    reason: str
    score: int = 0
    details: list = field(default_factory=list)


def suggest_duplicate_authors(limit: int = 200) -> list[Suggestion]:
    """Pairs of authors that are likely one person, most certain first.

    Likely: a byline form of each with the same transliterated surname and
    compatible initials ("Zhumatay G." / "Жұматай Ғ.Б."), or surnames one letter
    apart with a co-author or an organisation in common. Never suggested: two
    different ORCIDs, or two people on the same byline. Five queries in all.
    """
    authors = {author.pk: author for author in Author.objects.order_by("pk")}
    names = defaultdict(set)
    for author_id, name in NameVariant.objects.filter(kind=NameVariant.Kind.BYLINE).values_list(
        "author_id", "name"
    ):
        names[author_id].add(name)
    for author in authors.values():
        if not names[author.pk]:
            names[author.pk].add(author.display_name)
    articles = defaultdict(set)
    byline = defaultdict(set)
    for article_id, author_id in Authorship.objects.values_list("article_id", "author_id"):
        articles[author_id].add(article_id)
        byline[article_id].add(author_id)
    organisations = defaultdict(set)
    for author_id, organisation_id in AuthorshipAffiliation.objects.values_list(
        "authorship__author_id", "organisation_id"
    ):
        organisations[author_id].add(organisation_id)
    organisation_names = {o.pk: str(o) for o in Organisation.objects.all()}

    def coauthors(author_id):
        return {other for a in articles[author_id] for other in byline[a]} - {author_id}

    # Compare only authors whose first initial agrees (the block key).
    blocks = defaultdict(set)
    for author_id, printed in names.items():
        for name in printed:
            key = name_key(name)
            blocks[key.split(" ")[-1] if " " in key else ""].add(author_id)
    seen = set()
    suggestions = []
    for members in blocks.values():
        members = sorted(members)
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if (a, b) in seen or a not in authors or b not in authors:
                    continue
                seen.add((a, b))
                first, second = authors[a], authors[b]
                if first.orcid and second.orcid and first.orcid != second.orcid:
                    continue
                if articles[a] & articles[b]:
                    continue
                pairs = [(x, y) for x in names[a] for y in names[b]]
                exact = any(same_person(x, y) for x, y in pairs)
                if not exact and not any(same_person(x, y, fuzzy=True) for x, y in pairs):
                    continue
                details = [
                    f"co-author {authors[c].display_name}"
                    for c in sorted(coauthors(a) & coauthors(b))
                    if c in authors
                ] + [
                    f"organisation {organisation_names.get(o, o)}"
                    for o in sorted(organisations[a] & organisations[b])
                ]
                if exact:
                    reason, score = "same transliterated surname and initials", 2
                elif details:
                    reason, score = "very similar names", 1
                else:
                    continue
                suggestions.append(Suggestion([first, second], reason, score, details))
    suggestions.sort(key=lambda s: (-s.score, s.authors[0].display_name, s.authors[1].pk))
    return suggestions[:limit]


# ---------------------------------------------------------------- log


def _log(user, obj, action_flag, message: str) -> None:
    if user is None or not getattr(user, "pk", None):
        return
    LogEntry.objects.create(
        user_id=user.pk,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action_flag=action_flag,
        change_message=message,
    )
