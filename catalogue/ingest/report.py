"""What a load tells its caller: the source it read and what became of each article."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import Article
from ..parsing.records import ParseWarning


@dataclass
class SourceInfo:
    file_name: str
    sha256: str = ""
    size: int = 0


@dataclass
class ArticleOutcome:
    article: Article
    status: str  # "created", "updated", "unchanged"
    warnings: list[ParseWarning] = field(default_factory=list)
    editor_kept: list[str] = field(default_factory=list)  # fields where the editor's value won


@dataclass
class DocumentReport:
    file_name: str
    issue: str = ""
    articles: list[ArticleOutcome] = field(default_factory=list)
    authors_new: int = 0
    authors_matched: int = 0
    warnings: list[ParseWarning] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.articles if outcome.status == status)
