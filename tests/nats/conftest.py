"""NATS tests run against a real ``nats-server -js`` (see ``tests/servers``).

``nats_data`` fills one KV bucket and one object store with every kind of value
the ``nats`` operator decodes; ``merge_nats`` runs documents through the real
merge pipeline against a server URL.
"""

from __future__ import annotations

import sys
import textwrap
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

TESTS = str(Path(__file__).resolve().parent.parent)
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)

import values_catalog  # noqa: E402
from servers.fixtures import nats, tcp_fault_proxy  # noqa: E402,F401

from graftpy.errors import GraftError, MultiError, PathError  # noqa: E402
from graftpy.pipeline import MergeOptions, run_merge  # noqa: E402


@pytest.fixture(scope="session")
def nats_data(nats) -> values_catalog.Catalog:  # noqa: F811
    """Every value kind in bucket ``kv_<tag>`` and object store ``obj_<tag>``."""
    tag = uuid.uuid4().hex[:8]
    catalog = values_catalog.Catalog(kv=f"kv_{tag}", obj=f"obj_{tag}")
    nats.put_kv(catalog.kv, values_catalog.KV, delete=("deleted",))
    for name, content_type, data in values_catalog.OBJECTS:
        nats.put_object(catalog.obj, name, data, content_type=content_type)
    return catalog


def _write(tmp_path: Path, docs: tuple[str, ...]) -> list[str]:
    paths = []
    for i, text in enumerate(docs):
        p = tmp_path / f"doc{i}.yml"
        p.write_text(textwrap.dedent(text))
        paths.append(str(p))
    return paths


@pytest.fixture
def merge_nats(tmp_path: Path) -> Callable[..., Any]:
    """``merge_nats(url, doc, ..., env=..., **options)``: the merged data."""

    def run(url: str, *docs: str, env: dict | None = None, **options: Any) -> Any:
        environment = {"NATS_URL": url, "NATS_RETRIES": "0", **(env or {})}
        return run_merge(_write(tmp_path, docs), MergeOptions(env=environment, **options))

    return run


@pytest.fixture
def nats_errors(tmp_path: Path) -> Callable[..., list[str]]:
    """Like ``merge_nats`` for a run that fails: the error lines, sorted."""

    def run(url: str, *docs: str, env: dict | None = None, **options: Any) -> list[str]:
        environment = {"NATS_URL": url, "NATS_RETRIES": "0", **(env or {})}
        with pytest.raises(GraftError) as info:
            run_merge(_write(tmp_path, docs), MergeOptions(env=environment, **options))
        err = info.value
        errors = err.errors if isinstance(err, MultiError) else [err]
        return sorted(e.line_text if isinstance(e, PathError) else e.message for e in errors)

    return run
