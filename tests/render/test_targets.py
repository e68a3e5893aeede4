"""The targets: schema of graftpy.yml, its errors, --only and --shard."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graftpy import config
from graftpy.config import ConfigError
from graftpy.render import targets as t


def load(tmp_path: Path, text: str) -> config.Config:
    path = tmp_path / "graftpy.yml"
    path.write_text(text)
    return config.load(str(path))


def resolve(tmp_path: Path, text: str, flags: dict | None = None) -> dict[str, t.Target]:
    found = t.resolve(load(tmp_path, text), flags or {}, environ={"HOME": "/nowhere"})
    return {target.name: target for target in found}


BASE = """
files: [base.yml, 'envs/{target}.yml']
prune: [meta]
output: 'out/{target}.yml'
env: {REGION: eu, TIER: web}
"""


def test_targets_inherit_the_top_level_and_fill_in_their_name(tmp_path: Path) -> None:
    found = resolve(
        tmp_path,
        BASE
        + """
targets:
  prod: {}
  staging:
  lab:
    files: [base.yml, lab.yml]
    prune: [meta, lab_only]
    output: lab/manifest.yml
    env: {TIER: db}
""",
    )
    assert list(found) == ["lab", "prod", "staging"]  # sorted by name
    prod = found["prod"].run
    rel = os.path.relpath(tmp_path)
    assert prod.files == [f"{rel}/base.yml", f"{rel}/envs/prod.yml"]
    assert prod.output == f"{rel}/out/prod.yml"
    assert prod.options.prune == ("meta",)
    assert found["staging"].run.files[1] == f"{rel}/envs/staging.yml"
    lab = found["lab"].run
    assert lab.files == [f"{rel}/base.yml", f"{rel}/lab.yml"]  # relative to graftpy.yml too
    assert lab.options.prune == ("meta", "lab_only")  # replaced, not added
    assert lab.output == f"{rel}/lab/manifest.yml"
    assert lab.options.env["TIER"] == "db" and lab.options.env["REGION"] == "eu"  # maps merge
    assert prod.options.env["TIER"] == "web"


def test_flags_win_over_the_targets_settings(tmp_path: Path) -> None:
    found = resolve(
        tmp_path,
        BASE + "targets:\n  prod: {prune: [other]}\n",
        flags={"prune": ["flagged"], "redact": True, "env": {"TIER": "cli"}},
    )
    options = found["prod"].run.options
    assert options.prune == ("flagged",)
    assert options.env["REDACT"] == "1"
    assert options.env["TIER"] == "cli"


def test_targets_file_keeps_its_meaning_for_the_backend_targets(tmp_path: Path) -> None:
    found = resolve(tmp_path, BASE + "targets_file: stores.yml\ntargets:\n  prod: {}\n")
    assert found["prod"].run.options.targets_file == os.path.join(
        os.path.relpath(tmp_path), "stores.yml"
    )
    plain = load(tmp_path, "targets: stores.yml\n")  # merge's old spelling still works
    assert plain.values["targets"].endswith("stores.yml") and plain.targets is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "targets:\n  prod: {prunes: [meta]}\n",
            "graftpy.yml: target 'prod': unknown setting 'prunes' (did you mean 'prune'?)",
        ),
        (
            "targets:\n  prod: {prune: 5}\n",
            "graftpy.yml: target 'prod': setting 'prune' must be a list of strings, not 5",
        ),
        (
            "targets:\n  prod: {parallel: {workers: many}}\n",
            "target 'prod': setting 'parallel.workers' must be a whole number, not 'many'",
        ),
        (
            "targets:\n  prod: {jobs: 4}\n",
            "graftpy.yml: target 'prod': setting 'jobs' applies to the whole run",
        ),
        ("targets:\n  prod: {metrics: {file: m.prom}}\n", "setting 'metrics_file' applies"),
        ("targets:\n  prod: [a, b]\n", "target 'prod' must be a map of settings"),
        ("targets:\n  'a b': {}\n", "target name 'a b' must be letters, digits"),
        ("targets:\n  5: {}\n", "target name 5 must be"),
        ("output: 'o/{target}'\ntargets:\n  prod: {}\n", "target 'prod' has no files"),
        ("files: [a.yml]\ntargets:\n  prod: {}\n", "target 'prod' has no output file"),
        ("files: [a.yml]\noutput: '-'\ntargets:\n  prod: {}\n", "has no output file"),
        (
            "files: ['-']\noutput: 'o/{target}'\ntargets:\n  prod: {}\n",
            "target 'prod': files: '-' (standard input) cannot be rendered",
        ),
        (
            "files: [a.yml]\noutput: same.yml\ntargets:\n  a: {}\n  b: {}\n",
            "graftpy.yml: targets 'a' and 'b' both write",
        ),
        ("files: [a.yml]\n", "graftpy.yml: no targets to render"),
        ("targets: stores.yml\n", "'targets: FILE' names the file of Vault/AWS targets"),
        ("targets: [a, b]\n", "setting 'targets' must be a map of render targets (name: "),
        (
            "files: [a.yml]\noutput: 'o/{target}'\ntargets:\n  p: {vault: {token_file: nope}}\n",
            "target 'p': cannot read the Vault token file",
        ),
    ],
)
def test_config_errors_name_the_target_and_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        resolve(tmp_path, text)
    assert message in caught.value.message
    assert caught.value.exit_code == 1


def test_without_a_configuration_file_render_says_what_it_needs() -> None:
    with pytest.raises(ConfigError, match="graftpy render renders the targets: of a"):
        t.resolve(config.Config(), {})


def test_merge_refuses_the_placeholder_it_cannot_fill(tmp_path: Path) -> None:
    loaded = load(tmp_path, BASE + "targets:\n  prod: {}\n")
    with pytest.raises(ConfigError, match=r"'output:' holds \{target\}"):
        config.build({**loaded.values, "files": ["x.yml"]}, file=loaded.file)


# -- --only and --shard ----------------------------------------------------------------------


def fleet(names: list[str]) -> list[t.Target]:
    return [t.Target(name, None, {}) for name in sorted(names)]  # type: ignore[arg-type]


def test_only_takes_names_lists_and_patterns() -> None:
    targets = fleet(["eu-prod", "eu-staging", "us-prod", "lab"])
    assert [x.name for x in t.select(targets, ["lab"])] == ["lab"]
    assert [x.name for x in t.select(targets, ["lab,us-prod"])] == ["lab", "us-prod"]
    assert [x.name for x in t.select(targets, ["eu-*", "lab"])] == ["eu-prod", "eu-staging", "lab"]
    with pytest.raises(ConfigError, match="no target 'us-prd' \\(did you mean 'us-prod'\\?\\)"):
        t.select(targets, ["us-prd"])


@pytest.mark.parametrize("text", ["2", "0/2", "3/2", "a/b", "1/0", "-1/2", "1/2/3", ""])
def test_bad_shards_are_refused(text: str) -> None:
    with pytest.raises(ConfigError, match="--shard wants K/N"):
        t.parse_shard(text)


@given(
    names=st.sets(st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True), max_size=40),
    count=st.integers(min_value=1, max_value=12),
)
def test_shards_render_every_target_exactly_once(names: set[str], count: int) -> None:
    targets = fleet(list(names))
    shards = [t.select(targets, shard=t.parse_shard(f"{k}/{count}")) for k in range(1, count + 1)]
    rendered = [x.name for shard in shards for x in shard]
    assert sorted(rendered) == sorted(names)  # each exactly once
    sizes = [len(shard) for shard in shards]
    assert max(sizes) - min(sizes) <= 1
    again = [t.select(list(reversed(targets)), shard=t.parse_shard(f"1/{count}"))]
    assert [x.name for x in again[0]] == [x.name for x in shards[0]]  # order does not matter


def test_shards_apply_after_only() -> None:
    targets = fleet(["a1", "a2", "a3", "b1"])
    first = t.select(targets, ["a*"], t.parse_shard("1/2"))
    second = t.select(targets, ["a*"], t.parse_shard("2/2"))
    assert [x.name for x in first] == ["a1", "a3"] and [x.name for x in second] == ["a2"]
