"""report/pe_grid.py: a mapping's spatial factors decoded onto the PE array, checked by hand on
small cases, by brute force for imperfect factorizations (the PEs whose loop index in the last
pass lies beyond the bound idle), and against the mapper's active PEs on real layers."""

import itertools

import numpy as np
import pytest

import accelsim
from accelsim.mapping import notation
from accelsim.mapping.dims import DIMS
from accelsim.report import pe_grid

D = {d: i for i, d in enumerate(DIMS)}


def test_rs_pe_sets_by_hand():
    # rows[R3 C2] cols[E2 M2] on a 7 x 5 array: two channel sets stacked (rows 0-2: C0, 3-5: C1),
    # two filter sets side by side (cols 0-1: M0, 2-3: M1); row 6 and column 4 idle
    text = "dram[] glb[] rows[R3 C2] cols[E2 M2] rf[S3]"
    idx = pe_grid.pe_indices(text, 7, 5)
    on = pe_grid.active(idx)
    assert on.sum() == 3 * 2 * 2 * 2 and not on[6].any() and not on[:, 4].any()
    assert [idx[i, 0, D["R"]] for i in range(6)] == [0, 1, 2, 0, 1, 2]
    assert [idx[i, 0, D["C"]] for i in range(6)] == [0, 0, 0, 1, 1, 1]
    assert [idx[0, j, D["E"]] for j in range(4)] == [0, 1, 0, 1]
    assert [idx[0, j, D["M"]] for j in range(4)] == [0, 0, 1, 1]
    sets = pe_grid.pe_sets(idx, text)
    expect = np.array([[0, 0, 2, 2, -1]] * 3 + [[1, 1, 3, 3, -1]] * 3 + [[-1] * 5])  # number = m*2 + c
    assert (sets == expect).all()
    assert pe_grid.set_names(idx, text) == {0: "M0 C0", 1: "M0 C1", 2: "M1 C0", 3: "M1 C1"}
    labels = pe_grid.pe_labels(idx, text)
    assert labels[4, 3] == "M1 C1 E1 R1" and labels[6, 0] == "" and labels[0, 4] == ""
    assert pe_grid.pe_labels(idx, text, dims=["R", "E"])[5, 2] == "R2 E0"


def test_a_dimension_on_rows_and_columns_composes_rows_outer():
    # M on both axes: m digit = rows digit x cols factor + cols digit (the string's order)
    idx = pe_grid.pe_indices("rows[M3] cols[M4]", 3, 4)
    assert (idx[..., D["M"]] == np.arange(12).reshape(3, 4)).all()


def _brute_last_pass(f, bounds):
    """Active PEs of the last pass by enumeration: a PE computes if some (rf digit) index of every
    dimension, in the last outer iteration, lies inside the bound."""
    rows_f, cols_f, rf = f[1], f[2], f[0]
    pe_rows, pe_cols = int(np.prod(rows_f)), int(np.prod(cols_f))
    out = np.zeros((pe_rows, pe_cols), dtype=bool)
    for i, j in itertools.product(range(pe_rows), range(pe_cols)):
        p = pe_grid.pe_indices(f, pe_rows, pe_cols)[i, j]
        ok = True
        for d in range(8):
            chunk = rows_f[d] * cols_f[d] * rf[d]
            last = -(-bounds[d] // chunk) - 1
            values = [last * chunk + p[d] * rf[d] + k for k in range(rf[d])]
            ok &= any(v < bounds[d] for v in values)
        out[i, j] = ok
    return out


@pytest.mark.parametrize("text, bound", [
    ("glb[E2] cols[E3]", {"E": 5}),           # 3 + 2: two of three columns in the last pass
    ("glb[M2] cols[M4] rf[M2]", {"M": 10}),   # 8 + 2: one PE (2 filters) in the last pass
    ("glb[M2] cols[M4] rf[M2]", {"M": 11}),   # 8 + 3: two PEs, the second with one filter
    ("rows[R2 C3] cols[E4]", {"C": 5, "E": 3}),
    ("glb[E3] rows[R11] cols[E5 M2]", {"E": 13, "R": 11, "M": 2}),
])
def test_imperfect_factors_idle_the_pes_beyond_the_bound_in_the_last_pass(text, bound):
    f = notation.factors(text)
    bounds = np.prod(f, axis=0)
    for d, b in bound.items():
        bounds[D[d]] = b
    rows, cols = int(np.prod(f[1])), int(np.prod(f[2]))
    last = pe_grid.active(pe_grid.pe_indices(f, rows, cols, bounds=bounds, last_pass=True))
    assert (last == _brute_last_pass(f, bounds)).all()
    assert pe_grid.active(pe_grid.pe_indices(f, rows, cols)).all()  # the full passes use every PE
    assert not last.all()  # the case is about a partial pass


def test_hand_counts_of_partial_passes():
    f = notation.factors("glb[M2] cols[M4] rf[M2]")
    b = np.prod(f, axis=0)
    b[D["M"]] = 11
    assert pe_grid.active(pe_grid.pe_indices(f, 1, 4, bounds=b, last_pass=True)).tolist() == [[True, True, False,
                                                                                               False]]


def test_a_single_pass_wider_than_its_dimension_idles_the_extra_positions():
    """os-c's AlexNet conv1 mapping rows[M7] cols[M14] spans 98 positions for M = 96 filters in one
    pass: with the bounds the grid is the peak pass, 96 PEs (the last two of row 6 idle), as the
    model and the executor count them; without them the 98 the factors span."""
    f = notation.factors("glb[C3] rows[M7] cols[M14]")
    b = np.prod(f, axis=0)
    b[D["M"]] = 96
    grid = pe_grid.active(pe_grid.pe_indices(f, 12, 14, bounds=b))
    assert grid.sum() == 96 and not grid[6, 12:].any() and grid[6, :12].all() and not grid[7:].any()
    assert pe_grid.active(pe_grid.pe_indices(f, 12, 14)).sum() == 98


def test_a_mapping_larger_than_the_array_is_refused():
    with pytest.raises(ValueError, match="uses 4 x 1 PEs"):
        pe_grid.pe_indices("rows[C4]", 3, 3)


@pytest.mark.parametrize("dataflow", ["rs", "ws", "os-a", "os-c", "nlr"])
def test_active_pes_equal_the_mappers_on_alexnet_conv1(dataflow):
    net = accelsim.load_network("alexnet")
    r = accelsim.simulate(net["conv1"], "eyeriss_v1", dataflow=dataflow)
    idx = pe_grid.pe_indices(r.mapping, *r.pe_array, bounds=r.bounds)
    assert r.pe_array == (12, 14)
    assert pe_grid.active(idx).sum() == r.active_pes <= r.mapping.active_pes
    # the text of the report decodes to the same grid
    assert (pe_grid.pe_indices(r.mapping.loop_text(), 12, 14, bounds=r.bounds) == idx).all()
    # every active PE does distinct work: no two PEs share all their digits
    digits = {tuple(v) for v in idx[pe_grid.active(idx)]}
    assert len(digits) == r.active_pes
