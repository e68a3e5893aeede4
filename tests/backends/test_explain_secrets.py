"""Secrets never appear in what ``graftpy explain`` and ``--explain-to`` write, even after
other operators have copied or transformed them: each shows as ``<vault path:key>``.
Checked against a real OpenBao and a moto server, as the secret-hygiene test does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid


def _cli(args, env, cwd):
    return subprocess.run(
        [sys.executable, "-m", "graftpy", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_explain_never_shows_a_secret(openbao, moto, tmp_path):
    tag = uuid.uuid4().hex[:8]
    openbao.put(f"secret/{tag}", {"password": f"pw-{tag}", "user": f"user-{tag}"})
    moto.client("ssm").put_parameter(Name=f"/{tag}/p", Value=f"param-{tag}", Type="SecureString")
    moto.client("secretsmanager").create_secret(Name=f"{tag}/s", SecretString=f"aws-{tag}")
    secrets = [f"pw-{tag}", f"user-{tag}", f"param-{tag}", f"aws-{tag}"]
    (tmp_path / "base.yml").write_text(
        f"meta:\n"
        f"  path: secret/{tag}\n"
        f"  creds:\n"
        f'    password: (( vault meta.path ":password" ))\n'
        f'    user: (( vault "secret/{tag}:user" ))\n'
        f"  tmpl:\n"
        f'    token: (( awssecret "{tag}/s" ))\n'
        f"db:\n"
        f"  password: (( grab meta.creds.password ))\n"
        f'  url: (( concat "postgres://" meta.creds.user ":" db.password "@db" ))\n'
        f'  param: (( awsparam "/{tag}/p" ))\n'
        f"  creds: (( grab meta.creds ))\n"
        f"  text: (( stringify meta.creds ))\n"
        f'  fallback: (( vault "secret/{tag}:nope" || "dflt" ))\n'
        f"app:\n"
        f"  injected: (( inject meta.tmpl ))\n"
        f"  plain: hello\n"
    )
    env = {
        **os.environ,
        "VAULT_ADDR": openbao.addr,
        "VAULT_TOKEN": openbao.token,
        "HOME": str(tmp_path),
        **moto.env(),
    }
    env.pop("REDACT", None)
    merged = _cli(["merge", "base.yml"], env, tmp_path)
    assert merged.returncode == 0, merged.stderr
    for secret in secrets:
        assert secret in merged.stdout  # the secrets were really fetched

    runs = [
        _cli(["explain", "$", "base.yml"], env, tmp_path),
        _cli(["explain", "--format", "json", "$", "base.yml"], env, tmp_path),
        _cli(["explain", "--depth", "0", "db", "base.yml"], env, tmp_path),
        _cli(["merge", "--explain-to", "why.json", "base.yml"], env, tmp_path),
    ]
    for run in runs:
        assert run.returncode == 0, run.stderr
    text, as_json = runs[0].stdout, runs[1].stdout
    print(text)
    written = (tmp_path / "why.json").read_text()
    for shown in (text, as_json, runs[2].stdout, written, *(r.stderr for r in runs)):
        for secret in secrets:
            assert secret not in shown
    assert f"$.meta.creds.password = <vault secret/{tag}:password>" in text
    assert f"$.db.password = <vault secret/{tag}:password>" in text  # a grab of a secret
    assert f"$.db.creds.user = <vault secret/{tag}:user>" in text  # inside a grabbed map
    assert f"$.db.url = <derived from vault secret/{tag}:user, vault secret/{tag}:password>" in text
    assert f"$.db.param = <awsparam /{tag}/p>" in text
    assert "$.db.text = <derived from" in text  # stringify of a map of secrets
    assert f"$.app.token = <awssecret {tag}/s>" in text  # injected
    assert '$.app.plain = "hello"' in text
    paths = json.loads(written)["paths"]
    assert paths["$.db.password"]["secret"] is True
    assert paths["$.app.plain"].get("secret") is None
    nodes = {n["path"]: n for n in json.loads(as_json)["paths"]}
    assert nodes["$.db.password"]["value"] == f"<vault secret/{tag}:password>"


def test_a_failed_operator_that_read_a_secret_hides_its_message(openbao, tmp_path):
    tag = uuid.uuid4().hex[:8]
    openbao.put(f"secret/{tag}", {"password": f"pw-{tag}"})
    (tmp_path / "bad.yml").write_text(
        f'pw: (( vault "secret/{tag}:password" ))\n'
        f"deeper: (( grab pw.inside ))\n"  # graft's message quotes the value it met
        f"plain: (( grab nowhere ))\n"
    )
    env = {**os.environ, "VAULT_ADDR": openbao.addr, "VAULT_TOKEN": openbao.token}
    env.pop("REDACT", None)
    done = _cli(["explain", "$", "bad.yml"], env, tmp_path)
    assert done.returncode == 2
    assert f"pw-{tag}" not in done.stdout
    assert "failed: (its message is not shown: the operator read a secret)" in done.stdout
    assert "failed: Unable to resolve `nowhere`" in done.stdout  # no secret: shown as it is
    assert " - bad.yml:3: $.plain: Unable to resolve `nowhere`" in done.stderr
