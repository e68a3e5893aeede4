"""Property: explanations (``graftpy explain``, ``--explain-to``) are the same, byte for
byte, sequentially and with every strategy and worker count, errors included."""

from __future__ import annotations

import json
import sys

from e2e import executor_in_pipeline
from harness import parallel
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_e2e_equivalence import documents

from graftpy import yamlio
from graftpy.errors import GraftError, MultiError
from graftpy.pipeline import MergeOptions, Source
from graftpy.provenance.run import explained_sources
from graftpy.provenance.text import render_text
from graftpy.yamlio.documents import load_parts

_interval = sys.getswitchinterval()


def setup_module() -> None:
    sys.setswitchinterval(1e-6)


def teardown_module() -> None:
    sys.setswitchinterval(_interval)


def explain_all(docs: list[dict], executor=None) -> tuple[str, str]:
    """(--explain-to JSON + the text of every leaf, or the located error text)."""
    sources = []
    for i, doc in enumerate(docs):
        text = yamlio.dump_yaml(doc) + "\n"
        ((name, root, part),) = load_parts(text, f"doc{i}.yml")
        sources.append(Source(name, root, False, part))
    options = MergeOptions(env={})
    try:
        with executor_in_pipeline(executor):
            run = explained_sources(sources, options)
    except GraftError as exc:
        if isinstance(exc, MultiError):
            exc.locate(show=True)
        return "", exc.render()
    ex = run.explainer
    whole = json.dumps(ex.document(), sort_keys=False)
    text = render_text([ex.node(leaf, 3) for leaf in ex.leaves(())])
    return whole, text


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    docs=documents(),
    strategy=st.sampled_from(["conservative", "aggressive", "adaptive"]),
    workers=st.sampled_from([2, 4, 16]),
)
def test_explanations_are_identical_in_parallel(docs, strategy, workers) -> None:
    expected = explain_all(docs)
    assert explain_all(docs, parallel(strategy, workers)) == expected


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(docs=documents(), prune=st.sampled_from([(), ("s0",), ("jobs",)]))
def test_the_whole_document_agrees_with_each_path_on_its_own(docs, prune) -> None:
    """``--explain-to``'s one walk gives what explaining each path alone gives."""
    sources = []
    for i, doc in enumerate(docs):
        ((name, root, part),) = load_parts(yamlio.dump_yaml(doc) + "\n", f"doc{i}.yml")
        sources.append(Source(name, root, False, part))
    try:
        run = explained_sources(sources, MergeOptions(env={}, prune=prune))
    except GraftError:
        return
    if run.error is not None:
        return
    ex = run.explainer
    whole = ex.document()["paths"]
    for leaf in ex.leaves(()):
        alone = ex.node(leaf, 0, nested=False)
        assert whole[alone.pop("path")] == alone
