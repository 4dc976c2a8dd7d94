"""Shared test setup. ``ACCELSIM_REQUIRE_EXTRAS=1`` (set by CI) turns a skipped optional-extra
test (torch, onnx, dask) into a failure, so the extras' tests really run in CI."""

import importlib
import os

import matplotlib
import pytest

matplotlib.use("Agg")

try:
    from hypothesis import settings

    settings.register_profile("ci", max_examples=100, deadline=None, derandomize=True)
    settings.register_profile("dev", max_examples=50, deadline=None)
    settings.load_profile("ci" if os.environ.get("CI") else "dev")
except ImportError:  # pragma: no cover
    pass


def require(module: str):
    """Import an optional extra or skip the test (fail instead under ACCELSIM_REQUIRE_EXTRAS=1)."""
    if os.environ.get("ACCELSIM_REQUIRE_EXTRAS") == "1":
        return importlib.import_module(module)
    return pytest.importorskip(module)
