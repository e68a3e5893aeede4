"""Secret values (and tokens) appear in results only: never in logs, events, errors."""

from __future__ import annotations

import base64
import contextlib
import io
import json
import logging
import os
import subprocess
import sys
import uuid
from types import SimpleNamespace

import pytest
import secret_chains
import yaml
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from servers import FaultSpec

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(__file__)), "metrics"))
import promstack  # noqa: E402 - tests/metrics: the real Pushgateway the metrics tests start

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


# -- end to end: secrets from OpenBao, moto and nats-server through other operators ----------


@pytest.fixture
def stored(openbao, moto, nats):
    """One secret in each store (and a NATS URL with a password); their texts."""
    tag = uuid.uuid4().hex[:8]
    values = {
        "vault": f"V-{tag}-vault",
        "num": 918273645,
        "param": f"P-{tag}-param",
        "aws": f"A-{tag}/aws:x",
        "nats": f"N-{tag}-nats",
        "natsmap": f"M-{tag}-natsmap",
    }
    openbao.put(f"secret/{tag}", {"pw": values["vault"]})
    moto.client("ssm").put_parameter(Name=f"/{tag}/p", Value=values["param"], Type="SecureString")
    moto.client("secretsmanager").create_secret(Name=f"{tag}/s", SecretString=values["aws"])
    nats.put_kv(
        f"hyg_{tag}",
        {"pw": values["nats"], "doc": f"pass: {values['natsmap']}\nnum: {values['num']}\n"},
    )
    password = f"npw{tag}"
    url = nats.url.replace("nats://", f"nats://hyg:{password}@")
    env = {
        **os.environ,
        "VAULT_ADDR": openbao.addr,
        "VAULT_TOKEN": openbao.token,
        "HOME": "/nonexistent",
        "NATS_RETRIES": "0",
        **moto.env(),
    }
    for name in ("REDACT", "DEBUG", "TRACE"):
        env.pop(name, None)
    return SimpleNamespace(tag=tag, values=values, url=url, env=env, credentials=[password, openbao.token])


def forbidden_forms(stored, output: dict | None, made: list[str]) -> set[str]:
    """Every text that must not be printed: the secrets and their base64, the credentials,
    and every value the chains made from them (as the output shows them)."""
    texts = [str(v) for v in stored.values.values()]
    forms = set(texts) | set(stored.credentials)
    forms |= {base64.b64encode(v.encode()).decode() for v in texts}

    def walk(value):
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str | int) and not isinstance(value, bool):
            text = str(value).strip()
            if len(text) >= 6:
                forms.add(text)

    for key in made:
        walk((output or {}).get(key))
    return forms


def assert_clean(where: str, text: str, forms: set[str]) -> None:
    leaked = sorted(form for form in forms if form in text)
    assert not leaked, f"{where} shows {leaked}:\n{text}"


@settings(
    max_examples=4,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # a shrink would take minutes
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(drawn=secret_chains.EVERY, parallel="--parallel")  # each source through each step
@given(drawn=secret_chains.chains, parallel=st.sampled_from(["--parallel", "--no-parallel"]))
def test_secrets_through_operator_chains_never_leave_the_output(stored, tmp_path_factory, drawn, parallel):
    work = tmp_path_factory.mktemp("chains")
    good, made = secret_chains.manifest(stored.tag, stored.url, drawn, failing=False)
    bad, _ = secret_chains.manifest(stored.tag, stored.url, drawn, failing=True)
    (work / "ok.yml").write_text(good)
    (work / "bad.yml").write_text(bad)
    debug_env = {**stored.env, "DEBUG": "1", "TRACE": "1"}

    with secret_chains.PushCatcher() as gateway:
        done = _cli(
            ["-D", "-T", "merge", parallel, "--metrics-file", "m.prom", "--metrics-push",
             gateway.url, "--explain-to", "e.json", "ok.yml"],
            debug_env,
            work,
        )
    assert done.returncode == 0, done.stderr
    output = yaml.safe_load(done.stdout)
    assert output["meta"]["vault"] == stored.values["vault"]  # the values are in the output
    assert output["meta"]["natsdoc"]["pass"] == stored.values["natsmap"]
    assert output["calculated"] == 3 * stored.values["num"]
    forms = forbidden_forms(stored, output, made)
    assert "DEBUG>" in done.stderr
    assert_clean("merge --debug --trace stderr", done.stderr, forms)
    assert_clean("the metrics file", (work / "m.prom").read_text(), forms)
    assert gateway.bodies, "nothing was pushed"
    assert_clean("the metrics push", gateway.text(), forms)
    assert_clean("--explain-to", (work / "e.json").read_text(), forms)

    for fmt in ("text", "json"):
        shown = _cli(["explain", "--format", fmt, parallel, "$", "ok.yml"], stored.env, work)
        assert shown.returncode == 0, shown.stderr
        assert "secret" in shown.stdout
        assert_clean(f"explain --format {fmt}", shown.stdout + shown.stderr, forms)

    for fmt in ("text", "json"):  # nothing is read: only the NATS URL's password to hide
        planned = _cli(["plan", "--format", fmt, "ok.yml"], stored.env, work)
        assert planned.returncode == 0, planned.stderr
        assert "hyg:REDACTED@" in planned.stdout
        assert_clean(f"plan --format {fmt}", planned.stdout + planned.stderr, forms)

    failed = _cli(["-D", "merge", parallel, "bad.yml"], debug_env, work)
    assert failed.returncode == 2, failed.stderr
    assert "c0_ips: first argument must be a valid IP or CIDR: REDACTED" in failed.stderr
    assert_clean("a failed run's errors", failed.stderr, forms)
    shown = _cli(["explain", parallel, "$", "bad.yml"], stored.env, work)
    assert shown.returncode == 2
    assert "failed" in shown.stdout
    assert_clean("explain of a failed run", shown.stdout + shown.stderr, forms)
    # vaultinfo contacts no store: nats gives REDACTED, so a chain through a part of a
    # nats map (or calc of one) fails there, as in graft; a run that succeeds lists paths
    info = _cli(["vaultinfo", "ok.yml"], stored.env, work)
    assert info.returncode in (0, 2), info.stderr
    assert info.returncode == 2 or f"secret/{stored.tag}" in info.stdout
    assert_clean("vaultinfo", info.stdout + info.stderr, forms)


@pytest.mark.parametrize("processes", ["1", "2"])
def test_render_reports_hold_no_secret(stored, tmp_path, processes):
    """render's errors, table, --report and metrics, for targets that work and fail; with
    --processes 2 the targets whose secrets were read ahead (vault, AWS) run in worker
    processes, whose errors come back as text."""
    every = secret_chains.EVERY
    stores_ahead = [c for c in every if c.source in ("vault", "param", "aws")]
    files = {
        "ok.yml": secret_chains.manifest(stored.tag, stored.url, every, failing=False),
        "bad.yml": secret_chains.manifest(stored.tag, stored.url, every, failing=True),
        "ahead.yml": secret_chains.manifest(
            stored.tag, stored.url, stores_ahead, failing=True, sources=("vault", "param", "aws")
        ),
    }
    for name, (text, _made) in files.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "graftpy.yml").write_text(
        "output: 'out/{target}.yml'\n"
        "targets:\n"
        "  ok: {files: [ok.yml]}\n"
        "  bad: {files: [bad.yml]}\n"
        "  ahead: {files: [ahead.yml]}\n"
    )
    env = {**stored.env, "DEBUG": "1", "TRACE": "1"}
    gateway = real_pushgateway(tmp_path / "gateway")
    try:
        done = _cli(
            ["-D", "-T", "render", "--processes", processes, "--report", "r.json",
             "--metrics-file", "m.prom", "--metrics-push", gateway.url],
            env,
            tmp_path,
        )
        status, pushed = promstack.http_get(gateway.url + "/metrics")
    finally:
        gateway.stop()
    assert status == 200 and b'target="ok"' in pushed
    assert done.returncode == 2, done.stderr
    output = yaml.safe_load((tmp_path / "out" / "ok.yml").read_text())
    assert output["meta"]["aws"] == stored.values["aws"]
    forms = forbidden_forms(stored, output, files["ok.yml"][1])
    report = json.loads((tmp_path / "r.json").read_text())
    statuses = {t["name"]: t["status"] for t in report["targets"]}
    assert statuses == {"ok": "ok", "bad": "failed", "ahead": "failed"}
    assert "target bad failed:" in done.stderr and "target ahead failed:" in done.stderr
    assert "REDACTED" in done.stderr
    assert_clean("render's stderr", done.stderr, forms)
    assert_clean("render --report", (tmp_path / "r.json").read_text(), forms)
    assert_clean("render's metrics file", (tmp_path / "m.prom").read_text(), forms)
    assert_clean("the Pushgateway's metrics", pushed.decode(), forms)
    plan = _cli(["render", "--plan", "--report", "plan.json"], env, tmp_path)
    assert plan.returncode == 0, plan.stderr
    assert_clean("render --plan", plan.stdout + plan.stderr + (tmp_path / "plan.json").read_text(), forms)


def real_pushgateway(workdir):
    """A real Pushgateway (tests/metrics/promstack.py), as the metrics tests use."""
    reason = promstack.missing(promstack.PUSHGATEWAY)
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI must install it: {reason}")
        pytest.skip(reason)
    return promstack.Pushgateway(workdir).start()


PLUGIN = '''
from graftpy.operators.base import Operator, Response
from graftpy.operators import argkinds


class PlugSecret(Operator):  # a secret store of a plugin: its own yields_secrets
    name = "plugsecret"
    yields_secrets = True

    def run(self, call, ctx):
        return Response("Plug-" + str(argkinds.value_of(call.args[0], ctx)) + "-secret")


class Boom(Operator):  # a plugin bug whose exception quotes what it read
    name = "boom"

    def run(self, call, ctx):
        raise ValueError("cannot use " + str(argkinds.value_of(call.args[0], ctx)))
'''


def test_a_plugins_secret_and_a_plugins_failure_are_kept_out_too(tmp_path):
    site = tmp_path / "site"
    info = site / "plugsecret-1.0.dist-info"
    info.mkdir(parents=True)
    (site / "plugsecret.py").write_text(PLUGIN)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: plugsecret\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[graftpy.operators]\nplugsecret = plugsecret:PlugSecret\nboom = plugsecret:Boom\n"
    )
    tag = uuid.uuid4().hex[:8]
    secret = f"Plug-{tag}-secret"
    (tmp_path / "ok.yml").write_text(
        f'a: (( plugsecret "{tag}" ))\nb: (( concat "x-" a ))\nc: (( base64 b ))\n'
    )
    (tmp_path / "bad.yml").write_text(f'a: (( plugsecret "{tag}" ))\nb: (( boom a ))\n')
    env = {**os.environ, "PYTHONPATH": str(site), "HOME": str(tmp_path)}
    forms = {secret, f"x-{secret}", base64.b64encode(f"x-{secret}".encode()).decode()}
    merged = _cli(["merge", "ok.yml"], env, tmp_path)
    assert merged.returncode == 0, merged.stderr
    assert f"a: {secret}\n" in merged.stdout
    shown = _cli(["explain", "$", "ok.yml"], env, tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert f'$.a = <plugsecret {tag}>' in shown.stdout  # explain knows it by yields_secrets
    assert f'$.c = <derived from plugsecret {tag}>' in shown.stdout
    failed = _cli(["merge", "bad.yml"], env, tmp_path)
    (tmp_path / "graftpy.yml").write_text(  # (merge refuses a graftpy.yml made for render)
        "output: 'out/{target}.yml'\ntargets:\n  bad: {files: [bad.yml]}\n"
    )
    rendered = _cli(["render", "--report", "r.json"], env, tmp_path)
    assert (failed.returncode, rendered.returncode) == (2, 2)
    assert "failed: ValueError: cannot use REDACTED" in failed.stderr
    assert "failed: ValueError: cannot use REDACTED" in rendered.stderr
    for where, text in [
        ("explain", shown.stdout + shown.stderr),
        ("merge's errors", failed.stderr),
        ("render's stderr", rendered.stderr),
        ("render --report", (tmp_path / "r.json").read_text()),
    ]:
        assert_clean(where, text, forms)
