"""Refuse URLs that point into private networks (SSRF), checking the resolved addresses."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

ALLOW_HINT = "set OUTREACH_ALLOW_PRIVATE_NETWORKS=1 to allow private networks"


class UnsafeURLError(Exception):
    """The URL resolves to an address research must not reach."""


@dataclass(frozen=True)
class Target:
    """Where to connect for a host: the checked address and port."""

    ip: str
    port: int


def address_problem(ip: str) -> str | None:
    """Return why an address is off-limits (loopback, private, ...), or None if public."""
    address = ipaddress.ip_address(ip)
    if isinstance(address, ipaddress.IPv6Address):
        # IPv4 carried inside IPv6 (mapped, 6to4, Teredo) is judged as the IPv4 it carries.
        embedded = address.ipv4_mapped or address.sixtofour or (address.teredo or (None, None))[1]
        if embedded is not None:
            address = embedded
    checks = (
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("private", address.is_private),
        ("multicast", address.is_multicast),
        ("reserved", address.is_reserved),
        ("unspecified", address.is_unspecified),
        ("site-local", getattr(address, "is_site_local", False)),
        # Everything else that is not globally routable: shared address space (100.64/10,
        # where some clouds keep metadata services), site-local IPv6, documentation ranges.
        ("non-public", not address.is_global),
    )
    return next((f"a {name} address" for name, hit in checks if hit), None)


def _parse_override(value: str, default_port: int) -> tuple[str, int]:
    """Parse "ip", "ip:port", "[v6]" or "[v6]:port"."""
    if value.startswith("["):
        ip, _, rest = value[1:].partition("]")
        return ip, int(rest[1:]) if rest.startswith(":") else default_port
    if value.count(":") == 1:
        ip, _, port = value.partition(":")
        return ip, int(port)
    return value, default_port  # a bare IPv4 or IPv6 address


def _in_networks(ip: str, networks: tuple[str, ...]) -> bool:
    address = ipaddress.ip_address(ip)
    return any(address in ipaddress.ip_network(net, strict=False) for net in networks)


async def resolve_target(
    host: str,
    port: int,
    *,
    overrides: dict[str, str],
    allow_private: bool,
    allowed_networks: tuple[str, ...] = (),
) -> Target:
    """Resolve a host (or its override) and return an address that is safe to connect to.

    Every address the name resolves to is checked, so a name with one public and one private
    address is refused; the caller connects to the returned address, not to the name again,
    so a second DNS answer cannot swap in a private address.
    """
    override = overrides.get(host.lower())
    if override is not None:
        candidates = [_parse_override(override, port)]
    else:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                host, port, type=socket.SOCK_STREAM
            )
        except socket.gaierror as exc:
            raise UnsafeURLError(f"cannot resolve {host} ({exc.strerror})") from None
        candidates = [(str(info[4][0]), port) for info in infos]
    if not candidates:
        raise UnsafeURLError(f"cannot resolve {host}")
    if not allow_private:
        for ip, _ in candidates:
            problem = address_problem(ip)
            if problem and not _in_networks(ip, allowed_networks):
                raise UnsafeURLError(f"refused: {host} resolves to {ip}, {problem}; {ALLOW_HINT}")
    ip, target_port = candidates[0]
    return Target(ip=ip, port=target_port)


RequestGuard = Callable[[str], Awaitable[str | None]]


def request_guard(
    *, overrides: dict[str, str], allow_private: bool, allowed_networks: tuple[str, ...] = ()
) -> RequestGuard:
    """Return a check for requests a browser makes on its own (scripts, images, XHR)."""

    async def check(url: str) -> str | None:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            return None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return f"scheme {parts.scheme!r} is not allowed"
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            await resolve_target(
                parts.hostname,
                port,
                overrides=overrides,
                allow_private=allow_private,
                allowed_networks=allowed_networks,
            )
        except UnsafeURLError as exc:
            return str(exc)
        return None

    return check
