"""Running `accelsim` in-process for the CLI tests: exit code and output, as a user sees them."""

import contextlib
import io

from accelsim.cli import main


def run(capsys, argv: list[str]) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``accelsim ARGV``, captured by pytest's ``capsys``."""
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def stdout_of(argv: list[str]) -> tuple[int, str]:
    """(exit code, stdout) of ``accelsim ARGV`` without capsys (for module-scoped fixtures)."""
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(argv)
    return code, buf.getvalue()
