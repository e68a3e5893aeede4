"""IP addresses the way Go's ``net`` package parses and prints them.

Addresses are plain ``(value, v4)`` pairs: ``value`` is the integer address,
``v4`` tells whether Go would treat it as IPv4 (``To4() != nil``), which also
covers IPv4-mapped IPv6 addresses such as ``::ffff:10.0.0.1``.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_V4 = re.compile(
    r"(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\Z"
)
_MAPPED = 0xFFFF << 32


class IP(NamedTuple):
    value: int
    v4: bool


class Network(NamedTuple):
    ip: IP  # the address as written
    ones: int  # prefix length
    bits: int  # 32 or 128


def parse_ip(text: str) -> IP | None:
    """``net.ParseIP``: None when ``text`` is not an address."""
    m = _V4.match(text)
    if m:
        octets = [int(g) for g in m.groups()]
        if any(o > 255 for o in octets):
            return None
        return IP(int.from_bytes(bytes(octets), "big"), True)
    if ":" not in text or "%" in text:
        return None
    import ipaddress  # only IPv6 needs it; keep start-up light

    try:
        addr = ipaddress.IPv6Address(text)
    except ValueError:
        return None
    value = int(addr)
    if value >> 32 == 0xFFFF:  # IPv4-mapped: Go sees an IPv4 address
        return IP(value & 0xFFFFFFFF, True)
    return IP(value, False)


def parse_cidr(text: str) -> Network | None:
    """``net.ParseCIDR``: None when ``text`` is not ``address/prefix``."""
    addr, sep, prefix = text.partition("/")
    if not sep or not prefix.isascii() or not prefix.isdigit():
        return None
    ip = parse_ip(addr)
    if ip is None:
        return None
    # an IPv4-mapped address written in IPv6 form keeps a 128-bit mask in Go
    bits = 32 if _V4.match(addr) else 128
    ones = int(prefix)
    if ones > bits:
        return None
    return Network(ip, ones, bits)


def masked(net: Network) -> int:
    """The network address (``ip.Mask(ipnet.Mask)``) as an integer."""
    host_bits = net.bits - net.ones
    value = net.ip.value
    if net.bits == 128 and net.ip.v4:
        value |= _MAPPED
    return (value >> host_bits) << host_bits


def to_string(ip: IP) -> str:
    """``net.IP.String()``."""
    if ip.v4:
        return ".".join(str(b) for b in ip.value.to_bytes(4, "big"))
    if ip.value >> 32 == 0xFFFF:
        return to_string(IP(ip.value & 0xFFFFFFFF, True))
    import ipaddress

    return str(ipaddress.IPv6Address(ip.value))
