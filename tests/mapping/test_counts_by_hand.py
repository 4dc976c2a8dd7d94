"""Counts of tiny mappings, worked out by hand (docs/model.md states the rules).

Layer: a 1-D convolution, one filter row of S = 3 taps sliding over F = 4 outputs (U = 1), so the
ifmap row has (4 - 1) + (3 - 1) + 1 = 6 elements and there are 12 MACs. Energies are the Eyeriss
normalized costs: DRAM 200, GLB 6, NoC 2, RF 1, MAC 1 per word or MAC."""

import numpy as np
import pytest
from fakehw import hardware

from accelsim.mapping.counts import union_extent
from accelsim.mapping.dataflows import DATAFLOWS
from accelsim.mapping.mapper import evaluate
from accelsim.mapping.mapping import Mapping
from accelsim.workload import Layer

LAYER = Layer(name="row", M=1, C=1, H=1, W=6, R=1, S=3)
HW = hardware(rows=1, cols=2, rf=(8, 8, 8), glb_shared=100)
W, I, O = 0, 1, 2
DRAM, GLB, NOC, RF = 0, 1, 2, 3
CANON = tuple(range(8))
HOLD = ((True, True, True), (True, True, True))


def mapping(rf=None, cols=None, glb=None):
    f = [[1] * 8 for _ in range(5)]
    for level, factors in ((0, rf), (2, cols), (3, glb)):
        for dim, value in (factors or {}).items():
            f[level]["NMCEFRSG".index(dim)] = value
    return Mapping(factors=tuple(map(tuple, f)), glb_order=CANON, dram_order=CANON, hold=HOLD,
                   multicast=(True, True, True))


def test_everything_in_one_pe_register_file():
    counts, energy, mac_energy, _, macs, _, _ = evaluate(LAYER.nest, HW, mapping(rf={"F": 4, "S": 3}),
                                                         DATAFLOWS["free"])
    assert macs == 12
    # weights and ifmap each travel DRAM -> GLB -> NoC -> RF once, then every MAC reads them
    assert counts[:, W].tolist() == [[3, 0], [3, 3], [3, 0], [12, 3]]
    assert counts[:, I].tolist() == [[6, 0], [6, 6], [6, 0], [12, 6]]
    # psums: 12 MAC updates in the RF, the first of each of the 4 outputs is a plain write;
    # 4 words go up through the NoC, the GLB writes them once, DRAM receives the ofmap once
    assert counts[:, O].tolist() == [[0, 4], [0, 4], [4, 0], [8, 12]]
    total = energy.sum() + mac_energy
    assert total == 200 * 13 + 6 * 22 + 2 * 13 + 1 * 53 + 12  # = 2823


def test_sliding_window_reloads_only_the_new_element():
    # F moves to the GLB loop: the PE holds a 3-element window; each step of F brings 1 new element
    counts, _, _, _, _, _, _ = evaluate(LAYER.nest, HW, mapping(rf={"S": 3}, glb={"F": 4}), DATAFLOWS["free"])
    assert counts[RF, I].tolist() == [12, 3 + 3 * 1]
    assert counts[RF, W].tolist() == [12, 3]          # F does not index weights: they stay put
    assert counts[RF, O].tolist() == [12 - 4, 12]     # one fresh output per F step
    assert counts[NOC, O, 0] == 4


def test_two_pes_share_a_multicast():
    # F spread over 2 PEs (2 outputs each): both PEs need the same 3 weights, one GLB read serves
    # both; their ifmap windows (4 elements each) overlap in 2 elements, the GLB reads the union (6)
    counts, _, _, _, _, _, pes = evaluate(LAYER.nest, HW, mapping(rf={"F": 2, "S": 3}, cols={"F": 2}),
                                          DATAFLOWS["free"])
    assert pes == 2
    assert counts[GLB, W, 0] == 3 and counts[NOC, W, 0] == 6 and counts[RF, W, 1] == 6
    assert counts[GLB, I, 0] == 6 and counts[NOC, I, 0] == 8 and counts[RF, I, 1] == 8
    assert counts[RF, W, 0] == 12 and counts[RF, O].tolist() == [12 - 4, 12]


def test_without_multicast_each_pe_is_served_separately():
    hw = hardware(rows=1, cols=2, rf=(8, 8, 8), glb_shared=100, multicast=(False, False, True))
    m = mapping(rf={"F": 2, "S": 3}, cols={"F": 2})
    m = Mapping(m.factors, m.glb_order, m.dram_order, m.hold, (False, False, True))
    counts, _, _, _, _, _, _ = evaluate(LAYER.nest, hw, m, DATAFLOWS["free"])
    assert counts[GLB, W, 0] == 6 and counts[GLB, I, 0] == 8
    assert np.all(counts >= 0)


@pytest.mark.parametrize("seed", range(200))
def test_union_of_pe_windows_equals_the_set_union(seed):
    """union_extent counts the distinct ifmap rows that e_sp x r_sp PEs read (PE (a, b): output
    rows a*e_rf + i, filter rows b*r_rf + j, reading row (a*e_rf + i)*u + (b*r_rf + j)*d), as a set
    union does: rows a stride skips or dilation holes are read by no PE."""
    rng = np.random.default_rng(seed)
    e_rf, r_rf, e_sp, r_sp = (int(v) for v in rng.integers(1, 6, 4))
    u, d = int(rng.integers(1, 5)), int(rng.integers(1, 4))
    rows = {(a * e_rf + i) * u + (b * r_rf + j) * d for a in range(e_sp) for b in range(r_sp)
            for i in range(e_rf) for j in range(r_rf)}
    assert union_extent(e_rf, r_rf, e_sp, r_sp, u, d) == len(rows)
