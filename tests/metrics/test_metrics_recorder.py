"""The figures: recording, the Prometheus text (checked with prometheus-client's own
parser) and the JSON view agree with what was recorded."""

from __future__ import annotations

import math
import threading
from types import SimpleNamespace

import prometheus_client
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from prometheus_client.parser import text_string_to_metric_families

from graftpy.backends.stats import BackendEvent
from graftpy.metrics import Metrics
from graftpy.metrics.collector import METRICS
from graftpy.metrics.jsonview import quantile
from graftpy.metrics.recorder import OPERATION_BUCKETS, RunFigures


def families(m: Metrics) -> dict[str, dict[tuple, float]]:
    """name -> {(sample name, sorted labels): value}, parsed from the text format."""
    out: dict[str, dict[tuple, float]] = {}
    for family in text_string_to_metric_families(m.text()):
        samples = out.setdefault(family.name, {})
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def fake_op(name: str) -> SimpleNamespace:
    return SimpleNamespace(operator=SimpleNamespace(name=name))


def call(observer, name: str, failed: bool = False, run=None) -> None:
    """One operator call through the observer's wrapper, as the engine makes it."""
    run_one = run or (lambda op: "an error" if failed else None)
    observer.wrap(run_one)(fake_op(name))


def test_calls_are_counted_by_operator_and_outcome():
    m = Metrics()
    ev = m.evaluation()
    ev.phase_started("eval", 4)
    for name, failed in (("grab", False), ("grab", False), ("grab", True), ("concat", False)):
        call(ev, name, failed)
    ev.phase_finished()
    ev.finish(succeeded=False)
    got = families(m)
    ops = got["graftpy_operations"]
    assert ops[("graftpy_operations_total", (("operator", "grab"), ("outcome", "ok")))] == 2
    assert ops[("graftpy_operations_total", (("operator", "grab"), ("outcome", "error")))] == 1
    assert ops[("graftpy_operations_total", (("operator", "grab"), ("outcome", "cached")))] == 0
    assert ops[("graftpy_operations_total", (("operator", "concat"), ("outcome", "ok")))] == 1
    durations = got["graftpy_operation_duration_seconds"]
    assert durations[("graftpy_operation_duration_seconds_count", (("operator", "grab"),))] == 3
    inf = ("graftpy_operation_duration_seconds_bucket", (("le", "+Inf"), ("operator", "grab")))
    assert durations[inf] == 3
    evals = got["graftpy_evaluations"]
    assert evals[("graftpy_evaluations_total", (("outcome", "error"),))] == 1
    assert evals[("graftpy_evaluations_total", (("outcome", "ok"),))] == 0
    last_ops = got["graftpy_last_evaluation_operations"]
    assert last_ops[("graftpy_last_evaluation_operations", ())] == 4
    failure = got["graftpy_last_evaluation_failure_ratio"]
    assert failure[("graftpy_last_evaluation_failure_ratio", ())] == 0.25
    view = m.to_json()
    assert view["operations"]["total"] == 4
    assert view["operations"]["by_operator"]["grab"] == {
        "ok": 2,
        "error": 1,
        "cached": 0,
        "total": 3,
    }
    assert view["failure_rate"] == 0.25
    grab = view["durations"]["by_operator"]["grab"]
    assert grab["count"] == 3
    assert 0 < grab["p50_seconds"] <= grab["p99_seconds"] <= grab["max_seconds"]
    assert view["evaluations"]["last"]["phases"][0]["phase"] == "eval"


def test_counters_add_up_across_evaluations_and_last_figures_follow_the_last():
    m = Metrics()
    for n in (3, 5):
        ev = m.evaluation()
        for _ in range(n):
            call(ev, "grab")
        ev.finish(succeeded=True)
    view = m.to_json()
    assert view["operations"]["ok"] == 8
    assert view["evaluations"]["ok"] == 2
    assert view["evaluations"]["last"]["operations"] == 5


def test_running_evaluation_is_visible_while_it_runs():
    m = Metrics()
    assert "graftpy_last_evaluation_operations" not in families(m)  # nothing to report yet
    ev = m.evaluation()
    call(ev, "grab")
    inside, release, seen = threading.Event(), threading.Event(), {}

    def slow(op) -> None:  # a call in flight while the figures are read
        inside.set()
        release.wait(timeout=10)

    runner = threading.Thread(target=call, args=(ev, "load"), kwargs={"run": slow})
    runner.start()
    try:
        assert inside.wait(timeout=10)
        seen["json"], seen["text"] = m.to_json(), families(m)
    finally:
        release.set()
        runner.join(timeout=10)
    view = seen["json"]
    assert view["concurrency"]["current"] == 1
    assert view["evaluations"]["running"] == 1
    assert view["evaluations"]["last"]["running"] is True
    assert view["operations"]["total"] == 1  # the grab; the load has not finished
    running = seen["text"]["graftpy_evaluations_running"]
    assert running[("graftpy_evaluations_running", ())] == 1
    ev.finish(succeeded=True)
    final = m.to_json()
    assert final["concurrency"]["current"] == 0
    assert final["evaluations"]["running"] == 0
    assert final["operations"]["by_operator"]["load"]["ok"] == 1
    assert final["evaluations"]["last"]["parallel_ratio"] == 0.5  # the load ran elsewhere


def test_exceptions_are_counted_as_failed_calls_and_go_on():
    m = Metrics()
    ev = m.evaluation()

    def broken(op) -> None:
        raise RuntimeError("a bug")

    with pytest.raises(RuntimeError):
        call(ev, "calc", run=broken)
    ev.finish(succeeded=False)
    assert m.to_json()["operations"]["by_operator"]["calc"]["error"] == 1


def test_calls_on_worker_threads_make_the_parallel_ratio_and_concurrency():
    from graftpy.evaluator.scheduler import PhaseStats

    m = Metrics()
    ev = m.evaluation()
    ev.phase_started("eval", 8)
    started, release = threading.Barrier(5), threading.Event()

    def wait(op) -> None:
        started.wait(timeout=10)
        release.wait(timeout=10)

    def worker() -> None:
        call(ev, "load", run=wait)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    try:
        started.wait(timeout=10)  # the four calls are in flight together now
        view = m.to_json()
        assert view["concurrency"] == {"current": 4, "peak": 4}
    finally:
        release.set()
        for t in threads:
            t.join()
    for _ in range(4):
        call(ev, "grab")  # on the evaluating thread
    ev.phase_finished()
    ev.on_phase(PhaseStats("adaptive", 6, operations=8, parallel=4, sequential=4, max_in_flight=5))
    ev.finish(succeeded=True)
    last = m.to_json()["evaluations"]["last"]
    assert last["parallel_ratio"] == 0.5
    assert last["operations"] == 8
    assert last["peak_concurrency"] == 5  # as the scheduler saw it
    assert (last["strategy"], last["workers"]) == ("adaptive", 6)
    assert last["phases"][0]["scheduler"]["max_in_flight"] == 5
    assert m.to_json()["concurrency"]["current"] == 0


def test_cached_outcome_when_every_read_came_from_a_backend_cache():
    m = Metrics()
    ev = m.evaluation()
    rec = m.recorder

    def from_cache(op) -> None:
        rec.backend_event(BackendEvent("vault", "cache_hit"))

    def from_server(op) -> None:
        rec.backend_event(BackendEvent("vault", "cache_miss"))
        rec.backend_event(BackendEvent("vault", "request", "read", "ok", 200, latency=0.02))
        rec.backend_event(BackendEvent("vault", "cache_hit"))  # a second path, known already

    def failing_from_cache(op) -> str:
        rec.backend_event(BackendEvent("vault", "cache_hit"))
        return "secret not found"

    call(ev, "vault", run=from_cache)
    call(ev, "vault", run=from_server)
    call(ev, "vault", run=failing_from_cache)
    call(ev, "grab")  # no backend: no stale mark from the failed call
    ev.finish(succeeded=False)
    view = m.to_json()
    assert view["operations"]["by_operator"]["vault"] == {
        "ok": 1,
        "error": 1,
        "cached": 1,
        "total": 3,
    }
    assert view["operations"]["by_operator"]["grab"]["ok"] == 1
    backend = view["backends"]["vault"]
    assert backend["cache_hits"] == 3 and backend["cache_misses"] == 1
    assert backend["cache_hit_rate"] == pytest.approx(3 / 4)
    assert backend["requests"] == 1


def test_backend_events_become_backend_families():
    m = Metrics()
    rec = m.recorder
    for outcome in ("throttled", "throttled", "ok"):
        rec.backend_event(BackendEvent("awsparam", "request", "GetParameter", outcome, latency=0.3))
    rec.backend_event(BackendEvent("awsparam", "retry", "GetParameter", "throttled", delay=0.1))
    rec.backend_event(BackendEvent("awsparam", "give_up", "GetParameter", "throttled"))
    rec.backend_event(BackendEvent("awsparam", "shared"))
    rec.backend_event(BackendEvent("awsparam", "limit", limit=32))
    got = families(m)
    key = (("backend", "awsparam"),)
    requests = got["graftpy_backend_requests"]
    labels = (("backend", "awsparam"), ("outcome", "throttled"))
    assert requests[("graftpy_backend_requests_total", labels)] == 2
    assert got["graftpy_backend_throttled"][("graftpy_backend_throttled_total", key)] == 2
    assert got["graftpy_backend_retries"][("graftpy_backend_retries_total", key)] == 1
    assert got["graftpy_backend_give_ups"][("graftpy_backend_give_ups_total", key)] == 1
    assert got["graftpy_backend_shared_reads"][("graftpy_backend_shared_reads_total", key)] == 1
    limit = got["graftpy_backend_concurrency_limit"]
    assert limit[("graftpy_backend_concurrency_limit", key)] == 32
    latency = got["graftpy_backend_request_duration_seconds"]
    assert latency[("graftpy_backend_request_duration_seconds_count", key)] == 3
    assert latency[("graftpy_backend_request_duration_seconds_sum", key)] == pytest.approx(0.9)
    below = (("backend", "awsparam"), ("le", "0.25"))
    assert latency[("graftpy_backend_request_duration_seconds_bucket", below)] == 0


def test_every_family_is_declared_with_prometheus_style_names():
    m = Metrics()
    ev = m.evaluation()
    call(ev, "grab")
    ev.finish(succeeded=True)
    m.recorder.backend_event(BackendEvent("vault", "cache_miss"))
    m.recorder.input_read(2, 100)
    m.recorder.run_finished(
        RunFigures(ended=1.7e9, succeeded=True, duration=0.5, documents=2, bytes=100)
    )
    parsed = {f.name: f.type for f in text_string_to_metric_families(m.text())}
    assert set(parsed) == set(METRICS)
    for name, (kind, _help, _labels) in METRICS.items():
        assert name.startswith("graftpy_")
        assert parsed[name] == kind
        if kind != "counter":
            assert not name.endswith("_total")
    text = m.text()
    assert "graftpy_documents_processed_total 2.0" in text
    assert "graftpy_input_bytes_total 100.0" in text


def test_our_registry_is_not_the_global_default():
    m = Metrics()
    ev = m.evaluation()
    call(ev, "grab")
    ev.finish(succeeded=True)
    assert m.registry is not prometheus_client.REGISTRY
    default_text = prometheus_client.generate_latest(prometheus_client.REGISTRY).decode()
    assert "graftpy_" not in default_text
    assert "graftpy_operations_total" in m.text()


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["calc", "grab"]), st.floats(min_value=0, max_value=60)),
        min_size=1,
        max_size=60,
    ),
    st.integers(min_value=1, max_value=5),
)
def test_folded_histograms_match_the_recorded_durations(calls, batches):
    """Calls are folded in batches (as scrapes do): the result is that of one fold."""
    m = Metrics()
    ev = m.evaluation()
    slot = ev._new_slot(threading.get_ident())
    step = max(1, len(calls) // batches)
    for i, (name, seconds) in enumerate(calls):
        slot.durations.append(seconds)
        slot.calls.append(name)
        if i % step == 0:
            m.to_json()  # a scrape folds what is new
    ev.finish(succeeded=True)
    hist = families(m)["graftpy_operation_duration_seconds"]
    for name in {n for n, _ in calls}:
        mine = [d for n, d in calls if n == name]
        for bound in (*OPERATION_BUCKETS, math.inf):
            le = "+Inf" if bound == math.inf else repr(bound)
            key = ("graftpy_operation_duration_seconds_bucket", (("le", le), ("operator", name)))
            assert hist[key] == sum(1 for d in mine if d <= bound)
        labels = (("operator", name),)
        assert hist[("graftpy_operation_duration_seconds_count", labels)] == len(mine)
        total = hist[("graftpy_operation_duration_seconds_sum", labels)]
        assert total == pytest.approx(sum(mine))


def test_quantile_estimates_as_prometheus_does():
    bounds = (0.1, 0.2, 0.4)
    assert quantile(0.5, bounds, [0, 0, 0, 0]) is None
    assert quantile(0.5, bounds, [10, 0, 0, 0]) == pytest.approx(0.05)
    assert quantile(0.5, bounds, [0, 10, 10, 0]) == pytest.approx(0.2)
    assert quantile(0.75, bounds, [0, 10, 10, 0]) == pytest.approx(0.3)
    assert quantile(0.99, bounds, [0, 0, 0, 5]) == 0.4  # +Inf bucket: the highest bound
    assert not math.isnan(quantile(1.0, bounds, [1, 1, 1, 1]))


def test_the_backend_listener_key_is_the_registry_one():
    from graftpy.backends import registry
    from graftpy.metrics import session

    assert session.LISTENERS_KEY == registry.LISTENERS_KEY


def gauges(m: Metrics) -> dict[str, float]:
    return {
        sample.name: sample.value
        for family in text_string_to_metric_families(m.text())
        for sample in family.samples
        if sample.name.startswith(("graftpy_last_run", "graftpy_last_success"))
    }


def test_last_run_gauges_appear_with_the_first_run_and_keep_the_last_success():
    m = Metrics()
    assert gauges(m) == {}  # no run yet: no made-up zero for an alert to fire on
    ok = RunFigures(ended=1_700_000_000.5, succeeded=True, duration=2.5, documents=3, bytes=900)
    m.recorder.run_finished(ok)
    assert gauges(m) == {
        "graftpy_last_run_timestamp_seconds": 1_700_000_000.5,
        "graftpy_last_run_success": 1.0,
        "graftpy_last_run_duration_seconds": 2.5,
        "graftpy_last_run_documents": 3.0,
        "graftpy_last_run_input_bytes": 900.0,
        "graftpy_last_success_timestamp_seconds": 1_700_000_000.5,
    }
    failed = RunFigures(ended=1_700_000_100.0, succeeded=False, duration=1.0, documents=1, bytes=10)
    m.recorder.run_finished(failed)
    after = gauges(m)
    assert after["graftpy_last_run_success"] == 0.0
    assert after["graftpy_last_run_timestamp_seconds"] == 1_700_000_100.0
    assert after["graftpy_last_success_timestamp_seconds"] == 1_700_000_000.5


def test_a_remembered_success_never_replaces_a_newer_one():
    m = Metrics()
    m.recorder.remember_success(100.0)
    assert gauges(m) == {"graftpy_last_success_timestamp_seconds": 100.0}
    m.recorder.run_finished(
        RunFigures(ended=200.0, succeeded=True, duration=1, documents=1, bytes=1)
    )
    m.recorder.remember_success(150.0)
    assert gauges(m)["graftpy_last_success_timestamp_seconds"] == 200.0
