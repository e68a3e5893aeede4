"""``graftpy explain`` never shows a value read from NATS: it is ``<nats kv:BUCKET/KEY>``,
also for a part of a map it read and for values computed from it (real nats-server)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid


def test_explain_hides_nats_values(nats, tmp_path):  # noqa: F811 - the fixture
    tag = uuid.uuid4().hex[:8]
    bucket = f"ex_{tag}"
    # a value of several lines is read as YAML: a map here
    nats.put_kv(bucket, {"token": f"tok-{tag}", "db": f"password: pw-{tag}\nport: 5432\n"})
    (tmp_path / "base.yml").write_text(
        f'token: (( nats "kv:{bucket}/token" ))\n'
        f'db: (( nats "kv:{bucket}/db" ))\n'
        f'url: (( concat "postgres://app:" db.password "@db" ))\n'
        f"copy: (( grab token ))\n"
    )
    env = {**os.environ, "NATS_URL": nats.url, "NATS_RETRIES": "0"}
    env.pop("REDACT", None)

    def graftpy(*args):
        return subprocess.run(
            [sys.executable, "-m", "graftpy", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )

    merged = graftpy("merge", "base.yml")
    assert merged.returncode == 0, merged.stderr
    assert f"tok-{tag}" in merged.stdout and f"pw-{tag}" in merged.stdout
    text = graftpy("explain", "$", "base.yml")
    as_json = graftpy("explain", "--format", "json", "$", "base.yml")
    whole = graftpy("merge", "--explain-to", "why.json", "base.yml")
    for run in (text, as_json, whole):
        assert run.returncode == 0, run.stderr
    written = (tmp_path / "why.json").read_text()
    for shown in (text.stdout, as_json.stdout, written, text.stderr, whole.stderr):
        assert f"tok-{tag}" not in shown and f"pw-{tag}" not in shown
    assert f"$.token = <nats kv:{bucket}/token>" in text.stdout
    assert f"$.copy = <nats kv:{bucket}/token>" in text.stdout
    assert f"$.db.password = <nats kv:{bucket}/db, at password>" in text.stdout
    assert f"$.url = <derived from nats kv:{bucket}/db>" in text.stdout
