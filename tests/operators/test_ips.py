from __future__ import annotations

from graftpy.operators._netaddr import parse_cidr, parse_ip, to_string


def test_single_addresses(merge):
    out = merge(
        """
        net: 10.0.0.0/24
        gw: (( ips net 1 ))
        last: (( ips net -1 ))
        plain: (( ips "10.0.0.250" 10 ))
        v6: (( ips "2001:db8::/64" 5 ))
        """
    )
    assert (out["gw"], out["last"]) == ("10.0.0.1", "10.0.0.255")
    assert out["plain"] == "10.0.1.4"  # no subnet: plain addition, carrying over
    assert out["v6"] == "2001:db8::5"


def test_ranges(merge):
    out = merge(
        """
        net: 10.0.0.0/24
        some: (( ips net 2 3 ))
        tail: (( ips net -3 3 ))
        """
    )
    assert out["some"] == ["10.0.0.2", "10.0.0.3", "10.0.0.4"]
    assert out["tail"] == ["10.0.0.253", "10.0.0.254", "10.0.0.255"]


def test_errors(merge_error):
    lines = merge_error(
        """
        net: 10.0.0.0/30
        few: (( ips net ))
        bad: (( ips "not-an-ip" 1 ))
        big: (( ips net 5 ))
        over: (( ips net 2 3 ))
        """
    )
    assert lines == [
        " - $.bad: first argument must be a valid IP or CIDR: not-an-ip",
        " - $.big: Start index 5 exceeds size of subnet 10.0.0.0/30",
        " - $.few: ips requires at least two arguments: 1) An IP or a CIDR and 2) an index",
        " - $.over: Start index 2 and count 3 would exceed size of subnet 10.0.0.0/30",
    ]


def test_go_address_parsing():
    assert parse_ip("10.0.0.01") is None  # Go refuses leading zeros
    assert parse_ip("256.0.0.1") is None
    assert parse_ip("fe80::1%eth0") is None
    assert to_string(parse_ip("::ffff:10.1.2.3")) == "10.1.2.3"
    assert to_string(parse_ip("2001:0db8:0:0:0:0:0:1")) == "2001:db8::1"
    net = parse_cidr("192.168.1.77/24")
    assert net is not None and (net.ones, net.bits) == (24, 32)
    assert parse_cidr("10.0.0.0/33") is None
