"""Which secrets a merged document will read, found without evaluating it.

``find_reads(tree)`` walks every operator call of the document (nested calls
too) and, for ``vault``, ``vault-try``, ``awsparam`` and ``awssecret``, works out
the reads from the call's arguments when they are all literals: the operators'
own rules (``graftpy.backends.vault_calls``, ``aws_calls``) are run against a
scope that knows literals only and a lookup that answers "not found"; what they
record (every alternative a call may try, as for ``vaultinfo``) is listed. A call with an
argument that needs evaluation (a reference, a nested call) is *computed*: its
reads are known only while the document is evaluated.

No secret store is contacted and no value is read.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from graftpy.backends.errors import SecretNotFound
from graftpy.backends.readahead import Computed, LiteralScope, SecretRead
from graftpy.errors import GraftError
from graftpy.expr.nodes import Call, Literal

VAULT_OPS = ("vault", "vault-try")
AWS_OPS = ("awsparam", "awssecret")


class Found(NamedTuple):
    """What ``find_reads`` found in one document."""

    reads: dict[SecretRead, set[str]]  # read -> the references using it ("path:key")
    computed: list[tuple[str, str]]  # ($.path, expression) of calls needing evaluation
    operations: int  # operator calls in the document (before inject adds any)
    waits: int = 0  # other calls that wait on I/O (load, file): not prefetched


def find_reads(tree: Any) -> Found:
    """The secret reads of a merged document (one walk; each expression is parsed
    once per process, and the evaluation reuses the parse)."""
    from graftpy.evaluator.scan import parse_cached
    from graftpy.gofmt import sprint
    from graftpy.tree import name_of

    reads: dict[SecretRead, set[str]] = {}
    computed: list[tuple[str, str]] = []
    counts = [0, 0]  # operator calls, calls waiting on other I/O
    where: list[str] = []

    def visit(value: Any) -> None:
        if isinstance(value, str):
            if "((" in value:
                try:
                    call = parse_cached(value)
                except GraftError:
                    return  # the evaluation reports it
                if call is not None:
                    counts[0] += 1
                    check(call, value)
        elif isinstance(value, dict):
            for key, item in value.items():
                where.append(key if isinstance(key, str) else sprint(key))
                visit(item)
                where.pop()
        elif isinstance(value, list):
            for i, item in enumerate(value):
                where.append(name_of(item) or str(i))
                visit(item)
                where.pop()

    def check(top: Call, src: str) -> None:
        found = _summaries.get(src)
        if found is None:
            found = _summaries[src] = _summary(top)
        for read, shown in found.reads:
            reads.setdefault(read, set()).add(shown)
        if found.computed:
            computed.append(("$." + ".".join(where), src))
        counts[1] += found.waits

    visit(tree)
    return Found(reads, computed, counts[0], counts[1])


class _Summary(NamedTuple):
    """The secret reads of one expression (the same text reads the same anywhere)."""

    reads: tuple[tuple[SecretRead, str], ...]
    computed: bool
    waits: int


_summaries: dict[str, _Summary] = {}  # expression text -> its summary (fleets repeat them)


def _summary(top: Call) -> _Summary:
    reads: list[tuple[SecretRead, str]] = []
    computed = False
    waits = 0
    for call in _calls(top):
        if call.name in VAULT_OPS or call.name in AWS_OPS:
            computed |= not _reads_of(call, reads)
        elif _waits(call.name):
            waits += 1
    return _Summary(tuple(reads), computed, waits)


def _calls(node: Any) -> Iterator[Call]:
    """``node`` and every call nested in it (nodes are slotted dataclasses)."""
    if isinstance(node, Call):
        yield node
        for arg in node.args:
            if not isinstance(arg, Literal):
                yield from _calls(arg)
    elif not isinstance(node, Literal):
        for name in getattr(type(node), "__slots__", ()):
            child = getattr(node, name, None)
            if not isinstance(child, (str, int, float)) and hasattr(type(child), "__slots__"):
                yield from _calls(child)


def _waits(name: str) -> bool:
    """Whether the operator waits on I/O (``load``, ``file``): not read ahead."""
    from graftpy.operators import registry

    op = registry.get(name)
    return op is not None and bool(getattr(op, "io_bound", False))


def _reads_of(call: Call, into: list[tuple[SecretRead, str]]) -> bool:
    """Add the reads of one secret call to ``into``; False if they need evaluation."""
    from graftpy.backends import argnodes
    from graftpy.backends.secret_args import Arg, split_default

    target = argnodes.call_target(call)
    scope = LiteralScope()
    recorded: list[tuple[SecretRead, str]] = []

    def vault_paths(path_keys: Sequence[str]) -> None:  # every path the call may try
        from graftpy.backends.vault import split_path_key

        for path_key in path_keys:
            path, key = split_path_key(path_key)
            if path and key:  # anything else fails before reading (the evaluation says so)
                recorded.append((SecretRead("vault", target, path), path_key))

    def miss(path_key: str) -> str:
        raise SecretNotFound(path_key)  # "not found": the rules go on to the next path

    def aws(name: str, stage: str, version: str) -> str:
        read = SecretRead(call.name, target, (name, stage, version))
        recorded.append((read, read.label))
        raise SecretNotFound(name)

    args = [Arg(node, scope) for node in call.args]
    literal = True
    try:
        if call.name == "vault":
            from graftpy.backends.vault_calls import vault_value

            plain, default = split_default(args)
            vault_value(plain, default, miss, record=vault_paths)
        elif call.name == "vault-try":
            from graftpy.backends.vault_calls import vault_try_value

            vault_try_value(args, miss, record=vault_paths)
        else:
            from graftpy.backends.aws_calls import aws_value

            aws_value(call.name, args, aws)
    except Computed:
        # an argument needs evaluation: fine if it is only the default, tried last
        if call.name == "vault":  # every path is built before the first lookup
            literal = bool(recorded)
        elif call.name == "vault-try":  # paths are built one by one, the default last
            literal = all(isinstance(node, Literal) for node in call.args[:-1])
        else:
            literal = False
    except GraftError:
        pass  # a call that fails whatever the store holds: no read beyond those recorded
    into.extend(recorded)
    return literal
