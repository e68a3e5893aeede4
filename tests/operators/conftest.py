"""Helpers for operator tests: run YAML through the real merge pipeline.

``merge(doc, ...)`` writes each document to a temp file, runs
``graftpy.pipeline.run_merge`` on them and returns the resulting data.
``merge_error(doc, ...)`` expects the run to fail and returns the error lines
(`` - $.path: message``) graft would print, without the count header.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from graftpy.errors import GraftError, MultiError, PathError
from graftpy.pipeline import MergeOptions, run_merge

MergeFn = Callable[..., Any]


def _files(tmp_path: Path, docs: tuple[str, ...]) -> list[str]:
    paths = []
    for i, text in enumerate(docs):
        p = tmp_path / f"doc{i}.yml"
        p.write_text(textwrap.dedent(text))
        paths.append(str(p))
    return paths


@pytest.fixture
def merge(tmp_path: Path) -> MergeFn:
    def run(*docs: str, env: Mapping[str, str] | None = None, **options: Any) -> Any:
        return run_merge(_files(tmp_path, docs), MergeOptions(env=dict(env or {}), **options))

    return run


@pytest.fixture
def merge_error(tmp_path: Path) -> MergeFn:
    def run(*docs: str, env: Mapping[str, str] | None = None, **options: Any) -> list[str]:
        with pytest.raises(GraftError) as info:
            run_merge(_files(tmp_path, docs), MergeOptions(env=dict(env or {}), **options))
        err = info.value
        errors = err.errors if isinstance(err, MultiError) else [err]
        return sorted(e.line_text if isinstance(e, PathError) else e.message for e in errors)

    return run
