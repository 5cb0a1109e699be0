"""The address of the client of a request, seen through the proxies we trust.

``X-Forwarded-For`` is believed only when the request comes from a trusted proxy
(``QLF_TRUSTED_PROXIES``: addresses or networks, e.g. nginx's compose network). nginx appends
the address it saw to whatever the client sent, so the header is read from the right: the first
address that is not a trusted proxy is the client's. Anything unparsable stops the walk.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

__all__ = ["client_address"]


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    trusted = _networks(tuple(settings.QLF.get("TRUSTED_PROXIES") or ()))
    if not trusted or not _within(remote, trusted):
        return remote
    client = remote
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        hop = hop.strip()
        if _parse(hop) is None:
            break
        client = hop
        if not _within(hop, trusted):
            break
    return client


def _within(address: str, networks) -> bool:
    parsed = _parse(address)
    return parsed is not None and any(parsed in network for network in networks)


def _parse(address: str):
    try:
        return ipaddress.ip_address(address)
    except ValueError:
        return None


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(e.strip(), strict=False) for e in entries if e.strip())
