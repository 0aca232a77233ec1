"""GET URLs for browse states: every state of the browse page is a link."""

from django.http import QueryDict


def with_params(params: QueryDict, **changes) -> str:
    """`?...` with each named parameter replaced (None removes it); always drops `page`."""
    query = params.copy()
    query.pop("page", None)
    for name, value in changes.items():
        query.pop(name, None)
        if value is None:
            continue
        if isinstance(value, list | tuple):
            query.setlist(name, [str(item) for item in value])
        else:
            query[name] = str(value)
    return "?" + query.urlencode() if query else "?"


def toggled(params: QueryDict, name: str, value) -> str:
    """The URL with one value of a repeatable parameter added, or removed if present."""
    values = [item for item in params.getlist(name) if item]
    value = str(value)
    values = [item for item in values if item != value] if value in values else values + [value]
    return with_params(params, **{name: values or None})


def page_url(params: QueryDict, number: int) -> str:
    query = params.copy()
    query["page"] = str(number)
    return "?" + query.urlencode()
