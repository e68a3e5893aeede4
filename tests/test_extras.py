"""Without a feature's package, the feature says which and how to install it (exit 2, no
traceback); without prometheus-client, metrics are skipped and the run goes on.

Each run is a real ``graftpy`` process in which the package cannot be imported, as in
an install without it (``sys.modules[name] = None`` makes Python refuse the import).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from graftpy.extras import MissingPackage, require

RUN_WITHOUT = """
import sys
for name in sys.argv.pop(1).split(","):
    sys.modules[name] = None
from graftpy.cli import main
main()
"""


def run_without(modules: str, *args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GRAFT", "VAULT_", "AWS_", "REDACT"))
    }
    return subprocess.run(
        [sys.executable, "-c", RUN_WITHOUT, modules, *args],
        cwd=cwd,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_aws_operators_without_boto3_name_the_extra(tmp_path: Path) -> None:
    (tmp_path / "m.yml").write_text('a: (( awsparam "/x/y" ))\nb: (( awssecret "s?key=k" ))\n')
    done = run_without("boto3,botocore", "merge", "m.yml", cwd=tmp_path, AWS_REGION="eu-west-1")
    assert done.returncode == 2
    assert done.stdout == ""
    # the pip of the Python graftpy runs on: right whatever venv or pipx it lives in
    missing = (
        "needs the Python package boto3 (graftpy's aws extra), which is not installed; "
        f"install it with: {sys.executable} -m pip install 'boto3>=1.34'"
    )
    assert done.stderr == (
        f"2 error(s) detected:\n - $.a: (( awsparam )) {missing}\n"
        f" - $.b: (( awssecret )) {missing}\n\n\n"
    )


def test_vault_without_hvac_says_how_to_install_it(tmp_path: Path) -> None:
    (tmp_path / "m.yml").write_text('a: (( vault "secret/x:y" ))\n')
    done = run_without(
        "hvac", "merge", "m.yml", cwd=tmp_path, VAULT_ADDR="http://127.0.0.1:1", VAULT_TOKEN="t"
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert (
        " - $.a: (( vault )) needs the Python package hvac, which is not installed" in done.stderr
    )
    assert f"install it with: {sys.executable} -m pip install 'hvac>=2.0'\n" in done.stderr


def test_redacted_runs_need_no_secret_store_package(tmp_path: Path) -> None:
    (tmp_path / "m.yml").write_text('a: (( vault "secret/x:y" ))\nb: (( awsparam "/p" ))\n')
    done = run_without("hvac,boto3,botocore", "merge", "--redact", "m.yml", cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, "a: REDACTED\nb: REDACTED\n\n", "")


def test_metrics_without_prometheus_client_never_break_the_run(tmp_path: Path) -> None:
    (tmp_path / "m.yml").write_text("a: 1\nb: (( grab a ))\n")
    done = run_without(
        "prometheus_client", "merge", "--metrics-file", "m.prom", "m.yml", cwd=tmp_path
    )
    assert (done.returncode, done.stdout) == (0, "a: 1\nb: 1\n\n")
    assert done.stderr == (
        "graftpy: metrics not recorded: the Python package prometheus-client is not "
        f"installed; install it with: {sys.executable} -m pip install 'prometheus-client>=0.19'\n"
    )
    assert not (tmp_path / "m.prom").exists()


def test_a_package_broken_by_its_own_dependency_says_so(tmp_path: Path, monkeypatch) -> None:
    package = tmp_path / "halfinstalled"
    package.mkdir()
    (package / "__init__.py").write_text("import not_installed_anywhere_xyz\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(MissingPackage) as caught:
        require("halfinstalled", "(( thing ))")
    assert caught.value.message == (
        "(( thing )) needs the Python package halfinstalled, which cannot be imported: it "
        "needs not_installed_anywhere_xyz, which is not installed; install it with: "
        f"{sys.executable} -m pip install halfinstalled"
    )
    assert require("json", "(( thing ))").__name__ == "json"
