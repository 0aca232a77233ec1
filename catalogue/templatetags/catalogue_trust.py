"""{% article_trust article as trust %}: was this article's metadata checked by an editor?"""

from django import template
from django.db.models import Count, Q

register = template.Library()


@register.simple_tag
def article_trust(article) -> dict:
    """{"checked": bool, "edited": bool}, in at most one query.

    Checked: an editor corrected a field, or every warning of the ingestion
    about it has been resolved. Otherwise it is shown as extracted.
    """
    edited = bool(article.edited_fields)
    if edited:
        return {"checked": True, "edited": True}
    counts = article.warnings.aggregate(
        total=Count("pk"), open=Count("pk", filter=Q(resolved=False))
    )
    return {"checked": counts["total"] > 0 and counts["open"] == 0, "edited": False}
