"""Packages some features need, imported when the feature is first used.

hvac (Vault), nats-py (NATS), prometheus-client (metrics) and pydot (``graftpy plan
--format dot``) are dependencies of graftpy;
boto3 (AWS) comes with the ``aws`` extra. When one is missing (an install
without the extra, or a broken one), the feature says which package and how to
install it, instead of failing with a ``ModuleNotFoundError``.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from graftpy.collector import importing_for_the_run
from graftpy.errors import GraftError

# module -> (the package, as named by pip and in the message; the requirement to install)
INSTALL: dict[str, tuple[str, str]] = {
    "boto3": ("boto3 (graftpy's aws extra)", "boto3>=1.34"),
    "botocore": ("boto3 (graftpy's aws extra)", "boto3>=1.34"),
    "hvac": ("hvac", "hvac>=2.0"),
    "prometheus_client": ("prometheus-client", "prometheus-client>=0.19"),
    "nats": ("nats-py", "nats-py>=2.7"),
    "pydot": ("pydot", "pydot>=3"),  # graftpy plan --format dot (networkx's DOT writer)
}


def install_command(requirement: str) -> str:
    """The pip command of the Python graftpy runs on: right in a venv, pipx or not."""
    import shlex
    import sys

    return f"{shlex.quote(sys.executable)} -m pip install {shlex.quote(requirement)}"


class MissingPackage(GraftError):
    """A feature's package is not installed: the message says how to install it."""

    def __init__(self, feature: str, module: str, broken_by: str | None = None) -> None:
        package, requirement = INSTALL.get(module, (module, module))
        command = install_command(requirement)
        if broken_by:  # installed, but something it imports is not
            what = f"which cannot be imported: it needs {broken_by}, which is not installed"
        else:
            what = "which is not installed"
        super().__init__(
            f"{feature} needs the Python package {package}, {what}; install it with: {command}"
        )
        self.package = package
        self.command = command


def require(module: str, feature: str) -> ModuleType:
    """``module``, imported; a ``MissingPackage`` naming ``feature`` when it is not there."""
    try:
        with importing_for_the_run(module):  # these packages are large, and stay for the run
            return importlib.import_module(module)
    except ImportError as exc:
        missing = getattr(exc, "name", None) or module
        top = missing.partition(".")[0]
        broken_by = None if top == module.partition(".")[0] else top
        raise MissingPackage(feature, module, broken_by) from None
