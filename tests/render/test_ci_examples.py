"""The CI jobs of examples/render: the shards their matrix runs render each target once."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "render"
TARGETS = ["lab", "prod", "staging"]


def render_lines(doc: object) -> list[str]:
    if isinstance(doc, dict):
        return [line for v in doc.values() for line in render_lines(v)]
    if isinstance(doc, list):
        return [line for v in doc for line in render_lines(v)]
    if isinstance(doc, str) and doc.startswith("graftpy render --shard"):
        return [doc]
    return []


def github_shards() -> list[str]:
    doc = yaml.safe_load((EXAMPLE / "github-actions.yml").read_text())
    (line,) = render_lines(doc)
    shards = doc["jobs"]["render"]["strategy"]["matrix"]["shard"]
    return [line.replace("${{ matrix.shard }}", str(k)) for k in shards]


def gitlab_shards() -> list[str]:
    doc = yaml.safe_load((EXAMPLE / "gitlab-ci.yml").read_text())
    (line,) = render_lines(doc)
    total = doc["render-manifests"]["parallel"]
    return [
        line.replace("$CI_NODE_INDEX", str(k)).replace("$CI_NODE_TOTAL", str(total))
        for k in range(1, total + 1)
    ]


@pytest.mark.parametrize("shards", [github_shards, gitlab_shards], ids=["github", "gitlab"])
def test_the_ci_matrix_renders_every_target_exactly_once(shards, openbao, tmp_path: Path) -> None:  # noqa: ANN001
    work = tmp_path / "repo"
    shutil.copytree(EXAMPLE, work)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRAFT", "VAULT", "AWS"))}
    env |= {"VAULT_ADDR": openbao.addr, "VAULT_TOKEN": openbao.token, "HOME": str(tmp_path)}
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    subprocess.run(["bash", "seed.sh"], cwd=work, env=env, check=True)
    rendered = []
    lines = shards()
    assert len(lines) == 4
    for line in lines:
        args = line.split()[1:]
        done = subprocess.run(
            [sys.executable, "-m", "graftpy", *args],
            cwd=work, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        report = re.search(r"--report (\S+)", line).group(1)
        rendered += [t["name"] for t in json.loads((work / report).read_text())["targets"]]
    assert sorted(rendered) == TARGETS  # each once; with 3 targets, one shard has none
    for name in TARGETS:
        assert (work / "manifests" / f"{name}.yml").read_text() == (
            EXAMPLE / "expected" / f"{name}.yml"
        ).read_text()
