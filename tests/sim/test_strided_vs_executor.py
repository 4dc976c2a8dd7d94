"""Strided windows (issue 15, item 5): on layers whose stride exceeds the window along some axis
(U > (R-1)*D + 1, so the rows between windows are never read), mixed with overlapping and dilated
windows, the analytic model equals the literal executor count for count, under random mappings
and under every dataflow's own mapspace (300 layers each), and the executor never stores more
ifmap words in a buffer than the model's tile size (tiles are stored compacted: the capacity
checks and the counts describe the same tiles)."""

import sys
from pathlib import Path

import numpy as np
import pytest
from randmap import random_mapping, random_strided_layer, random_strip_mapping, skips_rows
from test_dataflows_vs_executor import HW, legal_mapping
from test_model_vs_executor import check_against_executor

sys.path.insert(0, str(Path(__file__).parents[1] / "mapping"))

from accelsim.mapping.counts import is_partial, tile_words  # noqa: E402
from accelsim.mapping.dataflows import DATAFLOWS, NAMES  # noqa: E402
from accelsim.mapping.mapspace import hardware_arrays  # noqa: E402


def _model_tiles(f, sd, bounds):
    """Words of each datatype's RF tile and GLB tile as the model sizes them (``tile_words``; a
    strip-mined dimension's GLB tile clipped to the layer, as ``kernels._glb_fits`` checks it)."""
    rf = [int(tile_words(t, f[0], sd)) for t in range(3)]
    glb = [int(tile_words(t, np.minimum(f[0] * f[1] * f[2] * f[3], bounds), sd)) for t in range(3)]
    return rf, glb


def _check(bounds, sd, f, orders, hold, multicast, rng):
    rf_cap, glb_cap = _model_tiles(f, sd, bounds)
    check_against_executor(rng, bounds, sd, f, orders, hold, multicast, rf_capacity=rf_cap, glb_capacity=glb_cap)


@pytest.mark.parametrize("seed", range(300))
def test_strided_counts_equal_the_executor(seed):
    rng = np.random.default_rng([seed, 15])
    bounds, sd = random_strided_layer(rng)
    f, orders, hold, multicast = random_mapping(rng, bounds)
    _check(bounds, sd, f, orders, hold, multicast, rng)


@pytest.mark.parametrize("seed", range(300))
def test_strided_strip_mined_counts_equal_the_executor(seed):
    """Strided windows and strip-mining together: random mappings with partial array tiles (N M E
    F G spread over PEs that do not divide them) on strided layers."""
    rng = np.random.default_rng([seed, 16])
    bounds, sd = random_strided_layer(rng)
    f, orders, hold, multicast = random_strip_mapping(rng, bounds)
    _check(bounds, sd, f, orders, hold, multicast, rng)


def _draw(df, seed):
    """(rng, bounds, sd, f, hwa) for one seed: a strided layer the dataflow can map and a legal
    mapping from its (strip-mined) mapspace, or None. Seeds below SEEDS_BOTH take the first of up
    to 60 draws whose layer skips rows and whose mapping has a partial array tile, the others the
    first whose layer does not skip rows (overlapping windows), else the first mappable one."""
    rng = np.random.default_rng([seed, NAMES.index(df), 15])
    hwa = hardware_arrays(HW, DATAFLOWS[df])
    first = None
    for _ in range(60):  # a layer this dataflow can map
        bounds, sd = random_strided_layer(rng)
        f = legal_mapping(rng, bounds, sd, DATAFLOWS[df], hwa)
        if f is None:
            continue
        if (skips_rows(bounds, sd) and is_partial(bounds, f)) if seed < SEEDS_BOTH else not skips_rows(bounds, sd):
            return rng, bounds, sd, f, hwa
        first = first or (rng, bounds, sd, f, hwa)
    return first


# per dataflow: the first SEEDS_BOTH seeds prefer layers that skip rows mapped with partial tiles,
# the rest layers that do not skip rows (test_the_dataflow_draws_mix_skipped_and_overlapping_rows)
SEEDS_BOTH, SEEDS = 310, 380


@pytest.mark.parametrize("df", NAMES)
@pytest.mark.parametrize("seed", range(SEEDS))
def test_strided_dataflow_mappings_equal_the_executor(df, seed):
    drawn = _draw(df, seed)
    if drawn is None:
        pytest.skip("no mappable layer drawn")
    rng, bounds, sd, f, hwa = drawn
    orders = np.array([rng.permutation(8), rng.permutation(8)], dtype=np.int64)
    _check(bounds, sd, f, orders, hwa.hold, hwa.multicast, rng)


@pytest.mark.parametrize("df", NAMES)
def test_the_dataflow_draws_mix_skipped_and_overlapping_rows(df):
    """Of the layers each dataflow test above runs, at least 300 skip rows (U > (R-1)*D + 1 along
    some axis) AND are mapped with a partial array tile (strided windows and strip-mining
    together), and at least 60 do not skip rows: both regimes are exercised under every dataflow."""
    drawn = [_draw(df, seed) for seed in range(SEEDS)]
    assert sum(d is None for d in drawn) <= 30
    skipping = sum(bool(skips_rows(d[1], d[2])) for d in drawn if d is not None)
    both = sum(bool(skips_rows(d[1], d[2]) and is_partial(d[1], d[3])) for d in drawn if d is not None)
    assert both >= 300 and len(drawn) - skipping >= 60, (both, skipping)
