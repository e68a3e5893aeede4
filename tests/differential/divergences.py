"""Which intended divergences (``../shared/conformance/DIVERGENCES.md``) an example falls under.

An example that differs from graft is not counted as a difference when it falls
under a row, and only then. The rows come from two places:

* the generator, which builds some in knowingly and says so (``Example.rows``:
  a plain date is row 18, ``REDACT`` with a well-formed secret call is row 8, a
  YAML syntax error is row 7, ...);
* ``classify`` below, which finds the rows that arise from how the pieces of a
  run meet, and that the generator cannot see in one piece: graft's choice of
  merge engine (rows 1 and 2: modelled exactly and compared with graftpy's own
  merge of the same documents), ``--skip-eval`` with array operators (row 4),
  a subtree operator reading a subtree with operators in it (row 12), and
  ``--cherry-pick`` with a reference through a name-indexed list (row 16).

Each check is of the example's input, never of the outputs alone, so that it
cannot excuse a difference of some other kind. The one row about a message's
form (row 7: graft drops the position of a YAML syntax error) is recognised by
``explains_by_form`` when an input file is not YAML (read by PyYAML, not by
graftpy) and the two messages are that row's two forms for the same file.
"""

from __future__ import annotations

import copy
import re
from dataclasses import replace
from typing import Any

from .example import Example

# graft's CLI uses its array-aware merge engine for an overlay only when one of
# its lists holds a map or a string containing one of these (merge_builder_impl.go)
_ENGINE_MARKERS = (
    "(( append ))",
    "(( prepend ))",
    "(( replace ))",
    "(( inline ))",
    "(( merge",
    "(( insert",
    "(( delete",
)
_ARRAY_OP = re.compile(r"^\s*\(\(\s*(append|prepend|replace|inline|merge|insert|delete)\b")
_EXPR = re.compile(r"^\s*\(\((.*)\)\)\s*$", re.S)
_SUBTREE_OPS = re.compile(
    r"\b(grab|stringify|keys|concat|join|inject|cartesian-product|"
    r"base64|sort|empty|negate|null|split|calc)\b"
)
_REF = re.compile(r"(?<![\w$\"'.])([A-Za-z_][\w-]*(?:\.[\w-]+)*)")


# Rows proposed to the lead (differential-findings.md): graft clearly broken, graftpy kept
PROPOSED = {
    20: "a nested infix expression as the argument of base64 or grab, or a parenthesised "
    "?: anywhere, is its debug text",
    21: "inject of a reference fails ('is not a map'), --prune of a path below the root "
    "is ignored, and base64 of a map names another Go type, when the root has a non-string key",
    22: "graft refuses a negation in an expression ((( 10 + -5 )), (( -x ))): "
    "'unexpected token: -', no path, nothing evaluated; graftpy negates",
    23: "an expression syntax error: graft prints the bare problem and stops; graftpy "
    "names the path and position and reports the other errors too",
}


def proposed(example: Example) -> frozenset[int]:
    """The proposed rows (``PROPOSED``) this example falls under."""
    if example.args[:1] != ("merge",):
        return frozenset()
    docs = _documents(example)
    if not docs:
        return frozenset()
    rows = set()
    calls = [c for d in docs for c in _calls(d)]
    if any(_negates(c) for c in calls) or any(_negated_operand(d) for d in docs):
        rows.add(22)
    if any(_syntax_error(d) for d in docs):
        rows.add(23)
    if any(c.name in ("base64", "grab") and any(_is_infix(a) for a in c.args) for c in calls):
        rows.add(20)
    if any(_nested_ternary(a) for c in calls for a in c.args):
        rows.add(20)
    odd_root = any(isinstance(d, dict) and any(not isinstance(k, str) for k in d) for d in docs)
    if odd_root and any(c.name == "inject" and any(_is_reference(a) for a in c.args)
                        for c in calls):
        rows.add(21)
    return frozenset(rows)


_GO_MAP_TYPES = (b"map[string]interface {}", b"map[interface {}]interface {}")


def proposed_by_form(example: Example, graft: Any, ours: Any) -> frozenset[int]:
    """Row 21 where the only difference is the Go type base64 names for a map: in a
    document whose root has a non-string key graft's maps are ``map[string]...``."""
    docs = _documents(example) or []
    if not any(isinstance(d, dict) and any(not isinstance(k, str) for k in d) for d in docs):
        return frozenset()
    if graft.stderr.replace(*_GO_MAP_TYPES) == ours.stderr and (graft.rc, graft.stdout) == (
        ours.rc,
        ours.stdout,
    ):
        return frozenset({21})
    return frozenset()


def without_ignored_prunes(example: Example) -> Example | None:
    """The example with the ``--prune`` paths graft ignores left out (row 21, proposed):
    below the root, when a document's root has a key that is not a string. None when
    there are none; the caller compares graft with graftpy running that example."""
    docs = _documents(example) or []
    if not any(isinstance(d, dict) and any(not isinstance(k, str) for k in d) for d in docs):
        return None
    args, kept, i = example.args, [], 0
    while i < len(args):
        if args[i] == "--prune" and i + 1 < len(args) and "." in args[i + 1]:
            i += 2
            continue
        kept.append(args[i])
        i += 1
    if len(kept) == len(args):
        return None
    return replace(example, args=tuple(kept))


def _calls(doc: Any) -> list[Any]:
    from graftpy.expr import parse_opcall
    from graftpy.operators.registry import is_operator

    out = []
    for v in _walk(doc):
        if isinstance(v, str) and "((" in v:
            try:
                call = parse_opcall(v, is_operator)
            except Exception:
                continue
            if call is not None:
                out.append(call)
    return out


def _negates(node: Any) -> bool:
    """Whether an operand of an infix, ``!`` or ``?:`` operator in ``node`` is negated
    (``- x``, ``-x``, or a number written with its sign: ``-5``)."""
    from graftpy.expr import as_node, nodes

    if isinstance(node, nodes.Call) and node.name == "null" and len(node.args) == 2:
        # (( null % -2.5 )): graftpy reads the operator null with the rest as text
        op, rest = node.args
        if isinstance(op, nodes.Literal) and isinstance(rest, nodes.Literal):
            return str(rest.value).lstrip().startswith("-")
    if isinstance(node, nodes.Call) and node.name in (*nodes.INFIX_NAMES, "?:", "!"):
        try:
            node = as_node(node)
        except Exception:
            return False
    if isinstance(node, nodes.UnaryOp) and node.op == "-":
        return True
    operands: tuple = ()
    if isinstance(node, nodes.BinOp):
        operands = (node.left, node.right)
    elif isinstance(node, nodes.UnaryOp):
        operands = (node.operand,)
    elif isinstance(node, nodes.Ternary):
        operands = (node.cond, node.then, node.otherwise)
    elif isinstance(node, (nodes.Call, nodes.Or)):
        kids = node.args if isinstance(node, nodes.Call) else (node.left, node.right)
        return any(_negates(k) for k in kids)
    for o in operands:
        if isinstance(o, nodes.Literal) and _is_number(o.value) and o.value < 0:
            return True
        if isinstance(o, nodes.Reference) and o.text.startswith("-"):
            return True  # -meta.x
        if _negates(o):
            return True
    return False


_NEGATED_ALONE = re.compile(r"\s*\(\(\s+-\S")


def _negated_operand(doc: Any) -> bool:
    """``(( -meta.x ))``: one operand that graft reads as a negation (and refuses),
    graftpy as a name (row 5), so the string stays as written."""
    from graftpy.expr import parse_opcall
    from graftpy.operators.registry import is_operator

    for v in _walk(doc):
        if isinstance(v, str) and _NEGATED_ALONE.match(v):
            try:
                if parse_opcall(v, is_operator) is None:
                    return True
            except Exception:
                continue
    return False


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _syntax_error(doc: Any) -> bool:
    from graftpy.expr import ExprSyntaxError, parse_opcall
    from graftpy.operators.registry import is_operator

    for v in _walk(doc):
        if isinstance(v, str) and "((" in v:
            try:
                parse_opcall(v, is_operator)
            except ExprSyntaxError:
                return True
            except Exception:
                continue
    return False


def _nested_ternary(node: Any) -> bool:
    """Whether ``node`` (an argument, not the root) holds a ``?:``: graft's debug text."""
    from graftpy.expr import nodes

    if isinstance(node, nodes.Ternary) or (isinstance(node, nodes.Call) and node.name == "?:"):
        return True
    if isinstance(node, nodes.Call):
        return any(_nested_ternary(a) for a in node.args)
    return any(
        _nested_ternary(getattr(node, f))
        for f in getattr(node, "_fields", ())
        if isinstance(getattr(node, f), nodes.Node)
    )


def _is_infix(node: Any) -> bool:
    from graftpy.expr import nodes

    return isinstance(node, (nodes.BinOp, nodes.UnaryOp, nodes.Ternary)) or (
        isinstance(node, nodes.Call) and node.name in (*nodes.INFIX_NAMES, "?:", "!")
    )


def _is_reference(node: Any) -> bool:
    from graftpy.expr import nodes

    return isinstance(node, nodes.Reference)


def classify(example: Example) -> frozenset[int]:
    """The DIVERGENCES rows this example falls under (built in or arising)."""
    rows = set(example.rows)
    if example.args[:1] != ("merge",):
        return frozenset(rows)
    docs = _documents(example)
    if docs is None:
        return frozenset(rows)
    if _has_duplicate_keys(example):
        rows.add(17)
    if any(_malformed_array_op(v) for d in docs for v in _walk(d)):
        rows.add(14)
    flags = set(example.args)
    regular = [d for d in docs if isinstance(d, dict)]
    if len(regular) >= 2 and _has_array_ops(regular[0]):
        rows.add(2)
    if len(regular) >= 2 and _engine_matters(regular, "--fallback-append" in flags):
        rows.add(1)
    if "--skip-eval" in flags and any(_has_array_ops(d) for d in regular):
        rows.add(4)
    merged = _graftpy_merge(regular, "--fallback-append" in flags)
    if merged is not None:
        if _subtree_reads_operators(merged):
            rows.add(12)
        if "--cherry-pick" in flags and _reference_through_named_list(merged):
            rows.add(16)
    return frozenset(rows)


def _documents(example: Example) -> list[Any] | None:
    """The documents of the run's file arguments, read by graftpy's loader (None: unreadable)."""
    from graftpy import yamlio
    from graftpy.errors import GraftError

    docs = []
    for arg in example.args[1:]:
        if arg.startswith("-") and arg != "-":
            continue
        text = example.stdin if arg == "-" else example.file(arg)
        if text is None:
            continue  # a flag's value, or a missing file
        try:
            loaded = yamlio.load_documents(text, arg, multi_doc="-m" in example.args)
        except (GraftError, Exception):
            return None
        docs.extend(loaded[:1] if "-m" not in example.args else loaded)
    return docs


def _walk(value: Any):
    yield value
    if isinstance(value, dict):
        for v in value.values():
            yield from _walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v)


def _malformed_array_op(value: Any) -> bool:
    """Row 14: an array operator's name in a form no array operator takes
    (``(( insert after -1 ))``): graft leaves the string, graftpy names the operator."""
    if not (isinstance(value, str) and _ARRAY_OP.match(value)):
        return False
    from graftpy.merging.listops import modifications

    mods = modifications([value], False, "name")
    return len(mods) == 1 and mods[0].items == [value]


def _has_array_ops(doc: Any) -> bool:
    return any(
        isinstance(v, list) and any(isinstance(x, str) and _ARRAY_OP.match(x) for x in v)
        for v in _walk(doc)
    )


def _engine_sees(value: Any) -> bool:
    """graft's test for its array-aware engine: a list (in maps only) holding a map or marker."""
    if isinstance(value, dict):
        return any(_engine_sees(v) for v in value.values())
    if isinstance(value, list):
        return any(
            isinstance(x, dict) or (isinstance(x, str) and any(m in x for m in _ENGINE_MARKERS))
            for x in value
        )
    return False


class _OddMap(dict):
    """A map from a document whose root has a key that is not a string."""


def _mark_odd(doc: dict) -> dict:
    """``doc`` with its maps below the root marked ``_OddMap`` when its root has a key
    that is not a string: graft's simple engine never merges such a map with another
    (either side), the overlay's value replaces it (silently losing keys: row 1)."""
    if all(isinstance(k, str) for k in doc):
        return doc

    def mark(value: Any) -> Any:
        if isinstance(value, dict):
            return _OddMap((k, mark(v)) for k, v in value.items())
        if isinstance(value, list):
            return [mark(v) for v in value]
        return value

    return {k: mark(v) for k, v in doc.items()}


def _simple_merge(base: dict, overlay: dict, append: bool) -> None:
    """graft's other engine: ``~`` deletes the key, lists are replaced (or appended)."""
    for key, value in overlay.items():
        if value is None:
            base.pop(key, None)
        elif (
            isinstance(value, dict)
            and isinstance(base.get(key), dict)
            and not isinstance(value, _OddMap)
            and not isinstance(base[key], _OddMap)
        ):
            _simple_merge(base[key], value, append)
        elif isinstance(value, list) and isinstance(base.get(key), list) and append:
            base[key] = base[key] + copy.deepcopy(value)
        else:
            base[key] = copy.deepcopy(value)


def _graftpy_merge(docs: list[dict], append: bool, raw_first: bool = False) -> dict | None:
    from graftpy.merging import Merger

    try:
        merger = Merger(fallback_append=append)
        if raw_first and docs:
            merger.tree = copy.deepcopy(docs[0])
            rest = docs[1:]
        else:
            rest = docs
        for doc in rest:
            merger.merge(copy.deepcopy(doc), "doc")
        return merger.tree
    except Exception:  # a merge error: both tools report it, nothing to model
        return None


def _engine_matters(docs: list[dict], append: bool) -> bool:
    """Whether graft's engine choice changes the merged tree (row 1, not 2).

    Both trees grow file by file from the first file as written; the first file
    after which they differ (or the end) decides. A file that does not merge
    ends the comparison: what it would have met is what the trees hold before it.
    Only the array-aware engine sees ``(( sort ))`` markers: each side's lists
    are sorted by the markers it saw before the trees are compared.
    """
    graft_tree, graft_sorts = copy.deepcopy(_mark_odd(docs[0])), []
    spruce_tree, spruce_sorts = copy.deepcopy(docs[0]), []
    for doc in docs[1:]:
        if _engine_sees(doc):
            step = _merge_step(graft_tree, doc, append)
        else:
            tree = copy.deepcopy(graft_tree)
            _simple_merge(tree, _mark_odd(doc), append)
            step = (tree, [])
        spruce_step = _merge_step(spruce_tree, doc, append)
        if step is None or spruce_step is None:
            break
        graft_tree, graft_sorts = step[0], graft_sorts + step[1]
        spruce_tree, spruce_sorts = spruce_step[0], spruce_sorts + spruce_step[1]
    return _sorted(graft_tree, graft_sorts) != _sorted(spruce_tree, spruce_sorts)


def _sorted(tree: dict, sort_paths: list) -> Any:
    from graftpy import postprocess

    tree = copy.deepcopy(tree)
    try:
        postprocess.sort_lists(tree, sort_paths)
    except Exception:
        return ("unsortable", tree)
    return tree


def _merge_step(tree: dict, doc: dict, append: bool) -> tuple[dict, list] | None:
    """graftpy's merge of ``doc`` onto ``tree`` and its sort markers (None: errors)."""
    from graftpy.merging import Merger

    try:
        merger = Merger(fallback_append=append)
        merger.tree = copy.deepcopy(tree)
        merger.merge(copy.deepcopy(doc), "doc")
        return None if merger.errors() else (merger.tree, list(merger.sort_paths))
    except Exception:
        return None


def _lookup(tree: Any, path: str) -> Any:
    node = tree
    for part in path.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list):
            if part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                named = [x for x in node if isinstance(x, dict) and x.get("name") == part]
                if not named:
                    return None
                node = named[0]
        else:
            return None
    return node


def _is_operator_call(text: str) -> bool:
    """Whether graftpy reads ``text`` as a call of a known operator (evaluated later)."""
    from graftpy.errors import GraftError
    from graftpy.expr import parse_opcall
    from graftpy.operators.registry import is_operator

    try:
        call = parse_opcall(text, is_operator)
    except (GraftError, Exception):
        return False
    return call is not None and is_operator(call.name)


def _has_operator(value: Any) -> bool:
    return any(isinstance(v, str) and _is_operator_call(v) for v in _walk(value))


def _expressions(tree: Any) -> list[str]:
    return [m.group(1) for v in _walk(tree) if isinstance(v, str) and (m := _EXPR.match(v))]


def _references(body: str) -> list[str]:
    """Bare words of an expression that look like paths (quoted text removed)."""
    body = re.sub(r'"(\\.|[^"\\])*"', '""', body)
    body = re.sub(r"'[^']*'", "''", body)
    return [m.group(1) for m in _REF.finditer(body)]


def _subtree_reads_operators(tree: dict) -> bool:
    """Row 12: an operator reads a map or list that still holds an operator."""
    for body in _expressions(tree):
        if not _SUBTREE_OPS.search(body) and not re.search(r"[+*/%<>=!?|&-]", body):
            continue
        for ref in _references(body):
            target = _lookup(tree, ref)
            if isinstance(target, (dict, list)) and _has_operator(target):
                return True
    return False


def _reference_through_named_list(tree: dict) -> bool:
    """Row 16: a reference that reaches its target through a list entry's name."""
    for body in _expressions(tree):
        for ref in _references(body):
            node = tree
            for part in ref.split("."):
                if isinstance(node, list) and not part.isdigit():
                    return True
                if isinstance(node, dict) and part in node:
                    node = node[part]
                elif isinstance(node, list) and int(part) < len(node):
                    node = node[int(part)]
                else:
                    break
    return False


def _input_texts(example: Example) -> list[tuple[str, str]]:
    out = []
    for arg in example.args[1:]:
        text = example.stdin if arg == "-" else example.file(arg)
        if text is not None:
            out.append((arg, text))
    return out


def _has_duplicate_keys(example: Example) -> bool:
    """Row 17: a map of an input file has a key twice (keys compared as YAML reads
    them, and as written: go-yaml v3 takes ``true`` and ``"true"`` for one key)."""
    import yaml

    def dup(node: yaml.Node, loader: yaml.SafeLoader) -> bool:
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key, value in node.value:
                try:
                    k = loader.construct_object(key, deep=True)
                except Exception:
                    k = repr(key)
                k = repr(k) if isinstance(k, (list, dict)) else (type(k).__name__, k)
                written = ("written", key.value) if isinstance(key, yaml.ScalarNode) else k
                if k in seen or written in seen:
                    return True
                seen.update((k, written))
                if dup(value, loader):
                    return True
        elif isinstance(node, yaml.SequenceNode):
            return any(dup(x, loader) for x in node.value)
        return False

    for _, text in _input_texts(example):
        try:
            loader = yaml.SafeLoader(text)
            while loader.check_node():
                node = loader.get_node()
                if node is not None and dup(node, loader):
                    return True
        except yaml.YAMLError:
            continue
    return False


def _not_yaml(text: str) -> bool:
    import yaml

    try:
        list(yaml.safe_load_all(text))
    except yaml.YAMLError:
        return True
    return False


_GRAFT_PARSE = re.compile(r"(\S+?(?:\[\d+\])?): parse_error: failed to parse YAML\n\n?")
_OUR_PARSE = re.compile(r"(\S+?(?:\[\d+\])?): failed to parse YAML: line \d+, column \d+: .*\n\n?")


def explains_by_form(example: Example, graft: Any, ours: Any) -> frozenset[int]:
    """Row 7, where the input is not YAML and the messages are the row's two forms."""
    if not any(_not_yaml(text) for _, text in _input_texts(example)):
        return frozenset()
    theirs = _GRAFT_PARSE.fullmatch(graft.text("stderr"))
    mine = _OUR_PARSE.fullmatch(ours.text("stderr"))
    if (
        theirs
        and mine
        and theirs.group(1) == mine.group(1)
        and graft.rc == ours.rc
        and graft.stdout == ours.stdout
    ):
        return frozenset({7})
    return frozenset()
