"""(( calc "EXPRESSION" )): arithmetic on numbers from the document.

graft evaluates the string with the Go library govaluate after replacing every
dotted path in it (``meta.size``) by that value (ints as ``%d``, floats as
``%f``). We do the same textual replacement, then parse and evaluate with our
own govaluate-compatible evaluator (``_calc_lexer``/``_calc_eval``), never
Python's ``eval``. Functions: ``min max mod pow`` (two float arguments) and
``sqrt floor ceil`` (one). A float result with no fractional part becomes an
int. Names that are not paths or functions are refused.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from graftpy.errors import GraftError
from graftpy.expr.nodes import Literal
from graftpy.lazy_regex import LazyPattern
from graftpy.operators import _calc_eval, _calc_lexer
from graftpy.operators._calc_eval import go_mod, go_pow
from graftpy.operators._gosyntax import go_kind, go_type
from graftpy.operators.base import Operator, Response
from graftpy.tree import Path

if TYPE_CHECKING:
    from graftpy.evaluator.context import DependencyContext, EvalContext
    from graftpy.expr.nodes import Call

# graft's pattern for "something with a dot in it": a path candidate
_CANDIDATE = LazyPattern(r"(\w+|-)\.(\w+|-|\.)+", re.ASCII)
_GO_FLOAT = LazyPattern(
    r"[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
    r"|0[xX](?:[0-9a-fA-F_]+\.?[0-9a-fA-F_]*|\.[0-9a-fA-F_]+)[pP][+-]?[0-9_]+)\Z"
)


def _is_go_float(text: str) -> bool:
    """strconv.ParseFloat(text, 64) succeeds (an overflow is an error there)."""
    if not _GO_FLOAT.match(text):
        return False
    try:
        value = float.fromhex(text) if "x" in text.lower() else float(text)
    except ValueError:
        return False
    return math.isfinite(value)


@lru_cache(maxsize=65536)
def path_candidates(expression: str) -> tuple[Path, ...]:
    """The document paths graft finds in a calc string, in order."""
    found = []
    for m in _CANDIDATE.finditer(expression):
        text = m.group(0)
        if not _is_go_float(text):
            # what goutils' ParseCursor makes of it (no brackets can occur here)
            found.append(tuple(p for p in text.split(".") if p))
    return tuple(found)


def _format(path: Path, value: Any) -> str:
    if value is None:
        raise GraftError(
            f"path {'.'.join(path)} references a nil value, which cannot be used in calculations"
        )
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise GraftError(
            f"path {'.'.join(path)} is of type {go_kind(value)}, "
            "which cannot be used in calculations"
        )
    if isinstance(value, int):
        return str(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return f"{value:f}"


def replace_references(expression: str, lookup: Callable[[Path], Any]) -> str:
    """``expression`` with each path replaced by its value (``lookup``: the context's, so
    ``graftpy explain`` sees what a calc reads, and secrets stay marked)."""
    for path in path_candidates(expression):
        value = lookup(path)
        expression = expression.replace(".".join(path), _format(path, value))
    return expression


def _fn(name: str, arity: int, impl: Callable[..., float]) -> Callable[..., float]:
    words = "one argument" if arity == 1 else "two arguments"

    def call(*args: Any) -> float:
        if len(args) != arity or not all(isinstance(a, float) for a in args):
            raise GraftError(f"{name} function expects {words} of type float64")
        return impl(*args)

    return call


def _round(fn: Callable[[float], int]) -> Callable[[float], float]:
    return lambda x: float(fn(x)) if math.isfinite(x) else x


def _sqrt(x: float) -> float:
    return math.sqrt(x) if x >= 0 or math.isnan(x) else math.nan


def go_min(a: float, b: float) -> float:
    """math.Min: -Inf wins over NaN, NaN over numbers, -0 is below +0."""
    if a == -math.inf or b == -math.inf:
        return -math.inf
    if math.isnan(a) or math.isnan(b):
        return math.nan
    if a == b == 0:
        return a if math.copysign(1.0, a) < 0 else b
    return min(a, b)


def go_max(a: float, b: float) -> float:
    """math.Max: +Inf wins over NaN, NaN over numbers, +0 is above -0."""
    if a == math.inf or b == math.inf:
        return math.inf
    if math.isnan(a) or math.isnan(b):
        return math.nan
    if a == b == 0:
        return a if math.copysign(1.0, a) > 0 else b
    return max(a, b)


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "min": _fn("min", 2, go_min),
    "max": _fn("max", 2, go_max),
    "mod": _fn("mod", 2, go_mod),
    "pow": _fn("pow", 2, go_pow),
    "sqrt": _fn("sqrt", 1, _sqrt),
    "floor": _fn("floor", 1, _round(math.floor)),
    "ceil": _fn("ceil", 1, _round(math.ceil)),
}


@lru_cache(maxsize=65536)
def _compile(expression: str) -> Any:
    tokens = _calc_lexer.tokenize(expression, FUNCTIONS)
    names = [v for k, v in tokens if k == _calc_lexer.VARIABLE]
    if names:
        raise GraftError(
            "calc operator does not support named variables in expression: " + ", ".join(names)
        )
    return _calc_eval.parse(tokens)


def calculate(expression: str) -> Any:
    """Evaluate a calc string whose references are already replaced."""
    result = _EVALUATOR.run(_compile(expression))
    if isinstance(result, float) and result.is_integer() and -(2**63) <= result < 2**63:
        return int(result)
    return result


_EVALUATOR = _calc_eval.Evaluator(FUNCTIONS)


def _input_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return _format((), value)
    raise GraftError(
        f"calc operator argument must resolve to a string or number, got {go_type(value)}"
    )


class CalcOperator(Operator):
    name = "calc"

    def dependencies(self, call: Call, ctx: DependencyContext, auto: list[Path]) -> list[Path]:
        found = list(auto)
        for arg in call.args:
            if isinstance(arg, Literal) and isinstance(arg.value, str):
                found.extend(path_candidates(arg.value))
        return found

    def run(self, call: Call, ctx: EvalContext) -> Response:
        if len(call.args) != 1:
            raise GraftError("calc operator only expects one argument containing the expression")
        expression = _input_text(ctx.evaluate(call.args[0]))
        return Response(calculate(replace_references(expression, ctx.lookup)))
