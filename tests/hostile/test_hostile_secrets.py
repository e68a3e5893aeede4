"""Secrets from a real OpenBao kept out of every message after passing through other
operators; Vault URLs with a password; broken and hanging Vault servers."""

from __future__ import annotations

import time
import uuid

import pytest
from servers.hostile_http import HostileServer

from graftpy import taint

V2_MOUNT = '{"data": {"path": "kv/", "type": "kv", "options": {"version": "2"}}}'


@pytest.fixture
def secret(openbao):
    """A secret of 17 characters at secret/<tag>:pw, and a number at :num."""
    tag = uuid.uuid4().hex[:8]
    value = f"S3cr3t-{tag}-x"
    openbao.put(f"secret/{tag}", {"pw": value, "num": "12345"})
    return tag, value


def vault_env(openbao, tmp_path) -> dict[str, str]:
    return {"VAULT_ADDR": openbao.addr, "VAULT_TOKEN": openbao.token, "HOME": str(tmp_path)}


DERIVED = """\
meta:
  pw: (( vault "secret/{tag}:pw" ))
ips: (( ips meta.pw 1 ))
b64d: (( base64-decode meta.pw ))
file: (( file meta.pw ))
load: (( load meta.pw ))
vault2: (( vault meta.pw ))
chain: (( concat "x-" meta.pw ))
b64e: (( base64 chain ))
twice: (( ips b64e 1 ))
nested: (( ips (base64 meta.pw) 1 ))
grabbed: (( grab meta.pw ))
viagrab: (( ips grabbed 1 ))
dynamic: (( grab (concat "meta." meta.pw) ))
text: (( stringify meta ))
viastringify: (( ips text 1 ))
joined: (( join "," meta.pw "y" ))
viajoin: (( ips joined 1 ))
calc: (( calc (concat "1 + " meta.pw) ))
"""


@pytest.mark.parametrize("parallel", ["--no-parallel", "--parallel"])
def test_a_secret_never_appears_in_errors_after_other_operators(
    cli, openbao, secret, tmp_path, parallel
):
    import base64

    tag, value = secret
    (tmp_path / "m.yml").write_text(DERIVED.format(tag=tag))
    done = cli("merge", parallel, "m.yml", cwd=tmp_path, env=vault_env(openbao, tmp_path))
    assert done.returncode == 2
    forms = {value, base64.b64encode(value.encode()).decode()}
    forms.add(base64.b64encode(f"x-{value}".encode()).decode())
    for form in forms:
        assert form not in done.stderr, done.stderr
    lines = done.stderr.splitlines()
    assert lines[0] == "12 error(s) detected:"
    assert " - $.ips: first argument must be a valid IP or CIDR: REDACTED" in lines
    assert " - $.twice: first argument must be a valid IP or CIDR: REDACTED" in lines
    assert " - $.nested: first argument must be a valid IP or CIDR: REDACTED" in lines
    assert " - $.vault2: invalid argument REDACTED; must be in the form path/to/secret:key" in lines


def test_debug_output_holds_no_secret_and_stdout_holds_the_values(cli, openbao, secret, tmp_path):
    tag, value = secret
    (tmp_path / "m.yml").write_text(
        f'a: (( vault "secret/{tag}:pw" ))\nb: (( concat "pre-" a ))\nc: (( base64 b ))\n'
    )
    done = cli("-D", "merge", "m.yml", cwd=tmp_path, env=vault_env(openbao, tmp_path))
    assert done.returncode == 0, done.stderr
    assert f"a: {value}\n" in done.stdout
    assert "DEBUG>" in done.stderr
    assert value not in done.stderr and openbao.token not in done.stderr


def test_a_password_in_vault_addr_is_masked(cli, tmp_path):
    from servers import free_port

    port = free_port()
    (tmp_path / "m.yml").write_text('a: (( vault "secret/x:y" ))\n')
    env = {
        "VAULT_ADDR": f"http://admin:hunter2-pass@127.0.0.1:{port}",
        "VAULT_TOKEN": "t",
        "HOME": str(tmp_path),
        "GRAFT_BACKEND_DEADLINE": "0.5",
    }
    done = cli("merge", "m.yml", cwd=tmp_path, env=env)
    assert done.returncode == 2
    assert "hunter2-pass" not in done.stderr
    assert done.stderr == (
        "1 error(s) detected:\n"
        f' - $.a: Transport Error: Get "http://admin:REDACTED@127.0.0.1:{port}'
        '/v1/sys/internal/ui/mounts/secret/x": connect: connection refused'
        " (vault: gave up after retrying)\n\n\n"
    )


def test_errors_with_vault_down_are_the_same_in_parallel_and_name_their_own_path(cli, tmp_path):
    from servers import free_port

    port = free_port()
    doc = "".join(f'k{i}: (( vault "secret/p{i}:key" ))\n' for i in range(12))
    (tmp_path / "m.yml").write_text(doc)
    env = {
        "VAULT_ADDR": f"http://127.0.0.1:{port}",
        "VAULT_TOKEN": "t",
        "HOME": str(tmp_path),
        "GRAFT_BACKEND_DEADLINE": "0.5",
    }
    runs = [
        cli("merge", flag, "m.yml", cwd=tmp_path, env=env)
        for flag in ("--no-parallel", "--parallel", "--parallel")
    ]
    expected = "12 error(s) detected:\n" + "".join(
        sorted(
            f' - $.k{i}: Transport Error: Get "http://127.0.0.1:{port}/v1/sys/internal/ui/'
            f'mounts/secret/p{i}": connect: connection refused (vault: gave up after retrying)\n'
            for i in range(12)
        )
    )
    for done in runs:
        assert (done.returncode, done.stderr) == (2, expected + "\n\n")


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ("[1, 2]", "not a secret (no data)"),
        ('{"data": 5}', "not a KV v2 secret"),
        ('{"data": {"data": 5}}', "data is not a map"),
        ("{}", "not a secret (no data)"),
    ],
)
def test_vault_try_refuses_a_200_answer_that_is_not_a_secret(cli, tmp_path, answer, reason):
    answers = {"/v1/sys/internal/ui/mounts/kv/app": V2_MOUNT, "/v1/kv/data/app": answer}
    with HostileServer(answers=answers) as server:
        (tmp_path / "m.yml").write_text('a: (( vault-try "kv/app:k" "fallback" ))\n')
        env = {"VAULT_ADDR": server.base, "VAULT_TOKEN": "t", "HOME": str(tmp_path)}
        done = cli("merge", "m.yml", cwd=tmp_path, env=env)
    assert done.returncode == 2
    assert done.stderr == (
        f"1 error(s) detected:\n - $.a: unexpected answer from Vault for kv/app: {reason}\n\n\n"
    )


def test_vault_try_still_falls_back_on_a_real_not_found(cli, openbao, tmp_path):
    (tmp_path / "m.yml").write_text('a: (( vault-try "secret/nothing-here:k" "fallback" ))\n')
    done = cli("merge", "m.yml", cwd=tmp_path, env=vault_env(openbao, tmp_path))
    assert (done.returncode, done.stdout) == (0, "a: fallback\n\n")


@pytest.mark.parametrize("path", ["trickle-headers", "trickle-body", "silent"])
def test_a_hanging_vault_gives_up_within_the_deadline(cli, tmp_path, path):
    with HostileServer(interval=0.5) as server:
        (tmp_path / "m.yml").write_text(f'a: (( vault "x/{path}:k" ))\n')
        env = {
            "VAULT_ADDR": server.base,
            "VAULT_TOKEN": "t",
            "HOME": str(tmp_path),
            "GRAFT_BACKEND_TIMEOUT": "1",
            "GRAFT_BACKEND_DEADLINE": "3",
        }
        started = time.monotonic()
        done = cli("merge", "m.yml", cwd=tmp_path, env=env)
        took = time.monotonic() - started
    assert done.returncode == 2
    assert took < 3 + 1 + 2, took  # the deadline, one attempt's timeout, start-up
    assert done.stderr.endswith(": i/o timeout (vault: gave up after retrying)\n\n\n")


def test_the_registry_redacts_short_secrets_only_as_words():
    reg = taint.SecretRegistry()
    reg.add_source("42")
    reg.add_source("long-secret")
    reg.add_derived("abc")  # derived and short: not tracked
    assert reg.redact("$.jobs.42x: 42 and long-secret-2, abc") == (
        "$.jobs.42x: REDACTED and REDACTED-2, abc"
    )
    assert reg.touches({"a": ["x", "long-secret"]}) and not reg.touches({"a": "abc"})


def test_the_keys_of_a_secret_map_are_no_secrets():
    # nats reads YAML maps: "password" names a part of the secret, as in $.db.password
    reg = taint.SecretRegistry()
    reg.add_source({"password": "pw-of-the-map", "port": 5432})
    assert reg.redact("$.db.password: pw-of-the-map on 5432") == "$.db.password: REDACTED on REDACTED"
    assert reg.touches({"password": "pw-of-the-map"}) and not reg.touches({"password": "x"})


def test_a_short_secret_never_redacts_the_error_count():
    from graftpy.cli import _render
    from graftpy.errors import MultiError, PathError

    taint.PROCESS.add_source("1")  # forgotten after the test (tests/conftest.py)
    err = MultiError([PathError("a", "calc failed on 1"), PathError("b", "no 1 here")])
    assert _render(PathError("a", "calc failed on 1")) == (
        "1 error(s) detected:\n - $.a: calc failed on REDACTED\n\n\n"
    )
    assert _render(err).startswith("2 error(s) detected:\n - $.a: calc failed on REDACTED\n")
    assert "no REDACTED here" in _render(err)
