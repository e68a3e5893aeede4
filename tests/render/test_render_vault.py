"""``graftpy render`` against a real OpenBao behind the bench's latency proxy.

The proxy counts what reaches the server: one request per distinct secret path of
the whole run plus one KV-version lookup per mount, however many targets read it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import latency

pytestmark = pytest.mark.skipif(
    not latency.available(), reason="the bench's latency_proxy.py is not beside the repo"
)

FLEET = """\
files: [base.yml, 'envs/{target}.yml']
prune: [meta]
output: 'out/{target}.yml'
targets:
  prod: {}
  staging: {}
  qa: {}
  lab: {}
"""
BASE = """\
meta:
  env: (( param "env?" ))
db:
  user: (( vault "secret/fleet/db:user" ))
  pass: (( vault "secret/fleet/db:pass" ))
tls: (( vault "secret/fleet/tls:cert" ))
own: (( vault "secret/fleet/" meta.env ":token" ))
"""


@pytest.fixture
def proxy(openbao) -> Iterator[latency.LatencyProxy]:  # noqa: ANN001 - the fixture's server
    started = latency.LatencyProxy(openbao.addr, delay_ms=20).start()
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture
def fleet(tmp_path: Path, openbao) -> Path:  # noqa: ANN001
    openbao.put("secret/fleet/db", {"user": "app", "pass": "s3cret"})
    openbao.put("secret/fleet/tls", {"cert": "PEM"})
    for env in ("prod", "staging", "qa", "lab"):
        openbao.put(f"secret/fleet/{env}", {"token": f"tok-{env}"})
        (tmp_path / "envs").mkdir(exist_ok=True)
        (tmp_path / "envs" / f"{env}.yml").write_text(f"meta: {{env: {env}}}\n")
    (tmp_path / "graftpy.yml").write_text(FLEET)
    (tmp_path / "base.yml").write_text(BASE)
    return tmp_path


def run(*args: str, cwd: Path, addr: str, token: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRAFT", "VAULT", "AWS"))}
    env.pop("REDACT", None)
    env |= {"VAULT_ADDR": addr, "VAULT_TOKEN": token, "HOME": str(cwd)}
    return subprocess.run(
        [sys.executable, "-m", "graftpy", *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_each_path_is_read_once_for_all_targets(fleet: Path, proxy, openbao) -> None:  # noqa: ANN001
    done = run("render", cwd=fleet, addr=proxy.addr, token=openbao.token)
    assert done.returncode == 0, done.stderr
    stats = proxy.stop()
    # db and tls: literal, read ahead; each env's own path: computed, read while evaluating
    reads = {p for p in stats["by_path"] if "/secret/data/" in p}
    assert len(reads) == 6
    assert stats["requests"] == 6 + 1  # + the one mount lookup
    assert all(count == 1 for count in stats["by_path"].values())
    for env in ("prod", "staging", "qa", "lab"):
        merged = run(
            "merge", "--config", os.devnull, "--prune", "meta", "base.yml", f"envs/{env}.yml",
            cwd=fleet, addr=openbao.addr, token=openbao.token,
        )  # fmt: skip
        assert merged.returncode == 0, merged.stderr
        assert (fleet / "out" / f"{env}.yml").read_text() == merged.stdout
        assert f"own: tok-{env}\n" in merged.stdout
    assert "; vault: 6 secrets read in 7 requests" in done.stderr


def test_plan_and_redact_contact_no_store(fleet: Path, proxy, openbao) -> None:  # noqa: ANN001
    plan = run("render", "--plan", cwd=fleet, addr=proxy.addr, token=openbao.token)
    assert plan.returncode == 0, plan.stderr
    assert "secret/fleet/db:\n    - pass\n    - user\n" in plan.stdout
    assert "s3cret" not in plan.stdout and "PEM" not in plan.stdout
    redacted = run("render", "--redact", cwd=fleet, addr=proxy.addr, token=openbao.token)
    assert redacted.returncode == 0, redacted.stderr
    assert "pass: REDACTED\n" in (fleet / "out" / "qa.yml").read_text()
    assert proxy.stop()["requests"] == 0


def test_a_missing_secret_fails_its_target_only(fleet: Path, proxy, openbao) -> None:  # noqa: ANN001
    openbao.delete("secret/fleet/qa")
    done = run("render", cwd=fleet, addr=proxy.addr, token=openbao.token)
    assert done.returncode == 2
    merged = run(
        "merge", "--config", os.devnull, "--prune", "meta", "base.yml", "envs/qa.yml",
        cwd=fleet, addr=openbao.addr, token=openbao.token,
    )  # fmt: skip
    assert merged.returncode == 2
    assert f"target qa failed:\n{merged.stderr}" in done.stderr
    assert not (fleet / "out" / "qa.yml").exists()
    assert (fleet / "out" / "prod.yml").exists() and (fleet / "out" / "lab.yml").exists()
    assert "s3cret" not in done.stderr


def test_a_refused_token_fails_every_target_with_merges_error(fleet: Path, proxy, openbao) -> None:  # noqa: ANN001
    done = run("render", "--jobs", "2", cwd=fleet, addr=proxy.addr, token="not-a-token")
    assert done.returncode == 2
    assert done.stderr.count("403 Forbidden: permission denied") >= 4
    assert "render: 4 targets: 0 ok, 4 failed" in done.stderr
    stats = proxy.stop()
    assert stats["requests"] <= 8  # refusals are kept too: no target asks again


SHARED_FLEET = "files: ['{target}.yml']\noutput: 'out/{target}.yml'\ntargets:\n" + "".join(
    f"  t{i}: {{}}\n" for i in range(8)
)


def metric(text: str, name: str, **labels: str) -> float:
    """The value of one sample of a Prometheus text file."""
    want = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))  # as files sort them
    for line in text.splitlines():
        series, _, value = line.rpartition(" ")
        if series == (f"{name}{{{want}}}" if want else name):
            return float(value)
    raise AssertionError(f"no {name}{{{want}}} in the metrics")


@pytest.mark.parametrize("processes", ["1", "2"])
def test_requests_and_cache_hits_are_told_per_target(
    tmp_path: Path,
    proxy,  # noqa: ANN001
    openbao,  # noqa: ANN001
    processes: str,
) -> None:
    """Each target's share of the one shared backend: a path read ahead counts for the
    target that planned it first, every read from the cache for the target reading;
    the shares add up to the run's totals and to what reached the server."""
    openbao.put("secret/share/common", {"a": "1", "b": "2"})
    for i in range(8):
        openbao.put(f"secret/share/own{i}", {"x": f"x{i}"})
        (tmp_path / f"t{i}.yml").write_text(
            'a: (( vault "secret/share/common:a" ))\nb: (( vault "secret/share/common:b" ))\n'
            f'x: (( vault "secret/share/own{i}:x" ))\n'
        )
    (tmp_path / "graftpy.yml").write_text(SHARED_FLEET)
    done = run(
        "render", "--processes", processes, "--report", "r.json", "--metrics-file", "m.prom",
        cwd=tmp_path, addr=proxy.addr, token=openbao.token,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    seen = proxy.stop()["requests"]
    assert seen == 9 + 1  # 9 paths and the mount lookup
    report = json.loads((tmp_path / "r.json").read_text())
    shares = {t["name"]: t["backends"]["vault"] for t in report["targets"]}
    # t0 is planned first: common and own0 are read for it, own{i} for t{i}
    assert [shares[f"t{i}"]["reads"] for i in range(8)] == [2, 1, 1, 1, 1, 1, 1, 1]
    assert all(s["cache_hits"] == 3 and s["retries"] == s["give_ups"] == 0 for s in shares.values())
    # the one mount lookup counts for the target whose read needed it first (a race)
    extra = [s["requests"] - s["reads"] for s in shares.values()]
    assert sorted(extra) == [0] * 7 + [1]
    totals = report["backends"]["vault"]
    assert totals["requests"] == sum(s["requests"] for s in shares.values()) == seen
    assert totals["reads"] == 9
    assert totals["cache_hits"] == sum(s["cache_hits"] for s in shares.values()) == 24
    prom = (tmp_path / "m.prom").read_text()
    for name, share in shares.items():
        labels = {"target": name, "backend": "vault"}
        assert (
            metric(prom, "graftpy_target_backend_cache_hits_total", **labels) == share["cache_hits"]
        )
        assert (
            metric(prom, "graftpy_target_backend_requests_total", **labels, outcome="ok")
            == share["requests"]
        )
    assert metric(prom, "graftpy_backend_cache_hits_total", backend="vault") == 24
    assert metric(prom, "graftpy_backend_requests_total", backend="vault", outcome="ok") == seen


def test_progress_tells_targets_and_secret_reads_while_it_waits(
    fleet: Path,
    openbao,  # noqa: ANN001
) -> None:
    slow = latency.LatencyProxy(openbao.addr, delay_ms=900).start()
    try:
        done = run("render", "--progress", cwd=fleet, addr=slow.addr, token=openbao.token)
    finally:
        slow.stop()
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    progress = lines[: lines.index(next(line for line in lines if line.startswith("target ")))]
    assert progress, done.stderr  # a log (not a terminal): a line every few seconds
    assert all(line.startswith("graftpy render: ") for line in progress), progress
    assert any("4/4 targets planned, secrets " in line for line in progress), progress
