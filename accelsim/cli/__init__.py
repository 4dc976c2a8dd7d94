"""The ``accelsim`` command line: a thin shell over ``accelsim.api``.

Each command group lives in its own module with ``register(subparsers, lister)``; ``lister`` is a
dict where a module adds its ``accelsim list KIND`` handler. Every ``AccelsimError`` (and every
bad flag) ends with exit code 2 and one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys

from accelsim.errors import AccelsimError, UsageError


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad flag as one line (exit 2) instead of usage + message."""

    def error(self, message: str):  # noqa: D401 - argparse API
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    from accelsim.cli import workload_cmds

    parser = _Parser(prog="accelsim", description="Eyeriss-style dataflow simulator for CNN accelerators.")
    from accelsim import __version__

    parser.add_argument("--version", action="version", version=f"accelsim {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")
    sub.required = True
    lister: dict = {}
    for module in _command_modules():
        module.register(sub, lister)
    p = sub.add_parser("list", help="list networks, hardware configs or dataflows")
    p.add_argument("kind", choices=sorted(lister))
    p.set_defaults(func=lambda args: lister[args.kind](args))
    del workload_cmds
    return parser


def _command_modules():
    import importlib

    mods = []
    for name in ("workload_cmds", "export_cmds", "hw_cmds", "run_cmds", "sweep_cmds", "reproduce_cmds",
                 "plot_cmds", "explain_cmds"):
        try:
            mods.append(importlib.import_module(f"accelsim.cli.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"accelsim.cli.{name}":
                raise
    return mods


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 2 bad input)."""
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        return int(args.func(args) or 0)
    except AccelsimError as exc:
        print(f"accelsim: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("accelsim: interrupted", file=sys.stderr)
        return 130


def entry() -> None:
    sys.exit(main())
