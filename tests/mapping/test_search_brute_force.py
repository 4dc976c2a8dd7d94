"""The numba search returns the optimum of the constrained mapspace: a plain Python enumeration of
every legal factorization (strip-mined splits included; legality checked by the brute force's own
code, not the search's) and every permutation of the GLB and DRAM loops finds the same value, the
same factorization (ties: the documented canonical order) and a cost-equivalent loop order."""

import itertools

import numpy as np
import pytest
from conftest import mapping_fits
from fakehw import hardware

from accelsim.mapping.counts import count_accesses
from accelsim.mapping.dataflows import DATAFLOWS
from accelsim.mapping.dims import nest_bounds
from accelsim.mapping.kernels import cycles_of, energy_of
from accelsim.mapping.mapper import canonical_dim_order, inner_splits, search_nest
from accelsim.mapping import mapspace
from accelsim.mapping.mapspace import build_splits, hardware_arrays
from accelsim.workload import Layer

SMALL = [
    Layer(name="a", M=4, C=2, H=6, W=6, R=3, S=3),
    Layer(name="b", M=2, C=3, H=7, W=5, R=3, S=1, stride=2, padding=1),
    Layer(name="c", G=2, M=2, C=2, H=4, W=4, R=2, S=2, dilation=2, padding=1),
    Layer(name="d", kind="fc", M=6, C=4, H=2, W=2, R=2, S=2),
]
HW = hardware(rows=3, cols=4, rf=(12, 8, 4), glb_shared=64)


def _covers(f, bounds):
    """Every split covers its bound: rf divides it, the array tiles left are ceil((bound / rf) /
    (rows x cols)) and GLB x DRAM is exactly that."""
    for d in range(8):
        q, rem = divmod(int(bounds[d]), int(f[0, d]))
        if rem or f[3, d] * f[4, d] != -(-q // int(f[1, d] * f[2, d])):
            return False
    return True


def brute_force(layer, hw, df, objective, psum_spill=False):
    nest = layer.nest
    bounds, sd = nest_bounds(nest), np.array([nest.Uh, nest.Uw, nest.Dh, nest.Dw])
    hwa = hardware_arrays(hw, df)
    splits = build_splits(bounds, df, hwa)
    order = canonical_dim_order(inner_splits(splits))
    counts = np.zeros((4, 3, 2), dtype=np.int64)
    best = None
    for choice in itertools.product(*[splits[d] for d in order]):
        f = np.ones((5, 8), dtype=np.int64)
        for d, split in zip(order, choice, strict=True):
            f[:, d] = split
        assert _covers(f, bounds)
        if not mapping_fits(f, hw, hwa, sd, bounds):  # its own legality check, not the search's
            continue
        glb_loops = [d for d in range(8) if f[3, d] > 1]
        dram_loops = [d for d in range(8) if f[4, d] > 1]
        for og in itertools.permutations(glb_loops):
            for od in itertools.permutations(dram_loops):
                orders = np.array([list(og) + [d for d in range(8) if d not in og],
                                   list(od) + [d for d in range(8) if d not in od]], dtype=np.int64)
                macs, steps, _ = count_accesses(bounds, sd, f, orders, hwa.hold, hwa.multicast, counts)
                if not psum_spill and counts[0, 2, 0] > 0:
                    continue
                e = energy_of(counts, macs, hwa.e_read, hwa.e_write, hwa.mac_energy)
                c = cycles_of(counts, steps, hwa.bw, f)
                key = {"energy": (e, c), "cycles": (c, e), "edp": (e * c, e)}[objective]
                # enumeration order of the search: inner (rf, rows, cols) splits, then GLB factors
                rank = (tuple(c[:3] for c in choice), tuple(c[3] for c in choice))
                if best is None or key < best[0] or (key == best[0] and rank < best[1]):
                    best = (key, rank, f.copy())
    return best


def check_against_brute_force(layer, hw, dataflow):
    """The search finds the brute-force optimum (its factors; its energy, recounted) or, where
    there is no legal mapping, says so."""
    best = brute_force(layer, hw, dataflow, "energy")
    if best is None:
        with pytest.raises(Exception, match="no|holds|needs|array"):
            search_nest(layer.nest, hw, dataflow, "energy")
        return
    mapping, evaluated, _, exhaustive = search_nest(layer.nest, hw, dataflow, "energy")
    assert exhaustive
    assert evaluated > 0
    assert np.array_equal(mapping.f, best[2])
    hwa = hardware_arrays(hw, dataflow)
    nest = layer.nest
    counts = np.zeros((4, 3, 2), dtype=np.int64)
    macs, _, _ = count_accesses(nest_bounds(nest), np.array([nest.Uh, nest.Uw, nest.Dh, nest.Dw]), mapping.f,
                                mapping.orders, hwa.hold, hwa.multicast, counts)
    assert energy_of(counts, macs, hwa.e_read, hwa.e_write, hwa.mac_energy) == best[0][0]


@pytest.fixture
def exact_free(monkeypatch):
    """The search and the brute force over the strip-mined mapspace (opt-in, ``mapspace.STRIP``; it
    contains the exact one) for the dataflows; the unconstrained ``free`` space with strip-mining is
    too large for a Python brute force over every loop permutation (layer a: 6 min), so its
    brute-force tests use exact splits only (strip-mining under ``free`` is checked on small layers
    in test_full_array.py)."""
    def use(df):
        monkeypatch.setattr(mapspace, "STRIP", df != "free")
    return use


@pytest.mark.parametrize("layer", SMALL, ids=lambda x: x.name)
@pytest.mark.parametrize("df", ["rs", "ws", "os-a", "nlr", "is", "free"])
def test_search_finds_the_brute_force_optimum(layer, df, exact_free):
    exact_free(df)
    check_against_brute_force(layer, HW, DATAFLOWS[df])


@pytest.mark.parametrize("layer", SMALL, ids=lambda x: x.name)
@pytest.mark.parametrize("df", ["rs", "ws", "free"])
def test_energies_that_are_not_integers_find_the_brute_force_optimum(layer, df, exact_free):
    """With fractional energies (a pJ table) the pairs' energies from parts are only approximate, so
    the search recounts the candidates; with integer ones (the normalized table, above) the parts'
    sum is exact. Both paths give the brute-force optimum."""
    exact_free(df)
    hw = hardware(rows=3, cols=4, rf=(12, 8, 4), glb_shared=64,
                  energies={"dram": 199.7, "glb": 6.3, "noc": 2.1, "rf": 0.9})
    check_against_brute_force(layer, hw, DATAFLOWS[df])


@pytest.mark.parametrize("objective", ["cycles", "edp"])
def test_other_objectives_match_brute_force(objective, exact_free):
    exact_free("free")
    hw = hardware(rows=3, cols=4, rf=(12, 8, 4), glb_shared=64, dram_bw=2.0, glb_bw=4.0)
    layer = SMALL[0]
    best = brute_force(layer, hw, DATAFLOWS["free"], objective)
    mapping, _, _, _ = search_nest(layer.nest, hw, DATAFLOWS["free"], objective)
    assert np.array_equal(mapping.f, best[2])


def test_psum_spill_option_matches_brute_force_and_never_costs_more(exact_free):
    exact_free("free")
    hw = hardware(rows=2, cols=2, rf=(4, 4, 1), glb_shared=12)
    layer = SMALL[0]
    df = DATAFLOWS["free"]
    strict = brute_force(layer, hw, df, "energy")
    loose = brute_force(layer, hw, df, "energy", psum_spill=True)
    m_strict, _, _, _ = search_nest(layer.nest, hw, df, "energy")
    m_loose, _, _, _ = search_nest(layer.nest, hw, df, "energy", psum_spill=True)
    assert np.array_equal(m_strict.f, strict[2]) and np.array_equal(m_loose.f, loose[2])
    assert loose[0][0] <= strict[0][0]


@pytest.mark.parametrize("layer", SMALL, ids=lambda x: x.name)
@pytest.mark.parametrize("df", ["rs", "ws", "is", "free"])
def test_sequential_and_parallel_searches_agree(layer, df, exact_free):
    """The search on one thread (every slot seeded with the best so far, as map_networks runs it)
    and the parallel waves find the same optimum, mapping and loop orders included."""
    exact_free(df)
    dataflow = DATAFLOWS[df]
    try:
        wave = search_nest(layer.nest, HW, dataflow, "energy", parallel=True)
    except Exception:
        with pytest.raises(Exception, match="no|holds|needs|array"):
            search_nest(layer.nest, HW, dataflow, "energy", parallel=False)
        return
    seq = search_nest(layer.nest, HW, dataflow, "energy", parallel=False)
    assert seq[0] == wave[0]
    assert 0 < seq[1] <= wave[1]  # seeding every slot prunes at least as much
