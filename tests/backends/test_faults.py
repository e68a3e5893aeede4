"""Faults between us and the servers: 429, 503, 500, resets and delays.

With a share of faults the retries can beat, every value must still be right;
with one they cannot, the run must stop with a clear error within the deadline.
"""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from servers import FaultSpec

from graftpy.backends import BackendError, BackendUnavailable, SecretNotFound
from graftpy.backends.registry import Backends

MIXED = FaultSpec(
    throttle=0.15, unavailable=0.05, error=0.1, reset=0.1, delay=0.1, delay_s=0.02, seed=7
)


def vault_env(openbao, url, tmp_path, **extra):
    return {"VAULT_ADDR": url, "VAULT_TOKEN": openbao.token, "HOME": str(tmp_path), **extra}


def test_vault_values_survive_a_faulty_network(openbao, fault_proxy, tmp_path):
    run = uuid.uuid4().hex[:8]
    expected = {}
    for i in range(40):
        mount = "secret" if i % 2 else "kv1"
        openbao.put(f"{mount}/{run}/s{i}", {"k": f"value-{i}"})
        expected[f"{mount}/{run}/s{i}:k"] = f"value-{i}"
    proxy = fault_proxy(openbao.addr, MIXED)
    vault = Backends(vault_env(openbao, proxy.url, tmp_path)).vault()
    keys = list(expected) * 3 + [f"secret/{run}/none:k"]
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda k: _try(vault.lookup, k), keys))
    assert got[:-1] == [expected[k] for k in keys[:-1]]
    assert isinstance(got[-1], SecretNotFound)
    faults = sum(proxy.stats[k] for k in ("throttle", "unavailable", "error", "reset"))
    snap = vault.stats.snapshot()
    assert faults > 5 and snap.retries >= faults
    assert snap.throttled == proxy.stats["throttle"] + proxy.stats["unavailable"]
    assert proxy.stats["forwarded"] == 2 + 40 + 1  # two mounts, each secret once, the miss


def test_aws_values_survive_a_faulty_network(moto, fault_proxy, tmp_path):
    ssm = moto.client("ssm")
    sm = moto.client("secretsmanager")
    for i in range(15):
        ssm.put_parameter(Name=f"/faulty/p{i}", Value=f"param-{i}", Type="SecureString")
        sm.create_secret(Name=f"faulty/s{i}", SecretString=f'{{"k": "secret-{i}"}}')
    proxy = fault_proxy(moto.url, MIXED)
    b = Backends({**moto.env(proxy.url), "HOME": str(tmp_path)})
    with ThreadPoolExecutor(6) as pool:
        params = list(pool.map(lambda i: b.aws("awsparam").fetch(f"/faulty/p{i}"), range(15)))
        secrets = list(pool.map(lambda i: b.aws("awssecret").fetch(f"faulty/s{i}"), range(15)))
    assert params == [f"param-{i}" for i in range(15)]
    assert secrets == [f'{{"k": "secret-{i}"}}' for i in range(15)]
    retries = sum(b.aws(k).stats.snapshot().retries for k in ("awsparam", "awssecret"))
    assert retries >= sum(proxy.stats[k] for k in ("throttle", "unavailable", "error", "reset"))
    assert proxy.stats["forwarded"] == 30


@pytest.mark.parametrize(
    ("spec", "text"),
    [
        (FaultSpec(throttle=1.0), "429 Too Many Requests: Rate exceeded"),
        (FaultSpec(error=1.0), "500 Internal Server Error: injected failure"),
        (FaultSpec(reset=1.0), "read: connection reset by peer"),
    ],
)
def test_vault_gives_up_with_a_clear_error(openbao, fault_proxy, tmp_path, spec, text):
    proxy = fault_proxy(openbao.addr, spec)
    env = vault_env(openbao, proxy.url, tmp_path, GRAFT_BACKEND_DEADLINE="0.6")
    vault = Backends(env).vault()
    start = time.monotonic()
    with pytest.raises(BackendUnavailable) as info:
        vault.lookup("secret/any:k")
    first = time.monotonic() - start
    assert first < 0.6 + 0.5
    assert text in info.value.message
    assert info.value.message.endswith(" (vault: gave up after retrying)")
    # the backend is known to be down: later reads fail at once, with the same error
    # (naming their own URL where the error names one)
    start = time.monotonic()
    with pytest.raises(BackendUnavailable) as again:
        vault.lookup("secret/other:k")
    assert time.monotonic() - start < 0.1
    assert again.value.message == info.value.message.replace("secret/any", "secret/other")


def test_aws_gives_up_with_a_clear_error(moto, fault_proxy, tmp_path):
    proxy = fault_proxy(moto.url, FaultSpec(unavailable=1.0))
    env = {**moto.env(proxy.url), "HOME": str(tmp_path), "GRAFT_BACKEND_ATTEMPTS": "3"}
    with pytest.raises(BackendError) as info:
        Backends(env).aws("awsparam").fetch("/x")
    assert info.value.message.startswith("$./x error fetching awsparam: ")
    assert info.value.message.endswith(
        "ServiceUnavailable: injected unavailability (awsparam: gave up after retrying)"
    )
    assert proxy.stats["requests"] == 3


def _try(fn, *args):
    try:
        return fn(*args)
    except BackendError as exc:
        return exc
