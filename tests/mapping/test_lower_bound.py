"""The search's pruning bound never exceeds the true cost of any mapping it could cut off:
for random layers and random mappings, lower_bound(RF and spatial factors) <= energy and cycles
of the full mapping, for every objective. (An invalid bound would silently lose the optimum.)"""

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "sim"))
from randmap import random_layer, random_mapping  # noqa: E402

from accelsim.mapping.counts import count_accesses  # noqa: E402
from accelsim.mapping.kernels import cycles_of, energy_of, lower_bound  # noqa: E402

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
