"""Targets, Vault credential discovery and the awsparam/awssecret argument string."""

from __future__ import annotations

import urllib.parse

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graftpy.backends import BackendError
from graftpy.backends.awskey import extract_key, parse_aws_key, parse_query, unescape
from graftpy.backends.targets import Targets, expand
from graftpy.backends.vault_settings import default_settings


# -- targets ---------------------------------------------------------------------------
def test_targets_from_env():
    env = {
        "VAULT_PROD_ADDR": "https://v:8200",
        "VAULT_PROD_TOKEN": "tok-4711",
        "VAULT_PROD_NAMESPACE": "ns",
        "VAULT_PROD_SKIP_VERIFY": "1",
        "AWS_LEGACY_REGION": "eu-west-1",
        "AWS_LEGACY_ROLE": "arn:r",
    }
    t = Targets(env)
    v = t.vault("prod")
    assert (v.url, v.token, v.namespace, v.skip_verify) == (
        "https://v:8200",
        "tok-4711",
        "ns",
        True,
    )
    a = t.aws("legacy")
    assert (a.region, a.role, a.profile) == ("eu-west-1", "arn:r", "")
    assert "tok-4711" not in repr(v) and "tok-4711" not in str(v)


def test_targets_file_wins_and_expands_variables(tmp_path):
    f = tmp_path / "t.yml"
    f.write_text(
        "targets:\n  vault:\n    prod:\n      url: https://${HOST}:8200\n      token: $TOK\n"
        "      skip_verify: true\n  aws:\n    legacy:\n      region: us-west-2\n"
    )
    env = {"HOST": "vault.example", "TOK": "tok", "VAULT_PROD_ADDR": "https://ignored"}
    t = Targets(env, str(f))
    assert t.vault("prod").url == "https://vault.example:8200"
    assert t.vault("prod").token == "tok" and t.vault("prod").skip_verify is True
    assert t.aws("legacy").region == "us-west-2"
    assert Targets({**env, "GRAFT_TARGETS": str(f)}).vault("prod").token == "tok"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("targets: [1]", "targets file {f}: 'targets' must be a map"),
        ("vault:\n  prod: 3\n", "targets file {f}: vault target 'prod' must be a map"),
        (
            "vault:\n  prod:\n    adress: x\n",
            "targets file {f}: unknown setting 'adress' for vault target 'prod'",
        ),
        ("a: 1\n\tb: 2\nc: 3\n", "targets file {f}: not valid YAML (line 2)"),
    ],
)
def test_targets_file_errors(tmp_path, text, message):
    f = tmp_path / "t.yml"
    f.write_text(text)
    with pytest.raises(BackendError) as info:
        Targets({}, str(f)).vault("prod")
    assert info.value.message == message.format(f=f)


def test_missing_targets_file(tmp_path):
    with pytest.raises(
        BackendError, match=r"^targets file .*/nope.yml: no such file or directory$"
    ):
        Targets({}, str(tmp_path / "nope.yml")).vault("x")


def test_expand_is_os_expandenv():
    assert expand("${A}/$B/$C-${}", {"A": "1", "B": "2"}) == "1/2/-"


# -- Vault address and token discovery (graft's order) ------------------------------------
def test_env_wins_over_files(tmp_path):
    (tmp_path / ".vault-token").write_text("file-token\n")
    s = default_settings({"VAULT_ADDR": "http://a:1", "VAULT_TOKEN": "env", "HOME": str(tmp_path)})
    assert (s.addr, s.token, s.skip_verify) == ("http://a:1", "env", False)


def test_svtoken_replaces_everything_when_something_is_missing(tmp_path):
    (tmp_path / ".svtoken").write_text(
        "vault: http://sv:2\ntoken: svt\nnamespace: ns\nskip_verify: true\n"
    )
    s = default_settings(
        {"VAULT_ADDR": "http://ignored:1", "VAULT_NAMESPACE": "x", "HOME": str(tmp_path)}
    )
    assert (s.addr, s.token, s.namespace, s.skip_verify) == ("http://sv:2", "svt", "ns", True)


def test_vault_token_file_and_skip_verify(tmp_path):
    (tmp_path / ".vault-token").write_text("tok\n\n")
    s = default_settings(
        {"VAULT_ADDR": "https://a", "HOME": str(tmp_path), "VAULT_SKIP_VERIFY": "yes"}
    )
    assert s.token == "tok\n" and s.skip_verify is True
    for off in ("", "no", "false", "0", "OFF"):
        assert not default_settings(
            {
                "VAULT_ADDR": "https://a",
                "VAULT_TOKEN": "t",
                "VAULT_SKIP_VERIFY": off,
                "HOME": str(tmp_path),
            }
        ).skip_verify


def test_unusable_svtoken_is_ignored(tmp_path):
    (tmp_path / ".svtoken").write_text("vault: [not, a, string]\n")
    (tmp_path / ".vault-token").write_text("tok")
    s = default_settings({"VAULT_ADDR": "http://a:1", "HOME": str(tmp_path)})
    assert (s.addr, s.token) == ("http://a:1", "tok")


# -- name?key=...&stage=...&version=... ------------------------------------------------------
def test_parse_aws_key():
    k = parse_aws_key("prod/db?key=pass+word&stage=AWSPREVIOUS&key=second&version=%41")
    assert k.name == "prod/db"
    assert (k.get("key"), k.get("stage"), k.get("version"), k.get("nope")) == (
        "pass word",
        "AWSPREVIOUS",
        "A",
        "",
    )
    assert parse_aws_key("a?b?c=d").get("b?c") == "d"
    assert parse_aws_key("plain").params == {}


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("a=%zz", 'invalid URL escape "%zz"'),
        ("a=%4", 'invalid URL escape "%4"'),
        ("a=1;b=2", "invalid semicolon separator in query"),
        ("a=%", 'invalid URL escape "%"'),
    ],
)
def test_parse_query_errors_are_go_texts(query, error):
    assert parse_query(query)[1] == error


@given(st.dictionaries(st.text(min_size=1), st.text(), max_size=5))
def test_parse_query_reads_what_urlencode_writes(values):
    params, error = parse_query(urllib.parse.urlencode(values))
    assert error == ""
    assert {k: v[0] for k, v in params.items()} == values


@given(st.text())
def test_unescape_inverts_quote_plus(text):
    assert unescape(urllib.parse.quote_plus(text)) == text


@pytest.mark.parametrize(
    ("value", "key", "expected"),
    [
        ('{"a": 1.50, "b": [1, "x"], "c": {"z": 1, "y": true}, "d": null}', "a", "1.5"),
        ('{"a": 1.50, "b": [1, "x"], "c": {"z": 1, "y": true}, "d": null}', "b", "[1 x]"),
        ('{"a": 1.50, "b": [1, "x"], "c": {"z": 1, "y": true}, "d": null}', "c", "map[y:true z:1]"),
        ('{"a": 1.50, "b": [1, "x"], "c": {"z": 1, "y": true}, "d": null}', "d", "<nil>"),
        ("user: admin\nport: 5432\n", "port", "5432"),
    ],
)
def test_extract_key_formats_like_go(value, key, expected):
    assert extract_key(value, "n", key) == expected


def test_extract_key_errors_never_quote_the_value():
    with pytest.raises(BackendError) as info:
        extract_key("{hunter2: [", "n", "k")
    assert "hunter2" not in info.value.message
    with pytest.raises(BackendError, match=r"^\$\.n invalid key 'k'$"):
        extract_key("{a: 1}", "n", "k")
