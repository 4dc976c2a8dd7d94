"""Shared test setup. ``ACCELSIM_REQUIRE_EXTRAS=1`` (set by CI) turns a skipped optional-extra
test (torch, onnx, dask) into a failure, so the extras' tests really run in CI."""

import importlib
import itertools
import os

import matplotlib
import numpy as np
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


# ---- an independent answer to "does a legal mapping exist?" ---------------------------------------
def _window(e, r, u, d):
    """Ifmap rows the MACs of e output rows x r filter rows read (a tile stores only those)."""
    return len({i * u + j * d for i in range(e) for j in range(r)})


def _tile_words(ext, sd):
    """Words of (weights, ifmap, psum) of a tile with extents ext[N M C E F R S G] (by hand)."""
    n, m, c, e, f, r, s, g = (int(v) for v in ext)
    return (g * m * c * r * s, g * n * c * _window(e, r, sd[0], sd[2]) * _window(f, s, sd[1], sd[3]),
            g * n * m * e * f)


def _fits(words, hold_row, caps, shared):
    held = [w for w, h in zip(words, hold_row, strict=True) if h]
    if any(h and c >= 0 and w > c for w, h, c in zip(words, hold_row, caps, strict=True)):
        return False
    return shared < 0 or sum(held) <= shared


def mapping_fits(f, hw, hwa, sd, bounds=None) -> bool:
    """Legality decided here, not by the search's code (``kernels._inner_fits``): the spatial
    factors (f[1] rows, f[2] cols) fit the PE array, the RF tile (the RF factors f[0]) and the GLB
    tile (RF x spatial x GLB factors; with ``bounds``, clipped to the layer: a strip-mined
    dimension's tile covers at most the layer) of every held datatype fit its capacity, and the
    held ones together fit a shared capacity."""
    if np.prod(f[1]) > hw.pe_rows or np.prod(f[2]) > hw.pe_cols:
        return False
    glb = f[0] * f[1] * f[2] * f[3]
    if bounds is not None:
        glb = np.minimum(glb, bounds)
    return (_fits(_tile_words(f[0], sd), hwa.hold[0], hwa.rf_cap, hwa.rf_shared)
            and _fits(_tile_words(glb, sd), hwa.hold[1], hwa.glb_cap, hwa.glb_shared))


_REDUCTION_FIRST = [2, 5, 6, 0, 1, 3, 4, 7]  # C, R, S innermost: psums complete before they move out


def legal_mapping_exists(layer, hw, dataflow, limit=20_000):
    from accelsim.mapping.counts import count_accesses
    from accelsim.mapping.dataflows import get_dataflow
    from accelsim.mapping.dims import nest_bounds
    from accelsim.mapping.mapspace import build_splits, hardware_arrays

    """True if some factorization of the dataflow's splits fits the array, the RF and the GLB and
    (with the reduction loops innermost at the GLB and DRAM levels) reads no psum back from DRAM;
    False if none does; None if ``limit`` factorizations were tried without an answer."""
    nest = layer.nest
    bounds, sd = nest_bounds(nest), np.array([nest.Uh, nest.Uw, nest.Dh, nest.Dw], dtype=np.int64)
    hwa = hardware_arrays(hw, get_dataflow(dataflow))
    splits = build_splits(bounds, get_dataflow(dataflow), hwa)
    if any(not s for s in splits):
        return False
    orders = np.array([_REDUCTION_FIRST, _REDUCTION_FIRST], dtype=np.int64)
    counts = np.zeros((4, 3, 2), dtype=np.int64)
    for tried, choice in enumerate(itertools.product(*splits)):
        if tried >= limit:
            return None
        f = np.array(choice, dtype=np.int64).T
        if not mapping_fits(f, hw, hwa, sd):
            continue
        count_accesses(bounds, sd, f, orders, hwa.hold, hwa.multicast, counts)
        if counts[0, 2, 0] == 0:
            return True
    return False
