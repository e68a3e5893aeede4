from __future__ import annotations

REDACT = {"REDACT": "yes"}


def test_redact_renders_every_secret_without_a_store(merge):
    out = merge(
        """
        meta: {prefix: secret/app}
        a: (( vault "secret/hand:shake" ))
        b: (( vault meta.prefix ":password" ))
        c: (( vault-try "secret/x:y" "fallback" ))
        d: (( awsparam "/app/db?key=password" ))
        e: (( awssecret "app/db" "?stage=AWSCURRENT" ))
        """,
        env=REDACT,
    )
    assert [out[k] for k in "abcde"] == ["REDACTED"] * 5


def test_vault_paths_are_recorded_with_their_callers(merge):
    refs: dict[str, list[str]] = {}
    merge(
        """
        meta: {prefix: imaprefix}
        foo:
          bar: (( vault meta.prefix "/beep:boop" ))
          baz: (( vault "secret/bar:beep" ))
        jobs:
        - name: web
          pass: (( vault "secret/bar:beep" || "default" ))
        try: (( vault-try "not-a-path" "secret/t:k" "default" ))
        """,
        env=REDACT,
        extra={"vault_refs": refs},
    )
    assert refs == {
        "imaprefix/beep:boop": ["foo.bar"],
        "secret/bar:beep": ["foo.baz", "jobs.web.pass"],
        "secret/t:k": ["try"],
    }


def test_semicolons_separate_alternative_paths(merge):
    refs: dict[str, list[str]] = {}
    candidates: dict[str, list[str]] = {}
    out = merge(
        'x: (( vault "a/b:c; d/e:f" ))\nz: (( vault "a/b:c" ))\n',
        env=REDACT,
        extra={"vault_refs": refs, "vault_candidates": candidates},
    )
    assert out["x"] == "REDACTED"
    assert refs == {"a/b:c": ["x", "z"], "d/e:f": ["x"]}  # every alternative, for vaultinfo
    assert candidates == {"a/b:c": ["x"], "d/e:f": ["x"]}


def test_several_quoted_paths_are_alternatives(merge):
    refs: dict[str, list[str]] = {}
    out = merge(
        'x: (( vault "a/b:c" "d/e:f" "default" ))\n', env=REDACT, extra={"vault_refs": refs}
    )
    assert out["x"] == "REDACTED"
    assert refs == {"a/b:c": ["x"], "d/e:f": ["x"]}


def test_without_redact_or_vault_settings_vault_fails_clearly(merge_error, monkeypatch, tmp_path):
    monkeypatch.delenv("VAULT_ADDR", raising=False)
    monkeypatch.delenv("VAULT_TOKEN", raising=False)
    monkeypatch.delenv("REDACT", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.vault-token or ~/.svtoken
    lines = merge_error('a: (( vault "secret/x:y" || "default" ))\n')
    assert lines == [
        " - $.a: Error during Vault client initialization: Failed to determine Vault URL / "
        "token, and the $REDACT environment variable is not set."
    ]


def test_argument_errors(merge_error):
    lines = merge_error(
        """
        m: {k: v}
        a: (( vault m ))
        b: (( vault-try "secret/x:y" ))
        c: (( awssecret "x?a=%zz" ))
        d: (( awsparam m ))
        """,
        env=REDACT,
    )
    assert lines == [
        " - $.a: $.m is a map; only scalars are supported for vault paths",
        " - $.b: vault-try operator requires at least 2 arguments (one or more vault paths, "
        "followed by a default value)",
        ' - $.c: invalid argument string: invalid URL escape "%zz"',
        " - $.d: awsparam operator argument is a map; only scalars are supported here",
    ]


def test_default_is_used_when_the_path_cannot_be_built(merge):
    out = merge('e: (( vault nothing.here || "dflt" ))\n', env=REDACT)
    assert out["e"] == "dflt"
