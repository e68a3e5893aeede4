"""Property, end to end: random documents with random dependency graphs merge to the
same bytes (or the same error text) sequentially and with every strategy and
worker count. The documents have references, chains, fan-in, inject, lists of
maps merged by name across two files, fallbacks, errors and cycles."""

from __future__ import annotations

import sys
from typing import Any

from e2e import DEFAULT, merge_docs
from harness import parallel
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

_interval = sys.getswitchinterval()


def setup_module() -> None:
    sys.setswitchinterval(1e-6)


def teardown_module() -> None:
    sys.setswitchinterval(_interval)


WORDS = st.sampled_from(["alpha", "beta", "x y", "a-b", "", "c1"])
LITERALS = st.one_of(st.integers(-5, 40), WORDS)


def _set(doc: dict, path: str, value: Any) -> None:
    *head, last = path.split(".")
    node: Any = doc
    for k in head:
        node = next(e for e in node if e.get("name") == k) if isinstance(node, list) else node[k]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


@st.composite
def documents(draw: st.DrawFn) -> list[dict]:
    base: dict = {}
    leaves: list[str] = []  # scalars that may become operator calls
    maps: list[str] = []
    lists: list[str] = []
    for s in range(draw(st.integers(1, 4))):
        sec: dict = {}
        for k in range(draw(st.integers(1, 4))):
            sec[f"v{k}"] = draw(LITERALS)
            leaves.append(f"s{s}.v{k}")
        if draw(st.booleans()):
            sec["sub"] = {"p": draw(LITERALS), "q": draw(LITERALS)}
            maps.append(f"s{s}.sub")
            leaves += [f"s{s}.sub.p", f"s{s}.sub.q"]
        if draw(st.booleans()):
            sec["arr"] = draw(st.lists(WORDS, max_size=3))
            lists.append(f"s{s}.arr")
        base[f"s{s}"] = sec
        maps.append(f"s{s}")
    jobs = [{"name": f"j{j}", "x": draw(LITERALS), "y": draw(LITERALS)} for j in range(3)]
    base["jobs"] = jobs
    lists.append("jobs")
    leaves += [f"jobs.j{j}.{f}" for j in range(3) for f in "xy"]
    maps += [f"jobs.j{j}" for j in range(3)]

    here = [""]  # the path being filled in: it must not read its own ancestors

    def outside(paths: list[str]) -> list[str]:
        return [p for p in paths if not here[0].startswith(p + ".")] or ["nowhere.at.all"]

    def ref() -> str:
        pick = draw(st.integers(0, 9))
        if pick < 6:
            return draw(st.sampled_from([*leaves, "jobs.1.x"]))
        if pick < 8:
            return draw(st.sampled_from(outside(lists)))
        if pick < 9:
            return draw(st.sampled_from(outside(maps)))
        return "nowhere.at.all"

    templates = [
        lambda: f"(( grab {ref()} ))",
        lambda: f'(( grab {ref()} || "fallback" ))',
        lambda: f"(( grab {ref()} || {ref()} ))",
        lambda: f'(( concat {ref()} "-" {ref()} ))',
        lambda: f'(( join "," {draw(st.sampled_from(outside(lists)))} ))',
        lambda: f"(( keys {draw(st.sampled_from(outside(maps)))} ))",
        lambda: f"(( stringify {ref()} ))",
        lambda: f"(( base64 {ref()} ))",
        lambda: f'(( calc "{draw(st.sampled_from(leaves))} + 1" ))',
        lambda: "(( empty hash ))",
        lambda: "(( null ))",
        lambda: "(( prune ))",
    ]
    for path in leaves:
        here[0] = path
        if draw(st.integers(0, 9)) < 6:
            _set(base, path, draw(st.sampled_from(templates))())
    here[0] = ""
    if draw(st.integers(0, 9)) == 4:  # a direct cycle of references
        a, b = draw(st.lists(st.sampled_from(leaves), min_size=2, max_size=2, unique=True))
        _set(base, a, f"(( grab {b} ))")
        _set(base, b, f"(( concat {a} {draw(st.sampled_from(leaves))} ))")
    if draw(st.booleans()):  # a merge-phase injection into a section
        target = draw(st.sampled_from([m for m in maps if m.startswith("s")]))
        _set(base, f"{target}.inj", f"(( inject {draw(st.sampled_from(maps))} ))")
    # rare features: compared with a middle value (hypothesis favours the ends of ranges)
    if draw(st.integers(0, 19)) == 7:
        base["needed"] = '(( param "set me" ))'
    if draw(st.integers(0, 2)) == 1:  # static IPs: a run-wide claim table, order-sensitive
        base["networks"] = [{"name": "net1", "subnets": [{"static": ["10.0.0.10 - 10.0.0.15"]}]}]
        for job in jobs:
            offsets = draw(st.lists(st.integers(0, 5), min_size=1, max_size=2))
            job["instances"] = len(offsets)
            job["networks"] = [
                {"name": "net1", "static_ips": f"(( static_ips {' '.join(map(str, offsets))} ))"}
            ]

    here[0] = "jobs.jnew.y"
    overlay: dict = {
        "jobs": [
            {"name": "j1", "y": f"(( grab {draw(st.sampled_from(leaves))} ))"},
            {"name": "jnew", "x": draw(LITERALS), "y": f"(( grab {ref()} ))"},
        ]
    }
    here[0] = "s0.v0"
    if draw(st.booleans()):
        overlay["s0"] = {"v0": f"(( concat {ref()} {ref()} ))", "extra": draw(LITERALS)}
    return [base, overlay]


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    docs=documents(),
    strategy=st.sampled_from(["conservative", "aggressive", "adaptive"]),
    workers=st.sampled_from([1, 2, 4, 16]),
)
def test_merge_output_is_byte_identical(docs: list[dict], strategy: str, workers: int) -> None:
    expected = merge_docs(docs)
    assert merge_docs(docs, parallel(strategy, workers)) == expected


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(docs=documents())
def test_the_default_settings_give_the_sequential_output(docs: list[dict]) -> None:
    assert merge_docs(docs, DEFAULT) == merge_docs(docs)


def test_documents_cover_success_errors_and_cycles() -> None:
    """The generator reaches clean merges, error reports and both kinds of cycle."""
    seen: set[str] = set()

    @settings(
        max_examples=100,
        database=None,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(documents())
    def sample(docs: list[dict]) -> None:
        out, err = merge_docs(docs)
        if out is not None:
            seen.add("clean")
        elif "cycle detected" in err:
            seen.add("cycle")
        elif "self-referencing" in err:
            seen.add("self-reference")
        elif err.count("\n - ") >= 2:
            seen.add("several errors")

    sample()
    assert seen == {"clean", "cycle", "self-reference", "several errors"}
