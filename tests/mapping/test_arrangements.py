"""Splits that differ only in which array axis carries a dimension's PEs cost the same (the model
counts rows x cols per dimension), so the search costs one of each such set: the first in
enumeration order that fits the array, which is the one a tie goes to. Checked here against a
plain enumeration of every complete inner configuration, and by the model itself: the counts of
two equivalent arrangements are equal."""

import itertools
import random

import numpy as np
import pytest
from fakehw import hardware

from accelsim.mapping.counts import count_accesses
from accelsim.mapping.dataflows import DATAFLOWS
from accelsim.mapping.dims import nest_bounds
from accelsim.mapping.kernels import earlier_arrangement
from accelsim.mapping.mapper import arrangement_classes, canonical_dim_order, inner_splits
from accelsim.mapping.mapspace import LIM_COLS, LIM_LEN, LIM_ROWS, build_splits, hardware_arrays
from accelsim.workload import Layer

LAYERS = [
    Layer(name="a", M=12, C=6, H=6, W=6, R=3, S=3),
    Layer(name="b", N=2, M=10, C=4, H=7, W=5, R=3, S=1, stride=2, padding=1),
    Layer(name="fc", kind="fc", N=3, M=18, C=12, H=1, W=1, R=1, S=1),
    Layer(name="g", G=2, M=4, C=2, H=4, W=4, R=2, S=2, padding=1),
]
ARRAYS = [(3, 4), (4, 6), (6, 2), (1, 8)]
ENUMERATION_CAP = 20_000  # complete configurations a case may have (the brute force is plain Python)


def _limits(rows, cols):
    lim = np.full(LIM_LEN, -1, dtype=np.int64)
    lim[LIM_ROWS], lim[LIM_COLS] = rows, cols
    return lim


def _cases():
    for layer, (rows, cols), df, strip in itertools.product(LAYERS, ARRAYS, ("rs", "os-b", "nlr", "ws", "free"),
                                                           (False, True)):
        hwa = hardware_arrays(hardware(rows=rows, cols=cols), DATAFLOWS[df])
        inner = inner_splits(build_splits(nest_bounds(layer.nest), DATAFLOWS[df], hwa, strip))
        if np.prod([len(s) for s in inner]) > ENUMERATION_CAP:
            continue
        yield pytest.param(inner, rows, cols, id=f"{layer.name}-{rows}x{cols}-{df}-{'strip' if strip else 'exact'}")


def _expected(order, inner, rows, cols):
    """Brute force: for each complete configuration (a row per dimension, enumeration order), is
    an earlier one with the same (rf, rows x cols) per dimension inside the array?"""
    lists = [inner[d] for d in order]
    seen_fitting: set[tuple] = set()
    out = {}
    for choice in itertools.product(*[range(len(lst)) for lst in lists]):
        splits = [lists[j][i] for j, i in enumerate(choice)]
        key = tuple((rf, y * x) for rf, y, x in splits)
        out[choice] = key in seen_fitting
        if np.prod([y for _, y, _ in splits]) <= rows and np.prod([x for _, _, x in splits]) <= cols:
            seen_fitting.add(key)
    return out


@pytest.mark.parametrize("inner,rows,cols", list(_cases()))
def test_earlier_arrangement_matches_enumeration(inner, rows, cols):
    order = canonical_dim_order(inner)
    flat = np.array([row for s in inner for row in s], dtype=np.int64)
    off = np.concatenate([[0], np.cumsum([len(s) for s in inner])])
    same = arrangement_classes(inner)
    lim = _limits(rows, cols)
    reach = np.zeros(rows + 1, np.bool_)
    nxt = np.zeros(rows + 1, np.bool_)
    expected = _expected(order, inner, rows, cols)
    pos = np.zeros(8, dtype=np.int64)
    for choice, want in expected.items():
        for j, i in enumerate(choice):
            pos[j] = off[order[j]] + i
        assert earlier_arrangement(pos, order, flat, same, lim, reach, nxt) == want, choice


def test_classes_link_splits_with_equal_rf_and_pes():
    inner = [[(1, 1, 1)], [(1, 1, 2), (1, 2, 1), (2, 1, 1), (1, 1, 4), (1, 4, 1), (1, 2, 2), (2, 2, 1)]]
    same = arrangement_classes(inner).tolist()
    assert same == [[0, -1],
                    [1, 2], [1, -1], [3, -1], [4, 5], [4, 6], [4, -1], [7, -1]]


def test_equivalent_arrangements_have_equal_counts():
    """The premise, checked on the model: moving a dimension's PEs between the axes (same rf,
    rows x cols, GLB and DRAM factors and loop orders) leaves every count, the MACs and the MAC
    steps unchanged."""
    rng = random.Random(7)
    layer = LAYERS[0]
    bounds = nest_bounds(layer.nest)
    sd = np.array([1, 1, 1, 1], dtype=np.int64)
    hwa = hardware_arrays(hardware(rows=12, cols=12), DATAFLOWS["free"])
    # M = 12: 6 PEs as 2 x 3, 3 x 2, 6 x 1 or 1 x 6, 2 DRAM tiles; C = 6: 2 PEs as 2 x 1 or 1 x 2, 3
    # DRAM tiles; E, F, R, S in the RF
    for _ in range(50):
        f = np.ones((5, 8), dtype=np.int64)
        f[0] = [1, 1, 1, 4, 4, 3, 3, 1]
        f[4] = [1, 2, 3, 1, 1, 1, 1, 1]
        orders = np.array([rng.sample(range(8), 8), rng.sample(range(8), 8)], dtype=np.int64)
        results = []
        for (my, mx), (cy, cx) in itertools.product([(2, 3), (3, 2), (6, 1), (1, 6)], [(2, 1), (1, 2)]):
            f[1, 1], f[2, 1], f[1, 2], f[2, 2] = my, mx, cy, cx
            counts = np.zeros((4, 3, 2), dtype=np.int64)
            macs, steps, pes = count_accesses(bounds, sd, f, orders, hwa.hold, hwa.multicast, counts)
            results.append((counts.tolist(), int(macs), int(steps), int(pes)))
        assert all(r == results[0] for r in results)
