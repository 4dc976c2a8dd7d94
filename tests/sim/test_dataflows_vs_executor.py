"""Under every dataflow, mappings drawn from that dataflow's own constrained mapspace (its spatial
and RF constraints, its RF bypasses, the hardware's capacities; strip-mined splits with partial
array tiles drawn first where the dimension has them) cost the same in the analytic model as in
the literal executor, count for count, and the executor computes the convolution: 300 random
small layers (grouped, strided, dilated) per dataflow."""

import sys
from pathlib import Path

import numpy as np
import pytest
from randmap import random_layer
from test_model_vs_executor import _data

sys.path.insert(0, str(Path(__file__).parents[1] / "mapping"))
from fakehw import hardware  # noqa: E402

from accelsim.mapping.counts import count_accesses, is_partial  # noqa: E402
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
        picks = []
        for d, s in enumerate(splits):
            strip = [x for x in s if (bounds[d] // x[0]) % (x[1] * x[2])]
            pool = strip if strip and rng.random() < 0.7 else s
            picks.append(pool[rng.integers(len(pool))])
        f = np.array(picks, dtype=np.int64).T
        if _inner_fits(f, sd, hwa.hold, hwa.limits, np.empty(8, dtype=np.int64), bounds):
            return f
    return None


def draw(df, seed):
    """(bounds, sd, factors, orders, hwa) of the seed's layer and mapping, or None."""
    rng = np.random.default_rng([seed, NAMES.index(df)])
    dataflow = DATAFLOWS[df]
    hwa = hardware_arrays(HW, dataflow)
    for _ in range(20):  # a layer this dataflow can map
        bounds, sd = random_layer(rng)
        f = legal_mapping(rng, bounds, sd, dataflow, hwa)
        if f is not None:
            orders = np.array([rng.permutation(8), rng.permutation(8)], dtype=np.int64)
            return bounds, sd, f, orders, hwa, rng
    return None


@pytest.mark.parametrize("df", NAMES)
@pytest.mark.parametrize("seed", range(300))
def test_dataflow_mappings_equal_the_executor(df, seed):
    drawn = draw(df, seed)
    if drawn is None:
        pytest.skip("no mappable layer drawn")
    bounds, sd, f, orders, hwa, rng = drawn
    weights, ifmap = _data(rng, bounds, sd)
    counts_sim, ofmap = Executor(bounds, sd, f, orders, hwa.hold, hwa.multicast).run(weights, ifmap)
    assert np.array_equal(ofmap, direct_conv(weights, ifmap, bounds, sd))
    counts = np.zeros((4, 3, 2), dtype=np.int64)
    macs, _, _ = count_accesses(bounds, sd, f, orders, hwa.hold, hwa.multicast, counts)
    assert macs == int(np.prod(bounds))
    assert np.array_equal(counts, counts_sim), (counts - counts_sim).tolist()


@pytest.mark.parametrize("df", NAMES)
def test_the_draws_include_partial_tiles(df):
    """The property test above covers strip-mining under every dataflow: a good share of its
    mappings have a partial array tile, and almost every seed draws a mapping."""
    drawn = [draw(df, seed) for seed in range(300)]
    assert sum(x is not None for x in drawn) >= 280
    partial = sum(bool(is_partial(x[0], x[2])) for x in drawn if x is not None)
    assert partial >= 50, partial  # at least one in six
