"""VaultBackend against a real OpenBao dev server: KV v1 and v2, texts, caching."""

from __future__ import annotations

import threading
import uuid

import pytest
from servers import FaultSpec
from servers.waiting import wait_for

from graftpy.backends import BackendError, SecretNotFound
from graftpy.backends.registry import Backends


def unique(prefix: str) -> str:
    return f"{prefix}/{uuid.uuid4().hex[:10]}"


@pytest.fixture
def env(openbao, tmp_path):
    return {"VAULT_ADDR": openbao.addr, "VAULT_TOKEN": openbao.token, "HOME": str(tmp_path)}


@pytest.mark.parametrize("mount", ["secret", "kv1"])
def test_reads_keys_from_kv_v1_and_v2(openbao, env, mount):
    path = unique(mount)
    openbao.put(path, {"username": "admin", "password": "x12345"})
    vault = Backends(env).vault()
    assert vault.lookup(f"{path}:username") == "admin"
    assert vault.lookup(f"{path}:password") == "x12345"
    assert vault.kv_version(path) == (f"{mount}/", 2 if mount == "secret" else 1)


@pytest.mark.parametrize("mount", ["secret", "kv1"])
def test_graft_error_texts(openbao, env, mount):
    path = unique(mount)
    openbao.put(path, {"data": "x", "structure": 5})
    vault = Backends(env).vault()
    with pytest.raises(SecretNotFound) as missing_path:
        vault.lookup(f"{mount}/e:noent")
    assert missing_path.value.message == f"secret {mount}/e:noent not found"
    with pytest.raises(SecretNotFound) as missing_key:
        vault.lookup(f"{path}:nokey")
    assert missing_key.value.message == f"secret {path}:nokey not found"
    with pytest.raises(BackendError) as not_string:
        vault.lookup(f"{path}:structure")
    assert not isinstance(not_string.value, SecretNotFound)
    assert not_string.value.message == f"secret {path}:structure is not a string"
    for bad in ("42", "secret/a:", ":key"):
        with pytest.raises(BackendError) as invalid:
            vault.lookup(bad)
        assert (
            invalid.value.message
            == f"invalid argument {bad}; must be in the form path/to/secret:key"
        )


def test_key_is_after_the_last_colon(openbao, env):
    openbao.put("secret/with:colon", {"k": "v"})
    assert Backends(env).vault().lookup("secret/with:colon:k") == "v"


def test_deleted_v2_secret_is_not_found(openbao, env):
    path = unique("secret")
    openbao.put(path, {"k": "v"})
    openbao.delete(path)
    with pytest.raises(SecretNotFound, match=f"^secret {path}:k not found$"):
        Backends(env).vault().lookup(f"{path}:k")


def test_refused_token_is_an_error_in_vaultkv_format(env):
    vault = Backends({**env, "VAULT_TOKEN": "not-a-token"}).vault()
    with pytest.raises(BackendError) as info:
        vault.lookup("secret/x:y")
    assert not isinstance(info.value, SecretNotFound)
    assert info.value.message == "403 Forbidden: permission denied (reading secret/x:y)"


def test_missing_credentials(tmp_path):
    vault = Backends({"HOME": str(tmp_path)}).vault()
    with pytest.raises(BackendError) as info:
        vault.lookup("secret/x:y")
    assert info.value.message == (
        "Error during Vault client initialization: Failed to determine Vault URL / token, "
        "and the $REDACT environment variable is not set."
    )


def test_token_from_vault_token_file(openbao, tmp_path):
    path = unique("secret")
    openbao.put(path, {"shake": "knock, knock"})
    (tmp_path / ".vault-token").write_text(openbao.token + "\n")
    vault = Backends({"VAULT_ADDR": openbao.addr, "HOME": str(tmp_path)}).vault()
    assert vault.lookup(f"{path}:shake") == "knock, knock"


def test_address_and_token_from_svtoken(openbao, tmp_path):
    path = unique("kv1")
    openbao.put(path, {"shake": "knock, knock"})
    (tmp_path / ".svtoken").write_text(f"vault: {openbao.addr}\ntoken: {openbao.token}\n")
    vault = Backends({"VAULT_ADDR": "http://garbage.invalid", "HOME": str(tmp_path)}).vault()
    assert vault.lookup(f"{path}:shake") == "knock, knock"


def test_one_request_per_secret_and_one_per_mount(openbao, env, fault_proxy):
    paths = [unique("secret") for _ in range(3)]
    for p in paths:
        openbao.put(p, {"a": "1", "b": "2"})
    proxy = fault_proxy(openbao.addr)
    vault = Backends({**env, "VAULT_ADDR": proxy.url}).vault()
    for _ in range(3):
        for p in paths:
            assert vault.lookup(f"{p}:a") == "1"
            assert vault.lookup(f"{p}:b") == "2"
            with pytest.raises(SecretNotFound):
                vault.lookup(f"{p}:missing")
        with pytest.raises(SecretNotFound):
            vault.lookup("secret/does/not/exist:k")
    mount_requests = [p for p in proxy.paths if "/sys/internal/ui/mounts/" in p]
    assert len(mount_requests) == 1  # KV version detected once for the mount
    assert proxy.stats["requests"] == 1 + len(paths) + 1  # mount + each secret + the miss
    snap = vault.stats.snapshot()
    assert snap.cache_misses == len(paths) + 1
    assert snap.cache_hits == 3 * 3 * len(paths) + 3 - snap.cache_misses


def test_concurrent_identical_reads_share_one_request(openbao, env, fault_proxy):
    path = unique("kv1")
    openbao.put(path, {"k": "v"})
    proxy = fault_proxy(openbao.addr, FaultSpec(delay=1.0, delay_s=0.3))
    vault = Backends({**env, "VAULT_ADDR": proxy.url}).vault()
    results: list[str] = []
    barrier = threading.Barrier(12)

    def read() -> None:
        barrier.wait()
        results.append(vault.lookup(f"{path}:k"))

    threads = [threading.Thread(target=read) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["v"] * 12
    reads = [p for p in proxy.paths if p == f"/v1/{path}"]
    assert reads and proxy.paths[reads[0]] == 1
    snap = vault.stats.snapshot()
    assert snap.shared + snap.cache_hits == 11


def test_namespace_and_token_headers_are_sent(openbao, env, fault_proxy):
    proxy = fault_proxy(openbao.addr)
    vault = Backends({**env, "VAULT_ADDR": proxy.url, "VAULT_NAMESPACE": "team-a"}).vault()
    with pytest.raises(BackendError):
        vault.lookup("secret/x:y")  # OpenBao has no such namespace: the answer does not matter
    sent = proxy.headers[0]
    assert sent.get("X-Vault-Namespace") == "team-a"
    assert sent.get("X-Vault-Token") == openbao.token


def test_unreachable_vault_is_a_transport_error(tmp_path):
    from servers import free_port

    env = {
        "VAULT_ADDR": f"http://127.0.0.1:{free_port()}",
        "VAULT_TOKEN": "t",
        "HOME": str(tmp_path),
        "GRAFT_BACKEND_DEADLINE": "0.5",
    }
    with pytest.raises(BackendError) as info:
        Backends(env).vault().lookup("secret/x:y")
    text = info.value.message
    assert text.startswith('Transport Error: Get "http://127.0.0.1:')
    assert text.endswith(": connect: connection refused (vault: gave up after retrying)")


@pytest.fixture(scope="module")
def openbao_tls(openbao):  # depends on openbao only to share its skip when bao is missing
    from servers import OpenBaoServer

    server = OpenBaoServer(tls=True).start()
    try:
        yield server
    finally:
        server.stop()


def test_skip_verify_for_self_signed_certificates(openbao_tls, tmp_path):
    path = unique("secret")
    openbao_tls.put(path, {"k": "tls-value"})
    env = {"VAULT_ADDR": openbao_tls.addr, "VAULT_TOKEN": openbao_tls.token, "HOME": str(tmp_path)}
    with pytest.raises(BackendError) as info:
        Backends(env).vault().lookup(f"{path}:k")
    assert "certificate verification failed" in info.value.message
    assert "gave up" not in info.value.message  # not retried: it would not get better
    for flag in ("1", "true", "yes"):
        vault = Backends({**env, "VAULT_SKIP_VERIFY": flag}).vault()
        assert vault.lookup(f"{path}:k") == "tls-value"


def test_connections_prepared_ahead_serve_tls_and_its_failures_alike(openbao_tls, tmp_path):
    path = unique("secret")
    openbao_tls.put(path, {"k": "ahead"})
    env = {"VAULT_ADDR": openbao_tls.addr, "VAULT_TOKEN": openbao_tls.token, "HOME": str(tmp_path)}
    refused = Backends(env).vault()
    refused.prepare([path] * 4)  # TCP opened ahead; the certificate is checked on first use
    with pytest.raises(BackendError, match="certificate verification failed"):
        refused.lookup(f"{path}:k")
    vault = Backends({**env, "VAULT_SKIP_VERIFY": "1"}).vault()
    vault.prepare([path] * 4)
    assert vault.lookup(f"{path}:k") == "ahead"


def test_prepare_sends_each_mount_lookup_ahead_and_the_reads_use_its_answer(
    openbao, env, fault_proxy
):
    v2 = [unique("secret") for _ in range(3)]
    v1 = [unique("kv1") for _ in range(2)]
    for path in v2 + v1:
        openbao.put(path, {"k": path})
    proxy = fault_proxy(openbao.addr)
    vault = Backends({**env, "VAULT_ADDR": proxy.url}).vault()

    def mounts() -> list[str]:
        return [p for p in proxy.paths if "/sys/internal/ui/mounts/" in p]

    vault.prepare(v2 + v1)
    # sent before any read: the first path under each top-level segment, as a read asks
    assert wait_for(lambda: len(mounts()) == 2)
    assert sorted(mounts()) == sorted(f"/v1/sys/internal/ui/mounts/{p}" for p in (v2[0], v1[0]))
    assert all(h.get("X-Vault-Token") == openbao.token for h in proxy.headers)
    assert all(h.get("X-Vault-Request") == "true" for h in proxy.headers)
    for path in v2 + v1:
        assert vault.lookup(f"{path}:k") == path
    assert vault.kv_version(v2[1]) == ("secret/", 2) and vault.kv_version(v1[1]) == ("kv1/", 1)
    assert len(mounts()) == 2 and all(proxy.paths[p] == 1 for p in mounts())  # none again
    assert proxy.stats["requests"] == 2 + len(v2) + len(v1)
    assert vault.stats.snapshot().requests == proxy.stats["requests"]  # the metrics count them


def test_a_mount_lookup_refused_ahead_fails_the_reads_as_without_it(openbao, env):
    path = unique("secret")
    openbao.put(path, {"k": "v"})
    wrong = {**env, "VAULT_TOKEN": "not-a-token"}
    plain = Backends(wrong).vault()
    with pytest.raises(BackendError) as without:
        plain.lookup(f"{path}:k")
    ahead = Backends(wrong).vault()
    ahead.prepare([path, path + "/other"])
    with pytest.raises(BackendError) as first:
        ahead.lookup(f"{path}:k")
    with pytest.raises(BackendError) as second:
        ahead.lookup(f"{path}/other:k")
    assert first.value.message == without.value.message
    assert "403" in without.value.message and path in second.value.message


def test_prepare_keeps_a_setting_error_for_the_reads_to_report(tmp_path):
    vault = Backends({"HOME": str(tmp_path)}).vault()  # no VAULT_ADDR
    vault.prepare(["secret/x"] * 3)  # says nothing itself
    with pytest.raises(BackendError) as first:
        vault.lookup("secret/x:y")
    with pytest.raises(BackendError) as again:
        vault.lookup("secret/x:y")
    assert first.value.message == again.value.message


def test_a_mount_answer_sent_ahead_that_does_not_come_in_time_is_a_timeout(openbao, env):
    from concurrent.futures import Future

    from graftpy.backends.errors import Transient

    vault = Backends(env).vault()
    vault.ensure_client()
    never: Future = Future()  # an answer on its way that does not arrive
    with pytest.raises(Transient) as late:
        vault._get("v1/sys/internal/ui/mounts/secret/x", 0.05, never)
    assert late.value.reason.endswith('/v1/sys/internal/ui/mounts/secret/x": i/o timeout')
    assert late.value.outcome == "connection_error" and late.value.cause == "i/o timeout"
