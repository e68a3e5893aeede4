"""What a new user meets before running anything: the distribution, its dependencies,
the README's set-up, and a checkout that works wherever it is cloned."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def requirement_names(requirements: list[str]) -> set[str]:
    return {re.split(r"[\s<>=!~\[;@]", r, maxsplit=1)[0].lower() for r in requirements}


def test_the_distribution_name_is_ours_and_the_command_is_graftpy() -> None:
    # "graftpy" on PyPI is an unrelated project: `pip install graftpy` installs that
    assert PROJECT["name"] == "graftpy-yaml"
    assert PROJECT["scripts"] == {"graftpy": "graftpy.console:run"}


def test_vault_and_metrics_are_plain_dependencies_and_aws_an_extra() -> None:
    plain = requirement_names(PROJECT["dependencies"])
    assert {"hvac", "prometheus-client"} <= plain
    assert "boto3" not in plain
    extras = PROJECT["optional-dependencies"]
    assert requirement_names(extras["aws"]) == {"boto3"}
    assert "graftpy-yaml" in requirement_names(extras["test"])  # the test set-up has aws


def test_no_file_depends_on_where_this_machine_keeps_the_checkout() -> None:
    # the shared corpus is ../shared beside the repository, wherever it is cloned
    offenders = []
    for folder in ("tests", "benchmarks", "graftpy", ".ci", "examples"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in {".py", ".sh", ".json", ".yml", ""}:
                text = path.read_text(errors="replace")
                if re.search(r"['\"]/work/", text):
                    offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_the_readme_names_what_the_metrics_tests_need() -> None:
    readme = (ROOT / "README.md").read_text()
    installer = (ROOT / ".ci" / "system-packages").read_text()
    for package in ("prometheus", "prometheus-pushgateway"):
        assert f"`{package}`" in readme
        assert f"missing+=({package})" in installer
    assert "graftpy-yaml" in readme  # and the user install says which distribution
