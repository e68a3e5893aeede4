"""`graftpy vaultinfo`: which Vault paths a document uses, without contacting Vault."""

from __future__ import annotations

from collections.abc import Sequence

from graftpy.pipeline import MergeOptions, environment, evaluate_tree, load_sources, merge_sources


def vault_references(files: Sequence[str], *, go_patch: bool = False) -> str:
    """graft's vaultinfo YAML: ``secrets:`` with each key and its sorted references.

    Every path a call may read is listed: each alternative of ``vault-try``, of
    ``(( vault "a:k; b:k" ))`` and of ``(( vault "a:k" "b:k" "default" ))`` (graft
    lists only the first). A key that is only ever one of several alternatives
    carries ``candidate: true``: Vault is asked for it when the paths before it do
    not exist, so a policy must allow it too.
    """
    from graftpy import yamlio

    options = MergeOptions(go_patch=go_patch)
    # REDACT keeps every secret store untouched; the vault operator still records its paths
    options.env = {**environment(options), "REDACT": "1"}
    refs: dict[str, list[str]] = {}
    candidates: dict[str, list[str]] = {}
    options.extra["vault_refs"] = refs
    options.extra["vault_candidates"] = candidates
    merger = merge_sources(load_sources(files or ["-"], options), options)
    evaluate_tree(merger, options)
    secrets = []
    for key in sorted(refs):
        entry: dict[str, object] = {"key": key, "references": sorted(refs[key])}
        if len(candidates.get(key, ())) == len(refs[key]):  # never read for certain
            entry["candidate"] = True
        secrets.append(entry)
    return yamlio.dump_yaml({"secrets": secrets}, preserve_order=True)
