"""``python -m tests.differential``: compare graftpy with graft on generated examples.

    .venv/bin/python -m tests.differential --examples 500 --seed 12 --budget 600
    .venv/bin/python -m tests.differential --examples 300 --shrink --without yn-bool,row18

Prints ``differential: N/M identical`` and each difference (the smallest
example of its kind with ``--shrink``). Exits 0 when there is no difference,
1 when there is one, 2 when graft cannot be found. ``--vault`` starts an
OpenBao dev server that both tools read secrets from.
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from . import campaign, oracle, report
from .strategies.runs import Options


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.differential",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--examples", type=int, default=500, help="how many to judge")
    parser.add_argument("--seed", type=int, default=12, help="hypothesis seed (fixed: CI)")
    parser.add_argument("--budget", type=float, default=900.0, help="seconds for the run")
    parser.add_argument("--shrink", action="store_true", help="shrink each kind of difference")
    parser.add_argument(
        "--shrink-budget",
        type=float,
        default=300.0,
        help="seconds for shrinking: hypothesis, then the text reducer",
    )
    parser.add_argument(
        "--hypothesis-shrink",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="shrink with hypothesis before reducing the text",
    )
    parser.add_argument("--graft", help="the reference graft binary (default: unpacked copy)")
    parser.add_argument(
        "--runner",
        choices=["fork", "subprocess"],
        default="fork",
        help="how graftpy runs (fork: in a child of this process)",
    )
    parser.add_argument("--without", default="", help="comma-separated features to leave out")
    parser.add_argument("--vault", action="store_true", help="also run against OpenBao")
    parser.add_argument("--show", type=int, default=10, help="differences to print in full")
    parser.add_argument(
        "--check-runner",
        type=int,
        default=0,
        metavar="N",
        help="first check on N examples that fork and subprocess agree",
    )
    args = parser.parse_args(argv)

    graft = oracle.find_graft(args.graft)
    if graft is None:
        print("differential: graft not found (unpack ../shared/reference first)")
        return 2
    without = frozenset(f for f in args.without.split(",") if f)
    # SIGTERM (CI's timeout) ends the run through the finally below: no server left behind
    signal.signal(signal.SIGTERM, _exit_on_signal)
    server = _start_vault() if args.vault else None
    secrets = ("none", "redact", "vault") if server is not None else ("none", "redact")
    options = Options(without=without, secrets=secrets)
    try:
        if args.check_runner:
            bad = report.check_runner(args.check_runner, args.seed, options)
            if bad:
                print(f"differential: the fork runner differs from the script on {bad} examples")
                return 1
        results = campaign.run(
            graft,
            count=args.examples,
            seed_value=args.seed,
            budget=args.budget,
            options=options,
            runner=args.runner,
            progress=sys.stdout.isatty(),
        )
        print(results.summary(wanted=args.examples, budget=args.budget))
        shrinking = args.shrink and bool(results.differences)
        shown = report.differences(results, limit=0 if shrinking else args.show)
        if shown:
            print(shown)
        if shrinking:
            print(
                report.smallest(
                    results,
                    graft,
                    options=options,
                    runner=args.runner,
                    seed_value=args.seed,
                    count=args.examples,
                    budget=args.shrink_budget,
                    hypothesis=args.hypothesis_shrink,
                )
            )
    finally:
        if server is not None:
            server.stop()
    return 1 if results.differences else 0


def _start_vault():
    """A seeded OpenBao dev server, or None (said on stdout) when none can be started."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the servers package
    from .vault import start_seeded_server

    try:
        server = start_seeded_server()
    except (RuntimeError, OSError) as exc:
        print(f"differential: no OpenBao server ({exc}); secrets are drawn without a store")
        return None
    oracle.CONTEXT.update(vault_addr=server.addr, vault_token=server.token)
    return server


def _exit_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    sys.exit(main())
