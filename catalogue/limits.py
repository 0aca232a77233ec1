"""Who a request comes from, and limits counted per client in the shared cache.

The admin login lockout (catalogue.admin_site) and the error-report limit
(catalogue.reports) both count here.

The client address. Behind a reverse proxy REMOTE_ADDR is the proxy's address, the same
for every visitor. When REMOTE_ADDR is one of settings.TRUSTED_PROXIES (addresses or
networks), the client is read from X-Forwarded-For: each proxy appends the address that
connected to it, so the header is walked from the right, past the trusted proxies, and
the first address that is not trusted is the client. Everything to the left of it was
written by the client and is ignored (anyone can send X-Forwarded-For). When REMOTE_ADDR
is not trusted, the header is ignored altogether and REMOTE_ADDR is the client.

Counting. `hit` adds one to a counter and returns the new count, atomically across
workers (cache.add for the first, cache.incr after it; catalogue.cache makes incr atomic
in the database cache). A counter lives `seconds` from its first hit. IPv6 clients are
counted per /64 network, the block one subscriber normally holds.
"""

import hashlib
import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache

UNKNOWN = "unknown"


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies)


def _address(text: str):
    """An IP address from a header value or REMOTE_ADDR ("[2001:db8::1]:443" and
    "192.0.2.1:8080" lose their ports; IPv4-mapped IPv6 becomes IPv4); None if not one."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address) -> bool:
    return any(address in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_address(request) -> str:
    """The address of the client that sent `request`, as the trusted proxies report it."""
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return request.META.get("REMOTE_ADDR", "").strip() or UNKNOWN
    if not _trusted(remote):
        return str(remote)
    client = remote
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            # Not written by a proxy we trust: stop at the last address one did write.
            break
        client = address
        if not _trusted(address):
            break
    return str(client)


def client_key(request) -> str:
    """What limits count by: the client's address, or its /64 network for IPv6."""
    address = client_address(request)
    parsed = _address(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return address


def key(scope: str, *parts: str) -> str:
    """A cache key for `scope` and the given parts (hashed: they may be anything)."""
    raw = "|".join(parts)
    return f"{scope}:" + hashlib.sha256(raw.encode()).hexdigest()


def hit(counter: str, seconds: int) -> int:
    """Count one more against `counter`; the count so far, this one included."""
    for _ in range(3):
        if cache.add(counter, 1, seconds):
            return 1
        try:
            return cache.incr(counter)
        except ValueError:  # expired between add and incr: start again
            continue
    return 1


def count(counter: str) -> int:
    return cache.get(counter, 0)


def reset(counter: str) -> None:
    cache.delete(counter)
