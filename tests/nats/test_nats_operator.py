"""(( nats )) through the merge pipeline against a real nats-server with JetStream."""

from __future__ import annotations

import threading
import uuid

import pytest
import values_catalog
from servers import TcpFaultSpec


def test_every_value_kind_decodes_as_graft_decodes_it(nats, nats_data, merge_nats):
    got = merge_nats(nats.url, values_catalog.document(nats_data))
    assert got["kv"] == values_catalog.KV_EXPECTED
    assert got["obj"] == values_catalog.OBJECTS_EXPECTED


def test_missing_keys_buckets_and_objects_are_errors(nats, nats_data, nats_errors):
    kv, obj = nats_data.kv, nats_data.obj
    doc = f"""
    a: (( nats "kv:{kv}/missing" ))
    b: (( nats "kv:no_such_bucket/k" ))
    c: (( nats "obj:{obj}/missing.yaml" ))
    d: (( nats "obj:no_such_store/x" ))
    e: (( nats "kv:{kv}/deleted" ))
    f: (( nats "kv:{kv}/bad key" ))
    g: (( nats "kv:bad.bucket/k" ))
    """
    assert nats_errors(nats.url, doc) == [
        f" - $.a: failed to get key 'missing' from store '{kv}': nats: key not found",
        " - $.b: failed to get key 'k' from store 'no_such_bucket': nats: bucket not found",
        f" - $.c: failed to get object 'missing.yaml' from bucket '{obj}': nats: object not found",
        " - $.d: failed to get object 'x' from bucket 'no_such_store': nats: bucket not found",
        f" - $.e: failed to get key 'deleted' from store '{kv}': nats: key not found",
        f" - $.f: failed to get key 'bad key' from store '{kv}': nats: invalid key",
        " - $.g: failed to get key 'k' from store 'bad.bucket': nats: invalid bucket name",
    ]


def test_bad_objects_name_the_object(nats, nats_errors):
    store = f"bad_{uuid.uuid4().hex[:6]}"
    nats.put_object(store, "broken.yaml", b"a: [1\n", content_type="text/yaml")
    nats.put_object(store, "broken.json", b"{nope", content_type="application/json")
    errors = nats_errors(
        nats.url,
        f"""
        a: (( nats "obj:{store}/broken.yaml" ))
        b: (( nats "obj:{store}/broken.json" ))
        """,
    )
    assert errors == [
        " - $.a: failed to parse YAML from object 'broken.yaml': line 2, column 1: "
        "did not find expected ',' or ']' (while parsing a flow sequence)",
        " - $.b: failed to parse JSON from object 'broken.json': line 2, column 1: "
        "did not find expected ',' or '}' (while parsing a flow mapping)",
    ]


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ('(( nats "xx:b/k" ))', "invalid store type 'xx', must be 'kv' or 'obj'"),
        (
            '(( nats "b/k" ))',
            "invalid NATS path format, expected 'kv:store/key' or 'obj:bucket/object'",
        ),
        ('(( nats "kv:" ))', "empty path after store type"),
        ('(( nats "kv:nokey" ))', "invalid KV path format, expected 'store/key'"),
        ('(( nats "obj:noname" ))', "invalid Object path format, expected 'bucket/object'"),
        ("(( nats ))", "nats operator requires at least one argument"),
        ("(( nats 42 ))", "first argument to nats operator must be a string"),
        ("(( nats meta ))", "first argument to nats operator must be a string"),
        (
            '(( nats "kv:b/k" 42 ))',
            "second argument must be URL string or configuration map",
        ),
        (
            '(( nats "kv:b/k" meta.list ))',
            "second argument must be URL string or configuration map",
        ),
        (
            "(( nats nope.x ))",
            "Unable to resolve `nope.x`: `$.nope` could not be found in the datastructure",
        ),
        (
            '(( nats "kv:b/k" "nats://x" "extra" ))',
            "nats operator takes a path and at most one more argument (a URL or a map "
            "of settings), not 3 arguments",
        ),
        (
            '(( nats "kv:b/k" meta.typo ))',
            "$.meta.typo: unknown NATS setting 'timout' (known: url, timeout, retries, "
            "retry_interval, retry_backoff, max_retry_interval, tls, cert_file, key_file, "
            "ca_file, insecure_skip_verify, cache_ttl, streaming_threshold, audit_logging)",
        ),
        (
            '(( nats "kv:b/k" meta.badtime ))',
            "$.meta.badtime.timeout must be a duration such as 500ms, 10s or 1m30s, not 'soon'",
        ),
        (
            '(( nats "obj:b/" ))',
            "failed to get object '' from bucket 'b': nats: name is required",
        ),
    ],
)
def test_argument_errors(nats, nats_errors, expr, message):
    doc = f"""
    meta:
      list: [a]
      typo: {{timout: 5s}}
      badtime: {{timeout: soon}}
    x: {expr}
    """
    assert nats_errors(nats.url, doc) == [f" - $.x: {message}"]


def test_the_second_argument_chooses_the_server(nats, nats_data, merge_nats):
    kv = nats_data.kv
    dead = "nats://127.0.0.1:1"
    doc = f"""
    meta:
      url: {nats.url}
      settings:
        url: {nats.url}
        timeout: 2s
        retries: 1
        tls: false
    a: (( nats "kv:{kv}/simple" meta.url ))
    b: (( nats "kv:{kv}/simple" meta.settings ))
    c: (( nats (concat "kv:" "{kv}" "/number") "{nats.url}" ))
    """
    got = merge_nats(dead, doc, prune=["meta"])
    assert got == {"a": "hello world", "b": "hello world", "c": "42"}


def test_one_connection_per_server_per_run_closed_at_the_end(
    nats, nats_data, merge_nats, tcp_fault_proxy
):
    proxy = tcp_fault_proxy(nats.address)
    keys = [k for k, v in values_catalog.KV_EXPECTED.items() if isinstance(v, str)]
    doc = "\n".join(f'k{i}: (( nats "kv:{nats_data.kv}/{k}" ))' for i, k in enumerate(keys * 3))
    for parallel in (False, True):
        before = proxy.stats["connections"]
        got = merge_nats(proxy.url, doc, parallel=parallel, workers=8)
        assert got == {f"k{i}": values_catalog.KV_EXPECTED[k] for i, k in enumerate(keys * 3)}
        assert proxy.stats["connections"] - before == 1
        assert proxy.open_after(5.0) == 0  # the run closed its connection
    assert not [t for t in threading.enumerate() if t.name.startswith("nats") and t.is_alive()]


def test_redact_contacts_no_server(nats, nats_data, merge_nats, nats_errors, tcp_fault_proxy):
    proxy = tcp_fault_proxy(nats.address)
    doc = f"""
    a: (( nats "kv:{nats_data.kv}/simple" ))
    b: (( nats "obj:{nats_data.obj}/config.yaml" "{proxy.url}" ))
    """
    got = merge_nats(proxy.url, doc, env={"REDACT": "yes"})
    assert got == {"a": "REDACTED", "b": "REDACTED"}
    assert proxy.stats["connections"] == 0
    # the arguments are still checked
    assert nats_errors(proxy.url, 'x: (( nats "kv:nokey" ))', env={"REDACT": "1"}) == [
        " - $.x: invalid KV path format, expected 'store/key'"
    ]


def test_target_from_the_environment_and_from_the_targets_file(
    nats, nats_data, merge_nats, nats_errors, tmp_path
):
    kv = nats_data.kv
    doc = f'a: (( nats@edge "kv:{kv}/simple" ))\n'
    dead = "nats://127.0.0.1:1"
    assert merge_nats(dead, doc, env={"NATS_EDGE_URL": nats.url}) == {"a": "hello world"}
    targets = tmp_path / "targets.yml"
    targets.write_text("targets:\n  nats:\n    edge:\n      url: ${EDGE}\n      timeout: 3s\n")
    got = merge_nats(dead, doc, env={"EDGE": nats.url}, targets_file=str(targets))
    assert got == {"a": "hello world"}
    assert nats_errors(dead, doc) == [
        " - $.a: NATS target 'edge' configuration incomplete (expected NATS_EDGE_URL "
        "environment variable)"
    ]


def test_a_dead_server_fails_after_the_configured_retries(nats_errors):
    env = {"NATS_RETRIES": "2", "NATS_RETRY_INTERVAL": "20ms"}
    doc = 'a: (( nats "kv:b/k1" ))\nb: (( nats "kv:b/k2" ))\n'
    assert nats_errors("nats://127.0.0.1:1", doc, env=env) == [
        " - $.a: failed to connect to NATS after 3 attempts: "
        "nats: no servers available for connection",
        " - $.b: failed to connect to NATS after 3 attempts: "
        "nats: no servers available for connection",
    ]


def test_cache_ttl_reads_again_after_it_expires(nats, merge_nats):
    bucket = f"ttl_{uuid.uuid4().hex[:6]}"
    nats.put_kv(bucket, {"k": b"one"})
    doc = f'a: (( nats "kv:{bucket}/k" ))\n'
    assert merge_nats(nats.url, doc) == {"a": "one"}
    nats.put_kv(bucket, {"k": b"two"})
    assert merge_nats(nats.url, doc) == {"a": "two"}  # a new run reads again


def test_objects_over_the_limit_are_refused(nats, nats_errors, merge_nats):
    store = f"big_{uuid.uuid4().hex[:6]}"
    nats.put_object(store, "big.bin", bytes(300), content_type="application/octet-stream")
    doc = f'a: (( nats "obj:{store}/big.bin" ))\n'
    assert nats_errors(nats.url, doc, env={"NATS_STREAMING_THRESHOLD": "100"}) == [
        f" - $.a: failed to get object 'big.bin' from bucket '{store}': object too large for "
        "processing: 300 bytes (the limit is 200 bytes, twice NATS_STREAMING_THRESHOLD)"
    ]
    got = merge_nats(nats.url, doc, env={"NATS_STREAMING_THRESHOLD": "150"})
    assert got == {"a": "A" * 400}


def test_a_proxy_that_refuses_the_first_connections_is_retried(
    nats, nats_data, merge_nats, tcp_fault_proxy
):
    proxy = tcp_fault_proxy(nats.address, TcpFaultSpec(refuse=2))
    env = {"NATS_RETRIES": "3", "NATS_RETRY_INTERVAL": "10ms"}
    got = merge_nats(proxy.url, f'a: (( nats "kv:{nats_data.kv}/simple" ))\n', env=env)
    assert got == {"a": "hello world"}
    assert proxy.stats["refused"] == 2
