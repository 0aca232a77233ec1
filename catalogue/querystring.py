"""GET URLs for browse states: every state of the browse page is a link."""

from urllib.parse import urlencode

from django.http import QueryDict


class Links:
    """`with_params` and `toggled` over one request's parameters, each parameter encoded
    once (as QueryDict.urlencode would): a browse page makes some seventy links from the
    same parameters, and copying and encoding the QueryDict for each cost more than
    the facet counts' query."""

    def __init__(self, params: QueryDict):
        self.params = params
        self.encoding = params.encoding
        self.encoded = {
            name: [self._pair(name, value) for value in values]
            for name, values in params.lists()
            if name != "page"
        }

    def _pair(self, name: str, value) -> str:
        return urlencode({name.encode(self.encoding): str(value).encode(self.encoding)})

    def with_params(self, **changes) -> str:
        """`?...` with each named parameter replaced (None removes it); always drops `page`."""
        parts = dict(self.encoded)
        for name, value in changes.items():
            parts.pop(name, None)
            if value is None:
                continue
            values = value if isinstance(value, list | tuple) else [value]
            parts[name] = [self._pair(name, item) for item in values]
        query = "&".join(pair for pairs in parts.values() for pair in pairs)
        return "?" + query if query else "?"

    def toggled(self, name: str, value) -> str:
        """The URL with one value of a repeatable parameter added, or removed if present."""
        values = [item for item in self.params.getlist(name) if item]
        value = str(value)
        values = [item for item in values if item != value] if value in values else values + [value]
        return self.with_params(**{name: values or None})


def page_url(params: QueryDict, number: int) -> str:
    query = params.copy()
    query["page"] = str(number)
    return "?" + query.urlencode()
