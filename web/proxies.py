"""The client's address behind a reverse proxy: the login lock is per address, so it must be one the client cannot
choose. A trusted proxy *appends* the address it saw to X-Forwarded-For; everything left of it is whatever the client
sent. So the address is the right-most hop that is not itself a trusted proxy, and the header is read only when the
connection comes from a trusted proxy (GDNN_TRUSTED_PROXIES: addresses or networks, comma-separated)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_trusted(setting: str | None) -> list[Network]:
    """'127.0.0.1, 10.0.0.0/8' -> networks; a bad entry is a configuration error, never silently ignored."""
    networks = []
    for entry in (setting or "").split(","):
        entry = entry.strip()
        if entry:
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError as exc:
                from gdnn_monitor.core.errors import ConfigError

                raise ConfigError(
                    f"GDNN_TRUSTED_PROXIES: {entry!r} không phải địa chỉ IP hay dải mạng "
                    "(ví dụ 127.0.0.1 hoặc 10.0.0.0/8)"
                ) from exc
    return networks


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip().strip('"')
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    return address.ipv4_mapped or address if isinstance(address, ipaddress.IPv6Address) else address


def _trusted(address, networks: list[Network]) -> bool:
    return address is not None and any(address in network for network in networks)


def client_address(peer: str, forwarded_for: Iterable[str], networks: list[Network]) -> str:
    """The address to lock: the peer itself unless it is a trusted proxy; then the right-most untrusted hop."""
    if not _trusted(_address(peer), networks):
        return peer
    hops = [hop for header in forwarded_for for hop in header.split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return peer  # a trusted proxy never writes garbage: whoever did is behind it, lock them as the proxy
        if not _trusted(address, networks):
            return str(address)
    return peer


class ClientAddressMiddleware:
    """ASGI middleware: sets scope['client'] (and the scheme from X-Forwarded-Proto) for requests via a trusted
    proxy; with no trusted proxy configured, headers are ignored and the TCP peer is the client."""

    def __init__(self, app, trusted: str | None) -> None:
        self.app, self.networks = app, parse_trusted(trusted)

    async def __call__(self, scope, receive, send):
        if self.networks and scope["type"] in ("http", "websocket") and scope.get("client"):
            peer = scope["client"][0]
            if _trusted(_address(peer), self.networks):
                headers = [(name, value.decode("latin-1")) for name, value in scope.get("headers", [])]
                forwarded = [value for name, value in headers if name == b"x-forwarded-for"]
                proto = [value.split(",")[-1].strip() for name, value in headers if name == b"x-forwarded-proto"]
                scope = dict(scope, client=(client_address(peer, forwarded, self.networks), 0))
                if proto and proto[-1] in ("http", "https"):
                    scope["scheme"] = proto[-1]
        await self.app(scope, receive, send)
