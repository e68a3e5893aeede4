"""Secret reads start right after the scan (``graftpy.evaluator.early_io``), against a
real OpenBao behind the bench's latency proxy.

The proxy shows the overlap as requests in flight together (``most_in_flight``: a
count, not a time); the outputs, errors and exit codes are those of the sequential
run (``--no-parallel``), including under hypothesis; and a run that stops before
its eval phase, a cherry-pick, or ``REDACT`` reads nothing it would not read.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from servers import latency

from graftpy.errors import GraftError
from graftpy.evaluator import EvaluationOptions, Evaluator, Settings

pytestmark = pytest.mark.skipif(
    not latency.available(), reason="the bench's latency_proxy.py is not beside the repo"
)

DELAY_MS = 100  # wide enough that a loaded machine still sends a parallel batch within it
PATHS = 12


@pytest.fixture
def proxy(openbao) -> Iterator[latency.LatencyProxy]:  # noqa: ANN001 - the fixture's server
    started = latency.LatencyProxy(openbao.addr, delay_ms=DELAY_MS).start()
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture(scope="module")
def prefix(openbao) -> str:  # noqa: ANN001
    """A fresh folder of secrets: p0..p{PATHS-1} with keys k0 and k1."""
    base = f"secret/ahead-{uuid.uuid4().hex[:8]}"
    for i in range(PATHS):
        openbao.put(f"{base}/p{i}", {"k0": f"v{i}-0", "k1": f"v{i}-1"})
    return base


def environment(addr: str, token: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VAULT_", "GRAFT_"))}
    env.pop("REDACT", None)
    return {**env, "VAULT_ADDR": addr, "VAULT_TOKEN": token, "HOME": "/nonexistent", **extra}


def merge(doc: Path, env: dict[str, str], *flags: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "graftpy", "merge", *flags, str(doc)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def lookups_doc(tmp_path: Path, prefix: str) -> Path:
    """A secret call per path among cheap calls that read their results."""
    lines = ["meta: {name: web}", "secrets:"]
    lines += [f'  s{i}: (( vault "{prefix}/p{i}:k{i % 2}" ))' for i in range(PATHS)]
    lines += ["cheap:"]
    lines += [f'  c{i}: (( concat meta.name "-" secrets.s{i} ))' for i in range(PATHS)]
    doc = tmp_path / "lookups.yml"
    doc.write_text("\n".join(lines) + "\n")
    return doc


def test_literal_reads_are_in_flight_together_and_the_output_is_the_sequential_one(
    tmp_path, openbao, proxy, prefix
) -> None:
    doc = lookups_doc(tmp_path, prefix)
    env = environment(proxy.addr, openbao.token)
    default = merge(doc, env)
    together = proxy.most_in_flight()
    proxy.clear_log()
    sequential = merge(doc, env, "--no-parallel")
    assert default.returncode == sequential.returncode == 0, default.stderr + sequential.stderr
    assert default.stdout == sequential.stdout
    assert "c3: web-v3-1" in default.stdout
    assert proxy.most_in_flight() == 1  # the sequential run waits for each answer
    assert together >= PATHS // 2, together  # one read per path, all started at once


def test_reads_start_ahead_even_for_a_sequential_executor(openbao, proxy, prefix) -> None:
    """The mechanism alone: with calls run one by one, only the read-ahead overlaps them."""
    doc = {
        "meta": {"env": "p3"},
        "s": {f"s{i}": f'(( vault "{prefix}/p{i}:k0" ))' for i in range(PATHS)},
        "computed": f'(( vault "{prefix}/" meta.env ":k1" ))',  # read in its turn
    }
    results, counts = [], []
    for read_ahead in (True, False):
        proxy.clear_log()
        env = environment(proxy.addr, openbao.token)
        evaluator = Evaluator(
            {k: (dict(v) if isinstance(v, dict) else v) for k, v in doc.items()},
            Settings(env=env),
            EvaluationOptions(read_ahead=read_ahead),
        )
        try:
            assert evaluator.run() == []
        finally:
            evaluator.state.extra["backends"].close()
        results.append(evaluator.tree)
        counts.append(proxy.most_in_flight())
    assert results[0] == results[1] and results[0]["computed"] == "v3-1"
    assert counts[1] == 1 and counts[0] >= PATHS // 2, counts


def failing_doc(tmp_path: Path, prefix: str) -> Path:
    doc = tmp_path / "failing.yml"
    doc.write_text(
        f"""\
meta: {{env: p1}}
missing: (( vault "{prefix}/nothing:k0" ))
no_key: (( vault "{prefix}/p0:nokey" ))
fallback: (( vault "{prefix}/nothing:k0" || "used" ))
alternatives: (( vault "{prefix}/gone:k0; {prefix}/p2:k1" ))
tried: (( vault-try "{prefix}/gone:k0" "{prefix}/p3:k0" "dflt" ))
bad_form: (( vault "{prefix}/p0" ))
computed: (( vault "{prefix}/" meta.env ":k0" ))
refused: (( vault "secret/other-{uuid.uuid4().hex[:6]}/x:k" ))
reads_error: (( concat "x" missing ))
"""
    )
    return doc


def test_failures_are_reported_as_the_sequential_run_reports_them(
    tmp_path, openbao, proxy, prefix
) -> None:
    openbao.write_policy(
        "ahead-partial", f'path "secret/data/{prefix[7:]}/*" {{ capabilities = ["read"] }}\n'
    )
    token = openbao.create_token(["ahead-partial"])
    doc = failing_doc(tmp_path, prefix)
    env = environment(proxy.addr, token)
    default, sequential = merge(doc, env), merge(doc, env, "--no-parallel")
    assert default.returncode == sequential.returncode == 2
    assert default.stderr == sequential.stderr
    assert "not found" in default.stderr and "403" in default.stderr


def test_an_unreachable_vault_fails_the_same_way(tmp_path, openbao, prefix) -> None:
    from servers.ports import free_port

    doc = failing_doc(tmp_path, prefix)
    env = environment(
        f"http://127.0.0.1:{free_port()}",
        openbao.token,
        GRAFT_BACKEND_DEADLINE="0.3",
        GRAFT_BACKEND_ATTEMPTS="2",
    )
    default, sequential = merge(doc, env), merge(doc, env, "--no-parallel")
    assert default.returncode == sequential.returncode == 2
    assert default.stderr == sequential.stderr
    assert "connection refused" in default.stderr


@pytest.mark.parametrize(
    "stopper",
    [
        'p: (( param "set me" ))',  # the param phase fails: no eval phase
        "i: (( inject nowhere ))",  # the merge phase fails: nothing after it
    ],
)
def test_a_run_that_stops_before_the_eval_phase_reads_nothing(
    tmp_path, openbao, proxy, prefix, stopper
) -> None:
    doc = tmp_path / "stops.yml"
    doc.write_text(f'{stopper}\ns: (( vault "{prefix}/p0:k0" ))\n')
    done = merge(doc, environment(proxy.addr, openbao.token))
    assert done.returncode != 0
    assert proxy.request_times() == []


def test_cherry_pick_reads_ahead_only_under_the_picks(tmp_path, openbao, proxy, prefix) -> None:
    doc = tmp_path / "pick.yml"
    doc.write_text(
        f'a:\n  s: (( vault "{prefix}/p4:k0" ))\nb:\n  s: (( vault "{prefix}/p5:k0" ))\n'
    )
    done = merge(doc, environment(proxy.addr, openbao.token), "--cherry-pick", "a")
    assert done.returncode == 0 and done.stdout == "a:\n  s: v4-0\n\n"
    stats = proxy.stop()
    paths = " ".join(stats["by_path"])
    assert "/p4" in paths and "/p5" not in paths


def test_redact_reads_nothing_ahead(tmp_path, openbao, proxy, prefix) -> None:
    done = merge(lookups_doc(tmp_path, prefix), environment(proxy.addr, openbao.token, REDACT="y"))
    assert done.returncode == 0 and "s0: REDACTED" in done.stdout
    assert proxy.request_times() == []


# -- hypothesis: the default run (read-ahead, adaptive) == the sequential run -------------

KEYS = ("k0", "k1", "kx")


def _path(data: st.DrawFn, prefix: str) -> str:
    i = data(st.integers(0, 7))  # p6, p7 do not exist
    return f"{prefix}/p{i}:{data(st.sampled_from(KEYS))}"


@st.composite
def expressions(draw: st.DrawFn, prefix: str) -> str:
    kind = draw(st.integers(0, 7))
    if kind == 0:
        return f'(( vault "{_path(draw, prefix)}" ))'
    if kind == 1:
        return f'(( vault "{_path(draw, prefix)}" || "dflt" ))'
    if kind == 2:
        return f'(( vault "{_path(draw, prefix)}; {_path(draw, prefix)}" ))'
    if kind == 3:
        return f'(( vault-try "{_path(draw, prefix)}" "{_path(draw, prefix)}" meta.name ))'
    if kind == 4:  # a path built from the document: read in its turn
        return f'(( vault meta.prefix "/p{draw(st.integers(0, 7))}:k0" ))'
    if kind == 5:
        return f'(( vault "{_path(draw, prefix)}" || meta.missing ))'
    if kind == 6:
        return "(( grab meta.name ))"
    return f'(( concat meta.name "-" items.i{draw(st.integers(0, 5))} ))'


def run(doc: dict, env: dict[str, str], read_ahead: bool) -> tuple[str, object]:
    from graftpy.pipeline import MergeOptions, Source, evaluate_tree, merge_sources

    options = MergeOptions(env=env, parallel=None if read_ahead else False)
    merger = merge_sources([Source("doc.yml", doc)], options)
    try:
        return "ok", evaluate_tree(merger, options)
    except GraftError as exc:
        return "error", exc.render()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_read_ahead_changes_nothing(openbao, prefix, data) -> None:
    items = data.draw(st.lists(expressions(prefix), min_size=1, max_size=6))
    doc = {
        "meta": {"name": "web", "prefix": prefix},
        "items": {f"i{n}": expr for n, expr in enumerate(items)},
    }
    env = environment(openbao.addr, openbao.token)
    copy = {"meta": dict(doc["meta"]), "items": dict(doc["items"])}
    assert run(doc, env, True) == run(copy, env, False)
