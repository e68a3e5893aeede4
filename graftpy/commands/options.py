"""The flags of ``graftpy merge`` and ``graftpy fan``, grouped by topic in ``--help``.

Each flag is a setting of ``graftpy.config`` (``--cherry-pick`` is ``cherry_pick``
in ``graftpy.yml``), except ``--config`` itself. Flags that stand for an
environment variable say which; their value goes into the run's environment
snapshot, never into ``os.environ``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

STRATEGIES = ("conservative", "aggressive", "adaptive")  # graftpy.config.STRATEGIES


class SectionedOption(click.Option):
    """An option that knows its ``--help`` heading."""

    def __init__(self, *args: Any, section: str = "Other", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.section = section


class SectionedCommand(click.Command):
    """A command whose ``--help`` lists options under headings (``section=`` below),
    in the order of ``sections``."""

    sections: tuple[str, ...] = ()  # SECTIONS, set below

    # graft's own switches: graft refuses one given twice (its usage, exit 1)
    once_only: frozenset[str] = frozenset({"skip_eval", "fallback_append", "go_patch", "multi_doc"})

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        given = args[: args.index("--")] if "--" in args else args
        for param in self.get_params(ctx):
            if isinstance(param, click.Option) and param.name in self.once_only:
                spellings = set(param.opts) | set(param.secondary_opts)
                if sum(arg in spellings for arg in given) > 1:
                    raise click.UsageError(f"{param.opts[-1]} is given more than once", ctx)
        return super().parse_args(ctx, args)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        sections: dict[str, list[tuple[str, str]]] = {}
        for param in self.get_params(ctx):
            if not isinstance(param, click.Option):
                continue  # FILES is explained in the command's text
            record = param.get_help_record(ctx)
            if record is not None:
                sections.setdefault(getattr(param, "section", "Other"), []).append(record)
        for title in [*self.sections, "Other"]:
            if title in sections:
                with formatter.section(title):
                    formatter.write_dl(sections[title], col_max=32)


SECTIONS = (
    "Merging",
    "Output",
    "Configuration",
    "Parallel evaluation",
    "Secrets",
    "Metrics",
    "Debugging",
)
SectionedCommand.sections = SECTIONS

# Parameter types are stateless: one instance each serves every option (each
# click.Path looks up its translated name when it is made, which costs time).
FILE = click.Path(dir_okay=False)
# Input files are checked by graftpy.reading when read, with graft's texts and exit code 2
# (click's checks would exit 1 with click's words): this type only completes file names.
FILE_OR_DASH = click.Path(allow_dash=True, readable=False)
DIRECTORY = click.Path(file_okay=False)


def _opt(section: str, *decls: str, **kw: Any) -> Callable[[Any], Any]:
    """``click.option`` filed under a ``--help`` heading (a new Option for each command)."""
    return click.option(*decls, cls=SectionedOption, section=section, **kw)


def _env(var: str) -> str:
    return f" Sets ${var} for this run."


def _over(var: str) -> str:
    return f" Overrides ${var}."


OPTIONS: list[Callable[[Any], Any]] = [
    # -- merging ------------------------------------------------------------------
    _opt(
        "Merging",
        "--skip-eval",
        is_flag=True,
        help="Merge only: leave (( ... )) expressions unevaluated (array operators still apply).",
    ),
    _opt(
        "Merging",
        "--prune",
        multiple=True,
        metavar="PATH",
        help="Remove PATH from the output (repeatable), e.g. --prune meta --prune params.",
    ),
    _opt(
        "Merging",
        "--cherry-pick",
        multiple=True,
        metavar="PATH",
        help="Keep only PATH in the output (repeatable), e.g. --cherry-pick instance_groups.",
    ),
    _opt(
        "Merging",
        "--fallback-append",
        is_flag=True,
        help="Append lists that cannot be merged by key instead of merging them by index.",
    ),
    _opt(
        "Merging",
        "--go-patch",
        is_flag=True,
        help="Apply files whose root is a list as go-patch operations, at their place in the "
        "file list, e.g. --go-patch base.yml ops.yml.",
    ),
    _opt(
        "Merging",
        "-m",
        "--multi-doc",
        is_flag=True,
        help="Treat each document of a multi-document file as a file of its own.",
    ),
    _opt(
        "Merging",
        "--array-merge-key",
        metavar="KEY",
        help="Merge lists of maps by KEY instead of 'name', e.g. --array-merge-key id."
        + _env("DEFAULT_ARRAY_MERGE_KEY"),
    ),
    _opt(
        "Merging",
        "--file-base-path",
        metavar="DIR",
        type=DIRECTORY,
        help="Folder that (( file )) and (( load )) read relative paths from, e.g. "
        "--file-base-path certs/." + _env("GRAFT_FILE_BASE_PATH"),
    ),
    _opt(
        "Merging",
        "--confine-files/--no-confine-files",
        default=None,
        help="(( file )) and (( load )) may read only inside the file base path (default: "
        "the current folder); '../' and symlinks cannot lead out (docs/security.md)."
        + _env("GRAFT_CONFINE_FILES"),
    ),
    _opt(
        "Merging",
        "--load-timeout",
        metavar="SECONDS",
        type=click.FloatRange(min=0, min_open=True),
        help="Time limit of each HTTP request of (( load )), e.g. --load-timeout 10."
        + _env("GRAFT_LOAD_TIMEOUT"),
    ),
    _opt(
        "Merging",
        "--set",
        "set_values",
        multiple=True,
        metavar="PATH=VALUE",
        help="Set PATH to VALUE (read as YAML) after every file, before evaluation "
        "(repeatable), e.g. --set meta.env=prod --set 'jobs.web.instances=3'.",
    ),
    _opt(
        "Merging",
        "--set-string",
        "set_strings",
        multiple=True,
        metavar="PATH=VALUE",
        help="Like --set, with VALUE kept as text (repeatable), e.g. --set-string version=1.10.",
    ),
    _opt(
        "Merging",
        "--dataflow-order",
        type=click.Choice(["alphabetical", "insertion"]),
        help="Order of operations within a dependency level (default: alphabetical), e.g. "
        "--dataflow-order insertion.",
    ),
    # -- output -------------------------------------------------------------------
    _opt(
        "Output",
        "-o",
        "--output",
        metavar="FILE",
        type=FILE_OR_DASH,
        help="Write the result to FILE atomically (a failed run leaves FILE untouched), "
        "e.g. -o manifest.yml; -o - is standard output.",
    ),
    _opt(
        "Output",
        "--preserve-order",
        is_flag=True,
        help="Emit keys in first-seen input order instead of sorted.",
    ),
    _opt(
        "Output",
        "--progress/--no-progress",
        default=None,
        help="Show each phase's progress (files read, operations done, secret fetches in "
        "flight) on stderr; the default is only when stderr is a terminal, --progress shows "
        "it in a CI log too.",
    ),
    # -- configuration --------------------------------------------------------------
    _opt(
        "Configuration",
        "--config",
        "config_file",
        metavar="FILE",
        type=FILE,
        help="Read settings from FILE instead of ./graftpy.yml (flags still win), e.g. "
        "--config ci/graftpy.yml; --config /dev/null ignores graftpy.yml.",
    ),
    # -- parallel evaluation -----------------------------------------------------------
    _opt(
        "Parallel evaluation",
        "--parallel/--no-parallel",
        default=None,
        help="Run independent operations at the same time: on by default where lookups wait on "
        "the network; --parallel for every phase, --no-parallel for graft's sequential run "
        "(default: $GRAFT_PARALLEL, else automatic).",
    ),
    _opt(
        "Parallel evaluation",
        "--strategy",
        type=click.Choice(STRATEGIES),
        help="How to schedule parallel work (implies --parallel), e.g. --strategy adaptive."
        + _over("GRAFT_PARALLEL_STRATEGY"),
    ),
    _opt(
        "Parallel evaluation",
        "--workers",
        metavar="N",
        type=click.IntRange(min=0),
        help="Parallel workers; 0: one per CPU, at least 32 when Vault, AWS or load "
        "lookups wait on the network (implies --parallel), e.g. --workers 8."
        + _over("GRAFT_PARALLEL_WORKERS"),
    ),
    _opt(
        "Parallel evaluation",
        "--min-ops",
        metavar="N",
        type=click.IntRange(min=0),
        help="Phases with fewer operations run sequentially, e.g. --min-ops 50."
        + _over("GRAFT_PARALLEL_MIN_OPS"),
    ),
    # -- secrets ---------------------------------------------------------------------
    _opt(
        "Secrets",
        "--targets",
        metavar="FILE",
        type=FILE,
        help="YAML file of named Vault/AWS targets for (( vault@NAME )), e.g. --targets "
        "targets.yml." + _over("GRAFT_TARGETS"),
    ),
    _opt(
        "Secrets",
        "--redact/--no-redact",
        default=None,
        help="Contact no secret store; secrets print as REDACTED." + _env("REDACT"),
    ),
    _opt(
        "Secrets",
        "--vault-addr",
        metavar="URL",
        help="Vault (or OpenBao) server, e.g. --vault-addr https://vault.example.com:8200."
        + _env("VAULT_ADDR"),
    ),
    _opt(
        "Secrets",
        "--vault-token-file",
        metavar="FILE",
        type=FILE,
        help="Read the Vault token from FILE (a token on the command line would show in "
        "ps), e.g. --vault-token-file ~/.vault-token." + _env("VAULT_TOKEN"),
    ),
    _opt(
        "Secrets",
        "--vault-namespace",
        metavar="NS",
        help="Vault Enterprise namespace, e.g. --vault-namespace team-a." + _env("VAULT_NAMESPACE"),
    ),
    _opt(
        "Secrets",
        "--vault-skip-verify/--no-vault-skip-verify",
        default=None,
        help="Do not check Vault's TLS certificate (test servers only)."
        + _env("VAULT_SKIP_VERIFY"),
    ),
    _opt(
        "Secrets",
        "--aws-profile",
        metavar="NAME",
        help="AWS profile for (( awsparam )) / (( awssecret )), e.g. --aws-profile prod."
        + _env("AWS_PROFILE"),
    ),
    _opt(
        "Secrets",
        "--aws-region",
        metavar="REGION",
        help="AWS region, e.g. --aws-region eu-west-1." + _env("AWS_REGION"),
    ),
    _opt(
        "Secrets",
        "--aws-role",
        metavar="ARN",
        help="AWS role to assume, e.g. --aws-role arn:aws:iam::123456789012:role/deploy."
        + _env("AWS_ROLE"),
    ),
    _opt(
        "Secrets",
        "--aws-endpoint-url",
        metavar="URL",
        help="AWS endpoint (e.g. a local moto or LocalStack), e.g. --aws-endpoint-url "
        "http://127.0.0.1:5000." + _env("AWS_ENDPOINT_URL"),
    ),
    # -- metrics -------------------------------------------------------------------
    _opt(
        "Metrics",
        "--metrics/--no-metrics",
        default=None,
        help="Serve Prometheus metrics of the run over HTTP (default: $GRAFT_METRICS).",
    ),
    _opt(
        "Metrics",
        "--metrics-host",
        metavar="HOST",
        help="Address to serve metrics on, e.g. --metrics-host 0.0.0.0.",
    ),
    _opt(
        "Metrics",
        "--metrics-port",
        metavar="PORT",
        type=click.IntRange(0, 65535),
        help="Port to serve metrics on, e.g. --metrics-port 9102.",
    ),
    _opt(
        "Metrics",
        "--metrics-linger",
        metavar="SECONDS",
        type=click.FloatRange(min=0),
        help="Keep serving metrics this long after the run, for a last scrape, e.g. "
        "--metrics-linger 15.",
    ),
    _opt(
        "Metrics",
        "--metrics-file",
        metavar="FILE",
        type=FILE,
        help="Write the metrics to FILE in Prometheus text format (node_exporter's textfile "
        "collector), e.g. --metrics-file merge.prom.",
    ),
    _opt(
        "Metrics",
        "--metrics-push",
        metavar="URL",
        help="Push the metrics to a Prometheus Pushgateway, e.g. --metrics-push "
        "http://pushgateway:9091.",
    ),
    _opt(
        "Metrics",
        "--metrics-job",
        metavar="NAME",
        help="Job name for the Pushgateway, e.g. --metrics-job deploy-prod.",
    ),
    _opt(
        "Metrics",
        "--metrics-label",
        "metrics_labels",
        multiple=True,
        metavar="NAME=VALUE",
        help="Grouping label of the Pushgateway push (repeatable), e.g. --metrics-label env=prod.",
    ),
    # -- debugging (also accepted before the command, as graft has them) ------------
    _opt(
        "Debugging",
        "--show-origin",
        is_flag=True,
        help="Start each error with the file and line it is about (graft's text has "
        "neither).",
    ),
    _opt(
        "Debugging",
        "-D",
        "--debug",
        is_flag=True,
        help="Print debugging output on stderr, e.g. graftpy merge -D base.yml (also DEBUG=1).",
    ),
    _opt(
        "Debugging",
        "-T",
        "--trace",
        is_flag=True,
        help="Print very verbose tracing on stderr (also TRACE=1).",
    ),
]


def merge_options(func: Any = None, *, files_metavar: str | None = None) -> Any:
    """The options and FILES argument shared by ``merge`` and ``fan``
    (``@merge_options``, or ``@merge_options(files_metavar="SOURCE [TARGETS]...")``)."""

    def decorate_all(func: Any) -> Any:
        func = click.argument("files", nargs=-1, type=FILE_OR_DASH, metavar=files_metavar)(func)
        for decorate in reversed(OPTIONS):
            func = decorate(func)
        return func

    return decorate_all if func is None else decorate_all(func)
