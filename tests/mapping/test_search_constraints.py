"""The mapper's constraints (min_utilization, max_cycles) keep the search exact: on small layers a
plain Python enumeration of every legal mapping, restricted to the mappings that meet the
constraint, finds the same optimum (value and factorization) as the pruned numba search."""

import itertools
import math

import numpy as np
import pytest
from conftest import mapping_fits
from fakehw import hardware

import accelsim
from accelsim.errors import NoMappingError, UsageError
from accelsim.mapping.counts import count_accesses
from accelsim.mapping.dataflows import DATAFLOWS
from accelsim.mapping.dims import nest_bounds
from accelsim.mapping.kernels import cycles_of, energy_of
from accelsim.mapping.mapper import canonical_dim_order, inner_splits, map_layer, search_nest
from accelsim.mapping.mapspace import build_splits, hardware_arrays
from accelsim.workload import Layer

LAYERS = [
    Layer(name="a", M=4, C=2, H=6, W=6, R=3, S=3),
    Layer(name="b", M=2, C=3, H=7, W=5, R=3, S=1, stride=2, padding=1),
    Layer(name="d", kind="fc", M=6, C=4, H=2, W=2, R=2, S=2),
]
# 12 PEs; a DRAM link of 4 words per cycle makes some mappings bandwidth-bound (cycles > MAC steps)
HW = hardware(rows=3, cols=4, rf=(12, 8, 4), glb_shared=64, dram_bw=4.0)


def _cycles(counts, steps, f, hwa):
    return cycles_of(counts, steps, hwa.bw, f)


def every_mapping(layer, hw, df):
    """(energy, cycles, active PEs, enumeration rank, factors) of every legal mapping's best loop
    orders, by brute force (every factorization, every GLB and DRAM loop permutation)."""
    nest = layer.nest
    bounds, sd = nest_bounds(nest), np.array([nest.Uh, nest.Uw, nest.Dh, nest.Dw])
    hwa = hardware_arrays(hw, df)
    splits = build_splits(bounds, df, hwa)
    order = canonical_dim_order(inner_splits(splits))
    counts = np.zeros((4, 3, 2), dtype=np.int64)
    out = []
    for choice in itertools.product(*[splits[d] for d in order]):
        f = np.ones((5, 8), dtype=np.int64)
        for d, split in zip(order, choice, strict=True):
            f[:, d] = split
        if not mapping_fits(f, hw, hwa, sd, bounds):  # its own legality check, not the search's
            continue
        rank = (tuple(c[:3] for c in choice), tuple(c[3] for c in choice))
        glb_loops = [d for d in range(8) if f[3, d] > 1]
        dram_loops = [d for d in range(8) if f[4, d] > 1]
        for og in itertools.permutations(glb_loops):
            for od in itertools.permutations(dram_loops):
                orders = np.array([list(og) + [d for d in range(8) if d not in og],
                                   list(od) + [d for d in range(8) if d not in od]], dtype=np.int64)
                macs, steps, pes = count_accesses(bounds, sd, f, orders, hwa.hold, hwa.multicast, counts)
                if counts[0, 2, 0] > 0:  # no psum spill (the search's default)
                    continue
                e = energy_of(counts, macs, hwa.e_read, hwa.e_write, hwa.mac_energy)
                # active PEs on average over the steps (the constraint's measure; = pes without strip-mining)
                out.append((e, _cycles(counts, steps, f, hwa), macs / steps, rank, f.copy()))
    return out


def constrained_optimum(mappings, min_pes=0, max_cycles=None):
    """The first (in the search's canonical order) mapping of lowest (energy, cycles) among those
    with at least min_pes active PEs and at most max_cycles cycles."""
    ok = [m for m in mappings if m[2] >= min_pes and (max_cycles is None or m[1] <= max_cycles)]
    return min(ok, key=lambda m: (m[0], m[1], m[3])) if ok else None


CASES = [(layer, df) for layer in LAYERS for df in ("rs", "ws", "os-a", "free")]


@pytest.fixture(scope="module")
def brute():
    return {(layer.name, df): every_mapping(layer, HW, DATAFLOWS[df]) for layer, df in CASES}


def _check(layer, df, best, **constraints):
    if best is None:
        with pytest.raises(NoMappingError, match="no mapping meets"):
            search_nest(layer.nest, HW, DATAFLOWS[df], "energy", **constraints)
        return False
    mapping, _, _, exhaustive = search_nest(layer.nest, HW, DATAFLOWS[df], "energy", **constraints)
    assert exhaustive
    assert np.array_equal(mapping.f, best[4]), (layer.name, df, constraints)
    result = map_layer(layer, HW, df, **constraints)
    assert result.energy_total == pytest.approx(best[0], rel=1e-12)
    assert result.active_pes >= math.ceil(constraints.get("min_utilization", 0) * 12)
    assert result.cycles <= (constraints.get("max_cycles") or float("inf"))
    return True


@pytest.mark.parametrize("layer,df", CASES, ids=lambda x: getattr(x, "name", x))
def test_min_utilization_keeps_the_search_exact(brute, layer, df):
    mappings = brute[(layer.name, df)]
    free_best = constrained_optimum(mappings)
    binding = 0
    for util in (0.25, 0.5, 0.75, 1.0):
        min_pes = math.ceil(util * 12)
        best = constrained_optimum(mappings, min_pes=min_pes)
        _check(layer, df, best, min_utilization=util)
        binding += best is not None and free_best[2] < min_pes
    # the constraint changes the answer for some threshold whenever the free optimum leaves PEs idle
    assert binding > 0 or free_best[2] == max(m[2] for m in mappings)


@pytest.mark.parametrize("layer,df", CASES, ids=lambda x: getattr(x, "name", x))
def test_max_cycles_keeps_the_search_exact(brute, layer, df):
    mappings = brute[(layer.name, df)]
    free_best = constrained_optimum(mappings)
    fastest = min(m[1] for m in mappings)
    limits = sorted({int(fastest), int(math.ceil(fastest)), int((fastest + free_best[1]) // 2),
                     max(1, int(fastest) - 1)})
    for max_cycles in limits:
        _check(layer, df, constrained_optimum(mappings, max_cycles=max_cycles), max_cycles=max_cycles)
    # both constraints at once
    best = constrained_optimum(mappings, min_pes=6, max_cycles=int(free_best[1]))
    _check(layer, df, best, min_utilization=0.5, max_cycles=int(free_best[1]))


def test_the_constraints_change_the_optimum_somewhere(brute):
    # guard against a vacuous test: on these layers the energy optimum leaves PEs idle and is slower
    # than the fastest mapping, so both constraints bind
    idle = [key for key, ms in brute.items() if constrained_optimum(ms)[2] < 12]
    slow = [key for key, ms in brute.items() if constrained_optimum(ms)[1] > min(m[1] for m in ms)]
    assert len(idle) >= 6 and len(slow) >= 6, (idle, slow)


def test_no_mapping_meeting_the_constraint_names_it():
    layer = Layer(name="tiny", M=2, C=1, H=3, W=3, R=1, S=1)  # 2 x 9 outputs: never all 12 PEs under rs
    with pytest.raises(NoMappingError, match=r"no mapping meets min_utilization 1 \(at least 12 of 12 PEs active\)"):
        map_layer(layer, HW, "ws", min_utilization=1.0)
    with pytest.raises(NoMappingError, match="no mapping meets max_cycles 1"):
        map_layer(layer, HW, "rs", max_cycles=1)
    # a layer the hardware cannot hold at all keeps the hardware's reason, not the constraint's
    with pytest.raises(NoMappingError, match="weights spad holds 12 words"):
        map_layer(Layer(name="wide", M=1, C=1, H=3, W=40, R=3, S=40), HW, "rs", min_utilization=0.5)


@pytest.mark.parametrize("kwargs", [{"min_utilization": 1.5}, {"min_utilization": -0.1}, {"min_utilization": "x"},
                                    {"max_cycles": 0}, {"max_cycles": 2.5}, {"max_cycles": True}])
def test_bad_constraints_are_usage_errors(kwargs):
    with pytest.raises(UsageError):
        accelsim.simulate(LAYERS[0], HW, dataflow="rs", **kwargs)


def test_cli_min_utilization_and_max_cycles(capsys):
    from accelsim.cli import main

    assert main(["run", "lenet5", "--hw", "isca16_rs", "--min-utilization", "0.5", "--format", "csv"]) == 0
    import io

    import pandas as pd

    frame = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert (frame.active_pes >= 128).all()
    assert main(["run", "lenet5", "--min-utilization", "1.5"]) == 2
    assert "expected a fraction between 0 and 1" in capsys.readouterr().err
    assert main(["run", "lenet5", "--hw", "isca16_rs", "--max-cycles", "10"]) == 2
    assert "no mapping meets max_cycles 10" in capsys.readouterr().err
