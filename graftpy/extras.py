"""Packages some features need, imported when the feature is first used.

hvac (Vault), nats-py (NATS) and prometheus-client (metrics) are dependencies of graftpy;
boto3 (AWS) comes with the ``aws`` extra. When one is missing (an install
without the extra, or a broken one), the feature says which package and how to
install it, instead of failing with a ``ModuleNotFoundError``.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from graftpy.errors import GraftError

DISTRIBUTION = "graftpy-yaml"

# module -> (the package to install, the pip command that installs it)
INSTALL: dict[str, tuple[str, str]] = {
    "boto3": ("boto3", f"pip install '{DISTRIBUTION}[aws]'"),
    "botocore": ("boto3", f"pip install '{DISTRIBUTION}[aws]'"),
    "hvac": ("hvac", "pip install 'hvac>=2.0'"),
    "prometheus_client": ("prometheus-client", "pip install 'prometheus-client>=0.19'"),
    "nats": ("nats-py", "pip install 'nats-py>=2.7'"),
}


class MissingPackage(GraftError):
    """A feature's package is not installed: the message says how to install it."""

    def __init__(self, feature: str, module: str, broken_by: str | None = None) -> None:
        package, command = INSTALL.get(module, (module, f"pip install {module}"))
        if broken_by:  # installed, but something it imports is not
            what = f"which cannot be imported: it needs {broken_by}, which is not installed"
        else:
            what = "which is not installed"
        super().__init__(
            f"{feature} needs the Python package {package}, {what} (install it with: {command})"
        )
        self.package = package
        self.command = command


def require(module: str, feature: str) -> ModuleType:
    """``module``, imported; a ``MissingPackage`` naming ``feature`` when it is not there."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        missing = getattr(exc, "name", None) or module
        top = missing.partition(".")[0]
        broken_by = None if top == module.partition(".")[0] else top
        raise MissingPackage(feature, module, broken_by) from None
