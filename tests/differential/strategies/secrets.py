"""The secret-store operators: vault, vault-try, awsparam, awssecret.

Three settings of a run:

* ``none``: no Vault address or token and no AWS region. Every call fails;
  the texts of those failures, and of malformed calls, are compared.
* ``redact``: ``REDACT`` set. graft contacts the stores anyway and fails, graftpy
  prints ``REDACTED`` (DIVERGENCES row 8), so a run with a well-formed call is
  under row 8; a run whose calls are all malformed is compared as it is.
* ``vault``: an OpenBao dev server both tools talk to (``VAULT_ADDR`` and
  ``VAULT_TOKEN`` are filled in by the driver), holding ``SECRETS``.
"""

from __future__ import annotations

from hypothesis import strategies as st

from .exprs import E, Expr, join, or_default, reference, string_literal
from .odds import chance
from .scope import Scope

SECRETS = {
    "secret/app": {"password": "s3cret", "user": "admin", "port": "5432"},
    "secret/multi": {"cert": "line one\nline two\n", "empty": "", "yesish": "yes"},
    "secret/deep/path": {"key": "deep-value"},
}
GOOD_PATHS = [
    "secret/app:password",
    "secret/app:user",
    "secret/multi:cert",
    "secret/deep/path:key",
    "secret/multi:empty",
    "secret/multi:yesish",
    "secret/app:port",
]
MISSING_PATHS = ["secret/app:nokey", "secret/nothere:x", "secret/deep:key"]
MALFORMED = ["secret/app", "", ":key", "secret/app:", "no-colon-at-all"]


@st.composite
def vault_call(draw: st.DrawFn, scope: Scope, setting: str) -> tuple[Expr, bool]:
    """A vault or vault-try call, and whether it reaches the store (graft then
    initialises its client, REDACT or not: any path text does, only a wrong
    number of arguments or a map or list argument fails before)."""
    kind = draw(st.sampled_from(["vault", "vault", "vault", "vault-try", "aws"]))
    if kind == "aws":
        op = draw(st.sampled_from(["awsparam", "awssecret"]))
        arg = draw(st.one_of(string_literal(), reference(scope)))
        args = [arg] if not chance(draw, 6) else []
        collection = arg.text in scope.maps + scope.lists
        return join([E(op, f"op-{op}"), *args]), bool(args) and not collection
    pool = GOOD_PATHS + MISSING_PATHS if setting == "vault" else GOOD_PATHS[:2]
    good = draw(st.booleans())
    path = draw(st.sampled_from(pool if good else MALFORMED))
    if kind == "vault-try":
        paths = [E(f'"{path}"')]
        if draw(st.booleans()):
            paths.append(E(f'"{draw(st.sampled_from(pool))}"'))
        default = [draw(string_literal())] if not chance(draw, 6) else []
        keyed = any(":" in p.text for p in paths)  # vault-try skips paths without a key
        falls_back = keyed and bool(default)
        call = join([E("vault-try", "op-vault-try"), *paths, *default])
        if falls_back:  # with no store at all, graft gives the default, graftpy fails (row 9)
            call = Expr(call.text, call.features | {"vault-try-default"})
        return call, falls_back
    if chance(draw, 5) and ":" in path:  # built from parts
        head, _, key = path.partition(":")
        args = [E(f'"{head}"'), E(f'":{key}"')]
        good = True
    elif chance(draw, 9):
        args = [draw(reference(scope, ("map",)))]
        good = False
    elif chance(draw, 13):
        args = []
        good = False
    else:
        args = [E(f'"{path}"')]
        good = True  # any path text reaches the store, well formed or not
    call = join([E("vault", "op-vault"), *args])
    if chance(draw, 4):
        call = draw(or_default(scope, call, 1))
    return call, good


@st.composite
def secret_value(draw: st.DrawFn, scope: Scope, setting: str) -> tuple[Expr, bool]:
    call, good = draw(vault_call(scope, setting))
    return Expr(f"(( {call.text} ))", call.features | {f"secrets-{setting}"}), good
