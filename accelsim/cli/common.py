"""Shared CLI plumbing: positive-int flags, output to stdout or a file (atomically)."""

from __future__ import annotations

import argparse
import os
import sys

from accelsim.errors import UsageError
from accelsim.iosafe import atomic_write_text


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def fraction(text: str) -> float:
    """A number between 0 and 1 (e.g. --min-utilization)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a fraction between 0 and 1, got {text!r}") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"expected a fraction between 0 and 1, got {text!r}")
    return value


def add_format(parser: argparse.ArgumentParser, default: str = "table") -> None:
    parser.add_argument("--format", choices=("table", "csv", "json"), default=default,
                        help=f"output format (default {default})")


def check_out(out: str | None) -> None:
    """Refuse an empty ``--out`` (it would silently mean stdout) and a folder, before any work."""
    if out is None:
        return
    if not out.strip():
        raise UsageError("--out is empty; give a file path (leave --out out to print to stdout)")
    if os.path.isdir(out):
        raise UsageError(f"--out {out} is a folder; give a file path")
def add_input(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--input", "--input-shape", default=None, dest="input_shape", metavar="CxHxW",
                        help="build a zoo network at this input size, e.g. 3x224x224 (networks with global "
                             "pooling take any size; fixed fc layers only sizes that keep their input)")


def emit(text: str, out: str | None = None) -> None:
    """Print ``text`` or write it to ``out`` atomically (the old file survives a failure; a device
    or FIFO is written directly, never replaced). A full or closed stdout is a one-line error."""
    if out is not None:
        check_out(out)
        try:
            atomic_write_text(out, text)
        except OSError as exc:
            raise UsageError(f"cannot write --out {out}: {exc.strerror or exc}") from None
    else:
        if sys.stdout is None:
            raise UsageError("cannot write to standard output: it is closed")
        write_stdout(text)


def write_stdout(text: str = "") -> None:
    """Write ``text`` to stdout and flush it; a full (/dev/full) or closed stdout is a one-line
    UsageError (stdout then points at /dev/null, so the interpreter's final flush stays quiet)."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as exc:
        from accelsim.cli import _silence_stdout

        _silence_stdout()
        raise UsageError(f"cannot write to standard output: {getattr(exc, 'strerror', None) or exc}") from None
