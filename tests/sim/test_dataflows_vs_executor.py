"""Under every dataflow, mappings drawn from that dataflow's own constrained mapspace (its spatial
and RF constraints, its RF bypasses, the hardware's capacities; strip-mined splits with partial
array tiles drawn first where the dimension has them) cost the same in the analytic model as in
the literal executor, count for count, and the executor computes the convolution: 360 random
small layers (grouped, strided, dilated) per dataflow, at least 300 of them strip-mined (imperfect
factorizations) and 40 with exact splits."""

import sys
from pathlib import Path

import numpy as np
import pytest
from randmap import random_layer
from test_model_vs_executor import check_against_executor

sys.path.insert(0, str(Path(__file__).parents[1] / "mapping"))
from fakehw import hardware  # noqa: E402

from accelsim.mapping.counts import is_partial  # noqa: E402
from accelsim.mapping.dataflows import DATAFLOWS, NAMES  # noqa: E402
from accelsim.mapping.kernels import _inner_fits  # noqa: E402
from accelsim.mapping.mapspace import build_splits, hardware_arrays  # noqa: E402

HW = hardware(rows=4, cols=4, rf=(48, 24, 16), glb_shared=2048)


def legal_mapping(rng, bounds, sd, df, hwa, strip=True):
    """A random mapping of the dataflow's mapspace that fits the hardware, or None; ``strip``: the
    mapspace with strip-mined spatial factors (drawn 70% of the time where a dimension has one)."""
    splits = build_splits(bounds, df, hwa, strip)
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
    """(bounds, sd, factors, orders, hwa) of the seed's layer and mapping, or None: the first of up
    to 40 random layers this dataflow can map whose drawn mapping has a partial array tile (an
    imperfect factorization), else the first it can map at all."""
    rng = np.random.default_rng([seed, NAMES.index(df)])
    dataflow = DATAFLOWS[df]
    hwa = hardware_arrays(HW, dataflow)
    first = None
    strip = seed < STRIP_SEEDS  # the last seeds draw exact splits (perfect factorizations) only
    for _ in range(40):  # a layer this dataflow can map, strip-mined if possible
        bounds, sd = random_layer(rng)
        f = legal_mapping(rng, bounds, sd, dataflow, hwa, strip)
        if f is None:
            continue
        orders = np.array([rng.permutation(8), rng.permutation(8)], dtype=np.int64)
        if not strip or is_partial(bounds, f):
            return bounds, sd, f, orders, hwa, rng
        first = first or (bounds, sd, f, orders, hwa, rng)
    return first


# per dataflow: seeds below STRIP_SEEDS prefer strip-mined mappings (at least 300 of them have a
# partial array tile: test_the_draws_include_partial_tiles), the rest draw exact splits
STRIP_SEEDS, SEEDS = 320, 360


@pytest.mark.parametrize("df", NAMES)
@pytest.mark.parametrize("seed", range(SEEDS))
def test_dataflow_mappings_equal_the_executor(df, seed):
    drawn = draw(df, seed)
    if drawn is None:
        pytest.skip("no mappable layer drawn")
    bounds, sd, f, orders, hwa, rng = drawn
    check_against_executor(rng, bounds, sd, f, orders, hwa.hold, hwa.multicast)


@pytest.mark.parametrize("df", NAMES)
def test_the_draws_include_partial_tiles(df):
    """The property test above covers strip-mining under every dataflow: at least 300 random layers
    per dataflow are mapped with an imperfect factorization (a partial array tile), and every seed
    draws a mapping."""
    drawn = [draw(df, seed) for seed in range(SEEDS)]
    assert all(x is not None for x in drawn)
    assert not any(is_partial(x[0], x[2]) for x in drawn[STRIP_SEEDS:])
    partial = sum(bool(is_partial(x[0], x[2])) for x in drawn)
    assert partial >= 300, partial
