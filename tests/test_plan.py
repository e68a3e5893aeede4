"""``graftpy plan``: the dependency graph of a merged document, in every format.

The JSON is read back with networkx's own reader, the DOT with pydot's parser; the
figures are those of a graph small enough to check by hand.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pydot
import pytest

from graftpy.pipeline import MergeOptions
from graftpy.planview import plan_files

# pydot's parser uses pyparsing names that pyparsing 3.3 deprecates
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

# generations [a, d, pw], [b], [c], ["x:y"]; critical path a -> b -> c -> x:y
DOC = """\
meta: {name: web, port: 8080}
a: (( grab meta.name ))
b: (( grab a ))
c: (( concat a "-" b ))
d: (( grab meta.port ))
pw: (( vault "secret/db:password" ))
"x:y": (( concat "q\\"z" c ))
"""

TEXT = """\
eval phase: 6 operations, 4 dependencies, 4 generations (widest 3)
critical path (4 calls): $.a -> $.b -> $.c -> $.x:y
speedup bound: 1.5x (6 operations over 4 on the critical path)

generation 1 (3 calls):
  * $.a    (( grab meta.name ))
    $.d    (( grab meta.port ))
    $.pw   (( vault "secret/db:password" ))
generation 2 (1 call):
  * $.b    (( grab a ))  reads $.a
generation 3 (1 call):
  * $.c    (( concat a "-" b ))  reads $.a, $.b
generation 4 (1 call):
  * $.x:y  (( concat "q\\"z" c ))  reads $.c

"""


def graftpy(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("GRAFT_", "VAULT_"))}
    return subprocess.run(
        [sys.executable, "-m", "graftpy", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env={**base, **(env or {})},
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    path = tmp_path / "doc.yml"
    path.write_text(DOC)
    return path


def test_text_shows_generations_critical_path_and_bound(doc):
    out = graftpy("plan", str(doc))
    assert (out.returncode, out.stderr) == (0, "")
    assert out.stdout == TEXT


def test_json_is_networkx_node_link_data_of_each_phase(doc):
    out = graftpy("plan", "--format", "json", str(doc))
    assert (out.returncode, out.stderr) == (0, "")
    data = json.loads(out.stdout)
    assert (data["operations"], data["critical_path"], data["speedup_bound"]) == (6, 4, 1.5)
    [phase] = data["phases"]
    g = nx.node_link_graph(phase, edges="edges")
    assert g.graph == {
        "phase": "eval",
        "operations": 6,
        "dependencies": 4,
        "generations": 4,
        "widest_generation": 3,
        "critical_path": ["$.a", "$.b", "$.c", "$.x:y"],
        "speedup_bound": 1.5,
    }
    assert list(g.nodes) == ["$.a", "$.d", "$.pw", "$.b", "$.c", "$.x:y"]  # graft's order
    assert set(g.edges) == {("$.a", "$.b"), ("$.a", "$.c"), ("$.b", "$.c"), ("$.c", "$.x:y")}
    assert g.nodes["$.x:y"] == {
        "operator": "concat",
        "expression": '(( concat "q\\"z" c ))',
        "generation": 4,
        "critical": True,
    }
    assert g.nodes["$.pw"]["critical"] is False and g.nodes["$.pw"]["operator"] == "vault"
    assert {kind for _, _, kind in g.edges(data="kind")} == {"direct"}
    assert [n for n in nx.topological_sort(g) if g.in_degree(n) == 0] == ["$.a", "$.d", "$.pw"]


def unquote(text: str) -> str:
    assert text.startswith('"') and text.endswith('"'), text
    return text[1:-1].replace('\\"', '"').replace("\\\\", "\\")


def test_dot_is_a_digraph_graphviz_reads_back(doc):
    out = graftpy("plan", "--format", "dot", str(doc))
    assert (out.returncode, out.stderr) == (0, "")
    [graph] = pydot.graph_from_dot_data(out.stdout)
    assert unquote(graph.get_name()) == "eval" and graph.get_type() == "digraph"
    defaults = [n for n in graph.get_nodes() if n.get_name() == "node"]  # node [shape=box]
    assert [n.get_attributes() for n in defaults] == [{"shape": "box"}]
    nodes = {
        unquote(n.get_name()): n.get_attributes()
        for n in graph.get_nodes()
        if n.get_name() != "node"
    }
    assert set(nodes) == {"$.a", "$.b", "$.c", "$.d", "$.pw", "$.x:y"}
    assert unquote(nodes["$.x:y"]["label"]) == '$.x:y\\n(( concat "q\\"z" c ))'
    assert unquote(nodes["$.pw"]["operator"]) == "vault"
    assert [nodes[n]["generation"] for n in ("$.a", "$.b", "$.c", "$.x:y")] == ["1", "2", "3", "4"]
    assert {n for n, attrs in nodes.items() if attrs.get("style") == "bold"} == {
        "$.a",
        "$.b",
        "$.c",
        "$.x:y",
    }
    edges = {
        (unquote(e.get_source()), unquote(e.get_destination())): e.get_attributes()
        for e in graph.get_edges()
    }
    assert set(edges) == {("$.a", "$.b"), ("$.a", "$.c"), ("$.b", "$.c"), ("$.c", "$.x:y")}
    assert "style" not in edges[("$.a", "$.c")]  # not on the critical path
    assert unquote(edges[("$.b", "$.c")]["style"]) == "bold"
    # networkx reads it back too, with the same nodes and edges
    g = nx.nx_pydot.from_pydot(graph)
    assert set(g.edges) == set(edges)


def test_each_phase_is_a_graph_of_its_own(tmp_path):
    (tmp_path / "p.yml").write_text(
        "base: {x: 1, y: (( grab meta.v ))}\n"
        "meta: {v: 2}\n"
        "job:\n  <<<: (( inject base ))\n  z: (( grab job.y ))\n"
        'p: (( param "give p" ))\n'
    )
    out = graftpy("plan", "--format", "json", str(tmp_path / "p.yml"))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    graphs = [nx.node_link_graph(p, edges="edges") for p in data["phases"]]
    assert [g.graph["phase"] for g in graphs] == ["merge", "param", "eval"]
    assert list(graphs[0].nodes) == ["$.job.<<<"]
    # the eval phase plans the document the inject made: job.y is there to read
    assert set(graphs[2].edges) == {("$.job.y", "$.job.z")}
    assert (data["operations"], data["critical_path"]) == (5, 4)
    dot = graftpy("plan", "--format", "dot", str(tmp_path / "p.yml"))
    names = [unquote(g.get_name()) for g in pydot.graph_from_dot_data(dot.stdout)]
    assert names == ["merge", "param", "eval"]
    text = graftpy("plan", str(tmp_path / "p.yml")).stdout
    assert text.endswith("all phases: 5 operations, critical path 4 calls, speedup bound 1.2x\n")


def test_a_cycle_is_an_error_that_names_it(tmp_path):
    (tmp_path / "c.yml").write_text("a: (( grab b ))\nb: (( grab c ))\nc: (( grab a ))\nd: 1\n")
    for fmt in ("text", "json", "dot"):
        out = graftpy("plan", "--format", fmt, str(tmp_path / "c.yml"))
        assert (out.returncode, out.stdout) == (2, "")
        assert out.stderr == (
            "Merge failed: cycle detected in operator data-flow graph\n"
            "  in the eval phase, each reading the next: $.a -> $.b -> $.c -> $.a\n"
        )


def test_a_self_referencing_document_is_merge_s_error(tmp_path):
    (tmp_path / "s.yml").write_text("a: {x: (( grab a ))}\n")
    out = graftpy("plan", str(tmp_path / "s.yml"))
    assert (out.returncode, out.stdout) == (2, "")
    assert out.stderr == "Hit max recursion depth. You seem to have a self-referencing dataset\n"


@pytest.mark.parametrize(
    ("text", "stderr"),
    [
        ("a: (( nope b ))\n", "1 error(s) detected:\n - $.a: (( nope )) operator not defined\n\n"),
        ("a: [1\n", "failed to parse YAML"),
    ],
)
def test_bad_documents_fail_as_merge_fails(tmp_path, text, stderr):
    (tmp_path / "bad.yml").write_text(text)
    plan = graftpy("plan", str(tmp_path / "bad.yml"))
    merge = graftpy("merge", str(tmp_path / "bad.yml"))
    assert (plan.returncode, plan.stdout) == (2, "")
    assert plan.stderr == merge.stderr and stderr in plan.stderr
    assert "Traceback" not in plan.stderr


def test_a_missing_file_is_graft_s_error(tmp_path):
    out = graftpy("plan", "nothere.yml", cwd=tmp_path)
    assert (out.returncode, out.stdout) == (2, "")
    assert out.stderr == (
        "Error reading file nothere.yml: open nothere.yml: no such file or directory\n"
    )


def test_merge_flags_and_settings_apply(tmp_path, doc):
    (tmp_path / "graftpy.yml").write_text(f"files: [{doc}]\ncherry_pick: [c]\n")
    out = graftpy("plan", "--format", "json", "-o", "plan.json", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    [phase] = json.loads((tmp_path / "plan.json").read_text())["phases"]
    # only c and what it needs
    assert [n["id"] for n in phase["nodes"]] == ["$.a", "$.b", "$.c"]
    out = graftpy("plan", "--skip-eval", str(doc))
    assert (out.returncode, out.stdout) == (0, "no operator calls: nothing to plan\n")


def test_plan_reads_no_secret_store(doc):
    """Nothing is evaluated: a Vault call is planned with no Vault to ask."""
    out = graftpy("plan", str(doc), env={"VAULT_ADDR": "http://127.0.0.1:9", "VAULT_TOKEN": "x"})
    assert out.returncode == 0 and "$.pw" in out.stdout


def test_library_api_gives_the_same_figures(doc):
    plan = plan_files([str(doc)], MergeOptions(env={}))
    [phase] = plan.phases
    assert phase.generations == [["$.a", "$.d", "$.pw"], ["$.b"], ["$.c"], ["$.x:y"]]
    assert phase.critical_path == ["$.a", "$.b", "$.c", "$.x:y"]
    assert (phase.widest, phase.speedup_bound, plan.speedup_bound) == (3, 1.5, 1.5)


def test_help_explains_the_command():
    out = graftpy("plan", "--help")
    assert out.returncode == 0
    for words in ("critical path", "speedup bound", "--format", "text|json|dot", "dot -Tsvg"):
        assert words in out.stdout
    listed = graftpy("--help").stdout
    assert "plan" in listed


def test_dot_without_pydot_says_how_to_install_it(doc, monkeypatch):
    from graftpy.extras import MissingPackage
    from graftpy.planview.formats import render

    plan = plan_files([str(doc)], MergeOptions(env={}))
    monkeypatch.setitem(sys.modules, "pydot", None)  # as if not installed
    with pytest.raises(MissingPackage) as caught:
        render(plan, "dot")
    assert "graftpy plan --format dot needs the Python package pydot" in caught.value.message
    assert "-m pip install 'pydot>=3'" in caught.value.message
    assert render(plan, "json").startswith("{")  # the other formats need no pydot
