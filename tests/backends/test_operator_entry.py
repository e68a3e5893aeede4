"""run_vault / run_vault_try / run_aws on calls parsed by the real parser and run in a
real ``EvalContext``: exactly what the operator modules hand over."""

from __future__ import annotations

import uuid

import pytest

from graftpy.backends.aws_calls import run_aws
from graftpy.backends.vault_calls import run_vault, run_vault_try
from graftpy.errors import GraftError
from graftpy.evaluator.context import EvalContext, RunState, Settings
from graftpy.evaluator.document import Document
from graftpy.expr import parse_opcall
from graftpy.operators import registry


def ctx_for(env: dict, tree: dict | None = None) -> EvalContext:
    return EvalContext(Document(tree or {}), ("secret",), Settings(env=env), RunState())


def parse(src: str):
    call = parse_opcall(src, registry.is_operator)
    assert call is not None, src
    return call


@pytest.fixture
def vault_env(openbao, tmp_path):
    return {"VAULT_ADDR": openbao.addr, "VAULT_TOKEN": openbao.token, "HOME": str(tmp_path)}


def test_vault_call_with_references_and_default(openbao, vault_env):
    name = uuid.uuid4().hex[:8]
    openbao.put(f"secret/{name}", {"password": "pw"})
    ctx = ctx_for(vault_env, {"meta": {"prefix": "secret", "name": name}})
    assert run_vault(parse('(( vault meta.prefix "/" meta.name ":password" ))'), ctx) == "pw"
    assert run_vault(parse(f'(( vault "secret/{name}:" "nokey" || "dflt" ))'), ctx) == "dflt"
    assert run_vault(parse(f'(( vault "secret/{name}:nokey" || meta.name ))'), ctx) == name
    assert ctx.state.vault_refs == {
        f"secret/{name}:password": ["secret"],
        f"secret/{name}:nokey": ["secret", "secret"],
    }


def test_unresolvable_reference_is_named(vault_env):
    ctx = ctx_for(vault_env, {"meta": {"list": [1]}})
    with pytest.raises(GraftError) as info:
        run_vault(parse("(( vault meta.key ))"), ctx)
    assert info.value.message == (
        "Unable to resolve `meta.key`: Unable to resolve `meta.key`: "  # graft wraps twice
        "`$.meta.key` could not be found in the datastructure"
    )
    with pytest.raises(GraftError) as info:
        run_vault(parse("(( vault meta ))"), ctx)
    assert info.value.message == "$.meta is a map; only scalars are supported for vault paths"
    with pytest.raises(GraftError) as info:
        run_vault(parse("(( vault meta.list ))"), ctx)
    assert info.value.message == "$.meta.list is a list; only scalars are supported for vault paths"


def test_redact_creates_no_backend():
    ctx = ctx_for({"REDACT": "yes", "HOME": "/nonexistent"})
    assert run_vault(parse('(( vault "secret/hand:shake" ))'), ctx) == "REDACTED"
    assert run_vault_try(parse('(( vault-try "secret/a:b" "d" ))'), ctx) == "REDACTED"
    assert run_aws(parse('(( awssecret "x?key=y" ))'), ctx, "awssecret") == "REDACTED"
    assert "backends" not in ctx.state.extra
    assert ctx.state.vault_refs == {"secret/hand:shake": ["secret"], "secret/a:b": ["secret"]}


def test_vault_try_call(openbao, vault_env):
    name = uuid.uuid4().hex[:8]
    openbao.put(f"kv1/{name}", {"k": "found"})
    ctx = ctx_for(vault_env)
    call = parse(f'(( vault-try "secret/{name}:k" "kv1/{name}:k" "d" ))')
    assert run_vault_try(call, ctx) == "found"


@pytest.mark.parametrize("how", ["env", "file"])
def test_vault_target(openbao, tmp_path, how):
    name = uuid.uuid4().hex[:8]
    openbao.put(f"secret/{name}", {"k": "from-prod"})
    env = {"HOME": str(tmp_path), "VAULT_ADDR": "http://127.0.0.1:9", "VAULT_TOKEN": "wrong"}
    if how == "env":
        env |= {"VAULT_PROD_EU_ADDR": openbao.addr, "VAULT_PROD_EU_TOKEN": openbao.token}
    else:
        targets = tmp_path / "targets.yml"
        targets.write_text(
            "targets:\n  vault:\n    prod-eu:\n      url: ${BAO}\n      token: $BAO_TOKEN\n"
        )
        env |= {"GRAFT_TARGETS": str(targets), "BAO": openbao.addr, "BAO_TOKEN": openbao.token}
    ctx = ctx_for(env)
    assert run_vault(parse(f'(( vault@prod-eu "secret/{name}:k" ))'), ctx) == "from-prod"
    assert [b.name for b in ctx.state.extra["backends"]] == ["vault@prod-eu"]


def test_unknown_target_is_an_error_not_a_fallback(tmp_path):
    ctx = ctx_for({"HOME": str(tmp_path)})
    with pytest.raises(GraftError) as info:
        run_vault(parse('(( vault@nowhere "secret/a:b" || "d" ))'), ctx)
    assert info.value.message == (
        "vault target 'nowhere' configuration not found (expected VAULT_NOWHERE_ADDR and "
        "VAULT_NOWHERE_TOKEN environment variables)"
    )


def test_aws_target(moto, tmp_path):
    moto.client("ssm").put_parameter(Name="/legacy/p", Value="legacy-value", Type="String")
    env = {
        "HOME": str(tmp_path),
        "AWS_LEGACY_ENDPOINT": moto.url,
        "AWS_LEGACY_REGION": "us-east-1",
        "AWS_LEGACY_ACCESS_KEY_ID": "t",
        "AWS_LEGACY_SECRET_ACCESS_KEY": "t",
    }
    ctx = ctx_for(env)
    assert run_aws(parse('(( awsparam@legacy "/legacy/p" ))'), ctx, "awsparam") == "legacy-value"
    with pytest.raises(GraftError, match="^AWS target 'other' configuration incomplete"):
        run_aws(parse('(( awsparam@other "/p" ))'), ctx, "awsparam")
