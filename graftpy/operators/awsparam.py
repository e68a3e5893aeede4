"""(( awsparam NAME... )): a parameter from AWS SSM Parameter Store (``?key=`` picks a
field of a YAML/JSON value). ``awsparam@target`` reads a named target. The rules
live in ``graftpy.backends.aws_calls``."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from graftpy.operators.base import Operator, Response

if TYPE_CHECKING:
    from graftpy.evaluator.context import EvalContext
    from graftpy.expr.nodes import Call


class AwsParamOperator(Operator):
    name = "awsparam"
    io_bound: ClassVar[bool] = True
    yields_secrets: ClassVar[bool] = True

    def run(self, call: Call, ctx: EvalContext) -> Response:
        from graftpy.backends.aws_calls import run_aws  # boto3 loads on first use

        return Response(run_aws(call, ctx, self.name))
