"""The real ``(( load URL ))`` operator through the whole pipeline, against a local
HTTP server that delays every answer (in a child process; see test_io for why
timings are best-of-three)."""

from __future__ import annotations

import pytest
from delay_server import spawn_server
from e2e import merge_docs
from harness import parallel, within

DELAY = 0.05
ALL = ["conservative", "aggressive", "adaptive"]


@pytest.mark.parametrize("strategy", ALL)
def test_200_loads_with_16_workers(strategy: str) -> None:
    bound = 200 / 16 * DELAY

    def attempt() -> float:
        with spawn_server(DELAY) as server:
            doc = {
                "items": {f"k{i:03}": f'(( load "{server.url(f"item/{i}")}" ))' for i in range(200)}
            }
            ex = parallel(strategy, workers=16)
            out, err = merge_docs([doc], ex)
            assert server.counters()["requests"] == 200
        assert err is None and "  k007:\n    value: item/7\n" in out
        return ex.history[-1].wall

    wall = within(1.3 * bound, attempt)
    assert wall <= 1.3 * bound, f"{strategy}: {wall:.3f}s vs lower bound {bound:.3f}s"


@pytest.mark.parametrize("strategy", ALL)
def test_a_chain_of_10_loads_each_fetching_the_url_the_last_returned(strategy: str) -> None:
    bound = 10 * DELAY

    def attempt() -> float:
        with spawn_server(DELAY) as server:
            doc = {"c0": f'(( load "{server.url("link/0")}" ))'}
            doc.update({f"c{i}": f"(( load c{i - 1}.next ))" for i in range(1, 10)})
            ex = parallel(strategy, workers=16)
            out, err = merge_docs([doc], ex)
        assert err is None and "c9:\n  next: " in out and "  value: link/9\n" in out
        assert ex.history[-1].generations == 10
        return ex.history[-1].wall

    wall = within(1.3 * bound, attempt)
    assert wall <= 1.3 * bound, f"{strategy}: {wall:.3f}s vs critical path {bound:.3f}s"


@pytest.mark.parametrize("strategy", ALL)
def test_loads_mixed_with_readers_and_failures_match_sequential(strategy: str) -> None:
    with spawn_server(0.005, capacity=6) as server:
        doc: dict = {
            "meta": {"base": server.url("item"), "n": 3},
            "loaded": {f"k{i}": f'(( load "{server.url(f"item/{i}")}" ))' for i in range(12)},
            "first": "(( grab loaded.k0.value ))",
            "all": "(( stringify loaded ))",
            "chain0": f'(( load "{server.url("link/0")}" ))',
            "chain1": "(( load chain0.next ))",
            "joined": '(( concat chain1.value "/" first ))',
            "broken": '(( load "http://127.0.0.1:1/nothing-listens-here" ))',
            "after_broken": "(( grab broken.value ))",
            "not_yaml_map": f'(( load "{server.url("plain")}" ))',
        }
        expected = merge_docs([doc])
        got = merge_docs([doc], parallel(strategy, workers=4))
    assert got == expected
    assert expected[1] is not None and "$.broken" in expected[1]


def test_the_default_settings_overlap_lookups_and_keep_the_sequential_output() -> None:
    with spawn_server(DELAY) as server:
        doc = {
            "meta": {"n": 3},
            "items": {f"k{i:02}": f'(( load "{server.url(f"item/{i}")}" ))' for i in range(40)},
            "sum": '(( calc "meta.n * 2" ))',
        }
        expected = merge_docs([doc])  # sequential
        log: list[str] = []
        from graftpy.evaluator.auto import AutoExecutor
        from graftpy.evaluator.scheduler.config import config_from_env

        auto = AutoExecutor(config_from_env({}, debug=True), log=log.append)
        assert merge_docs([doc], auto) == expected
    assert auto.config.auto and auto.parallel is not None  # the lookups went to the scheduler
    assert auto.parallel.strategy.name == "adaptive"
    stats = auto.parallel.history[-1]
    assert stats.parallel == 40 and stats.max_in_flight > 1
    assert log[-1].startswith("Parallel execution completed in ")
