"""DRAM bandwidth: cycles = max(steps + D / n, D + steps / n) over n DRAM tiles (D = DRAM words /
words per cycle), checked by hand; the report splits compute and stall cycles; the accounting
option (fill writes) changes energy only, by the GLB and RF writes of weights and ifmaps."""

import numpy as np
import pytest
from fakehw import hardware

import accelsim
from accelsim.arch.accounting import with_fill_writes
from accelsim.errors import UsageError
from accelsim.mapping.kernels import cycles_of
from accelsim.mapping.mapper import map_layer
from accelsim.workload import Layer


def _f(dram_factors):
    f = np.ones((5, 8), dtype=np.int64)
    f[4, : len(dram_factors)] = dram_factors
    return f


def _counts(dram_reads, dram_writes, glb_words=0):
    counts = np.zeros((4, 3, 2), dtype=np.int64)
    counts[0, 0, 0] = dram_reads
    counts[0, 2, 1] = dram_writes
    counts[1, 1, 0] = glb_words
    return counts


def test_one_dram_tile_does_not_overlap_anything():
    # load 300 words, compute 1000 steps, write 100 words at 4 words/cycle: 75 + 1000 + 25
    bw = np.array([4.0, 0.0, 0.0, 0.0])
    assert cycles_of(_counts(300, 100), 1000, bw, _f([1])) == 1100.0


def test_many_tiles_overlap_all_but_one_tiles_transfer_or_compute():
    bw = np.array([4.0, 0.0, 0.0, 0.0])
    # 10 tiles, compute-bound: 1000 steps + one tile's 40 words / 4 = 1001
    assert cycles_of(_counts(30, 10), 1000, bw, _f([2, 5])) == 1001.0
    # 10 tiles, bandwidth-bound: 8000 words / 4 = 2000 cycles + one tile's compute 1000 / 10
    assert cycles_of(_counts(6000, 2000), 1000, bw, _f([10])) == 2100.0
    # no DRAM bandwidth: the MAC steps; a GLB limit still overlaps compute over the whole layer
    assert cycles_of(_counts(6000, 2000), 1000, np.zeros(4), _f([10])) == 1000.0
    assert cycles_of(_counts(0, 0, glb_words=3000), 1000, np.array([0.0, 2.0, 0.0, 0.0]), _f([1])) == 1500.0


def test_layer_results_split_compute_and_stall_cycles():
    layer = Layer(name="c", M=8, C=4, H=10, W=10, R=3, S=3)
    fast = map_layer(layer, hardware(rows=4, cols=4), "rs")
    slow = map_layer(layer, hardware(rows=4, cols=4, dram_bw=0.25), "rs", objective="cycles")
    assert fast.stall_cycles == 0 and fast.compute_cycles == fast.steps == fast.cycles
    assert slow.stall_cycles > 0 and slow.compute_cycles + slow.stall_cycles == slow.cycles
    row = slow.to_frame().iloc[0]
    assert row.compute_cycles + row.stall_cycles == row.cycles and row.stall_cycles > 0


def test_eyeriss_v1_has_the_64_bit_link_as_4_words_per_cycle():
    hw = accelsim.load_hw("eyeriss_v1")
    assert hw.level("dram").bandwidth_words_per_cycle == 64 / 16


def test_fill_writes_free_removes_exactly_the_weight_and_ifmap_fill_writes():
    layer = Layer(name="c", M=8, C=4, H=10, W=10, R=3, S=3)
    hw = accelsim.load_hw("isca16_rs")
    charged = accelsim.simulate(layer, hw, dataflow="rs")
    free = accelsim.simulate(layer, hw, dataflow="rs", fill_writes="free")
    # same mapping space, same counts for a given mapping; energy lower by the fill writes' cost
    from accelsim.mapping.dataflows import DATAFLOWS
    from accelsim.mapping.mapper import evaluate

    counts, energy, _, _, _, _, _ = evaluate(layer.nest, with_fill_writes(hw, "free"), charged.mapping, DATAFLOWS["rs"])
    assert np.array_equal(counts, charged.counts)
    fills = sum(int(charged.counts[lvl, t, 1]) * e for lvl, e in ((1, 6.0), (3, 1.0)) for t in (0, 1))
    assert energy.sum() + charged.mac_energy == pytest.approx(charged.energy_total - fills)
    assert fills > 0 and free.energy_total <= charged.energy_total - fills + 1e-9
    assert with_fill_writes(hw, "charged") is hw
    with pytest.raises(UsageError, match="fill_writes must be one of charged, free"):
        accelsim.simulate(layer, hw, dataflow="rs", fill_writes="paper")
