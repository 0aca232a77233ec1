"""Template filters for public text: a reference with its link printed once."""

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def reference_html(reference) -> str:
    """The reference's text with its DOI or URL as a link, once: where the text already
    prints the address it becomes the link in place; otherwise the link follows the text."""
    text = reference.text or ""
    if reference.doi:
        href = f"https://doi.org/{reference.doi}"
        candidates = [href, f"http://doi.org/{reference.doi}", f"http://dx.doi.org/{reference.doi}"]
        candidates += [f"https://dx.doi.org/{reference.doi}", f"doi:{reference.doi}"]
        candidates += [f"DOI: {reference.doi}", f"DOI:{reference.doi}", reference.doi]
        shown, rel = f"doi:{reference.doi}", ""
    elif reference.url:
        href = reference.url
        candidates = [reference.url]
        shown, rel = reference.url, "nofollow"
    else:
        return escape(text)
    for candidate in candidates:
        at = text.lower().find(candidate.lower())
        if at >= 0:
            end = at + len(candidate)
            link = _link(href, text[at:end], rel)
            return mark_safe(escape(text[:at]) + link + escape(text[end:]))
    return mark_safe(escape(text) + " " + _link(href, shown, rel))


def _link(href: str, label: str, rel: str) -> str:
    if rel:
        return format_html('<a href="{}" rel="{}">{}</a>', href, rel, label)
    return format_html('<a href="{}">{}</a>', href, label)
