"""What an operator sees while it runs: the document, its own place, settings.

``EvalContext`` is also the ``Scope`` the expression evaluator resolves
references, environment variables and nested calls through.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graftpy.errors import GraftError
from graftpy.expr.evaluate import evaluate
from graftpy.taint import SecretRegistry, new_registry
from graftpy.tree import Path, resolve

if TYPE_CHECKING:
    from graftpy.evaluator.document import Document
    from graftpy.expr.nodes import Call


class Settings:
    """Run-wide settings. ``env`` is a snapshot of the environment taken at start.

    Plain classes here and in ``RunState``: a dataclass costs every run's start-up
    the making of its methods."""

    __slots__ = ("env", "skip_eval", "fallback_append", "targets_file")

    def __init__(
        self,
        env: dict[str, str] | None = None,
        skip_eval: bool = False,
        fallback_append: bool = False,
        targets_file: str | None = None,  # named Vault/AWS targets (--targets / GRAFT_TARGETS)
    ) -> None:
        self.env: dict[str, str] = {} if env is None else env
        self.skip_eval = skip_eval
        self.fallback_append = fallback_append
        self.targets_file = targets_file

    def __eq__(self, other: object) -> bool:
        if type(other) is not Settings:
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in Settings.__slots__)

    __hash__ = None  # type: ignore[assignment]  (mutable, so unhashable, as a dataclass)

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in Settings.__slots__)
        return f"Settings({fields})"

    def flag(self, name: str) -> bool:
        """graft's truthiness for env flags: set, not empty, not 'false', not '0'."""
        val = self.env.get(name, "")
        return val != "" and val.lower() != "false" and val != "0"


class RunState:
    """Things operators accumulate over a run (guarded by ``lock`` when parallel)."""

    def __init__(
        self,
        prune_paths: list[Path] | None = None,
        vault_refs: dict[str, list[str]] | None = None,
        vault_candidates: dict[str, list[str]] | None = None,
        extra: dict[str, Any] | None = None,
        secrets: SecretRegistry | None = None,
    ) -> None:
        self.prune_paths: list[Path] = [] if prune_paths is None else prune_paths
        self.vault_refs: dict[str, list[str]] = {} if vault_refs is None else vault_refs
        # path:key -> the callers naming it as one of several alternative paths (vaultinfo)
        self.vault_candidates: dict[str, list[str]] = (
            {} if vault_candidates is None else vault_candidates
        )
        self.extra: dict[str, Any] = {} if extra is None else extra  # per-operator scratch
        # secret values met so far, and those derived from them (graftpy.taint)
        self.secrets: SecretRegistry = new_registry() if secrets is None else secrets

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"RunState({vars(self)!r})"


class DependencyContext:
    """Read-only view used while the dependency graph is built."""

    def __init__(self, document: Document, here: Path, settings: Settings) -> None:
        self.document = document
        self.here = here
        self.settings = settings

    @property
    def tree(self) -> Any:
        return self.document.root

    def env(self, name: str) -> str | None:
        return self.settings.env.get(name)


class EvalContext(DependencyContext):
    """The context ``Operator.run`` receives; also the expression ``Scope``.

    ``tainted`` turns true when the operator read a secret (or a value derived
    from one) through ``lookup`` or a nested secret call: the evaluator then
    registers its result as derived and redacts its error (``graftpy.taint``).
    Until a secret exists in the run, the check is one attribute test.
    """

    def __init__(self, document: Document, here: Path, settings: Settings, state: RunState) -> None:
        # DependencyContext's fields, set here: one frame less for each call run
        self.document = document
        self.here = here
        self.settings = settings
        self.state = state
        self.tainted = False

    def lookup(self, path: Path) -> Any:
        value = resolve(self.document.root, path, self.document.entries.find)
        secrets = self.state.secrets
        if secrets.active and not self.tainted and secrets.touches(value):
            self.tainted = True
        return value

    def call(self, call: Call) -> Any:
        """A call nested in another; its failure reads as graft's
        ``nested operator NAME failed: $.here: ...``."""
        from graftpy.expr.evaluate import nested_failure
        from graftpy.operators import registry

        if registry.get(call.name) is None:
            raise GraftError(f"(( {call.name} )) operator not defined")
        if call.name == "null":  # graft's lookup takes its null operator for "none"
            raise GraftError("unknown operator: null")
        try:
            return self.run_call(call)
        except GraftError as exc:
            raise nested_failure(exc, call.name, self) from None

    def run_call(self, call: Call) -> Any:
        """Run ``call`` as an operation of its own (its errors as they are)."""
        from graftpy.operators import registry

        op = registry.get(call.name)
        if op is None:
            raise GraftError(f"(( {call.name} )) operator not defined")
        try:
            value = op.run(call, self).value
        except GraftError:
            raise
        except Exception as exc:  # a nested plugin call that broke: blame the plugin
            failed = registry.plugin_failure(call.name, exc)
            if failed is None:
                raise
            raise GraftError(failed) from None
        secrets = self.state.secrets
        if op.yields_secrets:
            secrets.add_source(value)
            self.tainted = True
        elif self.tainted:  # (( ips (base64 secret) 1 )): the inner result is secret too
            secrets.add_derived(value)
        return value

    def evaluate(self, node: Any) -> Any:
        return evaluate(node, self)
