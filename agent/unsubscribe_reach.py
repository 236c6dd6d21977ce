"""Whether recipients can reach the one-click unsubscribe links under a public base URL."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


def unreachable_unsubscribe_base(url: str) -> str | None:
    """Why recipients could not use one-click unsubscribe links under this base URL, or None.

    RFC 8058 one-click unsubscribe is an https link the recipient's mail provider POSTs to:
    it must be https and name a host the internet can reach."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return "is not a URL"
    if parts.scheme.lower() != "https":
        return "is not https"
    if not host:
        return "has no host"
    if parts.query or parts.fragment:
        return "has a query or fragment, which the /u/<token> links cannot follow"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        local = host.lower().rstrip(".")
        if local == "localhost" or local.endswith(".localhost"):
            return "names this machine, which recipients cannot reach"
        return None
    if not address.is_global:
        return "is a loopback or private address, which recipients cannot reach"
    return None
