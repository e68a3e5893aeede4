"""`graftpy vaultinfo`: which Vault paths a document uses, without contacting Vault."""

from __future__ import annotations

from collections.abc import Sequence

from graftpy.pipeline import MergeOptions, environment, evaluate_tree, load_sources, merge_sources


def vault_references(files: Sequence[str], *, go_patch: bool = False) -> str:
    """graft's vaultinfo YAML: ``secrets:`` with each key and its sorted references."""
    from graftpy import yamlio

    options = MergeOptions(go_patch=go_patch)
    # REDACT keeps every secret store untouched; the vault operator still records its paths
    options.env = {**environment(options), "REDACT": "1"}
    refs: dict[str, list[str]] = {}
    options.extra["vault_refs"] = refs
    merger = merge_sources(load_sources(files or ["-"], options), options)
    evaluate_tree(merger, options)
    secrets = [{"key": key, "references": sorted(refs[key])} for key in sorted(refs)]
    return yamlio.dump_yaml({"secrets": secrets})
