"""graftpy.yml: reading, checking, and turning settings into one run's options."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from graftpy import config
from graftpy.config import Config, ConfigError


def write(path: Path, text: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return str(path)


# -- parsing -------------------------------------------------------------------------


def test_groups_are_the_same_as_flat_keys() -> None:
    nested = config.parse(
        {
            "parallel": {"enabled": True, "strategy": "adaptive", "workers": 4, "min-ops": 2},
            "vault": {"addr": "https://v:8200", "skip_verify": True},
            "aws": {"region": "eu-west-1"},
            "metrics": {"enabled": False, "port": 9102, "labels": {"env": "prod"}},
        }
    )
    flat = config.parse(
        {
            "parallel": True,
            "parallel_strategy": "adaptive",
            "workers": 4,
            "min_ops": 2,
            "vault-addr": "https://v:8200",
            "vault_skip_verify": True,
            "aws_region": "eu-west-1",
            "metrics": False,
            "metrics_port": 9102,
            "metrics_labels": {"env": "prod"},
        }
    )
    assert (
        nested
        == flat
        == {
            "parallel": True,
            "strategy": "adaptive",
            "workers": 4,
            "min_ops": 2,
            "vault_addr": "https://v:8200",
            "vault_skip_verify": True,
            "aws_region": "eu-west-1",
            "metrics": False,
            "metrics_port": 9102,
            "metrics_labels": {"env": "prod"},
        }
    )


def test_unknown_setting_suggests_the_near_one() -> None:
    with pytest.raises(ConfigError) as err:
        config.parse({"prunes": ["meta"]}, file="graftpy.yml")
    assert str(err.value) == "graftpy.yml: unknown setting 'prunes' (did you mean 'prune'?)"
    assert err.value.exit_code == 1


def test_unknown_key_inside_a_group_is_named_with_its_group() -> None:
    with pytest.raises(ConfigError, match=r"unknown setting 'vault\.adress'"):
        config.parse({"vault": {"adress": "x"}})


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"workers": "many"}, "setting 'workers' must be a whole number, not 'many'"),
        ({"workers": 2.5}, "setting 'workers' must be a whole number, not 2.5"),
        ({"workers": True}, "setting 'workers' must be a whole number, not True"),
        ({"workers": -1}, "setting 'workers' must be at least 0"),
        ({"skip_eval": "yes please"}, "setting 'skip_eval' must be true or false"),
        ({"strategy": "fast"}, "must be one of conservative, aggressive, adaptive"),
        ({"prune": [1, 2]}, "setting 'prune' must be a list of strings"),
        ({"env": ["A=1"]}, "setting 'env' must be a map of names to values"),
        ({"vault_addr": ["x"]}, "setting 'vault_addr' must be a string"),
        ({"parallel": {"strategy": "x"}}, "setting 'parallel.strategy' must be one of"),
    ],
)
def test_bad_values_are_named(doc: dict, message: str) -> None:
    with pytest.raises(ConfigError) as err:
        config.parse(doc)
    assert message in str(err.value)


def test_a_single_string_is_a_one_item_list_and_empty_values_are_absent() -> None:
    assert config.parse({"prune": "meta", "workers": None}) == {"prune": ["meta"]}


def test_env_values_become_strings() -> None:
    assert config.parse({"env": {"A": 1, "B": True, "C": None, "D": "x"}}) == {
        "env": {"A": "1", "B": "true", "C": "", "D": "x"}
    }


# -- files -----------------------------------------------------------------------------


def test_find_prefers_the_flag_then_the_current_folder(tmp_path: Path) -> None:
    assert config.find(None, str(tmp_path)) is None
    write(tmp_path / "graftpy.yml", "prune: [meta]\n")
    assert config.find(None, str(tmp_path)) == str(tmp_path / "graftpy.yml")
    assert config.find("other.yml", str(tmp_path)) == "other.yml"


def test_relative_paths_are_taken_from_the_files_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(
        tmp_path / "deploy" / "graftpy.yml",
        "files: [base.yml, /abs/prod.yml, '-']\n"
        "output: out/manifest.yml\n"
        "targets: targets.yml\n"
        "vault: {token_file: token}\n"
        "metrics: {file: m.prom}\n"
        "file_base_path: certs\n",
    )
    monkeypatch.chdir(tmp_path)
    loaded = config.load(path)
    assert loaded.file == path
    assert loaded.values == {
        "files": [os.path.join("deploy", "base.yml"), "/abs/prod.yml", "-"],
        "output": os.path.join("deploy", "out", "manifest.yml"),
        "targets": os.path.join("deploy", "targets.yml"),
        "vault_token_file": os.path.join("deploy", "token"),
        "metrics_file": os.path.join("deploy", "m.prom"),
        "file_base_path": os.path.join("deploy", "certs"),
    }


def test_empty_or_comment_only_file_sets_nothing(tmp_path: Path) -> None:
    assert config.load(write(tmp_path / "a.yml", "")).values == {}
    assert config.load(write(tmp_path / "b.yml", "# nothing yet\n")).values == {}


def test_non_map_file_and_missing_file_are_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="must be a map of settings"):
        config.load(write(tmp_path / "list.yml", "- a\n- b\n"))
    missing = str(tmp_path / "nope.yml")
    with pytest.raises(ConfigError) as err:
        config.load(missing)
    assert str(err.value).startswith(f"{missing}: cannot read the configuration file")


def test_yaml_errors_name_the_file(tmp_path: Path) -> None:
    from graftpy.errors import GraftError

    path = write(tmp_path / "bad.yml", "prune: [meta\n")
    with pytest.raises(GraftError) as err:
        config.load(path)
    assert err.value.file == path and err.value.line is not None


# -- combining with flags ------------------------------------------------------------


def test_flags_replace_settings_but_labels_and_env_merge_key_by_key() -> None:
    loaded = Config(
        {"prune": ["meta"], "workers": 2, "metrics_labels": {"a": "1", "b": "1"}, "env": {"X": "1"}}
    )
    flags = {"prune": ["params"], "metrics_labels": {"b": "2"}, "env": {"Y": "2"}}
    assert config.combine(loaded, flags) == {
        "prune": ["params"],
        "workers": 2,
        "metrics_labels": {"a": "1", "b": "2"},
        "env": {"X": "1", "Y": "2"},
    }


def test_labels_from_flags() -> None:
    assert config.labels_from_flags(["env=prod", "team=a=b"]) == {"env": "prod", "team": "a=b"}
    with pytest.raises(ConfigError, match="NAME=VALUE, not 'oops'"):
        config.labels_from_flags(["oops"])


# -- building the run ----------------------------------------------------------------


def test_build_fills_merge_options() -> None:
    run = config.build(
        {
            "files": ["a.yml"],
            "prune": ["meta"],
            "cherry_pick": ["jobs"],
            "skip_eval": True,
            "go_patch": True,
            "output": "out.yml",
            "preserve_order": True,
            "progress": False,
            "targets": "t.yml",
            "metrics_file": "m.prom",
            "metrics_port": 0,
            "metrics_labels": {"env": "prod"},
        },
        {},
        debug=True,
    )
    assert (run.files, run.output, run.preserve_order, run.progress) == (
        ["a.yml"],
        "out.yml",
        True,
        False,
    )
    opts = run.options
    assert opts.prune == ("meta",) and opts.cherry_pick == ("jobs",)
    assert opts.skip_eval and opts.go_patch and opts.debug
    assert opts.targets_file == "t.yml"
    assert (opts.metrics_file, opts.metrics_port, opts.metrics_labels) == (
        "m.prom",
        0,
        {"env": "prod"},
    )
    assert opts.env is None  # nothing changes the environment: the pipeline reads it


def test_defaults_match_a_plain_merge() -> None:
    from graftpy.pipeline import MergeOptions

    run = config.build({}, {})
    assert run.files == [] and run.output is None and run.progress is None
    assert run.options == MergeOptions()


@pytest.mark.parametrize("key", ["strategy", "workers", "min_ops"])
def test_parallel_settings_imply_parallel(key: str) -> None:
    value = "adaptive" if key == "strategy" else 4
    assert config.build({key: value}, {}).options.parallel is True
    assert config.build({key: value, "parallel": False}, {}).options.parallel is False
    assert config.build({}, {}).options.parallel is None  # GRAFT_PARALLEL decides


def test_environment_snapshot_layers_and_never_touches_os_environ(tmp_path: Path) -> None:
    token = write(tmp_path / "token", "s.abc123\n")
    before = dict(os.environ)
    env = config.environment(
        {
            "env": {"APP_ENV": "prod", "VAULT_ADDR": "http://from-env-section"},
            "vault_addr": "https://vault:8200",
            "vault_token_file": token,
            "redact": True,
            "vault_skip_verify": False,
            "load_timeout": 10.0,
            "array_merge_key": "id",
            "file_base_path": "certs",
            "aws_region": "eu-west-1",
        },
        {"HOME": "/home/me", "VAULT_SKIP_VERIFY": "1", "APP_ENV": "dev"},
    )
    assert os.environ == before
    assert env == {
        "HOME": "/home/me",
        "APP_ENV": "prod",
        "VAULT_ADDR": "https://vault:8200",
        "VAULT_TOKEN": "s.abc123",
        "REDACT": "1",
        "GRAFT_LOAD_TIMEOUT": "10",
        "DEFAULT_ARRAY_MERGE_KEY": "id",
        "GRAFT_FILE_BASE_PATH": "certs",
        "AWS_REGION": "eu-west-1",
    }


def test_token_file_problems_are_clear(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the Vault token file"):
        config.read_token(str(tmp_path / "missing"))
    with pytest.raises(ConfigError, match="is empty"):
        config.read_token(write(tmp_path / "empty", "\n"))


def test_every_setting_that_stands_for_a_variable_names_a_known_one() -> None:
    wanted = {
        "GRAFT_FILE_BASE_PATH",
        "GRAFT_CONFINE_FILES",
        "DEFAULT_ARRAY_MERGE_KEY",
        "REDACT",
        "VAULT_ADDR",
        "VAULT_TOKEN",
        "VAULT_NAMESPACE",
        "VAULT_SKIP_VERIFY",
        "AWS_PROFILE",
        "AWS_REGION",
        "AWS_ROLE",
        "AWS_ENDPOINT_URL",
        "GRAFT_LOAD_TIMEOUT",
    }
    assert {s.env for s in config.SETTINGS.values() if s.env} == wanted


# -- every settings error exits 1 (docs/command-line.md), as the CLI prints it ---------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "prune: [meta\n",
            "./graftpy.yml: failed to parse YAML: line 2, column 1: did not find expected ',' "
            "or ']' (while parsing a flow sequence)\n",
        ),
        ("- a\n", "./graftpy.yml: the configuration must be a map of settings\n"),
        ("prune: 3\n", "./graftpy.yml: setting 'prune' must be a list of strings, not 3\n"),
        ("prunes: [a]\n", "./graftpy.yml: unknown setting 'prunes' (did you mean 'prune'?)\n"),
    ],
)
def test_settings_errors_exit_1_through_the_command_line(
    tmp_path: Path, text: str, message: str
) -> None:
    import subprocess
    import sys

    write(tmp_path / "graftpy.yml", text)
    write(tmp_path / "a.yml", "a: 1\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAFT")}
    done = subprocess.run(
        [sys.executable, "-m", "graftpy", "merge", "a.yml"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stdout, done.stderr) == (1, "", message)
