"""(( awssecret NAME... )): a secret from AWS Secrets Manager (``?key=``, ``?stage=``,
``?version=``). ``awssecret@target`` reads a named target. The rules live in
``graftpy.backends.aws_calls``."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from graftpy.operators.base import Operator, Response

if TYPE_CHECKING:
    from graftpy.evaluator.context import EvalContext
    from graftpy.expr.nodes import Call


class AwsSecretOperator(Operator):
    name = "awssecret"
    io_bound: ClassVar[bool] = True
    yields_secrets: ClassVar[bool] = True

    def run(self, call: Call, ctx: EvalContext) -> Response:
        from graftpy.backends.aws_calls import run_aws  # boto3 loads on first use

        return Response(run_aws(call, ctx, self.name))
