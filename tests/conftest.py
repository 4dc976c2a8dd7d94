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


def used_ifmap(nest) -> int:
    """Distinct ifmap elements some MAC of the loop nest reads (the sliding-window rows and
    columns that a stride or dilation does not skip), over every batch item, group and channel."""
    rows = {e * nest.Uh + r * nest.Dh for e in range(nest.E) for r in range(nest.R)}
    cols = {f * nest.Uw + s * nest.Dw for f in range(nest.F) for s in range(nest.S)}
    return nest.N * nest.G * nest.C * len(rows) * len(cols)


def assert_conserves(res, layer, where="") -> None:
    """Conservation of a mapped layer, from the layer alone: the hardware executes the nest's
    MACs, every weight and every used ifmap element leaves DRAM at least once, and the ofmap is
    written to DRAM exactly once per element and never read back (no psum spill)."""
    n, c = layer.nest, res.counts
    assert res.macs == n.macs, where
    assert c[0, 0, 0] >= n.G * n.M * n.C * n.R * n.S, where
    assert c[0, 1, 0] >= used_ifmap(n), where
    assert c[0, 2, 1] == n.N * n.G * n.M * n.E * n.F, where
    assert c[0, 2, 0] == 0, where
