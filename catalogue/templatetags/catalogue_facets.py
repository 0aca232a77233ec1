"""{% facet_sections facets chart keywords_url %}: the browse page's facets, each a
section of list items, {% facet_values values more %} one facet's values, and
{% year_histogram chart %}: the year facet's bars as SVG; all made in Python.

A browse page shows some seventy facet values; rendered through an included template
each, they took a third of the page's time. The histogram's twenty bars, each with a
plural translation, cost a tenth of the rest; the nine sections' template nodes, a
tenth again. The markup is the same.
"""

import html

from django import template
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


SELECTED = ' class="selected" aria-current="true"'


def _escape(value) -> str:
    """conditional_escape() without its lazy-string wrapper, which cost more than the
    escaping itself over a page's seventy values. Numbers need none."""
    if type(value) in (int, float):
        return str(value)
    if isinstance(value, Promise):
        value = str(value)
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


@register.simple_tag
def facet_values(values, more: bool) -> str:
    """The <li> of each value whose `more` (folded under "N more") is `more`."""
    note = format_html(
        '<span class="visually-hidden"> {}</span>', _("(selected; follow to remove)")
    )
    items = []
    for value in values:
        if bool(value["more"]) != more:
            continue
        selected = value["selected"]
        depth, url = _escape(value.get("depth", "")), _escape(value["url"])
        label, count = _escape(value["label"]), _escape(value["count"])
        items.append(
            f'<li class="depth-{depth}"><a href="{url}"{SELECTED if selected else ""}>'
            f'<span class="box" aria-hidden="true">{"☑" if selected else "☐"}</span> '
            f'{label}{note if selected else ""}</a> <span class="count">{count}</span></li>'
        )
    return mark_safe("".join(items))


@register.simple_tag
def facet_sections(facets, chart: dict, keywords_url: str) -> str:
    """A <section> for each facet with values: its heading, the year histogram above the
    years, the first values and the rest folded under "N more", and below the keywords a
    link to all of them."""
    parts = []
    for name, label, values, folded in facets:
        parts.append("\n    ")
        if not values:
            parts.append("\n    ")
            continue
        label = _escape(label)
        histogram = year_histogram(chart) if name == "year" and chart["bars"] else ""
        more = ""
        if folded:
            counted = ngettext("%(counter)s more", "%(counter)s more", folded) % {"counter": folded}
            more = (
                '\n      <details class="more-values">\n'
                f'        <summary>{counted}<span class="visually-hidden"> ({label})</span>'
                "</summary>\n        <ul>\n"
                f"          {facet_values(values, True)}\n        </ul>\n      </details>\n      "
            )
        link = (
            f'<a class="more" href="{_escape(keywords_url)}">{_escape(_("All keywords…"))}</a>'
            if name == "keyword"
            else ""
        )
        parts.append(
            f'\n    <section class="facet" id="facet-{_escape(name)}">\n      <h2>{label}</h2>\n'
            f"      {histogram}\n      <ul>\n        {facet_values(values, False)}\n"
            f"      </ul>\n      {more}\n      {link}\n    </section>\n    \n    "
        )
    return mark_safe("".join(parts))  # noqa: S308 - each part escaped


@register.simple_tag
def year_histogram(chart: dict) -> str:
    """The year facet's counts as SVG bars, each a link filtering by its year
    (charts.histogram gives the geometry)."""
    width, height = _escape(chart["bar_width"]), _escape(chart["height"])
    bars = []
    for bar in chart["bars"]:
        label, count, x = _escape(bar["label"]), _escape(bar["count"]), _escape(bar["x"])
        described = ngettext(
            "%(year)s: %(counter)s article", "%(year)s: %(counter)s articles", bar["count"]
        ) % {"year": label, "counter": bar["count"]}
        bars.append(
            f'\n  <a href="{_escape(bar["url"])}" aria-label="{described}">\n'
            f'    <rect class="slot" x="{x}" y="0" width="{width}" height="{height}"/>\n'
            f'    <rect class="{"bar selected" if bar["selected"] else "bar"}" x="{x}"'
            f' y="{_escape(bar["y"])}" width="{width}" height="{_escape(bar["height"])}"/>\n'
            f"    <title>{label}: {count}</title>\n  </a>\n  "
        )
    return format_html(
        '<svg class="year-histogram" role="group" aria-labelledby="year-histogram-title" '
        'viewBox="0 0 {} {}" preserveAspectRatio="xMinYMax meet" '
        'xmlns="http://www.w3.org/2000/svg">\n  <title id="year-histogram-title">{}</title>\n  '
        "{}\n</svg>\n",
        chart["width"],
        chart["height"],
        _("Articles per year; follow a bar to filter by that year"),
        mark_safe("".join(bars)),  # noqa: S308 - each part escaped above
    )
