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
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    checks = (
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("private", address.is_private),
        ("multicast", address.is_multicast),
        ("reserved", address.is_reserved),
        ("unspecified", address.is_unspecified),
    )
    return next((f"a {name} address" for name, hit in checks if hit), None)


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
        ip, _, override_port = override.rpartition(":") if ":" in override else (override, "", "")
        candidates = [(ip or override, int(override_port) if override_port else port)]
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
