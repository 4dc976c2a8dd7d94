"""The analytic model equals the literal executor, count for count, on random small layers and
random legal mappings; the executor's ofmap equals a direct convolution."""

import numpy as np
import pytest
from randmap import random_layer, random_mapping

from accelsim.mapping.counts import count_accesses
from accelsim.sim.executor import Executor, direct_conv


def _data(rng, bounds, sd):
    N, M, C, E, F, R, S, G = (int(b) for b in bounds)
    Uh, Uw, Dh, Dw = (int(v) for v in sd)
    hp = (E - 1) * Uh + (R - 1) * Dh + 1
    wp = (F - 1) * Uw + (S - 1) * Dw + 1
    weights = rng.integers(-3, 4, size=(G, M, C, R, S)).astype(float)
    ifmap = rng.integers(-3, 4, size=(N, G, C, hp, wp)).astype(float)
    return weights, ifmap


@pytest.mark.parametrize("seed", range(300))
def test_counts_equal_the_executor(seed):
    rng = np.random.default_rng(seed)
    bounds, sd = random_layer(rng)
    f, orders, hold, multicast = random_mapping(rng, bounds)
    weights, ifmap = _data(rng, bounds, sd)
    counts_sim, ofmap = Executor(bounds, sd, f, orders, hold, multicast).run(weights, ifmap)
    assert np.array_equal(ofmap, direct_conv(weights, ifmap, bounds, sd))
    counts = np.zeros((4, 3, 2), dtype=np.int64)
    macs, steps, pes = count_accesses(bounds, sd, f, orders, hold, multicast, counts)
    assert macs == int(np.prod(bounds))
    assert np.array_equal(counts, counts_sim), (counts - counts_sim).tolist()
