"""The client's address, honouring only the proxies this deployment trusts.

Behind a load balancer REMOTE_ADDR is the balancer; the client is the right-most address
in X-Forwarded-For that is not one of our proxies (left-most entries can be forged by the
client). KEYPROJECTS_TRUSTED_PROXIES lists the proxies' networks (CIDR), none by default.
"""

import functools
import ipaddress

from django.conf import settings


@functools.cache
def _networks(cidrs: tuple[str, ...]):
    return tuple(ipaddress.ip_network(cidr, strict=False) for cidr in cidrs)


def in_networks(address: str | None, cidrs) -> bool:
    """Is `address` in one of the networks `cidrs` (CIDR strings)? False if malformed."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in net for net in _networks(tuple(cidrs)))


def _is_trusted(address: str) -> bool:
    return in_networks(address, settings.TRUSTED_PROXIES)


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    if remote is None or not _is_trusted(remote):
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed([a for a in forwarded if a]):
        if not _is_trusted(address):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return remote  # a malformed header: fall back to what we know
    return remote
