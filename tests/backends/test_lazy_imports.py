"""hvac, boto3 and requests load only when a run really talks to a secret store."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
from graftpy.backends.aws_calls import run_aws
from graftpy.backends.vault_calls import run_vault
from graftpy.backends.registry import Backends
from graftpy.evaluator.context import EvalContext, RunState, Settings
from graftpy.evaluator.document import Document
from graftpy.expr import parse_opcall
from graftpy.operators import registry

ctx = EvalContext(Document({}), ("a",), Settings(env={"REDACT": "1"}), RunState())
assert run_vault(parse_opcall('(( vault "secret/a:b" ))', registry.is_operator), ctx) == "REDACTED"
assert run_aws(parse_opcall('(( awsparam "/a" ))', registry.is_operator), ctx, "awsparam") == "REDACTED"
b = Backends({})
b.vault(); b.aws("awsparam"); b.aws("awssecret")   # created, never used
heavy = sorted(m for m in ("hvac", "boto3", "botocore", "requests", "urllib3") if m in sys.modules)
print(",".join(heavy))
"""


def test_heavy_clients_are_not_imported_until_used():
    proc = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""
