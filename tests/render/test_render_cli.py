"""``graftpy render`` end to end: outputs identical to merge, isolation, flags, reports."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
GEN = Path(__file__).resolve().parents[3] / "shared" / "bench" / "gen_manifest.py"


def graftpy(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GRAFT", "VAULT", "AWS")) and k not in ("REDACT", "DEBUG", "TRACE")
    }
    return subprocess.run(
        [sys.executable, "-m", "graftpy", *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        env={**clean, "HOME": str(cwd), **(env or {})},
    )


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


# targets made of the examples' inputs: (name, settings, the equivalent merge flags)
EXAMPLE_TARGETS = [
    ("arrays", "files: [arrays/base.yml, arrays/overlay.yml, arrays/cleanup.yml]", ["--prune", "meta"]),
    ("files", "files: [files/base.yml]\n    file_base_path: files/config", ["--file-base-path", "files/config"]),
    ("go-patch", "files: [go-patch/base.yml, go-patch/ops.yml, go-patch/overlay.yml]\n    go_patch: true", ["--go-patch", "--prune", "meta"]),
    ("math", "files: [math/base.yml]", ["--prune", "meta"]),
    ("merging", "files: [merging/base.yml, merging/overlay.yml]", ["--prune", "meta"]),
    ("networking", "files: [networking/base.yml]\n    prune: []", []),
    ("parallel", "files: [parallel/manifest.yml]\n    strategy: aggressive\n    workers: 4\n    min_ops: 0", ["--strategy", "aggressive", "--workers", "4", "--min-ops", "0", "--prune", "meta"]),
    ("params", "files: [params-and-inject/base.yml, params-and-inject/prod.yml]", ["--prune", "meta"]),
    ("references", "files: [references/base.yml]\n    env: {APP_ENV: staging}", ["--prune", "meta"]),
    ("strings", "files: [strings/base.yml]\n    preserve_order: true", ["--prune", "meta", "--preserve-order"]),
]  # fmt: skip


@pytest.fixture
def fleet(tmp_path: Path) -> Path:
    """The examples' inputs as the targets of one graftpy.yml."""
    for name in {files.split("/")[0].split("[")[-1] for _, files, _ in EXAMPLE_TARGETS}:
        shutil.copytree(EXAMPLES / name, tmp_path / name)
    lines = ["prune: [meta]", "output: 'out/{target}.yml'", "targets:"]
    for name, settings, _ in EXAMPLE_TARGETS:
        lines += [f"  {name}:", f"    {settings}"]
    write(tmp_path / "graftpy.yml", "\n".join(lines) + "\n")
    return tmp_path


def merge_output(cwd: Path, files: list[str], flags: list[str], env: dict | None = None) -> str:
    done = graftpy("merge", "--config", os.devnull, *flags, *files, cwd=cwd, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_every_output_is_byte_identical_to_merge(fleet: Path) -> None:
    done = graftpy("render", cwd=fleet)
    assert done.returncode == 0, done.stderr
    for name, settings, flags in EXAMPLE_TARGETS:
        files = settings.split("]")[0].removeprefix("files: [").split(", ")
        env = {"APP_ENV": "staging"} if name == "references" else None
        want = merge_output(fleet, files, flags, env)
        assert (fleet / "out" / f"{name}.yml").read_text() == want, name
    assert done.stdout == ""
    table = done.stderr.splitlines()
    assert table[0].split() == ["target", "status", "time", "ops", "secrets", "output"]
    assert len(table) == len(EXAMPLE_TARGETS) + 2
    assert table[-1].startswith(
        f"render: {len(EXAMPLE_TARGETS)} targets: {len(EXAMPLE_TARGETS)} ok in "
    )


@pytest.mark.skipif(not GEN.is_file(), reason="the bench's gen_manifest.py is not beside the repo")
@pytest.mark.parametrize("processes", ["1", "2"])
def test_generated_manifests_match_merge_in_threads_and_worker_processes(
    tmp_path: Path, processes: str
) -> None:
    names = [f"m{seed}" for seed in range(1, 9)]
    for seed, name in enumerate(names, 1):
        subprocess.run(
            [sys.executable, str(GEN), "--ops", "150", "--shape", "mixed", "--seed", str(seed),
             "--out", str(tmp_path / name)],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    write(
        tmp_path / "graftpy.yml",
        "files: ['{target}/base.yml', '{target}/overlay.yml']\noutput: 'out/{target}.yml'\n"
        "targets:\n" + "".join(f"  {name}: {{}}\n" for name in names),
    )
    done = graftpy("render", "--processes", processes, "--jobs", "3", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    for name in names:
        want = merge_output(tmp_path, [f"{name}/base.yml", f"{name}/overlay.yml"], [])
        assert (tmp_path / "out" / f"{name}.yml").read_text() == want, name


BROKEN = """\
files: ['{target}.yml']
output: 'out/{target}.yml'
targets:
  a-ok: {}
  b-bad: {}
  c-missing: {}
  d-ok: {}
"""


def broken_fleet(tmp_path: Path) -> Path:
    write(tmp_path / "graftpy.yml", BROKEN)
    write(tmp_path / "a-ok.yml", "name: a\nsize: (( grab meta.size ))\nmeta: {size: 1}\n")
    write(tmp_path / "b-bad.yml", 'name: (( grab nowhere ))\nother: (( param "set me" ))\n')
    write(tmp_path / "d-ok.yml", "name: d\n")
    write(tmp_path / "out" / "b-bad.yml", "old: output\n")
    return tmp_path


def test_a_failing_target_reports_as_merge_does_and_leaves_its_old_output(tmp_path: Path) -> None:
    fleet = broken_fleet(tmp_path)
    done = graftpy("render", cwd=fleet)
    assert done.returncode == 2
    bad = graftpy("merge", "--config", os.devnull, "b-bad.yml", cwd=fleet)
    missing = graftpy("merge", "--config", os.devnull, "c-missing.yml", cwd=fleet)
    assert f"target b-bad failed:\n{bad.stderr}" in done.stderr
    assert f"target c-missing failed:\n{missing.stderr}" in done.stderr
    assert (fleet / "out" / "b-bad.yml").read_text() == "old: output\n"  # untouched
    assert not (fleet / "out" / "c-missing.yml").exists()
    assert (fleet / "out" / "a-ok.yml").read_text() == merge_output(fleet, ["a-ok.yml"], [])
    assert (fleet / "out" / "d-ok.yml").read_text() == "name: d\n\n"
    assert [p.name for p in (fleet / "out").iterdir() if p.name.startswith(".")] == []
    rows = {line.split()[0]: line.split()[1] for line in done.stderr.splitlines()[-6:-1]}
    assert rows == {
        "target": "status",
        "a-ok": "ok",
        "b-bad": "failed",
        "c-missing": "failed",
        "d-ok": "ok",
    }
    assert "render: 4 targets: 2 ok, 2 failed in" in done.stderr
    assert "out/b-bad.yml (unchanged)" in done.stderr


def test_fail_fast_stops_at_the_first_failure(tmp_path: Path) -> None:
    fleet = broken_fleet(tmp_path)
    (fleet / "c-missing.yml").write_text("name: c\n")  # only b-bad fails now
    done = graftpy("render", "--fail-fast", "--jobs", "1", cwd=fleet)
    assert done.returncode == 2
    assert (fleet / "out" / "a-ok.yml").exists()  # before the failure, in name order
    assert not (fleet / "out" / "c-missing.yml").exists()
    assert not (fleet / "out" / "d-ok.yml").exists()
    assert "render: 4 targets: 1 ok, 1 failed, 2 skipped in" in done.stderr


def test_fail_fast_after_a_planning_failure_renders_nothing(tmp_path: Path) -> None:
    fleet = broken_fleet(tmp_path)  # c-missing.yml does not exist: planning fails
    done = graftpy("render", "--fail-fast", cwd=fleet)
    assert done.returncode == 2
    assert not (fleet / "out" / "a-ok.yml").exists()
    assert "1 failed, 3 skipped" in done.stderr


def test_an_output_that_cannot_be_written_fails_that_target_only(tmp_path: Path) -> None:
    write(
        tmp_path / "graftpy.yml",
        "files: [a.yml]\ntargets:\n  x: {output: x/out.yml}\n  z: {output: z.yml}\n",
    )
    write(tmp_path / "a.yml", "a: 1\n")
    (tmp_path / "x").write_text("a file where a folder should be\n")
    done = graftpy("render", cwd=tmp_path)
    assert done.returncode == 2
    assert "target x failed:\ngraftpy: cannot write" in done.stderr
    assert (tmp_path / "z.yml").read_text() == "a: 1\n\n"


def test_only_shard_and_report(tmp_path: Path) -> None:
    fleet = broken_fleet(tmp_path)
    done = graftpy("render", "--only", "a-*,d-ok", "--report", "r/report.json", cwd=fleet)
    assert done.returncode == 0, done.stderr
    report = json.loads((fleet / "r" / "report.json").read_text())
    assert report["status"] == "ok" and report["version"] == 1
    assert [(t["name"], t["status"], t["output"]) for t in report["targets"]] == [
        ("a-ok", "ok", "out/a-ok.yml"),
        ("d-ok", "ok", "out/d-ok.yml"),
    ]
    assert report["targets"][0]["operations"] == 1
    rendered = []
    for k in (1, 2, 3):
        shard = graftpy("render", "--shard", f"{k}/3", "--report", f"s{k}.json", cwd=fleet)
        assert shard.returncode in (0, 2)
        rendered += [t["name"] for t in json.loads((fleet / f"s{k}.json").read_text())["targets"]]
    assert sorted(rendered) == ["a-ok", "b-bad", "c-missing", "d-ok"]
    failed = json.loads((fleet / "s2.json").read_text())
    assert failed["status"] == "failed"
    assert failed["targets"][0]["error"] == "1 error(s) detected:\n - $.other: set me"


def test_bad_flags_and_settings_exit_1_with_a_clear_message(tmp_path: Path) -> None:
    fleet = broken_fleet(tmp_path)
    for args, message in [
        (["--only", "nope"], "--only: no target 'nope'"),
        (["--shard", "4/3"], "--shard wants K/N"),
        (["--jobs", "0"], "Invalid value for '--jobs'"),
        (["--output", "x.yml"], "No such option '--output'"),
    ]:
        done = graftpy("render", *args, cwd=fleet)
        assert done.returncode == 1 and message in done.stderr, (args, done.stderr)
    write(fleet / "graftpy.yml", BROKEN.replace("  d-ok: {}", "  d-ok: {prunes: [x]}"))
    done = graftpy("render", cwd=fleet)
    assert done.returncode == 1
    assert done.stderr == (
        "./graftpy.yml: target 'd-ok': unknown setting 'prunes' (did you mean 'prune'?)\n"
    )


def test_plan_lists_targets_files_and_secrets_without_values(tmp_path: Path) -> None:
    write(
        tmp_path / "graftpy.yml",
        "files: [base.yml, '{target}.yml']\noutput: 'out/{target}.yml'\n"
        "targets:\n  prod: {}\n  staging: {}\n",
    )
    write(tmp_path / "base.yml", 'db: (( vault "secret/db:password" ))\nenv: (( grab meta.env ))\n')
    write(tmp_path / "prod.yml", 'meta: {env: prod}\ntls: (( vault meta.env "/tls:key" ))\n')
    write(tmp_path / "staging.yml", 'meta: {env: staging}\napi: (( vault "secret/api:key" ))\n')
    done = graftpy(
        "render",
        "--plan",
        "--report",
        "plan.json",
        cwd=tmp_path,
        env={"VAULT_ADDR": "http://127.0.0.1:9"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "targets:\n"
        "  prod:\n"
        "    files:\n    - base.yml\n    - prod.yml\n"
        "    output: out/prod.yml\n"
        "    operations: 3\n"
        "    secrets:\n    - 'vault: secret/db:password'\n"
        "    computed:\n    - '$.tls: (( vault meta.env \"/tls:key\" ))'\n"
        "  staging:\n"
        "    files:\n    - base.yml\n    - staging.yml\n"
        "    output: out/staging.yml\n"
        "    operations: 3\n"
        "    secrets:\n    - 'vault: secret/api:key'\n    - 'vault: secret/db:password'\n"
        "secrets:\n"
        "  vault:\n    secret/api:\n    - key\n    secret/db:\n    - password\n"
        "summary:\n  targets: 2\n  failed: 0\n  reads:\n    vault: 2\n  computed: 1\n"
    )
    assert not (tmp_path / "out").exists()
    assert json.loads((tmp_path / "plan.json").read_text())["summary"]["reads"] == {"vault": 2}


def test_redact_renders_without_any_store(tmp_path: Path) -> None:
    write(
        tmp_path / "graftpy.yml",
        "files: [a.yml]\noutput: 'out/{target}.yml'\ntargets:\n  one: {}\n",
    )
    write(tmp_path / "a.yml", 'db: (( vault "secret/db:password" ))\n')
    done = graftpy("render", "--redact", cwd=tmp_path, env={"VAULT_ADDR": "http://127.0.0.1:9"})
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "one.yml").read_text() == "db: REDACTED\n\n"
    assert "vault:" not in done.stderr  # no backend was even created


def test_metrics_are_labelled_by_target(tmp_path: Path) -> None:
    fleet = broken_fleet(tmp_path)
    done = graftpy("render", "--metrics-file", "m.prom", cwd=fleet)
    assert done.returncode == 2
    text = (fleet / "m.prom").read_text()
    assert 'graftpy_operations_total{operator="grab",outcome="ok",target="a-ok"} 1.0' in text
    assert 'graftpy_operations_total{operator="param",outcome="error",target="b-bad"} 1.0' in text
    assert text.count("# TYPE graftpy_operations_total counter") == 1
    assert "graftpy_build_info" in text


def test_config_names_the_file_and_its_folder_anchors_the_paths(tmp_path: Path) -> None:
    deploy = tmp_path / "deploy"
    write(
        deploy / "fleet.yml",
        "files: ['{target}.yml']\noutput: 'out/{target}.yml'\ntargets:\n  a: {}\n",
    )
    write(deploy / "a.yml", "a: 1\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = graftpy("render", "--config", "../deploy/fleet.yml", cwd=elsewhere)
    assert done.returncode == 0, done.stderr
    assert (deploy / "out" / "a.yml").read_text() == "a: 1\n\n"
    assert "../deploy/out/a.yml" in done.stderr


@pytest.mark.parametrize(
    "flags",
    [
        ["--set", "c.d=5", "--cherry-pick", "c"],
        ["--skip-eval", "--prune", "a"],
        ["--no-parallel", "--set-string", "a=text"],
        ["--strategy", "aggressive", "--workers", "2", "--min-ops", "0"],
    ],
)
def test_merge_flags_apply_to_every_target_as_merge_applies_them(
    tmp_path: Path, flags: list[str]
) -> None:
    write(tmp_path / "a.yml", 'a: 1\nb: (( grab a ))\nc: {d: 2, e: (( concat b "x" ))}\n')
    write(tmp_path / "b.yml", "c: {d: 3}\n")
    write(
        tmp_path / "graftpy.yml",
        "output: 'out/{target}.yml'\ntargets:\n  one: {files: [a.yml]}\n"
        "  two: {files: [a.yml, b.yml]}\n",
    )
    done = graftpy("render", *flags, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "one.yml").read_text() == merge_output(tmp_path, ["a.yml"], flags)
    both = merge_output(tmp_path, ["a.yml", "b.yml"], flags)
    assert (tmp_path / "out" / "two.yml").read_text() == both


def test_outputs_are_written_as_merge_o_writes_them(tmp_path: Path) -> None:
    """Atomically and only where merge -o would: a symlink is written through (the
    link stays), a folder in the way fails its target only, keeping what is there."""
    write(tmp_path / "a.yml", "a: 1\n")
    write(
        tmp_path / "graftpy.yml",
        "files: [a.yml]\noutput: 'out/{target}.yml'\ntargets:\n  link: {}\n  dir: {}\n  new: {}\n",
    )
    write(tmp_path / "kept.yml", "old: 1\n")
    (tmp_path / "out").mkdir(exist_ok=True)
    (tmp_path / "out" / "link.yml").symlink_to(tmp_path / "kept.yml")
    write(tmp_path / "out" / "dir.yml" / "inside", "untouched\n")
    done = graftpy("render", cwd=tmp_path)
    assert done.returncode == 2
    assert "target dir failed:\ngraftpy: cannot write out/dir.yml: Is a directory\n" in done.stderr
    assert (tmp_path / "out" / "link.yml").is_symlink()
    assert (
        (tmp_path / "kept.yml").read_text() == "a: 1\n\n" == merge_output(tmp_path, ["a.yml"], [])
    )
    assert (tmp_path / "out" / "dir.yml" / "inside").read_text() == "untouched\n"
    assert (tmp_path / "out" / "new.yml").read_text() == "a: 1\n\n"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "dir.yml",
        "link.yml",
        "new.yml",
    ]
