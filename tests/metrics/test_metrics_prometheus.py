"""Integration with a real Prometheus and a real Pushgateway (Debian's binaries).

Every PromQL expression of ``grafana/graftpy-dashboard.json`` goes through
Prometheus' query API, which must accept it and answer finite data (no 0 from a
rate over restarted counters, no NaN, no +Inf), fed each of the three ways:

* one-shot ``graftpy merge`` runs pushing to a Pushgateway (``--metrics-push``),
  a failed run after successful ones included;
* one-shot runs writing ``--metrics-file``, served as node_exporter's textfile
  collector serves it (the file as it is, re-read at every scrape);
* Prometheus scraping graftpy's own server while evaluations run.

The workload has slow loads and Vault reads through a proxy that throttles some
requests, so the backend panels see real retries.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

from promstack import TextfileExporter, http_get, wait_until
from servers import FaultSpec

from graftpy.pipeline import MergeOptions, run_merge

DASHBOARD = Path(__file__).resolve().parents[2] / "grafana" / "graftpy-dashboard.json"
# Grafana's variables, as a dashboard showing everything would set them
VARIABLES = {"$__rate_interval": "1m", "$__interval": "15s", "$__range": "1h"}


def dashboard_queries() -> list[tuple[str, str]]:
    """(panel title, PromQL with the variables filled in) for every target of every panel."""
    model = json.loads(DASHBOARD.read_text())
    values = dict(VARIABLES)
    for var in model["templating"]["list"]:
        if var["type"] == "query":
            values["$" + var["name"]] = var["allValue"]
    out = []
    for panel in model["panels"]:
        for target in panel.get("targets", []):
            expr = target["expr"]
            for name in sorted(values, key=len, reverse=True):
                expr = expr.replace(name, values[name])
            assert "$" not in expr, f"unknown variable in {expr}"
            out.append((panel["title"], expr))
    return out


def test_dashboard_is_a_grafana_model_on_a_prometheus_variable():
    model = json.loads(DASHBOARD.read_text())
    variables = {v["name"]: v for v in model["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource"
    assert variables["datasource"]["query"] == "prometheus"
    titles = " / ".join(p["title"] for p in model["panels"]).lower()
    for topic in ("last run", "last success", "percentile", "speedup", "concurrency"):
        assert topic in titles
    for topic in ("latency", "retries", "cache hit rate", "by operator", "by outcome"):
        assert topic in titles
    for panel in model["panels"]:
        if panel["type"] != "row":
            assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}
    from graftpy.metrics.collector import METRICS

    names = {
        re.sub(r"_(total|bucket|sum|count)$", "", n)
        for _, q in dashboard_queries()
        for n in re.findall(r"graftpy_\w+", q)
    }
    assert names <= set(METRICS)  # only metrics we export
    assert len(names) >= 15
    assert {"graftpy_last_run_timestamp_seconds", "graftpy_last_success_timestamp_seconds"} <= names
    # counters restart with every one-shot run: a rate() over them says nothing
    assert [q for _, q in dashboard_queries() if "rate(" in q] == []


def test_byte_counters_name_their_unit():
    from graftpy.metrics.collector import METRICS

    for name, (_kind, doc, _labels) in METRICS.items():
        if "bytes" in doc.lower().split():
            assert name.endswith("_bytes"), f"{name} counts bytes: its name must say so"


def workload(tmp_path: Path, slow, openbao, proxy) -> tuple[str, dict]:
    """A document with slow loads, Vault reads (each path twice) and plain operators."""
    run = uuid.uuid4().hex[:8]
    lines = []
    for i in range(4):
        openbao.put(f"secret/{run}/s{i}", {"k": f"v{i}"})
        lines.append(f'secret{i}: (( vault "secret/{run}/s{i}:k" ))')
        lines.append(f'again{i}: (( vault "secret/{run}/s{i}:k" ))')
    for i in range(3):
        lines.append(f'loaded{i}: (( load "{slow.url(f"x/{i}")}" ))')
    lines += ["a: 1", "b: (( grab a ))", 'c: (( concat "x" b ))']
    path = tmp_path / "work.yml"
    path.write_text("\n".join(lines) + "\n")
    env = {
        "VAULT_ADDR": proxy.url,
        "VAULT_TOKEN": openbao.token,
        "HOME": str(tmp_path),
        "GRAFT_PARALLEL_MIN_OPS": "1",
    }
    return str(path), env


def data_of(prom, expr: str) -> list[float]:
    """Finite sample values of ``expr`` (Prometheus must accept it)."""
    return [v for v in prom.values(expr) if math.isfinite(v)]


def answers(prom, expr: str) -> bool:
    """``expr`` has data, and every value of it is finite."""
    values = prom.values(expr)
    return bool(values) and all(math.isfinite(v) for v in values)


def cli_run(doc: str, env: dict, *args: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GRAFT_", "VAULT_"))}
    return subprocess.run(
        [sys.executable, "-m", "graftpy", "merge", *args, doc],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def one_shot_runs(tmp_path: Path, slow, openbao, proxy, *how: str) -> tuple[float, float]:
    """Two successful runs (sequential, then parallel) and a failed one, each a process
    of its own reporting ``how``; returns when the last success and the failure ended."""
    doc, env = workload(tmp_path, slow, openbao, proxy)
    for parallel in ("--no-parallel", "--parallel"):
        done = cli_run(doc, env, parallel, *how)
        assert (done.returncode, done.stderr) == (0, ""), done.stderr
    succeeded = time.time()
    bad = tmp_path / "bad.yml"  # a secret that is not there: the run fails, Vault was asked
    bad.write_text(f'a: (( vault "secret/{uuid.uuid4().hex}:k" ))\n')
    done = cli_run(str(bad), env, *how)
    assert done.returncode == 2 and "not found" in done.stderr, done.stderr
    return succeeded, time.time()


def check_one_shot_route(prom, selector: str, succeeded: float, failed: float) -> None:
    """Every dashboard query answers; the last-run gauges tell the failure after the
    successes, and the last success survived the failed run."""
    pending = set(dashboard_queries())

    def all_answer() -> bool:
        if data_of(prom, f"graftpy_last_run_success{{{selector}}}") != [0.0]:
            return False  # not yet the failed run's figures
        pending.difference_update({(t, e) for t, e in pending if answers(prom, e)})
        return not pending

    try:
        wait_until(all_answer, 60, "data for every dashboard query")
    except AssertionError:
        raise AssertionError(f"no finite data for: {sorted(pending)}") from None
    (last_success,) = data_of(prom, f"graftpy_last_success_timestamp_seconds{{{selector}}}")
    (last_run,) = data_of(prom, f"graftpy_last_run_timestamp_seconds{{{selector}}}")
    assert succeeded - 60 < last_success <= succeeded < last_run <= failed + 1
    # the alerts docs/metrics.md suggests
    assert data_of(prom, f"time() - graftpy_last_success_timestamp_seconds{{{selector}}} > 0")
    assert data_of(prom, f"graftpy_last_run_success{{{selector}}} == 0") == [0.0]


def test_every_dashboard_query_answers_for_runs_pushed_to_a_pushgateway(
    tmp_path, pushgateway, prometheus, slow_server, openbao, fault_proxy
):
    slow = slow_server(0.1)
    proxy = fault_proxy(openbao.addr, FaultSpec(throttle=0.3, seed=7))
    run = uuid.uuid4().hex[:8]
    push = ("--metrics-push", pushgateway.url, "--metrics-job", "deploy")
    succeeded, failed = one_shot_runs(
        tmp_path, slow, openbao, proxy, *push, "--metrics-label", f"run={run}"
    )
    assert proxy.stats["throttle"] > 0  # the retry and throttling panels saw real ones
    prom = prometheus({"pushgateway": f"127.0.0.1:{pushgateway.port}"}, honor=("pushgateway",))
    check_one_shot_route(prom, f'job="deploy", run="{run}"', succeeded, failed)


def test_every_dashboard_query_answers_for_runs_writing_a_textfile(
    tmp_path, prometheus, slow_server, openbao, fault_proxy
):
    slow = slow_server(0.1)
    proxy = fault_proxy(openbao.addr, FaultSpec(throttle=0.3, seed=5))
    prom_file = tmp_path / "textfile" / "graftpy.prom"
    prom_file.parent.mkdir()
    exporter = TextfileExporter(prom_file).start()
    try:
        succeeded, failed = one_shot_runs(
            tmp_path, slow, openbao, proxy, "--metrics-file", str(prom_file)
        )
        prom = prometheus({"textfile": f"127.0.0.1:{exporter.port}"})
        check_one_shot_route(prom, 'job="textfile"', succeeded, failed)
    finally:
        exporter.stop()


def test_every_dashboard_query_answers_for_a_scraped_server(
    tmp_path, metrics, prometheus, slow_server, openbao, fault_proxy
):
    server = metrics.serve(port=0)
    slow = slow_server(0.15)
    proxy = fault_proxy(openbao.addr, FaultSpec(throttle=0.3, seed=11))
    doc, env = workload(tmp_path, slow, openbao, proxy)
    prom = prometheus({"graftpy": f"127.0.0.1:{server.port}"})
    wait_until(lambda: prom.target_health().get("graftpy") == "up", 30, "the first scrape")
    queries = dashboard_queries()
    pending = set(queries)
    rounds = itertools.count()

    def evaluate_and_check() -> bool:
        # one more evaluation (every other one parallel), then see which queries have data
        parallel = next(rounds) % 2 == 1
        options = MergeOptions(env=env, metrics=True, parallel=parallel, extra={"metrics": metrics})
        assert run_merge([doc], options)["again0"] == "v0"
        pending.difference_update({(t, e) for t, e in pending if answers(prom, e)})
        return not pending

    wait_until(evaluate_and_check, 90, f"data for every dashboard query: {pending}", interval=0)
    assert proxy.stats["throttle"] > 0  # the retry and throttling panels saw real ones
    # every query is valid and has data; and the figures are ours, as last scraped
    for title, expr in queries:
        assert prom.query(expr), f"{title}: {expr}"
    total = metrics.to_json()["operations"]["total"]
    wait_until(
        lambda: data_of(prom, "sum(graftpy_operations_total)") == [total],
        15,
        "Prometheus to see the final count",
    )


def test_pushed_figures_are_read_back_by_prometheus(tmp_path, pushgateway, prometheus):
    doc = tmp_path / "push.yml"
    doc.write_text('a: 1\nb: (( grab a ))\nc: (( grab b ))\nd: (( concat "x" c ))\n')
    run = uuid.uuid4().hex[:8]
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("GRAFT_")},
        "GRAFT_METRICS_PUSH": pushgateway.url,
        "GRAFT_METRICS_JOB": "graftpy-ci",
        "GRAFT_METRICS_LABELS": f"run={run},branch=main",
    }
    done = subprocess.run(
        [sys.executable, "-m", "graftpy", "merge", str(doc)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert "d: x1" in done.stdout
    status, body = http_get(pushgateway.url + "/metrics")
    assert status == 200 and f'run="{run}"' in body.decode()
    prom = prometheus({"pushgateway": f"127.0.0.1:{pushgateway.port}"}, honor=("pushgateway",))
    selector = f'job="graftpy-ci", run="{run}", branch="main"'

    def read_back() -> bool:
        ok = data_of(prom, f'sum(graftpy_operations_total{{{selector}, outcome="ok"}})')
        evaluations = data_of(prom, f'graftpy_evaluations_total{{{selector}, outcome="ok"}}')
        return ok == [3.0] and evaluations == [1.0]

    wait_until(read_back, 30, "Prometheus to read the pushed figures")
    speedup = data_of(prom, f"graftpy_last_evaluation_speedup_ratio{{{selector}}}")
    assert len(speedup) == 1 and speedup[0] > 0


def test_unreachable_pushgateway_warns_and_the_run_goes_on(tmp_path):
    from servers.ports import free_port

    doc = tmp_path / "d.yml"
    doc.write_text("a: 1\nb: (( grab a ))\n")
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("GRAFT_")},
        "GRAFT_METRICS_PUSH": url,
    }
    done = subprocess.run(
        [sys.executable, "-m", "graftpy", "merge", str(doc)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and done.stdout == "a: 1\nb: 1\n\n"
    assert done.stderr.startswith(f"graftpy: metrics not pushed to {url}: ")
    assert done.stderr.endswith(": Connection refused\n")
