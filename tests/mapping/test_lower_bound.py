"""The search's pruning bounds never exceed the true cost of any mapping it could cut off:
for random layers and random mappings, lower_bound(RF and spatial factors) <= energy and cycles
of the full mapping, for every objective. (An invalid bound would silently lose the optimum.)"""

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "sim"))
from randmap import random_layer, random_mapping  # noqa: E402

from accelsim.mapping.counts import SZ_LEN, count_accesses, prepare  # noqa: E402
from accelsim.mapping.kernels import cycles_of, energy_of, lower_bound, order_free_bound  # noqa: E402

E_READ = np.array([[200.0, 200.0, 200.0], [6.0, 6.0, 6.0], [2.0, 2.0, 2.0], [1.0, 1.0, 1.0]])
E_WRITE = E_READ.copy()
E_WRITE[2] = 0.0


@pytest.mark.parametrize("seed", range(200))
def test_lower_bound_is_below_the_cost(seed):
    rng = np.random.default_rng(1000 + seed)
    bounds, sd = random_layer(rng)
    f, orders, hold, multicast = random_mapping(rng, bounds)
    bw = np.array([rng.choice([0.0, 1.0, 4.0]), 0.0, 0.0, 0.0])
    counts = np.zeros((4, 3, 2), dtype=np.int64)
    macs, steps, _ = count_accesses(bounds, sd, f, orders, hold, multicast, counts)
    energy = energy_of(counts, macs, E_READ, E_WRITE, 1.0)
    cycles = cycles_of(counts, steps, bw)
    ext = np.empty((4, 8), dtype=np.int64)
    for objective, cost in ((0, energy), (1, cycles), (2, energy * cycles)):
        lb = lower_bound(bounds, sd, f, hold, multicast, E_READ, E_WRITE, 1.0, bw, objective, ext)
        assert lb <= cost * (1 + 1e-12), (objective, lb, cost)


@pytest.mark.parametrize("seed", range(150))
@pytest.mark.parametrize("no_spill", [False, True])
def test_order_free_bound_is_below_every_loop_order(seed, no_spill):
    """The phase-2 bound holds for every GLB and DRAM loop order of the factorization (60 random
    order pairs plus the ones that put each dimension innermost), with and without psum spills;
    the e_read/e_write costs are random so no datatype is favoured."""
    rng = np.random.default_rng(5000 + seed)
    bounds, sd = random_layer(rng)
    f, _, hold, multicast = random_mapping(rng, bounds)
    e_read = rng.uniform(0.5, 300.0, (4, 3))
    e_write = rng.uniform(0.0, 300.0, (4, 3))
    sz = np.zeros(SZ_LEN, dtype=np.int64)
    ext = np.empty((4, 8), dtype=np.int64)
    prepare(bounds, sd, f, sz, ext)
    lb = order_free_bound(f, sz, np.zeros(SZ_LEN, dtype=np.int64), hold, multicast, e_read, e_write, 1.0, no_spill,
                          np.zeros((4, 3, 2), dtype=np.int64), np.zeros((2, 3)), np.zeros((2, 3)))
    orders = [rng.permutation(8) for _ in range(12)] + [np.roll(np.arange(8), -d) for d in range(8)]
    counts = np.zeros((4, 3, 2), dtype=np.int64)
    for glb_order in orders:
        for dram_order in orders[::4]:
            count_accesses(bounds, sd, f, np.array([glb_order, dram_order], dtype=np.int64), hold, multicast, counts)
            if no_spill and counts[0, 2, 0] > 0:
                continue  # an order the search would not consider
            energy = energy_of(counts, int(np.prod(bounds)), e_read, e_write, 1.0)
            assert lb <= energy * (1 + 1e-12), (lb, energy, glb_order, dram_order)
