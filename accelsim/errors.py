"""Typed user-facing errors. Each carries a one-line message saying what was expected and
what was found; the CLI maps every ``AccelsimError`` to exit code 2 without a traceback."""


class AccelsimError(Exception):
    """Base class of every error caused by user input (not by a bug in accelsim)."""


class ShapeError(AccelsimError, ValueError):
    """A layer's shape is impossible or inconsistent (names the layer)."""


class WorkloadError(AccelsimError, ValueError):
    """A workload file, table or network name cannot be read or is unknown."""


class ConfigError(AccelsimError, ValueError):
    """A hardware or sweep config is malformed (names the file and the field)."""


class NoMappingError(AccelsimError):
    """No legal mapping exists for a layer (names the failing constraint and the sizes)."""


class UsageError(AccelsimError, ValueError):
    """A bad option value or argument combination."""
