"""The ``targets:`` of ``graftpy.yml``: what ``graftpy render`` renders, and which of them.

::

    # graftpy.yml: the top level holds the defaults every target inherits
    files: [base.yml, "envs/{target}.yml"]
    prune: [meta]
    output: "out/{target}.yml"
    targets:
      prod: {}                        # the defaults only (an empty value does the same)
      staging:
        env: {APP_ENV: staging}       # maps (env, metrics labels) add to the defaults' keys
      lab:
        files: [base.yml, lab.yml]    # every other key replaces the default
        output: lab/manifest.yml

A target takes the settings of ``graftpy.config.SETTINGS`` but not those of the
whole run (``RUN_WIDE``: jobs, reports, progress, metrics). ``{target}`` in
``files`` and ``output`` is the target's name. Flags win over both levels, as
they do for ``merge``. Every target needs files and an output file of its own.

``resolve`` checks all that and returns the targets sorted by name; ``select``
applies ``--only`` and ``--shard``.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from graftpy import config
from graftpy.config import ConfigError

PLACEHOLDER = config.TARGET_NAME
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")
RUN_WIDE = frozenset(
    {
        *config.RENDER_ONLY,
        "progress",
        "metrics",
        "metrics_host",
        "metrics_port",
        "metrics_linger",
        "metrics_file",
        "metrics_push",
        "metrics_job",
        "metrics_labels",
    }
)
MERGED_MAPS = ("env", "metrics_labels")  # a target adds keys to these, as flags do


class Target(NamedTuple):
    """One target: its name and the run ``merge`` would do for it."""

    name: str
    run: config.Run  # files, output, preserve_order and the pipeline's MergeOptions
    values: Mapping[str, Any]  # its settings: defaults, its own keys, flags on top


def resolve(
    loaded: config.Config,
    flags: Mapping[str, Any],
    environ: Mapping[str, str] | None = None,
    *,
    debug: bool = False,
) -> list[Target]:
    """Every target of ``loaded`` (a read ``graftpy.yml``), checked, sorted by name."""
    file = loaded.file
    if file is None:
        raise ConfigError(
            f"no {config.DEFAULT_NAME} here: graftpy render renders the targets: of a "
            "configuration file (--config FILE names one)"
        )
    if not loaded.targets:
        hint = ""
        if "targets" in loaded.values:
            hint = (
                " ('targets: FILE' names the file of Vault/AWS targets, also spelt "
                "'targets_file: FILE')"
            )
        raise ConfigError(f"no targets to render: add a 'targets:' map of names{hint}", file=file)
    targets = []
    for name, own in loaded.targets.items():
        values = _combine(loaded.values, _own_settings(name, own, file))
        values = config.combine(config.Config(values), flags)
        targets.append(_target(str(name), values, file, environ, debug))
    targets.sort(key=lambda t: t.name)
    _check_outputs(targets, file)
    return targets


def _own_settings(name: Any, own: Any, file: str) -> dict[str, Any]:
    if not isinstance(name, str) or not NAME.match(name):
        raise ConfigError(
            f"target name {name!r} must be letters, digits, '.', '_' or '-' "
            "(it names files and metrics)",
            file=file,
        )
    if own is None:
        return {}
    if not isinstance(own, Mapping):
        raise ConfigError(
            f"target '{name}' must be a map of settings (or empty), not {own!r}", file=file
        )
    try:
        values = config.parse(own)
    except ConfigError as exc:
        raise ConfigError(f"target '{name}': {exc.message}", file=file) from None
    for key in values:
        if key in RUN_WIDE:
            raise ConfigError(
                f"target '{name}': setting '{key}' applies to the whole run: set it at the "
                "top level, or as a flag",
                file=file,
            )
    return config.rebase(values, file)


def _combine(defaults: Mapping[str, Any], own: Mapping[str, Any]) -> dict[str, Any]:
    values = dict(defaults)
    for key, value in own.items():
        if key in MERGED_MAPS:
            values[key] = {**values.get(key, {}), **value}
        else:
            values[key] = value
    return values


def _target(
    name: str,
    values: dict[str, Any],
    file: str,
    environ: Mapping[str, str] | None,
    debug: bool,
) -> Target:
    if "files" in values:
        values["files"] = [f.replace(PLACEHOLDER, name) for f in values["files"]]
    if values.get("output"):
        values["output"] = values["output"].replace(PLACEHOLDER, name)
    files, output = values.get("files"), values.get("output")
    if not files:
        raise ConfigError(
            f"target '{name}' has no files: set 'files:' in it, or at the top level", file=file
        )
    if "-" in files:
        raise ConfigError(
            f"target '{name}': files: '-' (standard input) cannot be rendered: name files",
            file=file,
        )
    if not output or output == "-":
        raise ConfigError(
            f"target '{name}' has no output file: set 'output:' in it, or at the top level "
            f"with {PLACEHOLDER} in it (output: out/{PLACEHOLDER}.yml)",
            file=file,
        )
    try:
        run = config.build(values, environ, debug=debug)
    except ConfigError as exc:  # e.g. an unreadable vault token file
        raise ConfigError(f"target '{name}': {exc.message}", file=file) from None
    return Target(name, run, values)


def _check_outputs(targets: Sequence[Target], file: str) -> None:
    seen: dict[str, str] = {}
    for target in targets:
        where = os.path.normpath(os.path.abspath(target.run.output or ""))
        other = seen.setdefault(where, target.name)
        if other != target.name:
            raise ConfigError(
                f"targets '{other}' and '{target.name}' both write {target.run.output}: "
                f"give each its own output (e.g. out/{PLACEHOLDER}.yml)",
                file=file,
            )


# -- which targets this run renders -------------------------------------------------


class Shard(NamedTuple):
    """``--shard K/N``: the K-th of N parts (K counts from 1)."""

    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_shard(text: str) -> Shard:
    """``"2/5"`` -> ``Shard(2, 5)``, or a ``ConfigError`` saying what is wrong."""
    index, sep, count = text.partition("/")
    try:
        shard = Shard(int(index), int(count))
    except ValueError:
        shard = None
    if not sep or shard is None or not 1 <= shard.index <= shard.count:
        raise ConfigError(f"--shard wants K/N with 1 <= K <= N (e.g. --shard 2/4), not '{text}'")
    return shard


def select(
    targets: Sequence[Target], only: Sequence[str] = (), shard: Shard | None = None
) -> list[Target]:
    """The targets ``--only`` names (names or shell patterns, ``prod-*``), then the
    ``--shard``'s share of them: round-robin over the names in sorted order, so the
    N shards of a CI matrix render each target exactly once, and differ in size by
    at most one."""
    chosen = list(targets)
    if only:
        names = [t.name for t in targets]
        wanted: set[str] = set()
        for pattern in _split(only):
            matched = fnmatch.filter(names, pattern)
            if not matched:
                raise ConfigError(_unknown(pattern, names))
            wanted.update(matched)
        chosen = [t for t in targets if t.name in wanted]
    if shard is not None:
        ordered = sorted(chosen, key=lambda t: t.name)
        chosen = ordered[shard.index - 1 :: shard.count]
    return chosen


def _split(only: Sequence[str]) -> list[str]:
    """``--only a,b --only c`` -> ``[a, b, c]``."""
    return [part.strip() for item in only for part in item.split(",") if part.strip()]


def _unknown(pattern: str, names: Sequence[str]) -> str:
    import difflib  # only for this message

    near = difflib.get_close_matches(pattern, names, n=1)
    hint = f" (did you mean '{near[0]}'?)" if near else ""
    listed = ", ".join(names[:20]) + (", ..." if len(names) > 20 else "")
    return f"--only: no target '{pattern}'{hint}; the targets are: {listed}"
