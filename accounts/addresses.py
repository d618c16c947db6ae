"""The client's network address, as the login lockout and the audit log both see it."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """Return the address the request came from; behind our proxies, the one they saw.

    Without `BEHIND_PROXY` the address is the TCP peer (REMOTE_ADDR): an X-Forwarded-For
    header could be sent by anyone. Behind `PROXY_COUNT` proxies, each one appends the address
    it received the request from, so the client is that many entries from the right; anything
    further left was written by the client and is ignored. A header too short or not an
    address means the request did not come through our proxies: the TCP peer it is.
    """
    peer = request.META.get("REMOTE_ADDR") or None
    if not settings.BEHIND_PROXY:
        return peer
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(hops) < settings.PROXY_COUNT:
        return peer
    candidate = hops[-settings.PROXY_COUNT]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return peer
