"""Shared CLI plumbing: positive-int flags, output to stdout or a file (atomically)."""

from __future__ import annotations

import argparse
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


def emit(text: str, out: str | None = None) -> None:
    """Print ``text`` or write it to ``out`` atomically (the old file survives a failure)."""
    if out:
        try:
            atomic_write_text(out, text)
        except OSError as exc:
            raise UsageError(f"cannot write --out {out}: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
