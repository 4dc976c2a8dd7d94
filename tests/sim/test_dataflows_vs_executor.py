"""Under every dataflow, mappings drawn from that dataflow's own constrained mapspace (its spatial
and RF constraints, its RF bypasses, the hardware's capacities) cost the same in the analytic
model as in the literal executor, count for count, and the executor computes the convolution:
300 random small layers (grouped, strided, dilated) per dataflow."""

import sys
from pathlib import Path

import numpy as np
import pytest
from randmap import random_layer
from test_model_vs_executor import _data

sys.path.insert(0, str(Path(__file__).parents[1] / "mapping"))
from fakehw import hardware  # noqa: E402

from accelsim.mapping.counts import count_accesses  # noqa: E402
from accelsim.mapping.dataflows import DATAFLOWS, NAMES  # noqa: E402
from accelsim.mapping.kernels import _inner_fits  # noqa: E402
from accelsim.mapping.mapspace import build_splits, hardware_arrays  # noqa: E402
from accelsim.sim.executor import Executor, direct_conv  # noqa: E402

HW = hardware(rows=4, cols=4, rf=(48, 24, 16), glb_shared=2048)


def legal_mapping(rng, bounds, sd, df, hwa):
    """A random mapping of the dataflow's mapspace that fits the hardware, or None."""
    splits = build_splits(bounds, df, hwa)
    if any(not s for s in splits):
        return None
    for _ in range(200):
        f = np.array([s[rng.integers(len(s))] for s in splits], dtype=np.int64).T
        if _inner_fits(f, sd, hwa.hold, hwa.limits, np.empty(8, dtype=np.int64)):
            return f
    return None


@pytest.mark.parametrize("df", NAMES)
@pytest.mark.parametrize("seed", range(300))
def test_dataflow_mappings_equal_the_executor(df, seed):
    rng = np.random.default_rng([seed, NAMES.index(df)])
    dataflow = DATAFLOWS[df]
    hwa = hardware_arrays(HW, dataflow)
    for _ in range(20):  # a layer this dataflow can map
        bounds, sd = random_layer(rng)
        f = legal_mapping(rng, bounds, sd, dataflow, hwa)
        if f is not None:
            break
    else:
        pytest.skip("no mappable layer drawn")
    orders = np.array([rng.permutation(8), rng.permutation(8)], dtype=np.int64)
    weights, ifmap = _data(rng, bounds, sd)
    counts_sim, ofmap = Executor(bounds, sd, f, orders, hwa.hold, hwa.multicast).run(weights, ifmap)
    assert np.array_equal(ofmap, direct_conv(weights, ifmap, bounds, sd))
    counts = np.zeros((4, 3, 2), dtype=np.int64)
    macs, _, _ = count_accesses(bounds, sd, f, orders, hwa.hold, hwa.multicast, counts)
    assert macs == int(np.prod(bounds))
    assert np.array_equal(counts, counts_sim), (counts - counts_sim).tolist()
