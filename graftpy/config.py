"""``graftpy.yml``: the settings of a repeatable ``merge`` / ``fan`` run, kept in a repo.

Every setting is also a command-line flag (``cherry_pick`` is ``--cherry-pick``);
a flag given on the command line wins over the file, and the file wins over the
environment variables a setting stands for. Example::

    # graftpy.yml
    files: [base.yml, envs/prod.yml]     # FILES, when none are given on the command line
    prune: [meta]
    output: manifest.yml
    parallel:                            # a group: the same as strategy: ..., workers: ...
      enabled: true
      strategy: adaptive
      workers: 8
    targets_file: targets.yml            # named Vault/AWS targets (also `targets: FILE`)
    vault:
      addr: https://vault.example.com:8200
    metrics:
      file: merge-metrics.prom
      labels: {pipeline: deploy}
    env:                                 # any variable, e.g. for (( grab $APP_ENV ))
      APP_ENV: prod
    set:                                 # values set after every file (--set wins)
      meta.region: eu-west-1

A ``targets:`` map lists the targets of ``graftpy render`` (see
``graftpy.render.targets``); the rest of the file holds their defaults, and is
what ``merge`` and ``fan`` use. Keys may use ``-`` or ``_``. A group map
(``parallel``, ``metrics``, ``vault``, ``aws``) is the same as its flat keys
(``metrics: {port: 9102}`` is ``metrics_port: 9102``; ``enabled`` is the group's
own switch). Relative paths are taken from the folder holding the file.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from graftpy.errors import GraftError, UsageError

if TYPE_CHECKING:
    from graftpy.pipeline import MergeOptions

DEFAULT_NAME = "graftpy.yml"
STRATEGIES = ("conservative", "aggressive", "adaptive")
GROUPS = ("parallel", "metrics", "vault", "aws")


class ConfigError(UsageError):
    """A configuration file, or a flag value, that cannot be used."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(
            f"{file}: {message}" if file else message, file=file, line=line, column=column
        )


# The records here are NamedTuples and plain classes: every run loads this module,
# and creating a dataclass costs start-up time (see pipeline.MergeOptions).
class Setting(NamedTuple):
    """One setting: a ``graftpy.yml`` key and the flag of the same name."""

    name: str
    kind: str  # bool int float str path list paths choice map overrides
    env: str | None = None  # the environment variable it stands for, if any
    choices: tuple[str, ...] = ()
    minimum: float | None = None

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")


_S = Setting
SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        _S("files", "paths"),
        _S("skip_eval", "bool"),
        _S("prune", "list"),
        _S("cherry_pick", "list"),
        _S("fallback_append", "bool"),
        _S("go_patch", "bool"),
        _S("multi_doc", "bool"),
        _S("dataflow_order", "choice", choices=("alphabetical", "insertion")),
        _S("preserve_order", "bool"),
        _S("output", "path"),
        _S("explain_to", "path"),
        _S("show_origin", "bool"),
        _S("set", "overrides"),
        _S("progress", "bool"),
        # graftpy render: the whole run (not settable per target)
        _S("jobs", "int", minimum=1),
        _S("processes", "int", minimum=0),
        _S("fail_fast", "bool"),
        _S("report", "path"),
        # parallel evaluation
        _S("parallel", "bool"),
        _S("strategy", "choice", choices=STRATEGIES),
        _S("workers", "int", minimum=0),
        _S("min_ops", "int", minimum=0),
        # secret stores
        _S("targets", "path"),
        _S("redact", "bool", env="REDACT"),
        _S("vault_addr", "str", env="VAULT_ADDR"),
        _S("vault_token_file", "path", env="VAULT_TOKEN"),
        _S("vault_namespace", "str", env="VAULT_NAMESPACE"),
        _S("vault_skip_verify", "bool", env="VAULT_SKIP_VERIFY"),
        _S("aws_profile", "str", env="AWS_PROFILE"),
        _S("aws_region", "str", env="AWS_REGION"),
        _S("aws_role", "str", env="AWS_ROLE"),
        _S("aws_endpoint_url", "str", env="AWS_ENDPOINT_URL"),
        # operators
        _S("file_base_path", "path", env="GRAFT_FILE_BASE_PATH"),
        _S("confine_files", "bool", env="GRAFT_CONFINE_FILES"),
        _S("array_merge_key", "str", env="DEFAULT_ARRAY_MERGE_KEY"),
        _S("load_timeout", "float", env="GRAFT_LOAD_TIMEOUT", minimum=0),
        # metrics
        _S("metrics", "bool"),
        _S("metrics_host", "str"),
        _S("metrics_port", "int", minimum=0),
        _S("metrics_linger", "float", minimum=0),
        _S("metrics_file", "path"),
        _S("metrics_push", "str"),
        _S("metrics_job", "str"),
        _S("metrics_labels", "map"),
        # any environment variable (config file only)
        _S("env", "map"),
    )
}
# the flat names of the `parallel:` group's keys; `targets_file:` names the file of
# Vault/AWS targets without the ambiguity of `targets:` (a map there lists render targets)
ALIASES = {f"parallel_{name}": name for name in ("strategy", "workers", "min_ops")}
ALIASES["targets_file"] = "targets"
RENDER_KEY = "targets"  # a map under this key: graftpy render's targets (graftpy.render.targets)
RENDER_ONLY = ("jobs", "processes", "fail_fast", "report")  # settings of graftpy render alone
TARGET_NAME = "{target}"  # in files/output: the render target's name, filled in by render


class Config(NamedTuple):
    """Settings read from a file (only the keys it sets), and where it was.

    ``targets``: the file's ``targets:`` map (target name -> its own settings) as
    written; ``graftpy.render.targets`` checks it. None when the file has none.
    """

    values: Mapping[str, Any] = MappingProxyType({})
    file: str | None = None
    targets: Mapping[Any, Any] | None = None


def find(explicit: str | None, cwd: str = ".") -> str | None:
    """The config file to use: ``--config FILE``, else ``./graftpy.yml`` if present."""
    if explicit:
        return explicit
    candidate = os.path.join(cwd, DEFAULT_NAME)
    return candidate if os.path.isfile(candidate) else None


def load(path: str) -> Config:
    """Read and check ``path``; relative paths in it become relative to its folder."""
    from graftpy import yamlio

    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise ConfigError(
            f"cannot read the configuration file: {exc.strerror}", file=path
        ) from None
    try:
        docs = yamlio.load_documents(data, path)
    except GraftError as exc:  # bad YAML in the settings: a settings error (exit 1)
        raise ConfigError(exc.message, file=path, line=exc.line, column=exc.column) from None
    doc = docs[0] if docs else None
    if doc is None:
        return Config({}, path)
    if not isinstance(doc, dict):
        raise ConfigError("the configuration must be a map of settings", file=path)
    targets = None
    root = doc
    if isinstance(doc.get(RENDER_KEY), Mapping):
        doc = dict(doc)
        targets = doc.pop(RENDER_KEY)
    elif doc.get(RENDER_KEY) is not None and not isinstance(doc.get(RENDER_KEY), str):
        raise ConfigError(
            f"setting '{RENDER_KEY}' must be a map of render targets (name: settings) or "
            f"the file of secret-store targets, not {doc[RENDER_KEY]!r}",
            file=path,
        )
    values = parse(doc, file=path)
    if values.get("set"):  # explain shows each value's line: find the lines (a small file)
        from graftpy.overrides import from_settings
        from graftpy.yamlio.positions import line_table

        values["set"] = from_settings(doc["set"], path, line_table(data, root))
    return Config(rebase(values, path), path, targets)


def rebase(values: dict[str, Any], config_file: str) -> dict[str, Any]:
    """``values`` with relative paths taken from the folder of ``config_file``."""
    base = os.path.dirname(os.path.abspath(config_file))
    for name, value in values.items():
        kind = SETTINGS[name].kind
        if kind == "path":
            values[name] = _rebase(base, value)
        elif kind == "paths":
            values[name] = [_rebase(base, v) for v in value]
    return values


def _rebase(base: str, path: str) -> str:
    if path == "-" or os.path.isabs(path):
        return path
    return os.path.relpath(os.path.join(base, path))


def parse(doc: Mapping[Any, Any], *, file: str | None = None) -> dict[str, Any]:
    """Check a map of settings (flattening groups); returns ``{setting: value}``."""
    out: dict[str, Any] = {}
    for key, value in doc.items():
        name = _name(key, file)
        if name in GROUPS and isinstance(value, Mapping):
            for sub, subvalue in value.items():
                sub_name = _name(sub, file)
                full = name if sub_name == "enabled" else f"{name}_{sub_name}"
                _put(out, full, subvalue, file, shown=f"{name}.{sub}")
        else:
            _put(out, name, value, file, shown=str(key))
    return out


def _name(key: Any, file: str | None) -> str:
    if not isinstance(key, str):
        raise ConfigError(f"setting names are words, not {key!r}", file=file)
    return key.replace("-", "_")


def _put(out: dict[str, Any], name: str, value: Any, file: str | None, shown: str) -> None:
    name = ALIASES.get(name, name)
    setting = SETTINGS.get(name)
    if setting is None:
        import difflib  # only for this message

        known = sorted(SETTINGS) + sorted(ALIASES)
        near = difflib.get_close_matches(name, known, n=1)
        hint = f" (did you mean '{near[0]}'?)" if near else ""
        raise ConfigError(f"unknown setting '{shown}'{hint}", file=file)
    if value is None:
        return  # `workers:` with no value: as if absent
    out[name] = convert(setting, value, file=file, shown=shown)


def convert(setting: Setting, value: Any, *, file: str | None = None, shown: str = "") -> Any:
    """``value`` as the setting's type, or a ``ConfigError`` that names it."""
    shown = shown or setting.name
    kind = setting.kind

    def bad(what: str) -> ConfigError:
        return ConfigError(f"setting '{shown}' must be {what}, not {value!r}", file=file)

    if kind == "bool":
        if isinstance(value, bool):
            return value
        raise bad("true or false")
    if kind in ("int", "float"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise bad("a whole number" if kind == "int" else "a number")
        if kind == "int" and not isinstance(value, int):
            raise bad("a whole number")
        if setting.minimum is not None and value < setting.minimum:
            raise ConfigError(f"setting '{shown}' must be at least {setting.minimum:g}", file=file)
        return value
    if kind in ("str", "path"):
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value)
        raise bad("a string")
    if kind == "choice":
        if value in setting.choices:
            return value
        raise bad("one of " + ", ".join(setting.choices))
    if kind in ("list", "paths"):
        items = [value] if isinstance(value, str) else value
        if isinstance(items, list) and all(isinstance(v, str) for v in items):
            return list(items)
        raise bad("a list of strings")
    if kind == "map":
        if isinstance(value, Mapping) and all(isinstance(k, str) for k in value):
            return {k: _env_text(v) for k, v in value.items()}
        raise bad("a map of names to values")
    if kind == "overrides":  # set: {PATH: VALUE}, values as YAML gave them
        from graftpy.overrides import from_settings

        return from_settings(value, file)
    raise AssertionError(kind)  # pragma: no cover - every kind is handled above


def _env_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def labels_from_flags(pairs: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``--metrics-label team=web`` pairs as a map."""
    labels: dict[str, str] = {}
    for pair in pairs:
        key, sep, val = pair.partition("=")
        if not sep or not key:
            raise ConfigError(f"--metrics-label wants NAME=VALUE, not '{pair}'")
        labels[key] = val
    return labels


# -- settings -> one run --------------------------------------------------------


class Run:
    """What ``merge`` / ``fan`` do: the files, where the output goes, the pipeline options."""

    def __init__(
        self,
        files: list[str],
        output: str | None,
        preserve_order: bool,
        progress: bool | None,  # None: only when stderr is a terminal
        options: MergeOptions,
        explain_to: str | None = None,  # merge --explain-to: the explanation as JSON
    ) -> None:
        self.files = files
        self.output = output
        self.preserve_order = preserve_order
        self.progress = progress
        self.options = options
        self.output_from: str | None = None  # the settings file that named `output`, if any
        self.explain_to = explain_to


def combine(config: Config, flags: Mapping[str, Any]) -> dict[str, Any]:
    """The file's settings with the command line's on top (labels merge key by key)."""
    values = dict(config.values)
    for name, value in flags.items():
        if name in ("metrics_labels", "env"):
            values[name] = {**values.get(name, {}), **value}
        else:
            values[name] = value
    return values


def build(
    values: Mapping[str, Any],
    environ: Mapping[str, str] | None = None,
    *,
    debug: bool = False,
    file: str | None = None,
) -> Run:
    """The run ``values`` (setting -> value) describe, over the ``environ`` snapshot
    (``file``: the configuration file they come from, for messages)."""
    from graftpy.pipeline import MergeOptions

    for name in ("output", "files"):
        if any(TARGET_NAME in path for path in _as_list(values.get(name))):
            raise ConfigError(
                f"'{name}:' holds {TARGET_NAME}, which stands for the name of a target of "
                "graftpy render: give this command its own (-o FILE, FILES)",
                file=file,
            )
    parallel = values.get("parallel")
    if parallel is None and any(k in values for k in ("strategy", "workers", "min_ops")):
        parallel = True  # asking for a strategy or workers asks for parallel evaluation
    options = MergeOptions(
        skip_eval=values.get("skip_eval", False),
        prune=tuple(values.get("prune", ())),
        cherry_pick=tuple(values.get("cherry_pick", ())),
        fallback_append=values.get("fallback_append", False),
        go_patch=values.get("go_patch", False),
        multi_doc=values.get("multi_doc", False),
        dataflow_order=values.get("dataflow_order", "alphabetical"),
        env=environment(values, environ),
        parallel=parallel,
        strategy=values.get("strategy"),
        workers=values.get("workers"),
        min_ops=values.get("min_ops"),
        debug=debug,
        targets_file=values.get("targets"),
        metrics=values.get("metrics"),
        metrics_host=values.get("metrics_host"),
        metrics_port=values.get("metrics_port"),
        metrics_linger=values.get("metrics_linger"),
        metrics_file=values.get("metrics_file"),
        metrics_push=values.get("metrics_push"),
        metrics_job=values.get("metrics_job"),
        metrics_labels=dict(values.get("metrics_labels", {})),
        sets=tuple(overrides(values)),
        show_origin=values.get("show_origin", False),
    )
    return Run(
        files=list(values.get("files", ())),
        output=values.get("output"),
        preserve_order=values.get("preserve_order", False),
        progress=values.get("progress"),
        options=options,
        explain_to=values.get("explain_to"),
    )


def _as_list(value: Any) -> list[str]:
    return [] if not value else [value] if isinstance(value, str) else list(value)


def overrides(values: Mapping[str, Any]) -> list[Any]:
    """``set:`` of the settings file, then ``--set``, then ``--set-string`` (later wins)."""
    found = list(values.get("set", ()))
    if values.get("set_values") or values.get("set_strings"):
        from graftpy.overrides import parse_set

        found += [parse_set(text) for text in values.get("set_values", ())]
        found += [parse_set(text, as_string=True) for text in values.get("set_strings", ())]
    return found


def environment(
    values: Mapping[str, Any], environ: Mapping[str, str] | None = None
) -> dict[str, str] | None:
    """The environment snapshot the run uses: the process's, then ``env:``, then the
    settings that stand for a variable. None when nothing changes it (the pipeline
    then reads the process environment itself). ``os.environ`` is never modified."""
    overrides = dict(values.get("env", {}))
    removed: set[str] = set()
    for name, setting in SETTINGS.items():
        if setting.env is None or name not in values:
            continue
        value = values[name]
        if setting.kind == "bool":
            if value:
                overrides[setting.env] = "1"
                removed.discard(setting.env)
            else:  # --no-redact: as if the variable were not set
                overrides.pop(setting.env, None)
                removed.add(setting.env)
        elif name == "vault_token_file":
            overrides[setting.env] = read_token(value)
        elif isinstance(value, float):
            overrides[setting.env] = format(value, "g")  # 10.0 -> "10"
        else:
            overrides[setting.env] = str(value)
    if not overrides and not removed:
        return None
    env = dict(os.environ if environ is None else environ)
    env.update(overrides)
    for var in removed:
        env.pop(var, None)
    return env


def read_token(path: str) -> str:
    """A Vault token kept in a file (never on the command line, where ``ps`` shows it)."""
    try:
        with open(path, encoding="utf-8") as fh:
            token = fh.read().strip()
    except OSError as exc:
        raise ConfigError(f"cannot read the Vault token file {path}: {exc.strerror}") from None
    if not token:
        raise ConfigError(f"the Vault token file {path} is empty")
    return token
