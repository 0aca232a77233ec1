"""GET URLs for browse states: every state of the browse page is a link."""

from urllib.parse import quote_plus

from django.http import QueryDict


class Links:
    """`with_params` and `toggled` over one request's parameters, each parameter encoded
    once (as QueryDict.urlencode would): a browse page makes some seventy links from the
    same parameters, and copying and encoding the QueryDict for each cost more than
    the facet counts' query."""

    def __init__(self, params: QueryDict):
        self.params = params
        self.encoding = params.encoding
        self._pairs: dict[tuple[str, str], str] = {}
        self._without: dict[str, str] = {}
        self.encoded = {
            name: [self._pair(name, value) for value in values]
            for name, values in params.lists()
            if name != "page"
        }

    def _pair(self, name: str, value) -> str:
        """`name=value` as urlencode() writes it."""
        value = str(value)
        pair = self._pairs.get((name, value))
        if pair is None:
            encoding = self.encoding
            pair = f"{quote_plus(name, encoding=encoding)}={quote_plus(value, encoding=encoding)}"
            self._pairs[name, value] = pair
        return pair

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
        """The URL with one value of a repeatable parameter added, or removed if present
        (as with_params would make it: that parameter last). The other parameters' part
        is joined once per name, for the page's many facet links."""
        value = str(value)
        values = [item for item in self.params.getlist(name) if item]
        values = [item for item in values if item != value] if value in values else values + [value]
        if name not in self._without:
            self._without[name] = "&".join(
                pair for other, pairs in self.encoded.items() if other != name for pair in pairs
            )
        rest = self._without[name]
        pairs = [self._pair(name, item) for item in values]
        query = "&".join([rest, *pairs] if rest else pairs)
        return "?" + query if query else "?"


def page_url(params: QueryDict, number: int) -> str:
    query = params.copy()
    query["page"] = str(number)
    return "?" + query.urlencode()
