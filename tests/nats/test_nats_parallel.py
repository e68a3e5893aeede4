"""Property: documents of nats lookups (and operators reading their results) print the
same bytes, or the same errors, sequentially and under every parallel strategy."""

from __future__ import annotations

import sys

import values_catalog
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graftpy import yamlio
from graftpy.errors import GraftError
from graftpy.pipeline import MergeOptions, run_merge

KEYS = [*values_catalog.KV_EXPECTED, "missing", "deleted", "bad key"]
OBJECTS = [name for name, _, _ in values_catalog.OBJECTS] + ["missing.yaml"]
MAP_KEYS = ["yaml_map", "json_lines", "two_docs", "anchors"]  # KV entries that decode to maps

_interval = sys.getswitchinterval()


def setup_module() -> None:
    sys.setswitchinterval(1e-6)  # switch threads often: races show up sooner


def teardown_module() -> None:
    sys.setswitchinterval(_interval)


@st.composite
def documents(draw: st.DrawFn, kv: str, obj: str) -> str:
    lines = []
    maps: list[str] = []
    for i in range(draw(st.integers(1, 14))):
        kind = draw(st.integers(0, 9))
        if kind < 4:
            lines.append(f'n{i}: (( nats "kv:{kv}/{draw(st.sampled_from(KEYS))}" ))')
        elif kind < 6:
            lines.append(f'n{i}: (( nats "obj:{obj}/{draw(st.sampled_from(OBJECTS))}" ))')
        elif kind < 7:
            key = draw(st.sampled_from(MAP_KEYS))
            lines.append(f'n{i}: (( nats "kv:{kv}/{key}" ))')
            maps.append(f"n{i}")
        elif kind < 8 and maps:
            lines.append(f"n{i}: (( grab {draw(st.sampled_from(maps))} ))")
        elif kind < 9:
            lines.append(f'n{i}: (( concat "v-" (nats "kv:{kv}/{draw(st.sampled_from(KEYS))}") ))')
        else:
            lines.append(f'n{i}: (( nats "{draw(st.sampled_from(["kv:", "xx:a/b", "kv:nokey"]))}" ))')
    return "\n".join(lines) + "\n"


def _run(path: str, url: str, **options) -> str:
    env = {"NATS_URL": url, "NATS_RETRIES": "0"}
    try:
        return yamlio.dump_yaml(run_merge([path], MergeOptions(env=env, **options)))
    except GraftError as exc:
        return "ERROR " + exc.render()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_parallel_equals_sequential(nats, nats_data, tmp_path, data):
    doc = data.draw(documents(nats_data.kv, nats_data.obj))
    path = tmp_path / "doc.yml"
    path.write_text(doc)
    sequential = _run(str(path), nats.url, parallel=False)
    strategy = data.draw(st.sampled_from(["conservative", "aggressive", "adaptive"]))
    workers = data.draw(st.sampled_from([2, 4, 16]))
    parallel = _run(str(path), nats.url, parallel=True, strategy=strategy, workers=workers, min_ops=1)
    assert parallel == sequential
    assert _run(str(path), nats.url) == sequential  # default settings: reads start after the scan


def test_literal_reads_start_after_the_scan(nats, nats_data, tmp_path, capfd):
    path = tmp_path / "doc.yml"
    path.write_text(
        f'a: (( nats "kv:{nats_data.kv}/simple" ))\n'
        f'b: (( nats "obj:{nats_data.obj}/missing.yaml" ))\n'
        f'c: (( nats "kv:" ))\n'  # fails before reading: nothing to start
    )
    sequential = _run(str(path), nats.url, parallel=False)
    assert _run(str(path), nats.url, debug=True) == sequential
    assert "DEBUG> Reading ahead: 2 secrets, 0 URLs" in capfd.readouterr().err
