"""The ``accelsim`` command line: a thin shell over ``accelsim.api``.

Each command group lives in its own module with ``register(subparsers, lister)``; ``lister`` is a
dict where a module adds its ``accelsim list KIND`` handler. Every ``AccelsimError`` (and every
bad flag) ends with exit code 2 and one line on stderr, never a traceback. Any other exception
is a bug in accelsim: it ends with exit code 3 (``EXIT_INTERNAL``) and one line naming what failed
and asking for a report; ``--debug`` (anywhere on the command line) or ``ACCELSIM_DEBUG=1`` prints
the traceback too. Ctrl-C ends with exit code 130 and one line, at any moment after start-up.
"""

from __future__ import annotations

import argparse
import os
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
    parser.add_argument("--debug", action="store_true",
                        help="on an internal error, print the traceback (also: ACCELSIM_DEBUG=1)")
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


EXIT_INTERNAL = 3  # an exception that is not an AccelsimError: a bug (docs/troubleshooting.md)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 2 bad input, 3 internal error, 130 interrupted)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv or os.environ.get("ACCELSIM_DEBUG", "") not in ("", "0")
    argv = [a for a in argv if a != "--debug"]
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        code = int(args.func(args) or 0)
        _flush_stdout()
        return code
    except AccelsimError as exc:
        _error(f"accelsim: error: {exc}")
        return 2
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except KeyboardInterrupt:
        _error("accelsim: interrupted")
        return 130
    except RecursionError as exc:  # a hostile input that slipped past the nesting limits
        return _internal(exc, debug)
    except Exception as exc:
        return _internal(exc, debug)


def _flush_stdout() -> None:
    """Flush what the command printed; a full (/dev/full) or closed stdout is a one-line error."""
    if sys.stdout is None:
        return
    from accelsim.cli.common import write_stdout

    write_stdout()


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot print a second error."""
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, sys.stdout.fileno())
        os.close(fd)
    except (OSError, ValueError, AttributeError):
        pass


def _error(line: str) -> None:
    try:
        print(line, file=sys.stderr)
    except (OSError, ValueError, AttributeError):
        pass


def _internal(exc: BaseException, debug: bool) -> int:
    """One line for a bug: what failed, where, and how to report it (the traceback with --debug)."""
    if debug:
        import traceback

        traceback.print_exception(exc, file=sys.stderr)
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    at = f" in {os.path.basename(tb.tb_frame.f_code.co_filename)}:{tb.tb_lineno}" if tb is not None else ""
    detail = " ".join(str(exc).split())[:160]
    hint = "" if debug else "; rerun with --debug for the traceback"
    _error(f"accelsim: internal error: {type(exc).__name__}{at}: {detail or '(no message)'} -- this is a bug in "
           f"accelsim, please report it with the command line{hint}")
    return EXIT_INTERNAL


def entry() -> None:
    try:
        code = main()
    except KeyboardInterrupt:  # between main's handlers and the exit
        code = 130
    sys.exit(code)
