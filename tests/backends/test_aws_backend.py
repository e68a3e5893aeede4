"""awsparam / awssecret against moto's server mode (boto3 over HTTP, no patching)."""

from __future__ import annotations

import json

import pytest

from graftpy.backends import BackendError, SecretNotFound
from graftpy.backends.aws_calls import aws_value
from graftpy.backends.registry import Backends
from graftpy.backends.secret_args import StaticArg


def value_of(backends: Backends, variant: str, text: str) -> str:
    def fetch(name: str, stage: str, version: str) -> str:
        return backends.aws(variant).fetch(name, stage, version)

    return aws_value(variant, [StaticArg(text)], fetch)


@pytest.fixture
def env(moto, tmp_path):
    return {**moto.env(), "HOME": str(tmp_path)}


def test_parameter_store(moto, env):
    ssm = moto.client("ssm")
    ssm.put_parameter(Name="/app/db_host", Value="db.example.com", Type="String")
    ssm.put_parameter(
        Name="/app/creds",
        Type="SecureString",
        Value=json.dumps({"username": "admin", "port": 5432, "tls": True}),
    )
    b = Backends(env)
    assert value_of(b, "awsparam", "/app/db_host") == "db.example.com"
    assert value_of(b, "awsparam", "/app/creds?key=username") == "admin"
    assert value_of(b, "awsparam", "/app/creds?key=port") == "5432"
    assert value_of(b, "awsparam", "/app/creds?key=tls") == "true"


def test_secrets_manager_stage_and_version(moto, env):
    sm = moto.client("secretsmanager")
    first = sm.create_secret(Name="app/api", SecretString="old-key")["VersionId"]
    sm.put_secret_value(SecretId="app/api", SecretString="new-key")
    sm.create_secret(Name="app/db", SecretString="user: dbuser\npassword: dbpass\n")
    b = Backends(env)
    assert value_of(b, "awssecret", "app/api") == "new-key"
    assert value_of(b, "awssecret", "app/api?stage=AWSPREVIOUS") == "old-key"
    assert value_of(b, "awssecret", "app/api?stage=AWSCURRENT") == "new-key"
    assert value_of(b, "awssecret", f"app/api?version={first}") == "old-key"
    assert value_of(b, "awssecret", "app/db?key=password") == "dbpass"
    # row 10: name, stage and version are separate cache entries
    snap = b.aws("awssecret").stats.snapshot()
    assert snap.cache_misses == 5 and snap.requests == 5


def test_values_are_read_once_per_run(moto, env):
    moto.client("ssm").put_parameter(Name="/once", Value='{"a": 1, "b": 2}', Type="String")
    b = Backends(env)
    for _ in range(5):
        assert value_of(b, "awsparam", "/once?key=a") == "1"
        assert value_of(b, "awsparam", "/once?key=b") == "2"
        with pytest.raises(BackendError):
            value_of(b, "awsparam", "/missing")
    snap = b.aws("awsparam").stats.snapshot()
    assert snap.requests == 2 and snap.cache_hits == 13


def test_error_texts(moto, env):
    moto.client("ssm").put_parameter(Name="/plain", Value="not a map", Type="String")
    b = Backends(env)
    with pytest.raises(BackendError) as missing:
        b.aws("awsparam").fetch("/nope")
    assert isinstance(missing.value, SecretNotFound)
    assert missing.value.message.startswith("$./nope error fetching awsparam: ParameterNotFound: ")
    with pytest.raises(
        SecretNotFound, match=r"^\$\.nope error fetching awssecret: ResourceNotFoundException"
    ):
        b.aws("awssecret").fetch("nope")
    with pytest.raises(BackendError, match=r"^\$\./plain invalid key 'x'$|error extracting key"):
        value_of(b, "awsparam", "/plain?key=x")
    with pytest.raises(
        BackendError, match=r"^invalid argument string: invalid URL escape \"%zz\"$"
    ):
        value_of(b, "awsparam", "/plain?key=%zz")


def test_not_a_map_value_is_reported_without_quoting_it(moto, env):
    moto.client("ssm").put_parameter(Name="/list", Value="[hunter2, x]", Type="String")
    with pytest.raises(BackendError) as info:
        value_of(Backends(env), "awsparam", "/list?key=a")
    assert info.value.message == "$./list error extracting key: the value is not a YAML or JSON map"


def test_assume_role(moto, env):
    moto.client("ssm").put_parameter(Name="/role/p", Value="via-role", Type="String")
    role = "arn:aws:iam::123456789012:role/graft"
    b = Backends({**env, "AWS_ROLE": role})
    assert value_of(b, "awsparam", "/role/p") == "via-role"
    ops = b.aws("awsparam").stats.snapshot().outcomes
    assert ops == {"ok": 2}  # AssumeRole + GetParameter


def test_missing_profile_is_a_session_error(env):
    b = Backends({**env, "AWS_PROFILE": "no-such-profile"})
    with pytest.raises(BackendError) as info:
        b.aws("awsparam").fetch("/x")
    assert info.value.message.startswith("error during AWS session initialization: ")
    assert "no-such-profile" in info.value.message


def test_missing_region(moto, tmp_path):
    env = {
        "AWS_ENDPOINT_URL": moto.url,
        "AWS_ACCESS_KEY_ID": "t",
        "AWS_SECRET_ACCESS_KEY": "t",
        "HOME": str(tmp_path),
        "AWS_CONFIG_FILE": str(tmp_path / "none"),
    }
    monkey = pytest.MonkeyPatch()
    for var in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        monkey.delenv(var, raising=False)
    monkey.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    try:
        with pytest.raises(BackendError) as info:
            Backends(env).aws("awsparam").fetch("/x")
    finally:
        monkey.undo()
    assert (
        info.value.message
        == "$./x error fetching awsparam: MissingRegion: could not find region configuration"
    )
