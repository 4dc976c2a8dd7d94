"""Run accelsim as ``python -m accelsim``."""
import sys

try:
    from accelsim.cli import entry
except KeyboardInterrupt:  # Ctrl-C while Python starts: no traceback
    sys.stderr.write("accelsim: interrupted\n")
    sys.exit(130)

entry()
