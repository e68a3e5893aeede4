"""The operators' rules: path building, `||` defaults, several paths, vault-try, REDACT."""

from __future__ import annotations

import pytest

from graftpy.backends import BackendError, SecretNotFound
from graftpy.backends.aws_calls import aws_value
from graftpy.backends.secret_args import StaticArg
from graftpy.backends.vault_calls import split_paths, vault_try_value, vault_value
from graftpy.errors import GraftError

SECRETS = {"secret/a:k": "A", "secret/b:k": "B", "secret/c:k": "C"}


class FakeVault:
    """A lookup that records what it was asked; some paths fail in chosen ways."""

    def __init__(self, fail: dict[str, BackendError] | None = None) -> None:
        self.asked: list[str] = []
        self.fail = fail or {}

    def __call__(self, path: str) -> str:
        self.asked.append(path)
        if path in self.fail:
            raise self.fail[path]
        if path in SECRETS:
            return SECRETS[path]
        raise SecretNotFound(f"secret {path} not found")


def lit(value):
    return StaticArg(value, literal=value)


def ref(name, value=None, error=None):
    return StaticArg(value, reference=name, error=error)


def test_arguments_are_concatenated():
    vault = FakeVault()
    args = [ref("meta.prefix", "secret"), lit("/"), ref("meta.name", "a"), lit(":k")]
    assert vault_value(args, None, vault) == "A"
    assert vault.asked == ["secret/a:k"]


def test_scalars_are_formatted_like_go():
    vault = FakeVault()
    with pytest.raises(SecretNotFound):
        vault_value([lit("secret/"), lit(1.5), lit(":"), lit(True)], None, vault)
    assert vault.asked == ["secret/1.5:true"]


@pytest.mark.parametrize(
    ("arg", "message"),
    [
        (ref("meta", {"a": 1}), "$.meta is a map; only scalars are supported for vault paths"),
        (ref("meta", [1]), "$.meta is a list; only scalars are supported for vault paths"),
        (StaticArg({"a": 1}), "value is a map; only scalars are supported for vault paths"),
        (ref("meta.x", None), "cannot use nil as vault path component"),
    ],
)
def test_argument_errors(arg, message):
    with pytest.raises(GraftError) as info:
        vault_value([arg], None, FakeVault())
    assert info.value.message == message


def test_no_arguments():
    with pytest.raises(GraftError, match="^vault operator requires at least one argument$"):
        vault_value([], None, FakeVault())


def test_default_on_missing_secret_or_key_only():
    assert vault_value([lit("secret/zz:k")], lit("dflt"), FakeVault()) == "dflt"
    assert vault_value([lit("secret/a:nokey")], lit("dflt"), FakeVault()) == "dflt"
    refused = FakeVault({"secret/a:k": BackendError("403 Forbidden: permission denied")})
    with pytest.raises(BackendError, match="^403 Forbidden: permission denied$"):
        vault_value([lit("secret/a:k")], lit("dflt"), refused)


def test_default_when_the_path_cannot_be_built():
    broken = ref("meta.missing", error="`$.meta.missing` could not be found in the datastructure")
    vault = FakeVault()
    assert vault_value([broken, lit(":k")], lit("dflt"), vault) == "dflt"
    assert vault.asked == []
    with pytest.raises(GraftError) as info:
        vault_value([broken, lit(":k")], None, vault)
    assert info.value.message == "`$.meta.missing` could not be found in the datastructure"


def test_failing_default_is_reported_as_graft_does():
    with pytest.raises(GraftError) as info:
        vault_value([lit("secret/zz:k")], ref("x", error="boom"), FakeVault())
    assert info.value.message == (
        "unable to evaluate default value: unable to evaluate default value: boom"
    )


def test_semicolon_paths_are_tried_in_turn():
    vault = FakeVault()
    assert vault_value([lit("secret/zz:k; secret/b:k ;secret/c:k")], None, vault) == "B"
    assert vault.asked == ["secret/zz:k", "secret/b:k"]
    assert split_paths("a:k;; b:k ;") == ["a:k", "b:k"]


def test_several_literal_paths_with_a_trailing_default():
    vault = FakeVault()
    assert (
        vault_value([lit("secret/x:k"), lit("secret/y:k"), lit("fallback")], None, vault)
        == "fallback"
    )
    assert vault.asked == ["secret/x:k", "secret/y:k"]
    assert vault_value([lit("secret/x:k"), lit("secret/c:k")], None, FakeVault()) == "C"


def test_last_error_is_reported_when_every_path_fails():
    vault = FakeVault({"secret/y:k": BackendError("500 Internal Server Error: x")})
    with pytest.raises(BackendError, match="^500 Internal Server Error: x$"):
        vault_value([lit("secret/x:k; secret/y:k")], lit("d"), vault)
    with pytest.raises(SecretNotFound, match="^secret secret/y:k not found$"):
        vault_value([lit("secret/x:k; secret/y:k")], None, FakeVault())


def test_redact_contacts_nothing_but_records_references():
    seen: list[str] = []

    def never(_p):
        raise AssertionError("no secret store may be contacted under REDACT")

    assert (
        vault_value([lit("secret/a:k")], lit("d"), never, redact=True, record=seen.append)
        == "REDACTED"
    )
    assert vault_value([lit("42")], None, never, redact=True) == "REDACTED"
    assert vault_try_value([lit("secret/a:k"), lit("d")], never, redact=True) == "REDACTED"
    assert aws_value("awsparam", [lit("/x?key=y")], never, redact=True) == "REDACTED"
    assert seen == [["secret/a:k"]]


def test_every_alternative_path_is_recorded_even_when_the_first_is_found():
    seen: list[list[str]] = []
    vault_value([lit("secret/a:k;secret/x:k")], None, FakeVault(), record=seen.append)
    assert seen == [["secret/a:k", "secret/x:k"]]
    seen.clear()
    vault_try_value(
        [lit("secret/a:k"), lit("not a path"), lit("secret/x:k"), lit("d")],
        FakeVault(),
        redact=True,
        record=seen.append,
    )
    assert seen == [["secret/a:k", "secret/x:k"]]  # the unusable one is skipped, as graft


# -- vault-try (DIVERGENCES row 9) ----------------------------------------------------
def test_vault_try_falls_through_not_found_only():
    vault = FakeVault()
    args = [lit("secret/x:k"), lit("secret/b:k"), lit("d")]
    assert vault_try_value(args, vault) == "B"
    assert vault_try_value([lit("secret/x:k"), lit("secret/y:k"), lit("d")], vault) == "d"
    down = FakeVault({"secret/x:k": BackendError("Transport Error: connection refused")})
    with pytest.raises(BackendError, match="connection refused"):
        vault_try_value([lit("secret/x:k"), lit("secret/b:k"), lit("d")], down)


def test_vault_try_skips_unusable_paths_without_asking():
    vault = FakeVault()
    args = [
        ref("meta.none", error="nope"),
        StaticArg(None),
        StaticArg({"a": 1}),
        lit(""),
        lit("nocolon"),
        lit("a:b:c"),
        lit(":k"),
        lit("secret/c:k"),
        lit("d"),
    ]
    assert vault_try_value(args, vault) == "C"
    assert vault.asked == ["secret/c:k"]


def test_vault_try_needs_two_arguments_and_a_working_default():
    with pytest.raises(GraftError, match=r"^vault-try operator requires at least 2 arguments \("):
        vault_try_value([lit("secret/a:k")], FakeVault())
    with pytest.raises(GraftError, match="^unable to evaluate default value: boom$"):
        vault_try_value([lit("secret/x:k"), ref("d", error="boom")], FakeVault())


# -- awsparam / awssecret ---------------------------------------------------------------
def test_aws_arguments_and_options():
    asked = []

    def fetch(name, stage, version):
        asked.append((name, stage, version))
        return '{"user": "u", "n": 1}'

    assert (
        aws_value(
            "awssecret",
            [lit("app/"), ref("env", "prod"), lit("?key=user&stage=AWSPREVIOUS")],
            fetch,
        )
        == "u"
    )
    assert aws_value("awssecret", [lit("app?version=v1&key=n")], fetch) == "1"
    assert asked == [("app/prod", "AWSPREVIOUS", ""), ("app", "", "v1")]


@pytest.mark.parametrize(
    ("arg", "message"),
    [
        (StaticArg(None), "awsparam operator argument cannot be nil"),
        (
            StaticArg({"a": 1}),
            "awsparam operator argument is a map; only scalars are supported here",
        ),
        (StaticArg([1]), "awsparam operator argument is a list; only scalars are supported here"),
        (lit("/x?a=1;b=2"), "invalid argument string: invalid semicolon separator in query"),
    ],
)
def test_aws_argument_errors(arg, message):
    with pytest.raises(GraftError) as info:
        aws_value("awsparam", [arg], lambda *a: "v")
    assert info.value.message == message
    with pytest.raises(GraftError, match="^awssecret operator requires at least one argument$"):
        aws_value("awssecret", [], lambda *a: "v")
