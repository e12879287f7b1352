"""Which IP addresses an outbound request may reach: public unicast only.

``blocked_reason`` is the one decision the guarded client (``classifier.fetch``) applies to
every address a URL's host resolves to, at every redirect hop. IPv6 forms that carry an IPv4
address (IPv4-mapped, NAT64, 6to4, Teredo) are judged by the address they carry, so
``::ffff:127.0.0.1`` is as loopback as ``127.0.0.1``.
"""

from __future__ import annotations

import ipaddress
from typing import Final

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Not always covered by ``is_private`` / ``is_global`` across the Python versions we support.
_SHARED: Final = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT (RFC 6598)
_NAT64: Final = ipaddress.ip_network("64:ff9b::/96")  # well-known NAT64 prefix (RFC 6052)
_NAT64_LOCAL: Final = ipaddress.ip_network("64:ff9b:1::/48")  # local-use NAT64 (RFC 8215)
_IPV4_COMPATIBLE: Final = ipaddress.ip_network("::/96")  # deprecated ::a.b.c.d
# Special-purpose ranges (IANA registries) refused whatever this Python's tables say.
_SPECIAL: Final = tuple(
    ipaddress.ip_network(network)
    for network in (
        "0.0.0.0/8",  # "this network"
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # documentation (TEST-NET-1..3)
        "198.51.100.0/24",
        "203.0.113.0/24",
        "198.18.0.0/15",  # benchmarking
        "192.88.99.0/24",  # 6to4 relay anycast (deprecated)
        "240.0.0.0/4",  # reserved, including the broadcast address
        "100::/64",  # discard-only
        "2001:2::/48",  # benchmarking
        "2001:db8::/32",  # documentation
        "2001:10::/28",  # ORCHID
    )
)


def parse_address(text: str) -> IPAddress | None:
    """The address in ``text`` (brackets and an IPv6 zone are ignored), or None."""
    text = text.strip().strip("[]").split("%", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _embedded_ipv4(address: ipaddress.IPv6Address) -> tuple[str, ipaddress.IPv4Address] | None:
    """The IPv4 address an IPv6 address carries, with the name of the form."""
    if address.ipv4_mapped is not None:
        return "IPv4-mapped", address.ipv4_mapped
    if address in _NAT64:
        return "NAT64", ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour is not None:
        return "6to4", address.sixtofour
    if address.teredo is not None:
        return "Teredo", address.teredo[1]
    if address in _IPV4_COMPATIBLE and int(address) > 1:
        return "IPv4-compatible", ipaddress.IPv4Address(int(address))
    return None


def blocked_reason(address: IPAddress | str) -> str | None:
    """Why a request must not go to ``address`` (e.g. ``"private"``), or None if it may."""
    ip = parse_address(address) if isinstance(address, str) else address
    if ip is None:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in _NAT64_LOCAL:
            return "local-use NAT64"
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            form, inner = embedded
            if form == "Teredo" and ip.teredo is not None:
                server_reason = blocked_reason(ip.teredo[0])
                if server_reason is not None:
                    return f"{server_reason} (Teredo server)"
            reason = blocked_reason(inner)
            return f"{reason} ({form} {inner})" if reason is not None else None
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED:
        return "shared address space"
    if any(ip in network for network in _SPECIAL):
        return "special-purpose"
    if ip.is_private:
        return "private"
    if ip.is_reserved:
        return "reserved"
    if not ip.is_global:
        return "not globally routable"
    return None
