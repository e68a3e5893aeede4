"""Settings: MergeOptions fields win over GRAFT_METRICS* variables; bad values are errors."""

from __future__ import annotations

import pytest

from graftpy.errors import UsageError
from graftpy.metrics.config import MetricsConfig, resolve
from graftpy.pipeline import MergeOptions


def test_defaults_are_off_and_loopback():
    cfg = resolve(MergeOptions(), {})
    assert cfg == MetricsConfig()
    assert not cfg.enabled
    assert (cfg.host, cfg.port, cfg.job, cfg.linger) == ("127.0.0.1", 9090, "graftpy", 0.0)


def test_environment_variables_are_the_fallback():
    env = {
        "GRAFT_METRICS": "true",
        "GRAFT_METRICS_HOST": "::1",
        "GRAFT_METRICS_PORT": "9191",
        "GRAFT_METRICS_LINGER": "2.5",
        "GRAFT_METRICS_FILE": "/tmp/x.prom",
        "GRAFT_METRICS_PUSH": "http://127.0.0.1:9091",
        "GRAFT_METRICS_JOB": "ci",
        "GRAFT_METRICS_LABELS": "branch=main, run=42",
    }
    cfg = resolve(MergeOptions(), env)
    assert cfg == MetricsConfig(
        serve=True,
        host="::1",
        port=9191,
        linger=2.5,
        file="/tmp/x.prom",
        push="http://127.0.0.1:9091",
        job="ci",
        labels={"branch": "main", "run": "42"},
    )


def test_options_win_over_the_environment():
    env = {"GRAFT_METRICS": "true", "GRAFT_METRICS_PORT": "9191", "GRAFT_METRICS_LABELS": "a=1"}
    options = MergeOptions(metrics=False, metrics_port=0, metrics_labels={"b": "2"})
    cfg = resolve(options, env)
    assert (cfg.serve, cfg.port, cfg.labels) == (False, 0, {"b": "2"})
    assert not cfg.enabled


def test_file_or_push_alone_enable_recording_without_serving():
    assert resolve(MergeOptions(metrics_file="m.prom"), {}).enabled
    cfg = resolve(MergeOptions(), {"GRAFT_METRICS_PUSH": "http://127.0.0.1:1"})
    assert cfg.enabled and not cfg.serve


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"GRAFT_METRICS": "maybe"}, "$GRAFT_METRICS must be true or false, not 'maybe'"),
        ({"GRAFT_METRICS_PORT": "http"}, "port number from 0 to 65535, not 'http'"),
        ({"GRAFT_METRICS_PORT": "70000"}, "port number from 0 to 65535, not '70000'"),
        ({"GRAFT_METRICS_LINGER": "-1"}, "number of seconds (0 or more), not '-1'"),
        ({"GRAFT_METRICS_LINGER": "nan"}, "number of seconds (0 or more), not 'nan'"),
        ({"GRAFT_METRICS_LABELS": "branch"}, "'branch' is not a KEY=VALUE label"),
        ({"GRAFT_METRICS_LABELS": "9x=1"}, "'9x' is not a usable label name"),
        ({"GRAFT_METRICS_LABELS": "job=x"}, "'job' is not a usable label name"),
    ],
)
def test_bad_values_are_usage_errors(env, message):
    with pytest.raises(UsageError) as info:
        resolve(MergeOptions(), env)
    assert message in info.value.message


def test_labels_from_the_flag_list_form():
    cfg = resolve(MergeOptions(metrics_labels=["a=1", "b=x=y"]), {})  # type: ignore[arg-type]
    assert cfg.labels == {"a": "1", "b": "x=y"}
