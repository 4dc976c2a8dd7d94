"""The search's pruning bounds never exceed the true cost of any mapping they could cut off: for
random layers and random mappings (exact splits, and strip-mined ones with partial array tiles),
lower_bound(RF and spatial factors) <= energy and cycles of the full mapping for every objective,
and the box bound <= the energy of every completion of a partial GLB assignment. (An invalid bound
would silently lose the optimum.)"""

import itertools
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "sim"))
from randmap import random_layer, random_mapping, random_strip_mapping  # noqa: E402

from accelsim.mapping.bounds import (  # noqa: E402
    BOX_A,
    BOX_LEN,
    BOX_Q,
    BOX_STALE,
    SCRATCH_LEN,
    affine_bound,
    box_bound,
    glb_factor_caps,
    lower_bound,
    lower_bound_partial,
    rf_affine_partial,
    set_box,
)
from accelsim.mapping.counts import (  # noqa: E402
    GZ_LEN,
    SZ_LEN,
    SZ_MACS,
    compulsory_words,
    count_accesses,
    is_partial,
    prepare_general,
    prepare_inner,
    tile_words,
)
from accelsim.mapping.kernels import _glb_fits, cycles_of, energy_of  # noqa: E402
from accelsim.mapping.mapspace import LIM_GLB, LIM_GLB_SHARED  # noqa: E402
from accelsim.mapping.parts import COEF_LEN, glb_unit_coefficients, part_coefficients  # noqa: E402

E_READ = np.array([[200.0, 200.0, 200.0], [6.0, 6.0, 6.0], [2.0, 2.0, 2.0], [1.0, 1.0, 1.0]])
E_WRITE = E_READ.copy()
E_WRITE[2] = 0.0


@pytest.mark.parametrize("seed", range(200))
def test_lower_bound_is_below_the_cost(seed):
    rng = np.random.default_rng(1000 + seed)
    assert_lower_bound_below_cost(rng, *random_layer(rng))


def assert_lower_bound_below_cost(rng, bounds, sd):
    """A random mapping of the layer and a random DRAM bandwidth: the lower bound of its RF and
    spatial factors is below its energy, cycles and EDP."""
    f, orders, hold, multicast = random_mapping(rng, bounds)
    bw = np.array([rng.choice([0.0, 1.0, 4.0]), 0.0, 0.0, 0.0])
    counts = np.zeros((4, 3, 2), dtype=np.int64)
    macs, steps, _ = count_accesses(bounds, sd, f, orders, hold, multicast, counts)
    energy = energy_of(counts, macs, E_READ, E_WRITE, 1.0)
    cycles = cycles_of(counts, steps, bw, f)
    ext = np.empty((4, 8), dtype=np.int64)
    for objective, cost in ((0, energy), (1, cycles), (2, energy * cycles)):
        lb = lower_bound(bounds, sd, f, hold, multicast, E_READ, E_WRITE, 1.0, bw, objective, ext)
        assert lb <= cost * (1 + 1e-12), (objective, lb, cost)


@pytest.mark.parametrize("seed", range(300))
def test_partial_tile_lower_bound_is_below_the_cost(seed):
    """lower_bound_partial (RF and spatial factors with partial array tiles, GLB and DRAM loops
    open) <= the energy, cycles and EDP of the full strip-mined mapping."""
    rng = np.random.default_rng([seed, 77])
    for _ in range(100):  # draw layers and mappings until one has a partial tile (every seed tests one)
        if assert_partial_lower_bound_below_cost(rng, *random_layer(rng)):
            return
    pytest.fail("100 draws without a partial tile")


def assert_partial_lower_bound_below_cost(rng, bounds, sd):
    """A random strip-mined mapping of the layer, random energies and DRAM bandwidth: the partial
    lower bound is below its energy, cycles and EDP. False when the mapping has no partial tile."""
    f, orders, hold, multicast = random_strip_mapping(rng, bounds)
    if not is_partial(bounds, f):
        return False
    bw = np.array([rng.choice([0.0, 1.0, 4.0]), 0.0, 0.0, 0.0])
    e_read = rng.uniform(0.5, 300.0, (4, 3))
    e_write = rng.uniform(0.0, 300.0, (4, 3))
    counts = np.zeros((4, 3, 2), dtype=np.int64)
    macs, steps, _ = count_accesses(bounds, sd, f, orders, hold, multicast, counts)
    energy = energy_of(counts, macs, e_read, e_write, 1.0)
    cycles = cycles_of(counts, steps, bw, f)
    g = f.copy()
    g[3], g[4] = 1, f[3] * f[4]
    gz = np.zeros(GZ_LEN, dtype=np.int64)
    prepare_general(bounds, sd, g, gz)
    for objective, cost in ((0, energy), (1, cycles), (2, energy * cycles)):
        lb = lower_bound_partial(bounds, sd, g, gz, hold, multicast, e_read, e_write, 1.0, bw, objective)
        assert lb <= cost * (1 + 1e-12), (objective, lb, cost)
    return True


UNBOUNDED = np.array([-1] * 8 + [64, 64], dtype=np.int64)


def _glb_limits(rng, f, hold, sd, bounds):
    """GLB capacities (``mapspace.LIM_*`` layout) that the mapping f just fits: per datatype or
    shared, at its tiles' sizes or up to twice that."""
    ext = np.minimum(f[0] * f[1] * f[2] * f[3], bounds)
    tiles = [int(tile_words(t, ext, sd)) for t in range(3)]
    limits = UNBOUNDED.copy()
    slack = rng.choice([1.0, 1.0, 1.5, 2.0])
    if rng.random() < 0.5:
        limits[LIM_GLB_SHARED] = int(sum(w for t, w in enumerate(tiles) if hold[1, t]) * slack)
    else:
        for t in range(3):
            limits[LIM_GLB + t] = int(tiles[t] * slack) if rng.random() < 0.8 else -1
    return limits


def _bound_inputs(bounds, sd, f, hold, multicast, e_read, e_write, no_spill):
    """What box_bound takes for the RF and spatial factors f[0:3], as the search prepares it, and a
    box with every GLB factor open over all divisors."""
    rf_aff, glb_aff = np.zeros((3, 3)), np.zeros((3, 3))
    rem = -(-(bounds // f[0]) // (f[1] * f[2]))  # array tiles (strip-mined: the last partial)
    if is_partial(bounds, f):  # as the search does: the general sizes, GLB loops still open
        g = f.copy()
        g[3], g[4] = 1, rem
        gz = np.zeros(GZ_LEN, dtype=np.int64)
        prepare_general(bounds, sd, g, gz)
        rf_affine_partial(gz, hold, multicast, e_read, e_write, no_spill, rf_aff)
        macs = float(np.prod(bounds))
    else:
        sz = np.zeros(SZ_LEN, dtype=np.int64)
        prepare_inner(bounds, sd, f, sz, np.empty((4, 8), dtype=np.int64))
        coef, spill = np.zeros((3, COEF_LEN)), np.zeros((3, 2), dtype=np.int64)
        part_coefficients(True, sz, hold, multicast, e_read, e_write, np.zeros((4, 3, 2), dtype=np.int64), coef,
                          spill)
        affine_bound(coef, spill, no_spill, rf_aff)
        macs = float(sz[SZ_MACS])
    unit, unit_spill = np.zeros((3, COEF_LEN)), np.zeros((3, 2), dtype=np.int64)
    glb_unit_coefficients(bounds, sd, hold, multicast, e_read, e_write, unit, unit_spill)
    affine_bound(unit, unit_spill, no_spill, glb_aff)
    tensors = np.zeros(3, dtype=np.int64)
    compulsory_words(bounds, sd, tensors)
    box = np.ones((BOX_LEN, 8), dtype=np.int64)
    box[BOX_Q] = rem
    box[BOX_A] = f[0] * f[1] * f[2]
    for d in range(8):
        set_box(box, d, 1, rem[d])
    return macs, glb_aff, rf_aff, tensors, box


def _box_bound(bounds, sd, f, gl, gh, hold, multicast, e_read, e_write, no_spill, limits=UNBOUNDED):
    """box_bound for the RF and spatial factors f[0:3] and GLB factors in [gl, gh] per dimension."""
    macs, glb_aff, rf_aff, tensors, box = _bound_inputs(bounds, sd, f, hold, multicast, e_read, e_write, no_spill)
    for d in range(8):
        set_box(box, d, gl[d], gh[d])
    gcap = np.zeros((2, 4), dtype=np.int64)
    glb_factor_caps(box, hold, limits, gcap)
    if is_partial(bounds, f):
        gcap[1] = 0  # as the search does: no capacity coupling with partial tiles
    return box_bound(box, bounds, sd, hold, glb_aff, rf_aff, tensors, gcap, macs,
                     np.zeros((SCRATCH_LEN, 5), np.int64), np.zeros((6, 3)))


def _orders(rng):
    return [rng.permutation(8) for _ in range(12)] + [np.roll(np.arange(8), -d) for d in range(8)]


def _min_energy_over_orders(bounds, sd, f, hold, multicast, e_read, e_write, no_spill, orders):
    counts = np.zeros((4, 3, 2), dtype=np.int64)
    best = np.inf
    for glb_order in orders:
        for dram_order in orders[::4]:
            count_accesses(bounds, sd, f, np.array([glb_order, dram_order], dtype=np.int64), hold, multicast, counts)
            if no_spill and counts[0, 2, 0] > 0:
                continue  # an order the search would not consider
            best = min(best, energy_of(counts, int(np.prod(bounds)), e_read, e_write, 1.0))
    return best


MAPPINGS = {"exact": random_mapping, "strip": random_strip_mapping}


@pytest.mark.parametrize("kind", MAPPINGS)
@pytest.mark.parametrize("seed", range(150))
@pytest.mark.parametrize("no_spill", [False, True])
def test_box_bound_at_a_factorization_is_below_every_loop_order(seed, no_spill, kind):
    """With every GLB factor fixed (a point box) the bound holds for every GLB and DRAM loop order
    of the factorization (60 random order pairs plus the ones that put each dimension innermost),
    with and without psum spills; the e_read/e_write costs are random so no datatype is favoured."""
    rng = np.random.default_rng(5000 + seed)
    bounds, sd = random_layer(rng)
    f, _, hold, multicast = MAPPINGS[kind](rng, bounds)
    e_read = rng.uniform(0.5, 300.0, (4, 3))
    e_write = rng.uniform(0.0, 300.0, (4, 3))
    lb = _box_bound(bounds, sd, f, f[3], f[3], hold, multicast, e_read, e_write, no_spill,
                    _glb_limits(rng, f, hold, sd, bounds))
    energy = _min_energy_over_orders(bounds, sd, f, hold, multicast, e_read, e_write, no_spill, _orders(rng))
    assert lb <= energy * (1 + 1e-12), (lb, energy)


def _divisors(n):
    return [d for d in range(1, n + 1) if n % d == 0]


@pytest.mark.parametrize("kind", MAPPINGS)
@pytest.mark.parametrize("seed", range(120))
@pytest.mark.parametrize("no_spill", [False, True])
def test_box_bound_is_below_every_completion_in_the_box(seed, no_spill, kind):
    """With some GLB factors left open over an interval of divisors, the bound holds for every
    completion inside the box that fits the GLB (every GLB/DRAM split of the open dimensions, each
    costed at its cheapest of many loop orders), so pruning a partial assignment never loses the
    optimum."""
    rng = np.random.default_rng(9000 + seed)
    bounds, sd = random_layer(rng, max_macs=800)
    f, _, hold, multicast = MAPPINGS[kind](rng, bounds)
    assert_box_bound_below_completions(rng, bounds, sd, f, hold, multicast, no_spill, lambda d: 0.6)


def assert_box_bound_below_completions(rng, bounds, sd, f, hold, multicast, no_spill, open_chance):
    """Open some GLB factors of mapping ``f`` over a random interval of divisors (dimension d with
    probability ``open_chance(d)``), draw energies and GLB capacities, and check the box bound is
    below the cheapest loop-order pair of every completion in the box that fits the GLB."""
    e_read = rng.uniform(0.5, 300.0, (4, 3))
    e_write = rng.uniform(0.0, 300.0, (4, 3))
    rem = f[3] * f[4]
    gl, gh = f[3].copy(), f[3].copy()
    choices = []
    for d in range(8):
        divs = _divisors(int(rem[d]))
        if len(divs) > 1 and rng.random() < open_chance(d):  # leave this dimension open over an interval
            lo, hi = sorted(rng.choice(len(divs), 2))
            gl[d], gh[d] = divs[lo], divs[hi]
            choices.append((d, [v for v in divs if gl[d] <= v <= gh[d]]))
    limits = _glb_limits(rng, f, hold, sd, bounds)
    lb = _box_bound(bounds, sd, f, gl, gh, hold, multicast, e_read, e_write, no_spill, limits)
    orders = _orders(rng)
    g = f.copy()
    for combo in itertools.product(*[vals for _, vals in choices]):
        for (d, _), v in zip(choices, combo, strict=True):
            g[3, d], g[4, d] = v, rem[d] // v
        if not _glb_fits(g, sd, hold, limits, np.empty(8, dtype=np.int64), bounds):
            continue
        energy = _min_energy_over_orders(bounds, sd, g, hold, multicast, e_read, e_write, no_spill, orders)
        assert lb <= energy * (1 + 1e-12), (lb, energy, combo)


@pytest.mark.parametrize("seed", range(40))
def test_box_bound_cache_follows_the_box(seed):
    """box_bound caches the ifmap window terms in its scratch between calls; after any sequence of
    set_box changes (as the search makes them) it equals a computation from fresh scratch."""
    rng = np.random.default_rng(300 + seed)
    bounds, sd = random_layer(rng)
    f, _, hold, multicast = random_mapping(rng, bounds)
    e_read = rng.uniform(0.5, 300.0, (4, 3))
    e_write = rng.uniform(0.0, 300.0, (4, 3))
    macs, glb_aff, rf_aff, tensors, box = _bound_inputs(bounds, sd, f, hold, multicast, e_read, e_write, False)
    gcap = np.zeros((2, 4), dtype=np.int64)
    gcap[0] = 1 << 62  # no GLB limits
    rem = f[3] * f[4]
    scratch = np.zeros((SCRATCH_LEN, 5), dtype=np.int64)

    def bound(b, s):
        return box_bound(b, bounds, sd, hold, glb_aff, rf_aff, tensors, gcap, macs, s, np.zeros((6, 3)))

    for _ in range(100):
        d = int(rng.choice([3, 4, 5, 6, 0, 1, 2, 7], p=[0.2, 0.2, 0.2, 0.2, 0.05, 0.05, 0.05, 0.05]))
        divs = _divisors(int(rem[d]))
        lo, hi = sorted(rng.choice(len(divs), 2))
        set_box(box, d, divs[lo], divs[hi])
        cached = bound(box, scratch)
        fresh_box = box.copy()
        fresh_box[BOX_STALE] = 1
        assert cached == bound(fresh_box, np.zeros((SCRATCH_LEN, 5), dtype=np.int64))
