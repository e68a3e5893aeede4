"""graftpy and the reference graft binary against the same nats-server: same bytes.

Skipped where the reference binary is absent (``$GRAFT_REFERENCE`` or
``~/.cache/reference-bin/graft``). The documents cover every value kind of the
catalogue, connection settings given by argument, and the errors whose text
graftpy keeps as graft prints it. Where graftpy differs on purpose (a missing
key names its cause instead of graft's ``<nil>``; ``REDACT``; ``nats@target``)
the test says so and checks graftpy's side.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import values_catalog


def _graft() -> str | None:
    candidate = os.environ.get("GRAFT_REFERENCE") or str(
        Path.home() / ".cache" / "reference-bin" / "graft"
    )
    return candidate if os.access(candidate, os.X_OK) else None


GRAFT = _graft()
pytestmark = pytest.mark.skipif(GRAFT is None, reason="the reference graft binary is absent")


def _both(tmp_path: Path, doc: str, env: dict[str, str], *flags: str):
    path = tmp_path / "doc.yml"
    path.write_text(doc)
    base = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), **env}
    graft = subprocess.run(
        [GRAFT, "merge", *flags, str(path)], capture_output=True, env=base, timeout=120
    )
    ours = subprocess.run(
        [sys.executable, "-m", "graftpy", "merge", *flags, str(path)],
        capture_output=True,
        env=base,
        timeout=120,
    )
    return graft, ours


def test_every_value_kind_prints_the_same(nats, nats_data, tmp_path):
    graft, ours = _both(tmp_path, values_catalog.document(nats_data), {"NATS_URL": nats.url})
    assert graft.returncode == 0, graft.stderr
    assert ours.stdout.decode() == graft.stdout.decode()
    assert ours.returncode == 0


def test_settings_by_argument_print_the_same(nats, nats_data, tmp_path):
    kv = nats_data.kv
    doc = f"""meta:
  url: {nats.url}
  settings:
    url: {nats.url}
    timeout: 3s
    retries: 1
    retry_interval: 100ms
    cache_ttl: 1m
a: (( nats "kv:{kv}/yaml_map" meta.url ))
b: (( nats "KV:{kv}/yaml_list" meta.settings ))
c: (( nats (concat "obj:" "{nats_data.obj}" "/config.json") "{nats.url}" ))
d: (( grab a.nested ))
"""
    graft, ours = _both(tmp_path, doc, {"NATS_URL": "nats://127.0.0.1:1"}, "--prune", "meta")
    assert graft.returncode == 0, graft.stderr
    assert (ours.returncode, ours.stdout) == (0, graft.stdout)


@pytest.mark.parametrize(
    "expr",
    [
        '(( nats "xx:a/b" ))',
        '(( nats "a/b" ))',
        '(( nats "kv:" ))',
        '(( nats "kv:nokey" ))',
        '(( nats "obj:noname" ))',
        "(( nats ))",
        "(( nats 42 ))",
        '(( nats "kv:a/b" 42 ))',
        "(( nats nope.x ))",
    ],
)
def test_argument_errors_print_the_same(nats, tmp_path, expr):
    graft, ours = _both(tmp_path, f"x: {expr}\n", {"NATS_URL": nats.url})
    assert graft.returncode == 2
    assert (ours.returncode, ours.stderr.decode()) == (2, graft.stderr.decode())


def test_a_dead_server_prints_the_same(tmp_path):
    env = {"NATS_URL": "nats://127.0.0.1:1", "NATS_RETRIES": "1", "NATS_RETRY_INTERVAL": "10ms"}
    graft, ours = _both(tmp_path, 'x: (( nats "kv:a/b" ))\n', env)
    assert graft.returncode == 2
    assert (ours.returncode, ours.stderr.decode()) == (2, graft.stderr.decode())


def test_a_missing_key_names_its_cause_where_graft_prints_nil(nats, nats_data, tmp_path):
    graft, ours = _both(
        tmp_path, f'x: (( nats "kv:{nats_data.kv}/missing" ))\n', {"NATS_URL": nats.url, "NATS_RETRIES": "0"}
    )
    prefix = f" - $.x: failed to get key 'missing' from store '{nats_data.kv}'"
    assert f"{prefix} after 1 attempts: <nil>\n" in graft.stderr.decode()
    assert f"{prefix}: nats: key not found\n" in ours.stderr.decode()
    assert ours.returncode == graft.returncode == 2
