"""Metrics through the real pipeline: ``run_merge`` / ``MergeOptions`` and ``python -m graftpy``.

The text written by ``--metrics-file`` is read back with prometheus-client's own parser.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from graftpy.errors import MultiError
from graftpy.pipeline import MergeOptions, run_merge

DOC = """\
meta:
  name: web
  port: 8080
name: (( grab meta.name ))
port: (( grab meta.port ))
url: (( concat "http://" meta.name ":" meta.port ))
parts: (( join "," meta.name meta.name ))
"""


def samples(text: str) -> dict[tuple, float]:
    """(sample name, sorted labels) -> value, parsed by prometheus-client."""
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def ops(parsed: dict, operator: str, outcome: str) -> float:
    labels = (("operator", operator), ("outcome", outcome))
    return parsed[("graftpy_operations_total", labels)]


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_metrics_file_holds_the_run(tmp_path, metrics):
    doc = write(tmp_path, "doc.yml", DOC)
    out = tmp_path / "run.prom"
    options = MergeOptions(env={}, metrics_file=str(out), extra={"metrics": metrics})
    result = run_merge([doc], options)
    assert result["url"] == "http://web:8080"
    parsed = samples(out.read_text())
    assert ops(parsed, "grab", "ok") == 2
    assert ops(parsed, "concat", "ok") == 1
    assert ops(parsed, "join", "ok") == 1
    assert parsed[("graftpy_evaluations_total", (("outcome", "ok"),))] == 1
    assert parsed[("graftpy_documents_processed_total", ())] == 1
    assert parsed[("graftpy_input_bytes_total", ())] == len(DOC.encode())
    assert parsed[("graftpy_last_evaluation_operations", ())] == 4
    assert parsed[("graftpy_last_evaluation_parallel_ratio", ())] == 0
    assert parsed[("graftpy_operations_in_flight", ())] == 0
    assert 0 < parsed[("graftpy_last_evaluation_speedup_ratio", ())] <= 1.0
    assert oct(out.stat().st_mode & 0o777) == "0o644"
    last_run = metrics.to_json()["last_run"]  # /metrics/json says the same
    assert (last_run["succeeded"], last_run["documents"]) == (True, 1)
    assert last_run["last_success_timestamp"] == last_run["ended_timestamp"]


CHAIN = """\
meta: {name: web}
a: (( grab meta.name ))
b: (( grab a ))
c: (( concat a "-" b ))
d: (( grab meta.name ))
"""


def test_metrics_describe_the_dependency_graph(tmp_path, metrics):
    """Generations [a, d], [b], [c]; critical path a -> b -> c; 4 calls over 3."""
    doc = write(tmp_path, "chain.yml", CHAIN)
    out = tmp_path / "run.prom"
    options = MergeOptions(env={}, metrics_file=str(out), extra={"metrics": metrics})
    assert run_merge([doc], options)["c"] == "web-web"
    parsed = samples(out.read_text())
    assert parsed[("graftpy_last_evaluation_graph_operations", ())] == 4
    assert parsed[("graftpy_last_evaluation_graph_dependencies", ())] == 3
    assert parsed[("graftpy_last_evaluation_generations", ())] == 3
    assert parsed[("graftpy_last_evaluation_widest_generation", ())] == 2
    assert parsed[("graftpy_last_evaluation_critical_path_operations", ())] == 3
    assert parsed[("graftpy_last_evaluation_speedup_bound_ratio", ())] == pytest.approx(4 / 3)
    last = metrics.to_json()["evaluations"]["last"]
    assert last["graph"] == {
        "operations": 4,
        "dependencies": 3,
        "generations": 3,
        "widest_generation": 2,
        "critical_path": 3,
        "speedup_bound": pytest.approx(4 / 3),
    }
    [phase] = last["phases"]
    assert phase["phase"] == "eval" and phase["graph"]["critical_path"] == 3


def test_metrics_add_up_the_graphs_of_every_phase(tmp_path, metrics):
    """An inject (merge phase), then the eval phase: their chains run one after the other."""
    text = CHAIN + "job:\n  <<<: (( inject meta ))\n  e: (( grab job.name ))\n"
    doc = write(tmp_path, "phases.yml", text)
    options = MergeOptions(env={}, extra={"metrics": metrics}, metrics_file=str(tmp_path / "m"))
    assert run_merge([doc], options)["job"] == {"name": "web", "e": "web"}
    last = metrics.to_json()["evaluations"]["last"]
    assert [p["phase"] for p in last["phases"]] == ["merge", "eval"]
    # merge: 1 call; eval: CHAIN's 4 and e (reads job.name, written by the inject)
    assert last["graph"] == {
        "operations": 6,
        "dependencies": 3,
        "generations": 1 + 3,
        "widest_generation": 3,
        "critical_path": 1 + 3,
        "speedup_bound": pytest.approx(6 / 4),
    }


def test_failed_run_still_writes_its_figures(tmp_path, metrics):
    doc = write(tmp_path, "bad.yml", "a: (( grab nothing.here ))\nb: (( grab c ))\nc: 1\n")
    out = tmp_path / "run.prom"
    options = MergeOptions(env={}, metrics_file=str(out), extra={"metrics": metrics})
    with pytest.raises(MultiError):
        run_merge([doc], options)
    parsed = samples(out.read_text())
    assert ops(parsed, "grab", "error") == 1
    assert ops(parsed, "grab", "ok") == 1
    assert parsed[("graftpy_evaluations_total", (("outcome", "error"),))] == 1
    assert parsed[("graftpy_last_evaluation_failure_ratio", ())] == 0.5


def test_one_shot_runs_leave_last_run_gauges_and_keep_the_last_success(tmp_path):
    """Each run a process of its own, as in CI: the file holds when the last run ended,
    whether it succeeded, and the last success, carried across a failed run."""
    good = write(tmp_path, "good.yml", DOC)
    bad = write(tmp_path, "bad.yml", "a: (( grab nothing.here ))\n")
    out = tmp_path / "run.prom"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAFT_")}

    def run(doc: str) -> dict:
        cmd = [sys.executable, "-m", "graftpy", "merge", "--metrics-file", str(out), doc]
        subprocess.run(cmd, env=env, capture_output=True, timeout=60, check=False)
        return samples(out.read_text())

    first = run(good)
    assert first[("graftpy_last_run_success", ())] == 1
    assert first[("graftpy_last_run_documents", ())] == 1
    assert first[("graftpy_last_run_input_bytes", ())] == len(DOC.encode())
    assert 0 < first[("graftpy_last_run_duration_seconds", ())] < 60
    success = first[("graftpy_last_success_timestamp_seconds", ())]
    assert success == first[("graftpy_last_run_timestamp_seconds", ())]
    failed = run(bad)
    assert failed[("graftpy_last_run_success", ())] == 0
    assert failed[("graftpy_last_run_timestamp_seconds", ())] > success
    assert failed[("graftpy_last_success_timestamp_seconds", ())] == success
    again = run(good)
    assert again[("graftpy_last_success_timestamp_seconds", ())] > success


def test_fan_records_its_metrics_too(tmp_path):
    source = write(tmp_path, "s.yml", "x: 1\n")
    targets = write(tmp_path, "t.yml", "a: (( grab x ))\n---\nb: (( grab x ))\n")
    out = tmp_path / "fan.prom"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAFT_")}
    cmd = [sys.executable, "-m", "graftpy", "fan", "--metrics-file", str(out), source, targets]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    parsed = samples(out.read_text())
    assert ops(parsed, "grab", "ok") == 2
    assert parsed[("graftpy_evaluations_total", (("outcome", "ok"),))] == 2  # one per target
    assert parsed[("graftpy_last_run_documents", ())] == 3
    assert parsed[("graftpy_last_run_success", ())] == 1


def test_metrics_file_is_replaced_atomically(tmp_path, metrics):
    doc = write(tmp_path, "doc.yml", DOC)
    folder = tmp_path / "textfile"
    folder.mkdir()
    out = folder / "graftpy.prom"
    out.write_text("old content\n")
    out.chmod(0o640)
    options = MergeOptions(env={}, metrics_file=str(out), extra={"metrics": metrics})
    run_merge([doc], options)
    assert os.listdir(folder) == ["graftpy.prom"]  # no temp file left behind
    assert "old content" not in out.read_text()
    assert oct(out.stat().st_mode & 0o777) == "0o640"  # the file keeps its mode


def test_unwritable_metrics_file_warns_and_the_run_goes_on(tmp_path, metrics, capsys):
    doc = write(tmp_path, "doc.yml", DOC)
    bad = tmp_path / "missing-dir" / "x.prom"
    options = MergeOptions(env={}, metrics_file=str(bad), extra={"metrics": metrics})
    assert run_merge([doc], options)["name"] == "web"
    err = capsys.readouterr().err
    assert f"graftpy: metrics file {bad} not written: No such file or directory" in err


def test_environment_turns_the_file_on(tmp_path, metrics):
    doc = write(tmp_path, "doc.yml", DOC)
    out = tmp_path / "env.prom"
    options = MergeOptions(env={"GRAFT_METRICS_FILE": str(out)}, extra={"metrics": metrics})
    run_merge([doc], options)
    assert ops(samples(out.read_text()), "grab", "ok") == 2


OFF_PROBE = """
import sys
from graftpy.pipeline import MergeOptions, run_merge
tree = run_merge([sys.argv[1]], MergeOptions(env={}))
bad = [m for m in ("graftpy.metrics", "prometheus_client") if m in sys.modules]
print(tree["name"], bad)
"""


def test_metrics_off_imports_nothing_of_them(tmp_path):
    doc = write(tmp_path, "doc.yml", DOC)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAFT_METRICS")}
    out = subprocess.run(
        [sys.executable, "-c", OFF_PROBE, doc], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == "web []"


def test_cli_writes_the_file_and_its_output_is_unchanged(tmp_path):
    doc = write(tmp_path, "doc.yml", DOC)
    out = tmp_path / "cli.prom"
    base = {k: v for k, v in os.environ.items() if not k.startswith("GRAFT_METRICS")}
    cmd = [sys.executable, "-m", "graftpy", "merge", doc]
    plain = subprocess.run(cmd, capture_output=True, text=True, env=base, timeout=60)
    env = {**base, "GRAFT_METRICS_FILE": str(out)}
    metered = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)
    assert (metered.returncode, metered.stdout, metered.stderr) == (0, plain.stdout, "")
    parsed = samples(out.read_text())
    assert ops(parsed, "concat", "ok") == 1
    assert parsed[("graftpy_build_info", (("version", _version()),))] == 1


def _version() -> str:
    from graftpy import __version__

    return __version__


def test_parallel_run_reports_concurrency_and_speedup(tmp_path, metrics, slow_server):
    server = slow_server(0.3)
    # URLs from the document, so each call fetches in its turn (a literal URL would be
    # fetched from right after the scan, evaluator.early_io, and its call wait less)
    lines = ["urls:"] + [f'  u{i}: "{server.url(f"item/{i}")}"' for i in range(8)]
    lines += [f"r{i}: (( load urls.u{i} ))" for i in range(8)]
    lines.append("first: (( grab r0.value ))")
    doc = write(tmp_path, "loads.yml", "\n".join(lines) + "\n")
    options = MergeOptions(
        env={"GRAFT_PARALLEL_STRATEGY": "aggressive"},
        parallel=True,
        workers=8,
        min_ops=1,
        metrics_file=str(tmp_path / "p.prom"),
        extra={"metrics": metrics},
    )
    assert run_merge([doc], options)["first"] == "/item/0"
    last = metrics.to_json()["evaluations"]["last"]
    assert last["operations"] == 9
    assert last["strategy"] == "aggressive" and last["workers"] == 8
    assert last["parallel_ratio"] >= 8 / 9  # every load ran on a worker thread
    assert last["peak_concurrency"] >= 4
    assert last["speedup"] > 2  # 8 x 0.3 s of loads overlapped
    durations = metrics.to_json()["durations"]["by_operator"]["load"]
    assert durations["count"] == 8 and durations["mean_seconds"] >= 0.29
    parsed = samples((tmp_path / "p.prom").read_text())
    assert parsed[("graftpy_last_evaluation_workers", ())] == 8
    assert parsed[("graftpy_operations_in_flight_max", ())] >= 4


def test_backend_figures_from_a_real_vault(tmp_path, metrics, openbao):
    run = uuid.uuid4().hex[:8]
    openbao.put(f"secret/{run}/db", {"user": "admin", "password": "s3cret"})
    doc = write(
        tmp_path,
        "vault.yml",
        f'user: (( vault "secret/{run}/db:user" ))\n'
        f'password: (( vault "secret/{run}/db:password" ))\n'
        f'again: (( vault "secret/{run}/db:user" ))\n',
    )
    env = {"VAULT_ADDR": openbao.addr, "VAULT_TOKEN": openbao.token, "HOME": str(tmp_path)}
    options = MergeOptions(  # sequential: the 2nd and 3rd call find the 1st one's answer
        env=env,
        parallel=False,
        metrics_file=str(tmp_path / "v.prom"),
        extra={"metrics": metrics},
    )
    assert run_merge([doc], options)["password"] == "s3cret"
    view = metrics.to_json()
    vault = view["backends"]["vault"]
    assert vault["requests_by_outcome"].get("ok", 0) >= 1
    assert vault["cache_misses"] == 1  # the secret was read once
    assert vault["cache_hits"] == 2  # the other two calls found it cached
    assert view["operations"]["by_operator"]["vault"] == {
        "ok": 1,
        "error": 0,
        "cached": 2,
        "total": 3,
    }
    parsed = samples((tmp_path / "v.prom").read_text())
    assert parsed[("graftpy_backend_cache_hits_total", (("backend", "vault"),))] == 2
