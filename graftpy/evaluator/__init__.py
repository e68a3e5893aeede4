"""Evaluation of ``(( ... ))`` operator calls over a merged document."""

from graftpy.evaluator.context import DependencyContext, EvalContext, RunState, Settings
from graftpy.evaluator.engine import EvaluationOptions, Evaluator, SequentialExecutor

__all__ = [
    "DependencyContext",
    "EvalContext",
    "EvaluationOptions",
    "Evaluator",
    "RunState",
    "SequentialExecutor",
    "Settings",
]
