"""(( awssecret NAME... )): a secret from AWS Secrets Manager (``?key=``, ``?stage=``,
``?version=``). Only ``$REDACT`` mode works for now."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from graftpy.operators._aws import run_aws
from graftpy.operators.base import Operator, Response

if TYPE_CHECKING:
    from graftpy.evaluator.context import EvalContext
    from graftpy.expr.nodes import Call


class AwsSecretOperator(Operator):
    name = "awssecret"
    io_bound: ClassVar[bool] = True

    def run(self, call: Call, ctx: EvalContext) -> Response:
        return run_aws(self.name, call, ctx)
