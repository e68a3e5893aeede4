"""Integration with a real Prometheus and a real Pushgateway (Debian's binaries).

* Prometheus scrapes graftpy's server while evaluations run (slow loads, Vault
  reads through a proxy that throttles some requests); then every PromQL
  expression of ``grafana/graftpy-dashboard.json`` goes through Prometheus' query
  API: each must be valid and return data.
* ``python -m graftpy merge`` pushes to a Pushgateway (``GRAFT_METRICS_PUSH``)
  with a job name and grouping labels, and Prometheus reads the figures back.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

from promstack import http_get, wait_until
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
    for topic in ("per second", "percentile", "speedup", "concurrency", "latency", "retries"):
        assert topic in titles
    assert "cache hit rate" in titles
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


def test_every_dashboard_query_returns_data(
    tmp_path, metrics, prometheus, slow_server, openbao, fault_proxy
):
    server = metrics.serve(port=0)
    slow = slow_server(0.15)
    proxy = fault_proxy(openbao.addr, FaultSpec(throttle=0.3, seed=11))
    doc, env = workload(tmp_path, slow, openbao, proxy)
    prom = prometheus({"graftpy": f"127.0.0.1:{server.port}"})
    wait_until(lambda: prom.target_health().get("graftpy") == "up", 30, "the first scrape")
    queries = dashboard_queries()
    pending = dict(queries)
    rounds = itertools.count()

    def evaluate_and_check() -> bool:
        # one more evaluation (every other one parallel), then see which queries have data
        parallel = next(rounds) % 2 == 1
        options = MergeOptions(env=env, metrics=True, parallel=parallel, extra={"metrics": metrics})
        assert run_merge([doc], options)["again0"] == "v0"
        for title, expr in list(pending.items()):
            if data_of(prom, expr):
                del pending[title]
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
