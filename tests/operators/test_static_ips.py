from __future__ import annotations

NETWORKS = """
networks:
- name: net1
  subnets:
  - azs: [z1, z2, z3]
    static: [10.0.0.1 - 10.0.0.15]
  - azs: [z1]
    static: [10.1.1.1]
  - azs: [z2]
    static: [10.2.2.2]
"""


def job(name: str, azs: str, instances: int, *offsets: str) -> str:
    args = " ".join(offsets)
    return f"""
- name: {name}
  azs: {azs}
  instances: {instances}
  networks:
  - name: net1
    static_ips: (( static_ips {args} ))
"""


def test_allocates_from_ranges_in_order(merge):
    out = merge(
        """
        jobs:
        - name: api
          instances: 3
          networks:
          - name: net1
            static_ips: (( static_ips 0 2 3 ))
        networks:
        - name: net1
          subnets:
          - static: [10.0.0.5 - 10.0.0.7, 10.0.0.20]
        """
    )
    assert out["jobs"][0]["networks"][0]["static_ips"] == ["10.0.0.5", "10.0.0.7", "10.0.0.20"]


def test_one_zone_job_sees_every_subnet_of_its_zone(merge):
    out = merge("jobs:" + job("static_z1", "[z1]", 2, "15", "0") + NETWORKS)
    assert out["jobs"][0]["networks"][0]["static_ips"] == ["10.1.1.1", "10.0.0.1"]


def test_multi_zone_job_sees_one_copy_of_each_address(merge_error):
    lines = merge_error("jobs:" + job("static_z1", "[z1, z2, z3]", 1, "17") + NETWORKS)
    assert lines == [
        " - $.jobs.static_z1.networks.net1.static_ips: request for static_ip(17) "
        "in a pool of only 17 (zero-indexed) static addresses"
    ]


def test_az_prefixed_offsets(merge):
    out = merge("jobs:" + job("j", "[z1, z2]", 2, '"z2:15"', '"z1:15"') + NETWORKS)
    assert out["jobs"][0]["networks"][0]["static_ips"] == ["10.2.2.2", "10.1.1.1"]


def test_an_address_is_handed_out_once(merge_error):
    doc = "jobs:" + job("a", "[z1]", 1, "14") + job("b", "[z2]", 1, "14") + NETWORKS
    assert merge_error(doc) == [
        " - $.jobs.b.networks.net1.static_ips: tried to use IP '10.0.0.15', "
        "but that address is already allocated to a/0"
    ]


def test_zero_instances_gives_an_empty_list(merge):
    out = merge("jobs:" + job("j", "[z1]", 0) + NETWORKS)
    assert out["jobs"][0]["networks"][0]["static_ips"] == []


def test_errors(merge_error):
    doc = (
        "jobs:"
        + job("few", "[z1]", 2, "0")
        + job("badaz", "[z9]", 1, "0")
        + job("fmt", "[z1]", 1, '"x"')
        + job("notinjob", "[z1]", 1, '"z2:0"')
        + NETWORKS
    )
    assert merge_error(doc) == [
        " - $.jobs.badaz.networks.net1.static_ips: could not find AZ z9 (in network AZS [z9])",
        " - $.jobs.few.networks.net1.static_ips: not enough static IPs requested for job "
        "of 2 instances (only asked for 1)",
        " - $.jobs.fmt.networks.net1.static_ips: static_ips operator arguments must have "
        "format <az>:<number> or <number>",
        " - $.jobs.notinjob.networks.net1.static_ips: could not find AZ z2 in instance_groups "
        "AZS [z1]",
    ]


def test_missing_networks(merge_error):
    lines = merge_error(
        """
        jobs:
        - name: api
          instances: 1
          networks: [{name: net1, static_ips: (( static_ips 0 ))}]
        """
    )
    assert lines == [
        " - $.jobs.api.networks.net1.static_ips: `$.networks` could not be found in the "
        "datastructure"
    ]


def test_outside_a_job(merge_error):
    assert merge_error("x: (( static_ips 0 ))\n") == [
        " - $.x: not currently inside of a job definition block"
    ]


def test_waits_for_operators_it_reads(merge):
    out = merge(
        """
        meta: {count: 2, net: net1, range: 192.168.1.10 - 192.168.1.20}
        instance_groups:
        - name: web
          instances: (( grab meta.count ))
          networks:
          - name: net1
            static_ips: (( static_ips 1 3 ))
        networks:
        - name: (( grab meta.net ))
          subnets:
          - static: [(( grab meta.range ))]
        first: (( grab instance_groups.web.networks.net1.static_ips.0 ))
        """
    )
    assert out["instance_groups"][0]["networks"][0]["static_ips"] == [
        "192.168.1.11",
        "192.168.1.13",
    ]
    assert out["first"] == "192.168.1.11"
