"""Which lane each strategy gives an operator, and the GRAFT_PARALLEL* settings."""

from __future__ import annotations

import os

import pytest

from graftpy.evaluator.scheduler.config import ParallelConfig, config_from_env
from graftpy.evaluator.scheduler.strategies import Lane, backend, exclusive, make_strategy
from graftpy.operators.base import Operator, Phase


def op(name: str, *, safe: bool = True, io: bool = False, phase: Phase = Phase.EVAL) -> Operator:
    cls = type(
        f"Op_{name}",
        (Operator,),
        {"name": name, "parallel_safe": safe, "io_bound": io, "phase": phase},
    )
    return cls()


POOLED_BY_CONSERVATIVE = [
    "grab", "concat", "join", "keys", "sort", "stringify", "base64", "base64-decode",
    "cartesian-product", "empty", "file", "load", "vault", "vault-try", "awsparam", "awssecret",
]  # fmt: skip


@pytest.mark.parametrize("name", POOLED_BY_CONSERVATIVE)
def test_conservative_pools_readers_and_io(name: str) -> None:
    assert make_strategy("conservative", 4).lane(op(name)) is Lane.POOL


@pytest.mark.parametrize("name", ["calc", "param", "negate", "ips", "split", "my-plugin"])
def test_conservative_runs_the_rest_on_the_main_thread(name: str) -> None:
    assert make_strategy("conservative", 4).lane(op(name)) is Lane.MAIN


@pytest.mark.parametrize("name", ["static_ips", "inject", "prune", "merge", "append"])
@pytest.mark.parametrize("strategy", ["conservative", "aggressive", "adaptive"])
def test_deny_list_keeps_its_sequential_lane(name: str, strategy: str) -> None:
    assert make_strategy(strategy, 4).lane(op(name)) is Lane.SERIAL


@pytest.mark.parametrize("strategy", ["conservative", "aggressive", "adaptive"])
def test_operators_not_parallel_safe_are_serial(strategy: str) -> None:
    assert make_strategy(strategy, 4).lane(op("grab", safe=False)) is Lane.SERIAL


def test_aggressive_pools_everything_else() -> None:
    s = make_strategy("aggressive", 4)
    assert {s.lane(op(n)) for n in ("calc", "grab", "my-plugin", "param")} == {Lane.POOL}


def test_adaptive_starts_from_the_io_declaration() -> None:
    s = make_strategy("adaptive", 4)
    assert s.lane(op("vault", io=True)) is Lane.POOL
    assert s.lane(op("calc")) is Lane.MAIN


def test_exclusive_and_backend_groups() -> None:
    assert exclusive(op("inject", safe=False, phase=Phase.MERGE))
    assert exclusive(op("anything", phase=Phase.MERGE))
    assert not exclusive(op("static_ips", safe=False))
    assert backend(op("vault-try")) == backend(op("vault")) == "vault"
    assert backend(op("awsparam")) == "awsparam"


def test_by_default_parallel_is_on_adaptive_and_automatic() -> None:
    cfg = config_from_env({})
    assert cfg == ParallelConfig(enabled=True, strategy="adaptive", workers=0, min_ops=2, auto=True)
    assert cfg.max_workers == (os.cpu_count() or 1)
    said = config_from_env({"GRAFT_PARALLEL": "true"})
    assert (said.enabled, said.auto, said.strategy, said.min_ops) == (True, False, "adaptive", 10)
    assert not config_from_env({"GRAFT_PARALLEL": "false"}).enabled
    assert not config_from_env({"GRAFT_PARALLEL": "true"}, parallel=False).enabled


def test_env_values_and_flags_overriding_them() -> None:
    env = {
        "GRAFT_PARALLEL": "true",
        "GRAFT_PARALLEL_STRATEGY": "adaptive",
        "GRAFT_PARALLEL_WORKERS": "16",
        "GRAFT_PARALLEL_MIN_OPS": "3",
    }
    cfg = config_from_env(env)
    assert (cfg.enabled, cfg.strategy, cfg.max_workers, cfg.min_ops) == (True, "adaptive", 16, 3)
    cfg = config_from_env(env, parallel=False, strategy="aggressive", workers=2, min_ops=50)
    assert (cfg.enabled, cfg.strategy, cfg.max_workers, cfg.min_ops) == (False, "aggressive", 2, 50)


@pytest.mark.parametrize(
    ("value", "enabled"),
    [("1", True), ("T", True), ("TRUE", True), ("True", True), ("0", False), ("F", False),
     ("yes", True), ("", True)],
)  # fmt: skip
def test_graft_parallel_parses_like_go(value: str, enabled: bool) -> None:
    warnings: list[str] = []
    assert config_from_env({"GRAFT_PARALLEL": value}, warnings=warnings).enabled is enabled
    assert bool(warnings) is (value == "yes")  # unreadable: said, and the default kept


def test_unparsable_env_values_are_reported_and_fall_back_to_defaults() -> None:
    warnings: list[str] = []
    cfg = config_from_env(
        {
            "GRAFT_PARALLEL": "true",
            "GRAFT_PARALLEL_STRATEGY": "turbo",
            "GRAFT_PARALLEL_WORKERS": "many",
            "GRAFT_PARALLEL_MIN_OPS": "-4",
        },
        warnings=warnings,
    )
    assert (cfg.strategy, cfg.workers, cfg.min_ops) == ("adaptive", 0, 10)
    assert warnings == [
        "GRAFT_PARALLEL_STRATEGY='turbo' is not one of conservative, aggressive, adaptive:"
        " using adaptive",
        "GRAFT_PARALLEL_WORKERS='many' is not a whole number of 0 or more: ignored",
        "GRAFT_PARALLEL_MIN_OPS='-4' is not a whole number of 0 or more: ignored",
    ]


def test_a_bad_strategy_flag_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown parallel strategy 'turbo'"):
        config_from_env({}, strategy="turbo")
