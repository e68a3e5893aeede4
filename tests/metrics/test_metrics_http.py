"""The HTTP server, scraped for real while an evaluation runs and after it ends.

Evaluations are slowed down by ``(( load ))`` calls to a loopback server that
answers late; the tests poll the endpoints with bounded deadlines and never
sleep to wait for graftpy's threads.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from promstack import http_get, wait_until
from servers.ports import free_port

from graftpy.pipeline import MergeOptions, run_merge


def scrape(url: str) -> dict[tuple, float]:
    status, body = http_get(url + "/metrics")
    assert status == 200
    out = {}
    for family in text_string_to_metric_families(body.decode()):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def scrape_json(url: str) -> dict:
    status, body = http_get(url + "/metrics/json")
    assert status == 200
    return json.loads(body)


def load_doc(tmp_path: Path, server, count: int) -> str:
    lines = [f'item{i}: (( load "{server.url(f"doc/{i}")}" ))' for i in range(count)]
    lines.append('summary: (( concat "first=" item0.value ))')
    path = tmp_path / "slow.yml"
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def in_flight_load(url: str) -> dict | None:
    """The JSON view once a load call is running, else None."""
    view = scrape_json(url)
    running = view["evaluations"]["running"] == 1 and view["concurrency"]["current"] == 1
    return view if running else None


def test_scraped_while_running_and_after(tmp_path, metrics, slow_server):
    doc = load_doc(tmp_path, slow_server(0.4), 5)
    options = MergeOptions(  # sequential: one load in flight at a time, counted below
        env={},
        parallel=False,
        metrics=True,
        metrics_port=0,
        metrics_linger=60,
        extra={"metrics": metrics},
    )
    result: dict = {}
    runner = threading.Thread(target=lambda: result.update(run_merge([doc], options)))
    runner.start()
    try:
        server = wait_until(lambda: metrics.server, 10, "the metrics server")
        url = server.url
        assert server.host == "127.0.0.1"
        # while it runs: a load in flight, one evaluation running
        view = wait_until(lambda: in_flight_load(url), 10, "a load call in flight")
        assert view["evaluations"]["last"]["running"] is True
        live = scrape(url)
        assert live[("graftpy_evaluations_running", ())] == 1
        assert live[("graftpy_operations_in_flight", ())] == 1
        assert live[("graftpy_documents_processed_total", ())] == 1
        status, body = http_get(url + "/health")
        assert status == 200 and json.loads(body)["status"] == "ok"
        runner.join(timeout=30)
        assert not runner.is_alive()
        assert result["summary"] == "first=/doc/0"
        # after it ends: the linger keeps the server up with the final figures
        done = scrape(url)
        assert done[("graftpy_evaluations_total", (("outcome", "ok"),))] == 1
        assert done[("graftpy_evaluations_running", ())] == 0
        assert done[("graftpy_operations_in_flight", ())] == 0
        load_ok = ("graftpy_operations_total", (("operator", "load"), ("outcome", "ok")))
        assert done[load_ok] == 5
        count = ("graftpy_operation_duration_seconds_count", (("operator", "load"),))
        assert done[count] == 5
        total = ("graftpy_operation_duration_seconds_sum", (("operator", "load"),))
        assert done[total] >= 5 * 0.39
        final = scrape_json(url)
        assert final["operations"]["by_operator"]["load"]["ok"] == 5
        assert final["durations"]["by_operator"]["load"]["p50_seconds"] >= 0.25
        assert final["evaluations"]["last"]["succeeded"] is True
        assert final["failure_rate"] == 0.0
        assert final["parallel_ratio"] == 0.0  # sequential: every call on the main thread
        assert 0.9 < final["speedup"] <= 1.0  # nothing overlapped
    finally:
        metrics.stop()  # ends the linger early
        runner.join(timeout=30)
    with pytest.raises(OSError):
        http_get(url + "/health", timeout=2)


def test_without_linger_the_server_stops_with_the_run(tmp_path, metrics):
    doc = tmp_path / "d.yml"
    doc.write_text("a: 1\nb: (( grab a ))\n")
    options = MergeOptions(env={}, metrics=True, metrics_port=0, extra={"metrics": metrics})
    assert run_merge([str(doc)], options) == {"a": 1, "b": 1}
    assert metrics.server is None
    assert metrics.to_json()["operations"]["ok"] == 1


def test_library_user_serves_across_runs(tmp_path, metrics):
    server = metrics.serve(port=0)
    doc = tmp_path / "d.yml"
    doc.write_text("a: 1\nb: (( grab a ))\n")
    options = MergeOptions(env={}, metrics=True, metrics_port=0, extra={"metrics": metrics})
    for _ in range(2):
        run_merge([str(doc)], options)
        assert metrics.server is server  # the runs used the user's server, left it up
    figures = scrape(server.url)
    assert figures[("graftpy_evaluations_total", (("outcome", "ok"),))] == 2
    status, _ = http_get(server.url + "/nowhere")
    assert status == 404
    server.stop()
    with pytest.raises(OSError):
        http_get(server.url + "/health", timeout=2)


def test_openmetrics_when_asked(metrics):
    import urllib.request

    server = metrics.serve(port=0)
    request = urllib.request.Request(
        server.url + "/metrics", headers={"Accept": "application/openmetrics-text; version=1.0.0"}
    )
    with urllib.request.urlopen(request, timeout=5) as resp:  # noqa: S310 - loopback
        assert resp.headers["Content-Type"].startswith("application/openmetrics-text")
        assert resp.read().decode().rstrip().endswith("# EOF")


def test_port_in_use_is_reported_and_the_run_goes_on(tmp_path, metrics, capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        doc = tmp_path / "d.yml"
        doc.write_text('a: (( concat "x" "y" ))\n')
        options = MergeOptions(env={}, metrics=True, metrics_port=port, extra={"metrics": metrics})
        assert run_merge([str(doc)], options) == {"a": "xy"}
    err = capsys.readouterr().err
    assert f"graftpy: metrics not served: cannot listen on 127.0.0.1:{port}:" in err
    assert metrics.to_json()["operations"]["ok"] == 1  # recorded all the same


def test_cli_serves_during_the_run_and_lingers_after_the_output(tmp_path, slow_server):
    doc = load_doc(tmp_path, slow_server(0.4), 4)
    out = tmp_path / "out.yml"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("GRAFT_")},
        "GRAFT_METRICS": "true",
        "GRAFT_METRICS_PORT": str(port),
        "GRAFT_METRICS_LINGER": "2",
        "GRAFT_PARALLEL": "false",  # one slow load after another: time to scrape mid-run
    }
    cmd = [sys.executable, "-m", "graftpy", "merge", doc, "-o", str(out)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_until(lambda: in_flight_load(url), 20, "a load call in flight")
        # the output is written, the process still serves: the final figures
        wait_until(out.exists, 20, "the output file")
        assert proc.poll() is None
        after = scrape(url)
        load_ok = ("graftpy_operations_total", (("operator", "load"), ("outcome", "ok")))
        assert after[load_ok] == 4
        assert after[("graftpy_evaluations_total", (("outcome", "ok"),))] == 1
        assert "summary: first=/doc/0" in out.read_text()
        _, stderr = proc.communicate(timeout=30)  # exits by itself when the linger ends
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0
    assert stderr.decode() == f"graftpy: serving metrics on {url}/metrics\ngraftpy: wrote {out}\n"
    with pytest.raises(OSError):
        http_get(url + "/health", timeout=2)
