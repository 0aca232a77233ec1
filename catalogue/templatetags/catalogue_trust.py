"""{% article_trust article as trust %}: which of this article's fields an editor checked.

The public trust line speaks per field: resolving one warning about the Kazakh title
says nothing of the authors or the abstract, so it must not mark the whole record as
checked by an editor.
"""

from django import template
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..filters import LANGUAGE_NAMES

register = template.Library()

# Fields as readers know them; per-language fields say their language.
FIELD_NAMES = {
    "doi": _("DOI"),
    "title": pgettext_lazy("record field", "title"),  # "title" alone is a sort order
    "abstract": _("abstract"),
    "authors": _("authors"),
    "keywords": _("keywords"),
    "references": _("references"),
    "pages": _("pages"),
    "section": _("section"),
    "udc": _("UDC"),
    "irsti": _("IRSTI"),
    "language": _("language"),
    "received": _("date received"),
    "accepted": _("date accepted"),
    "position": _("place in the issue"),
}
ALIASES = {"first_page": "pages", "last_page": "pages", "doi_inferred": "doi"}
PER_LANGUAGE = ("title", "abstract")


def _field(name: str, language: str = "") -> tuple[str, str] | None:
    """("title", "kk") from "title_kk" or from ("title", "kk"); None for no field a
    reader sees (a warning about a block left over, or about no field)."""
    base, _sep, suffix = name.rpartition("_")
    if base in PER_LANGUAGE and suffix in LANGUAGE_NAMES:
        name, language = base, suffix
    name = ALIASES.get(name, name)
    if name not in FIELD_NAMES:
        return None
    return (name, language if name in PER_LANGUAGE else "")


def _label(field: tuple[str, str]) -> str:
    name, language = field
    if not language:
        return FIELD_NAMES[name]
    return format_lazy("{} ({})", FIELD_NAMES[name], LANGUAGE_NAMES[language])


@register.simple_tag
def article_trust(article) -> dict:
    """{"checked": [field labels], "edited": bool}, in at most one query.

    A field is checked when an editor corrected it, or when the ingestion's warnings
    about it have all been resolved. Warnings about no particular field check nothing.
    """
    checked = {field for name in article.edited_fields if (field := _field(name))}
    resolved, still_open = set(), set()
    for name, language, done in article.warnings.values_list("field", "language", "resolved"):
        field = _field(name, language)
        if field is not None:
            (resolved if done else still_open).add(field)
    checked |= resolved - still_open
    order = list(FIELD_NAMES)
    fields = sorted(checked, key=lambda f: (order.index(f[0]), f[1]))
    return {"checked": [_label(field) for field in fields], "edited": bool(article.edited_fields)}
