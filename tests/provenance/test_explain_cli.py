"""``graftpy explain``, ``merge --explain-to`` and ``--set``, end to end on the command line:
several files, every array-merge rule, inject, grab chains, ``||`` defaults, go-patch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE = """\
meta:
  size: 2
  name: app
  region: eu
  tmpl:
    color: blue
    size: small
instance_groups:
- name: web
  instances: 3
- name: db
  instances: 1
- name: old
  instances: 9
tags: [a, b]
zones: [z1, z2]
derived: (( grab meta.size ))
label: (( concat meta.name "-" derived ))
chain: (( grab label ))
fallback: (( grab meta.nope || "dflt" ))
"""

PROD = """\
meta:
  size: 5
instance_groups:
- name: web
  instances: (( grab meta.size ))
- (( delete "old" ))
- (( append ))
- name: worker
  instances: 2
tags:
- (( prepend ))
- first
zones:
- (( replace ))
- z9
box:
  base: (( inject meta.tmpl ))
  color: red
"""

OPS = """\
- type: replace
  path: /meta/region
  value: us
- type: replace
  path: /instance_groups/name=db/instances
  value: 4
"""


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "base.yml").write_text(BASE)
    (tmp_path / "prod.yml").write_text(PROD)
    (tmp_path / "ops.yml").write_text(OPS)
    return tmp_path


def graftpy(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRAFT", "VAULT", "AWS"))}
    return subprocess.run(
        [sys.executable, "-m", "graftpy", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        stdin=subprocess.DEVNULL,
    )


FILES = ("--go-patch", "base.yml", "prod.yml", "ops.yml")


def explain(files: Path, *args: str) -> str:
    done = graftpy("explain", *args, *FILES, cwd=files)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_leaf_overridden_by_name_and_computed_by_grab(files):
    out = explain(files, "$.instance_groups.web.instances")
    assert out == (
        "$.instance_groups.web.instances = 5\n"
        "├─ set       base.yml:10   3\n"
        "├─ override  prod.yml:5    \"(( grab meta.size ))\"   merged by name 'web'\n"
        "└─ computed  (( grab meta.size ))   prod.yml:5\n"
        "   └─ $.meta.size = 5\n"
        "      ├─ set       base.yml:2   2\n"
        "      └─ override  prod.yml:2   5\n"
    )


def test_a_chain_of_operators_as_a_tree_with_a_depth_limit(files):
    out = explain(files, "chain", "--set", "meta.name=svc")
    lines = out.splitlines()
    assert lines[0] == '$.chain = "svc-5"'
    assert "computed  (( grab label ))   base.yml:19" in out
    assert 'computed  (( concat meta.name "-" derived ))   base.yml:18' in out
    assert 'override  command line   "svc"   --set meta.name=svc' in out
    assert "computed  (( grab meta.size ))   base.yml:17" in out  # three levels down
    shallow = explain(files, "chain", "--depth", "1")
    assert "$.label = " in shallow and "$.derived   (deeper: raise --depth)" in shallow
    assert "$.meta.size" not in shallow


def test_defaults_show_what_was_tried(files):
    out = explain(files, "fallback")
    assert "└─ $.meta.nope: not found (the alternative was used)" in out
    assert out.startswith('$.fallback = "dflt"\n')


def test_array_rules_prepend_replace_append_delete(files):
    assert "prepended by (( prepend ))" in explain(files, "tags.0")
    assert 'set       base.yml:15   "a"' in explain(files, "tags.1")
    assert "list replaced by (( replace ))" in explain(files, "zones.0")
    assert "appended by (( append ))" in explain(files, "instance_groups.worker.instances")
    missing = graftpy("explain", "instance_groups.old", *FILES, cwd=files)
    assert missing.returncode == 2
    assert missing.stderr == (
        "$.instance_groups.old is not in the document: name 'old' was deleted by prod.yml:6\n"
    )


def test_go_patch_operations_are_origins(files):
    out = explain(files, "meta.region")
    assert 'override  ops.yml:3    "us"   go-patch replace /meta/region' in out
    out = explain(files, "instance_groups.db.instances")
    assert "go-patch replace /instance_groups/name=db/instances" in out


def test_inject_points_at_the_injected_entry(files):
    assert explain(files, "box.size") == (
        '$.box.size = "small"\n'
        '├─ set       base.yml:7    "small"\n'
        '└─ injected  prod.yml:17   "small"   (( inject meta.tmpl )); from $.meta.tmpl.size\n'
    )
    assert 'set       prod.yml:18   "red"' in explain(files, "box.color")


def test_a_subtree_gives_its_leaves_in_output_order(files):
    out = explain(files, "instance_groups", "--depth", "0")
    heads = [line for line in out.splitlines() if line.startswith("$.")]
    assert heads == [
        "$.instance_groups.web.instances = 5",
        '$.instance_groups.web.name = "web"',
        "$.instance_groups.db.instances = 4",
        '$.instance_groups.db.name = "db"',
        "$.instance_groups.worker.instances = 2",
        '$.instance_groups.worker.name = "worker"',
    ]


def test_json_for_tools(files):
    data = json.loads(explain(files, "--format", "json", "label"))
    (node,) = data["paths"]
    assert node["path"] == "$.label" and node["value"] == "app-5"
    assert node["origins"] == [
        {
            "action": "set",
            "file": "base.yml",
            "line": 18,
            "value": '(( concat meta.name "-" derived ))',
        }
    ]
    reads = node["computed"]["reads"]
    assert [r["path"] for r in reads] == ["$.meta.name", "$.derived"]
    assert reads[1]["explanation"]["computed"]["reads"][0]["explanation"]["value"] == 5


def test_pruned_values_are_still_explained(files):
    out = explain(files, "--prune", "meta", "meta.size")
    assert out.startswith("$.meta.size = 5   (not in the output: pruned by --prune meta)\n")
    (files / "p.yml").write_text("meta: (( prune ))\n")
    out = explain(files, "meta.name", "p.yml")
    assert out.startswith('$.meta.name = "app"   (not in the output: pruned by (( prune )))\n')
    out = explain(files, "--cherry-pick", "label", "meta.name")
    assert out.startswith('$.meta.name = "app"   (not in the output: not picked by --cherry-pick)')


def test_explain_to_writes_every_value_and_the_merge_prints_the_same(files):
    plain = graftpy("merge", "--prune", "meta", *FILES, cwd=files)
    both = graftpy("merge", "--prune", "meta", "--explain-to", "why.json", *FILES, cwd=files)
    assert both.returncode == 0, both.stderr
    assert both.stdout == plain.stdout and both.stderr == plain.stderr
    doc = json.loads((files / "why.json").read_text())
    paths = doc["paths"]
    assert doc["version"] == 1
    output_leaves = [p for p, node in paths.items() if node.get("in_output", True)]
    assert output_leaves[:3] == ["$.box.color", "$.box.size", "$.chain"]
    assert "$.meta.size" in paths and paths["$.meta.size"]["in_output"] is False
    assert paths["$.chain"]["computed"]["reads"] == [{"path": "$.label", "found": True}]


def test_explain_to_is_not_written_when_the_merge_fails(files):
    (files / "bad.yml").write_text("x: (( grab nowhere ))\n")
    done = graftpy("merge", "--explain-to", "why.json", "base.yml", "bad.yml", cwd=files)
    assert done.returncode == 2
    assert not (files / "why.json").exists()
    assert done.stderr.startswith("1 error(s) detected:\n - $.x: Unable to resolve `nowhere`")


def test_set_is_a_last_overlay_seen_by_grab(files):
    done = graftpy(
        "merge",
        "--set",
        "meta.size=7",
        "--set",
        "instance_groups.worker.instances=[1, 2]",
        "--set-string",
        "meta.name=010",
        "--set",
        "new.deep.key=yes",
        *FILES,
        cwd=files,
    )
    assert done.returncode == 0, done.stderr
    assert "derived: 7\n" in done.stdout and "label: 010-7\n" in done.stdout
    assert "  - 1\n  - 2\n" in done.stdout
    assert "new:\n  deep:\n    key: true\n" in done.stdout


def test_set_errors_say_what_is_wrong(files):
    done = graftpy("merge", "--set", "meta.size", "base.yml", cwd=files)
    assert done.returncode == 1
    assert done.stderr == "--set wants PATH=VALUE, not 'meta.size'\n"
    done = graftpy("merge", "--set", "instance_groups.nope.x=1", "base.yml", cwd=files)
    assert done.returncode == 1
    assert "--set instance_groups.nope.x=1: $.instance_groups has no entry 'nope'" in done.stderr
    done = graftpy("merge", "--set", "a=[unclosed", "base.yml", cwd=files)
    assert done.returncode == 1 and "the value is not YAML" in done.stderr


def test_set_in_graftpy_yml_with_flags_winning(files):
    (files / "graftpy.yml").write_text(
        "files: [base.yml, prod.yml]\nset:\n  meta.size: 11\n  meta.name: cfg\n"
    )
    out = graftpy("explain", "label", cwd=files).stdout
    assert out.startswith('$.label = "cfg-11"\n')
    assert 'override  ./graftpy.yml:4   "cfg"   set: meta.name' in out
    out = graftpy("explain", "label", "--set", "meta.name=flag", cwd=files).stdout
    assert out.startswith('$.label = "flag-11"\n')
    merged = graftpy("merge", "--set", "meta.size=1", cwd=files)
    assert "derived: 1\n" in merged.stdout


def test_explain_output_flag_and_bad_paths(files):
    (files / "graftpy.yml").write_text("output: manifest.yml\n")
    done = graftpy("explain", "derived", *FILES, cwd=files)
    assert done.returncode == 0 and done.stdout.startswith("$.derived = 5")
    assert not (files / "manifest.yml").exists()  # graftpy.yml's output is the manifest's
    done = graftpy("explain", "-o", "why.txt", "derived", *FILES, cwd=files)
    assert done.stdout == "" and (files / "why.txt").read_text().startswith("$.derived = 5")
    done = graftpy("explain", "a]b", *FILES, cwd=files)
    assert done.returncode == 1 and "bad path 'a]b'" in done.stderr


def test_a_failed_run_is_explained_as_far_as_it_went(files):
    (files / "bad.yml").write_text("size: (( grab meta.size ))\nbroken: (( grab meta.nope ))\n")
    done = graftpy("explain", "$", "base.yml", "bad.yml", cwd=files)
    assert done.returncode == 2
    assert "$.size = 2\n" in done.stdout  # evaluated before the run stopped
    assert (
        '$.broken = "(( grab meta.nope ))"\n'
        '├─ set       bad.yml:2   "(( grab meta.nope ))"\n'
        "└─ computed  (( grab meta.nope ))   bad.yml:2\n"
        "   ├─ failed: Unable to resolve `meta.nope`: `$.meta.nope` could not be found in the "
        "datastructure\n"
        "   └─ $.meta.nope: not found (the alternative was used)\n"
    ) in done.stdout
    assert done.stderr.startswith("1 error(s) detected:\n - bad.yml:2: $.broken: Unable to")
