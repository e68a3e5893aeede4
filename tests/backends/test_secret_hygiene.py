"""Secret values (and tokens) appear in results only: never in logs, events, errors."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import subprocess
import sys
import uuid

from servers import FaultSpec

from graftpy.backends import BackendError
from graftpy.backends.aws_calls import aws_value
from graftpy.backends.registry import Backends
from graftpy.backends.secret_args import StaticArg
from graftpy.backends.stats import BackendEvent
from graftpy.backends.vault_calls import vault_value


class Recorder:
    def __init__(self) -> None:
        self.events: list[BackendEvent] = []

    def backend_event(self, event: BackendEvent) -> None:
        self.events.append(event)


@contextlib.contextmanager
def debug_log():
    """Everything any logger writes, as a run with debugging on would show it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(message)s"))
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    old = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(old)


def test_no_secret_outside_the_values(openbao, moto, fault_proxy, tmp_path):
    tag = uuid.uuid4().hex[:8]
    secrets = {f"pw-{tag}", f"nested-{tag}", f"param-{tag}", f"aws-{tag}", f"odd-{tag}"}
    openbao.put(f"secret/{tag}", {"password": f"pw-{tag}", "not_string": [f"nested-{tag}"]})
    openbao.put(f"kv1/{tag}", {"password": f"pw-{tag}"})
    moto.client("ssm").put_parameter(
        Name=f"/{tag}/p", Value=json.dumps({"k": f"param-{tag}"}), Type="SecureString"
    )
    moto.client("secretsmanager").create_secret(Name=f"{tag}/s", SecretString=f"aws-{tag}")
    moto.client("secretsmanager").create_secret(Name=f"{tag}/odd", SecretString=f"[odd-{tag}")

    # (the setup above wrote the secrets through boto3: capture starts after it)
    with debug_log() as log:
        errors, results, visible = _exercise(openbao, moto, fault_proxy, tmp_path, tag)
    visible.append(log.getvalue())
    assert results == [f"pw-{tag}", f"pw-{tag}", "dflt", f"param-{tag}", f"aws-{tag}"]
    assert len(errors) == 5
    assert "graftpy.backends vault: read -> ok" in log.getvalue()  # debug logging was on
    text = "\n".join(visible)
    for secret in secrets | {openbao.token, f"tok-{tag}"}:
        assert secret not in text


def _exercise(openbao, moto, fault_proxy, tmp_path, tag):
    proxy = fault_proxy(openbao.addr, FaultSpec(throttle=0.3, error=0.2, reset=0.1, seed=3))
    env = {
        "VAULT_ADDR": proxy.url,
        "VAULT_TOKEN": openbao.token,
        "HOME": str(tmp_path),
        **moto.env(),
    }
    backends = Backends(env)
    recorder = Recorder()
    backends.add_listener(recorder)
    vault = backends.vault()
    results, errors = [], []

    def attempt(fn, *args):
        try:
            results.append(fn(*args))
        except BackendError as exc:
            errors.append(exc)

    def aws(variant, text):
        return aws_value(
            variant, [StaticArg(text)], lambda n, s, v: backends.aws(variant).fetch(n, s, v)
        )

    attempt(vault.lookup, f"secret/{tag}:password")
    attempt(vault.lookup, f"kv1/{tag}:password")
    attempt(vault.lookup, f"secret/{tag}:not_string")
    attempt(vault.lookup, f"secret/{tag}:missing")
    attempt(vault_value, [StaticArg(f"secret/{tag}:missing")], StaticArg("dflt"), vault.lookup)
    attempt(aws, "awsparam", f"/{tag}/p?key=k")
    attempt(aws, "awsparam", f"/{tag}/p?key=nope")
    attempt(aws, "awssecret", f"{tag}/s")
    attempt(aws, "awssecret", f"{tag}/odd?key=k")
    bad = Backends({**env, "VAULT_TOKEN": f"tok-{tag}"})
    attempt(bad.vault().lookup, f"secret/{tag}:password")

    assert vault.stats.snapshot().retries > 0  # the faults really went through retries
    visible = [
        *(e.message for e in errors),
        *(str(e) for e in errors),
        *(repr(e) for e in errors),
        *(repr(e) for e in recorder.events),
        *(repr(b.stats.snapshot()) for b in backends.all()),
        *(repr(b) for b in backends.all()),
    ]
    return errors, results, visible


def _cli(args, env, cwd):
    return subprocess.run(
        [sys.executable, "-m", "graftpy", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cli_debug_run_prints_secrets_on_stdout_only(openbao, moto, tmp_path):
    tag = uuid.uuid4().hex[:8]
    openbao.put(f"secret/{tag}", {"password": f"pw-{tag}"})
    moto.client("ssm").put_parameter(Name=f"/{tag}/p", Value=f"param-{tag}", Type="SecureString")
    (tmp_path / "in.yml").write_text(
        f'a: (( vault "secret/{tag}:password" ))\n'
        f'b: (( vault "secret/{tag}:nope" || "dflt" ))\n'
        f'c: (( awsparam "/{tag}/p" ))\n'
    )
    env = {
        **os.environ,
        "VAULT_ADDR": openbao.addr,
        "VAULT_TOKEN": openbao.token,
        "HOME": str(tmp_path),
        "DEBUG": "1",
        "TRACE": "1",
        **moto.env(),
    }
    env.pop("REDACT", None)
    proc = _cli(["-D", "merge", "in.yml"], env, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"a: pw-{tag}\nb: dflt\nc: param-{tag}\n\n"
    for secret in (f"pw-{tag}", f"param-{tag}", openbao.token):
        assert secret not in proc.stderr
