"""Run accelsim as ``python -m accelsim``."""
from accelsim.cli import entry

entry()
