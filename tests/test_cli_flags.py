"""The flags of merge/fan, graftpy.yml from the command line, usage, colour, completion."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from graftpy import config
from graftpy.cli import cli


def graftpy(
    *args: str, cwd: Path | None = None, env: dict | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GRAFT", "VAULT", "AWS"))}
    clean.pop("REDACT", None)
    clean.pop("DEFAULT_ARRAY_MERGE_KEY", None)
    return subprocess.run(
        [sys.executable, "-m", "graftpy", *args],
        cwd=cwd,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        env={**clean, **(env or {})},
    )


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


# -- every setting is a flag, every flag a setting ----------------------------------------


@pytest.mark.parametrize("command", ["merge", "fan"])
def test_flags_and_settings_are_the_same_set(command: str) -> None:
    params = {
        p.name
        for p in cli.get_command(click.Context(cli), command).params
        if isinstance(p, click.Option)
    }
    not_settings = {"config_file", "debug", "trace", "help"}
    config_only = {"files", "env"}
    render_only = set(config.RENDER_ONLY)
    merge_only = {"explain_to"}  # fan writes no explanation
    flags = _as_settings(params - not_settings)
    settings = set(config.SETTINGS) - config_only - render_only
    assert flags == (settings if command == "merge" else settings - merge_only)


def _as_settings(flags: set[str]) -> set[str]:
    """--set and --set-string both add to the `set:` map of graftpy.yml."""
    return {"set" if p in ("set_values", "set_strings") else p for p in flags}


def test_render_has_every_setting_but_files_and_output_as_a_flag() -> None:
    command = cli.get_command(click.Context(cli), "render")
    params = {p.name for p in command.params if isinstance(p, click.Option)}
    not_settings = {"config_file", "debug", "trace", "help", "plan_only", "only", "shard"}
    merge_only = {"explain_to"}
    assert _as_settings(params - not_settings) == (
        set(config.SETTINGS) - {"files", "env", "output"} - merge_only
    )


def test_help_groups_flags_and_gives_each_an_example() -> None:
    out = graftpy("merge", "--help")
    assert out.returncode == 0
    for heading in ("Merging:", "Output:", "Parallel evaluation:", "Secrets:", "Metrics:"):
        assert heading in out.stdout
    command = cli.get_command(click.Context(cli), "merge")
    for param in command.params:
        # a boolean flag's example would be its own name (tests/test_cli_text.py)
        if isinstance(param, click.Option) and not param.is_flag:
            assert "e.g." in (param.help or ""), f"{param.opts[0]} has no example"
    for setting in config.SETTINGS.values():
        if setting.env:
            assert f"${setting.env}" in out.stdout, f"no flag names ${setting.env}"


# -- flags that stand for environment variables ----------------------------------------------


def test_env_flags_set_the_runs_environment(tmp_path: Path) -> None:
    doc = write(
        tmp_path / "a.yml",
        "base: (( grab $GRAFT_FILE_BASE_PATH ))\n"
        "key: (( grab $DEFAULT_ARRAY_MERGE_KEY ))\n"
        "addr: (( grab $VAULT_ADDR ))\n"
        "region: (( grab $AWS_REGION ))\n"
        "timeout: (( grab $GRAFT_LOAD_TIMEOUT ))\n",
    )
    out = graftpy(
        "merge",
        "--file-base-path",
        "certs",
        "--array-merge-key",
        "id",
        "--vault-addr",
        "http://127.0.0.1:1",
        "--aws-region",
        "eu-west-1",
        "--load-timeout",
        "10",
        str(doc),
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout == (
        'addr: http://127.0.0.1:1\nbase: certs\nkey: id\nregion: eu-west-1\ntimeout: "10"\n\n'
    )


def test_array_merge_key_flag_changes_how_lists_merge(tmp_path: Path) -> None:
    a = write(tmp_path / "a.yml", "l:\n- {id: p, v: 1}\n- {id: q, v: 2}\n")
    b = write(tmp_path / "b.yml", "l:\n- {id: q, v: 3}\n")
    out = graftpy("merge", "--array-merge-key", "id", str(a), str(b))
    assert out.stdout == "l:\n- id: p\n  v: 1\n- id: q\n  v: 3\n\n", out.stderr


def test_redact_flag_and_its_negation(tmp_path: Path) -> None:
    doc = write(tmp_path / "a.yml", 'pw: (( vault "secret/x:y" ))\n')
    assert graftpy("merge", "--redact", str(doc)).stdout == "pw: REDACTED\n\n"
    # --no-redact wins over REDACT in the environment: Vault is asked (and is not there)
    out = graftpy("merge", "--no-redact", str(doc), env={"REDACT": "1"})
    assert out.returncode == 2 and "REDACTED" not in out.stdout


def test_vault_token_file_is_read_and_a_missing_one_is_a_usage_error(tmp_path: Path) -> None:
    write(tmp_path / "token", "s.from-file\n")
    doc = write(tmp_path / "a.yml", "t: (( grab $VAULT_TOKEN ))\n")
    out = graftpy("merge", "--vault-token-file", str(tmp_path / "token"), str(doc))
    assert out.stdout == "t: s.from-file\n\n"
    out = graftpy("merge", "--vault-token-file", str(tmp_path / "none"), str(doc))
    assert out.returncode == 1 and "cannot read the Vault token file" in out.stderr


# -- graftpy.yml ------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path / "base.yml", "meta: {env: (( grab $APP_ENV ))}\nname: (( grab meta.env ))\n")
    write(tmp_path / "envs" / "prod.yml", "extra: (( grab meta.env ))\n")
    write(
        tmp_path / "graftpy.yml",
        "files: [base.yml, envs/prod.yml]\nprune: [meta]\nenv: {APP_ENV: prod}\n",
    )
    return tmp_path


def test_graftpy_yml_in_the_current_folder_is_used(project: Path) -> None:
    out = graftpy("merge", cwd=project)
    assert out.returncode == 0, out.stderr
    assert out.stdout == "extra: prod\nname: prod\n\n"


def test_flags_win_over_graftpy_yml_which_wins_over_the_environment(project: Path) -> None:
    out = graftpy("merge", "--prune", "extra", cwd=project, env={"APP_ENV": "dev"})
    assert out.stdout == "meta:\n  env: prod\nname: prod\n\n"
    out = graftpy("merge", "base.yml", cwd=project)  # files on the command line replace
    assert out.stdout == "name: prod\n\n"


def test_config_flag_from_another_folder_and_output_setting(project: Path, tmp_path: Path) -> None:
    write(project / "graftpy.yml", "files: [base.yml]\nprune: [meta]\noutput: out/m.yml\n")
    (project / "out").mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = graftpy(
        "merge", "--config", str(project / "graftpy.yml"), cwd=elsewhere, env={"APP_ENV": "x"}
    )
    assert out.returncode == 0 and out.stdout == "", out.stderr
    assert (project / "out" / "m.yml").read_text() == "name: x\n\n"


def test_dev_null_config_ignores_graftpy_yml(project: Path) -> None:
    out = graftpy("merge", "--config", os.devnull, "base.yml", cwd=project, env={"APP_ENV": "e"})
    assert out.stdout == "meta:\n  env: e\nname: e\n\n"


def test_bad_graftpy_yml_is_a_usage_error_naming_the_file(project: Path) -> None:
    write(project / "graftpy.yml", "prunee: [meta]\n")
    out = graftpy("merge", cwd=project)
    assert out.returncode == 1
    assert out.stderr == "./graftpy.yml: unknown setting 'prunee' (did you mean 'prune'?)\n"


def test_fan_reads_graftpy_yml_too(tmp_path: Path) -> None:
    write(tmp_path / "src.yml", "meta: {d: example.com}\n")
    write(tmp_path / "t.yml", 'url: (( grab meta.d ))\n---\nurl: (( concat meta.d "/x" ))\n')
    write(tmp_path / "graftpy.yml", "files: [src.yml, t.yml]\nprune: [meta]\n")
    out = graftpy("fan", cwd=tmp_path)
    assert out.stdout == "---\nurl: example.com\n\n---\nurl: example.com/x\n\n", out.stderr


# -- parallel and metrics flags reach the pipeline ---------------------------------------------


def test_strategy_implies_parallel_and_output_is_unchanged(tmp_path: Path) -> None:
    lines = "".join(f'k{i}: (( concat "v" {i} ))\n' for i in range(30))
    doc = write(tmp_path / "a.yml", lines)
    plain = graftpy("merge", str(doc))
    par = graftpy("-D", "merge", "--strategy", "aggressive", "--workers", "3", str(doc))
    assert par.returncode == 0 and par.stdout == plain.stdout
    assert "in parallel" in par.stderr
    off = graftpy("-D", "merge", "--no-parallel", str(doc), env={"GRAFT_PARALLEL": "1"})
    assert off.stdout == plain.stdout and "in parallel" not in off.stderr


def test_metrics_file_flag_writes_prometheus_text(tmp_path: Path) -> None:
    doc = write(tmp_path / "a.yml", "a: 1\nb: (( grab a ))\n")
    prom = tmp_path / "m.prom"
    out = graftpy("merge", "--metrics-file", str(prom), str(doc))
    assert out.returncode == 0 and out.stdout == "a: 1\nb: 1\n\n", out.stderr
    assert "graftpy_operations_total" in prom.read_text()


def test_bad_flag_values_are_usage_errors() -> None:
    for args in (
        ["merge", "--strategy", "fast"],
        ["merge", "--workers", "-2"],
        ["merge", "--metrics-port", "70000"],
        ["merge", "--metrics-label", "nolabel", "-"],
    ):
        out = graftpy(*args, stdin="a: 1\n")
        assert out.returncode == 1, args
        assert out.stdout == "" and "Traceback" not in out.stderr


# -- usage, output, colour, debug --------------------------------------------------------------


def test_unknown_command_prints_a_usage_naming_every_command() -> None:
    out = graftpy("fdsafdada")
    assert out.returncode == 1 and out.stdout == ""
    assert "Usage: graftpy" in out.stderr
    for verb in ("merge", "fan", "diff", "json", "vaultinfo"):
        assert verb in out.stderr


def test_bad_option_of_a_command_prints_a_short_usage() -> None:
    out = graftpy("merge", "--frobnicate")
    assert out.returncode == 1
    assert "No such option" in out.stderr and "--frobnicate" in out.stderr
    assert "Try 'graftpy merge --help'" in out.stderr
    assert "Metrics:" not in out.stderr  # not the whole flag list


def test_dash_output_is_stdout(tmp_path: Path) -> None:
    doc = write(tmp_path / "a.yml", "a: 1\n")
    out = graftpy("merge", "-o", "-", str(doc))
    assert out.stdout == "a: 1\n\n"
    assert not (tmp_path / "-").exists()


def test_fan_output_file(tmp_path: Path) -> None:
    src = write(tmp_path / "s.yml", "x: 1\n")
    tgt = write(tmp_path / "t.yml", "z: (( grab x ))\n")
    target = tmp_path / "out.yml"
    out = graftpy("fan", "-o", str(target), str(src), str(tgt))
    assert out.returncode == 0 and out.stdout == ""
    assert target.read_text() == "---\nx: 1\nz: 1\n\n"


def test_color_on_colours_the_error_count_as_graft_does(tmp_path: Path) -> None:
    doc = write(tmp_path / "a.yml", "a: (( grab nope ))\n")
    on = graftpy("--color", "on", "merge", str(doc))
    assert on.returncode == 2
    assert on.stderr.startswith("\x1b[00;31m1\x1b[00m error(s) detected:\n - $.a: ")
    off = graftpy("--color", "off", "merge", str(doc))
    assert off.stderr.startswith("1 error(s) detected:\n") and "\x1b[" not in off.stderr
    auto = graftpy("merge", str(doc))  # stderr is a pipe here: no colour
    assert "\x1b[" not in auto.stderr


def test_invalid_color_value_is_graft_message() -> None:
    out = graftpy("--color", "sometimes", "merge", "-", stdin="a: 1\n")
    assert out.returncode == 1
    assert out.stderr == "Invalid --color option: sometimes. Must be 'on', 'off', or 'auto'.\n"


def test_debug_is_accepted_after_the_command_too(project: Path) -> None:
    out = graftpy("merge", "-D", cwd=project)
    assert out.returncode == 0
    assert "reading settings from ./graftpy.yml" in out.stderr


# -- shell completion ------------------------------------------------------------------------


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts(shell: str) -> None:
    out = graftpy("completion", shell)
    assert out.returncode == 0
    assert "_GRAFTPY_COMPLETE" in out.stdout


def test_completion_protocol_completes_flags_and_choices() -> None:
    env = {"_GRAFTPY_COMPLETE": "bash_complete", "COMP_WORDS": "graftpy merge --stra"}
    out = graftpy(env={**env, "COMP_CWORD": "2"})
    assert out.stdout.split() == ["plain,--strategy"]
    env["COMP_WORDS"] = "graftpy merge --strategy a"
    out = graftpy(env={**env, "COMP_CWORD": "3"})
    assert sorted(out.stdout.split()) == ["plain,adaptive", "plain,aggressive"]


# -- start-up stays light --------------------------------------------------------------------


def test_cli_import_pulls_in_no_heavy_modules() -> None:
    code = (
        "import sys, graftpy.cli\n"
        "heavy = [m for m in ('graftpy.pipeline', 'graftpy.config', 'graftpy.progress',"
        " 'ruamel.yaml', 'networkx', 'hvac', 'boto3', 'prometheus_client') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _modules_of_a_merge(doc: Path, *flags: str) -> tuple[str, list[str]]:
    """The output of ``graftpy merge FLAGS DOC`` and which of the interesting modules it imported."""
    code = (
        "import sys\n"
        "from graftpy.cli import main\n"
        f"sys.argv = ['graftpy', 'merge', *{list(flags)!r}, {str(doc)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "loaded = [m for m in ('click', 'graftpy.commands.merge', 'graftpy.commands.tools',"
        " 'graftpy.commands.completion', 'dataclasses', 'networkx') if m in sys.modules]\n"
        "print(loaded, file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout, ast.literal_eval(out.stderr.strip().splitlines()[-1])


def test_a_plain_merge_imports_no_click_and_no_command_module(tmp_path: Path) -> None:
    doc = write(tmp_path / "small.yml", "a: 1\nb: two\nmeta: {x: 1}\n")
    assert _modules_of_a_merge(doc) == ("a: 1\nb: two\nmeta:\n  x: 1\n\n", [])
    out, loaded = _modules_of_a_merge(doc, "--prune", "meta", "--no-parallel", "-o", "-")
    assert (out, loaded) == ("a: 1\nb: two\n\n", [])


def test_any_other_merge_imports_only_its_own_command_and_no_dataclasses(tmp_path: Path) -> None:
    doc = write(tmp_path / "small.yml", "a: 1\nb: two\n")
    out, loaded = _modules_of_a_merge(doc, "--strategy", "adaptive")
    assert (out, loaded) == ("a: 1\nb: two\n\n", ["click", "graftpy.commands.merge"])


def test_every_command_is_listed_and_loads() -> None:
    from graftpy.commands import COMMANDS

    ctx = click.Context(cli)
    assert cli.list_commands(ctx) == sorted(COMMANDS)
    for name in COMMANDS:
        command = cli.get_command(ctx, name)
        assert isinstance(command, click.Command) and command.name == name
    assert cli.get_command(ctx, "nosuch") is None
    out = graftpy("nosuch")
    assert out.returncode == 1 and "No such command 'nosuch'" in out.stderr


def test_the_console_script_tunes_the_collector_then_runs_the_cli(monkeypatch) -> None:
    import gc
    from importlib.metadata import entry_points

    from graftpy import console

    (script,) = entry_points(group="console_scripts", name="graftpy")
    assert script.value == "graftpy.console:run"
    from graftpy import collector

    seen = []
    monkeypatch.setattr(
        "graftpy.cli.run",
        lambda: seen.append((gc.get_threshold()[0], collector._process_is_ours)),
    )
    monkeypatch.setattr(collector, "_process_is_ours", False)  # put back after the test
    before = gc.get_threshold()
    try:
        console.run()
    finally:
        gc.set_threshold(*before)
    assert seen == [(50_000, True)]  # large imports are frozen: the process is graftpy's
