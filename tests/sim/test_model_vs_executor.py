"""The analytic model equals the literal executor, count for count, on random small layers and
random legal mappings, exact splits and strip-mined ones (partial array tiles); the executor's
ofmap equals a direct convolution."""

import numpy as np
import pytest
from randmap import random_layer, random_mapping, random_strip_mapping

from accelsim.mapping.counts import count_accesses, count_general, is_partial
from accelsim.sim.executor import Executor, direct_conv


def _data(rng, bounds, sd):
    N, M, C, E, F, R, S, G = (int(b) for b in bounds)
    Uh, Uw, Dh, Dw = (int(v) for v in sd)
    hp = (E - 1) * Uh + (R - 1) * Dh + 1
    wp = (F - 1) * Uw + (S - 1) * Dw + 1
    weights = rng.integers(-3, 4, size=(G, M, C, R, S)).astype(float)
    ifmap = rng.integers(-3, 4, size=(N, G, C, hp, wp)).astype(float)
    return weights, ifmap


def check_against_executor(rng, bounds, sd, f, orders, hold, multicast, **capacity):
    """Run the executor on random data (``capacity``: its rf_capacity / glb_capacity checks): its
    ofmap is the direct convolution, and the model's counts equal its counts with every MAC done.
    Returns (executor, the model's MAC steps, its peak active PEs)."""
    weights, ifmap = _data(rng, bounds, sd)
    ex = Executor(bounds, sd, f, orders, hold, multicast, **capacity)
    counts_sim, ofmap = ex.run(weights, ifmap)
    assert np.array_equal(ofmap, direct_conv(weights, ifmap, bounds, sd))
    counts = np.zeros((4, 3, 2), dtype=np.int64)
    macs, steps, peak = count_accesses(bounds, sd, f, orders, hold, multicast, counts)
    assert macs == int(np.prod(bounds))
    assert np.array_equal(counts, counts_sim), (counts - counts_sim).tolist()
    return ex, steps, peak


@pytest.mark.parametrize("seed", range(300))
def test_counts_equal_the_executor(seed):
    rng = np.random.default_rng(seed)
    bounds, sd = random_layer(rng)
    f, orders, hold, multicast = random_mapping(rng, bounds)
    check_against_executor(rng, bounds, sd, f, orders, hold, multicast)


@pytest.mark.parametrize("seed", range(300))
def test_strip_mined_counts_equal_the_executor(seed):
    """Spatial factors that do not divide the bound (the last array tile partial): counts, MAC
    steps and peak PEs equal the executor's."""
    rng = np.random.default_rng([seed, 15])
    bounds, sd = random_layer(rng)
    f, orders, hold, multicast = random_strip_mapping(rng, bounds)
    ex, steps, peak = check_against_executor(rng, bounds, sd, f, orders, hold, multicast)
    assert ex.macs == int(np.prod(bounds))
    assert steps == ex.steps and peak == ex.peak_pes


def test_strip_mined_mappings_are_drawn():
    """The property test above is about partial tiles: most of its mappings have one."""
    partial = 0
    for seed in range(300):
        rng = np.random.default_rng([seed, 15])
        bounds, _ = random_layer(rng)
        f, _, _, _ = random_strip_mapping(rng, bounds)
        partial += bool(is_partial(bounds, f))
    assert partial >= 200


@pytest.mark.parametrize("seed", range(200))
def test_the_partial_tile_path_equals_the_exact_one_on_exact_splits(seed):
    rng = np.random.default_rng([seed, 16])
    bounds, sd = random_layer(rng, max_macs=200000)
    f, orders, hold, multicast = random_mapping(rng, bounds)
    a = np.zeros((4, 3, 2), dtype=np.int64)
    b = np.zeros((4, 3, 2), dtype=np.int64)
    assert count_accesses(bounds, sd, f, orders, hold, multicast, a) == \
        count_general(bounds, sd, f, orders, hold, multicast, b)
    assert np.array_equal(a, b)
