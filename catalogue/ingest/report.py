"""What a load tells its caller: the source it read and what became of each article.

The report is also the plan an editor confirms in the admin: `DocumentReport.plan()`
is its fingerprint, the same for two loads that would write the same records, so a
confirmation can tell whether the catalogue changed since the preview.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from ..models import Article
from ..parsing.records import ParseWarning


@dataclass
class SourceInfo:
    file_name: str
    sha256: str = ""
    size: int = 0


@dataclass
class FieldChange:
    """One field of an existing article the document changes (`old` → `new`, as text)."""

    field: str
    old: str
    new: str


@dataclass
class PersonOutcome:
    """One byline: the author it was matched to and why, or a new person."""

    printed: str
    author_id: int | None
    author_name: str
    new: bool
    evidence: str = ""  # "ORCID …", "e-mail …", "name forms …"; empty for a new person
    # What the plan compares: the person's catalogue name (not an id, which a person
    # written by an earlier file of the same upload gets anew when it is confirmed), or
    # "new 3" for the third person new in this document.
    key: str = ""


@dataclass
class ArticleOutcome:
    article: Article
    status: str  # "created", "updated", "unchanged"
    warnings: list[ParseWarning] = field(default_factory=list)
    editor_kept: list[str] = field(default_factory=list)  # fields where the editor's value won
    changes: list[FieldChange] = field(default_factory=list)  # of an article that existed
    people: list[PersonOutcome] = field(default_factory=list)
    existed: bool = False  # the article was in the catalogue before this load

    def plan(self) -> dict:
        """What this outcome writes, by content: an article an earlier file of the same
        upload creates has another id in the preview than when it is confirmed."""
        article = self.article
        return {
            "status": self.status,
            "existed": self.existed,
            "doi": article.doi or "",
            "title": [article.title_en, article.title_kk, article.title_ru],
            "position": article.position,
            "changes": [[c.field, c.old, c.new] for c in self.changes],
            "kept": self.editor_kept,
            "warnings": [[w.kind, w.field, w.language, w.message] for w in self.warnings],
            "people": [[p.printed, p.key, p.evidence] for p in self.people],
        }


@dataclass
class DocumentReport:
    file_name: str
    issue: str = ""
    articles: list[ArticleOutcome] = field(default_factory=list)
    authors_new: int = 0
    authors_matched: int = 0
    warnings: list[ParseWarning] = field(default_factory=list)
    source_document_id: int | None = None

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.articles if outcome.status == status)

    @property
    def counts(self) -> dict[str, int]:
        """Articles by status: {"created": 20, "updated": 0, "unchanged": 0}."""
        return {status: self.count(status) for status in ("created", "updated", "unchanged")}

    @property
    def changes_nothing(self) -> bool:
        """Every article is already in the catalogue as the document gives it."""
        return all(outcome.status == "unchanged" for outcome in self.articles)

    def plan(self) -> str:
        """The fingerprint of what this load writes: equal for equal outcomes."""
        data = {
            "issue": self.issue,
            "articles": [outcome.plan() for outcome in self.articles],
            "authors": [self.authors_new, self.authors_matched],
            "warnings": [[w.kind, w.field, w.language, w.message] for w in self.warnings],
        }
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()
