"""The sparse model: the dense model bit for bit when nothing is sparse, and hand-computed
multipliers for gating, skipping and formats."""

import numpy as np
import pandas as pd
import pytest

import accelsim
from accelsim.sparsity import model
from accelsim.sparsity.density import Density


@pytest.fixture(scope="module")
def alexnet():
    return accelsim.load_network("alexnet")


@pytest.mark.parametrize("hw", ["eyeriss_v1", "isca16_rs"])
def test_density_one_equals_the_dense_model_bit_for_bit(alexnet, hw):
    # eyeriss_v1 has gating and (only-if-smaller) RLC: at density 1 neither changes anything;
    # isca16_rs has no sparsity features at all
    dense = accelsim.simulate(alexnet, hw, dataflow="all").to_frame()
    sparse = accelsim.simulate(alexnet, hw, dataflow="all", density="ifmap=1,weights=1,ofmap=1").to_frame()
    pd.testing.assert_frame_equal(sparse[list(dense.columns)], dense, check_exact=True)
    assert (sparse.energy == sparse.energy_dense).all()
    assert (sparse.dram_words == sparse.dram_words_dense).all()
    assert (sparse.metadata_words == 0).all() and (sparse.macs_gated == 0).all()


def test_dense_hardware_ignores_densities(alexnet):
    dense = accelsim.simulate(alexnet, "isca16_rs").to_frame()
    sparse = accelsim.simulate(alexnet, "isca16_rs", density="ifmap=0.3,weights=0.5,ofmap=0.2").to_frame()
    pd.testing.assert_frame_equal(sparse[list(dense.columns)].drop(columns=[]), dense, check_exact=True)


def test_gating_multipliers_by_hand():
    hw = accelsim.load_hw("eyeriss_v1")  # gates on ifmap zeros, gated cost 0
    f = model.factors(hw, Density(ifmap=0.25, weights=0.5, ofmap=0.6))
    assert (f.full, f.gated, f.skipped) == (0.25, 0.75, 0.0)
    assert f.mac == 0.25
    assert f.energy[3, 1, 0] == 1.0 and f.words[3, 1, 0] == 1.0  # the ifmap is read to see the zero
    assert f.energy[3, 0, 0] == 0.25 and f.energy[3, 2, 0] == 0.25 and f.energy[3, 2, 1] == 0.25
    # RLC at DRAM for the ifmap: block = (1 - 0.75^32) / 0.25 elements per 64/3-bit pair
    block = (1 - 0.75 ** 32) / 0.25
    assert f.words[0, 1, 0] == pytest.approx(64 / 3 / block / 16)
    assert f.words[0, 0, 0] == 1.0  # weights uncompressed
    assert f.ofmap_words == pytest.approx(64 / 3 / ((1 - 0.4 ** 32) / 0.6) / 16)


def test_skipping_multipliers_by_hand():
    hw = accelsim.load_hw("eyeriss_v2_like")  # skips weights and ifmap zeros, CSC in the RF
    f = model.factors(hw, Density(ifmap=0.5, weights=0.4))
    assert f.full == pytest.approx(0.2) and f.skipped == pytest.approx(0.8) and f.gated == 0.0
    assert f.mac == pytest.approx(0.2)
    # CSC fills: 0.4 x (16 + 4) + 16 / 16 bits per element, over 16-bit words
    assert f.words[3, 0, 1] == pytest.approx((0.4 * 20 + 1) / 16)
    assert f.words[2, 0, 0] == f.words[3, 0, 1]  # NoC transfers into the PEs carry the same format
    assert f.meta[3, 1, 1] == pytest.approx((0.5 * 4 + 1) / 16)


def test_expected_max_binomial_by_brute_force():
    from math import comb
    n, q, pes = 4, 0.3, 3
    pmf = [comb(n, k) * q ** k * (1 - q) ** (n - k) for k in range(n + 1)]
    want = 0.0
    for a in range(n + 1):
        for b in range(n + 1):
            for c in range(n + 1):
                want += pmf[a] * pmf[b] * pmf[c] * max(a, b, c)
    assert model.expected_max_binomial(n, q, pes) == pytest.approx(want, rel=1e-12)


def test_effective_hardware_scales_energies_and_capacities():
    hw = accelsim.load_hw("eyeriss_v2_like")
    d = Density(ifmap=0.5, weights=0.25)
    eff = model.effective_hardware(hw, d)
    f = model.factors(hw, d)
    rf, rf_eff = hw.level("rf"), eff.level("rf")
    assert rf_eff.capacity_words[0] == int(96 / f.words[3, 0, 1]) > 96
    assert rf_eff.capacity_words[2] == 32
    assert rf_eff.read_energy[1] == pytest.approx(rf.read_energy[1] * f.energy[3, 1, 0])
    assert eff.mac_energy == pytest.approx(hw.mac_energy * f.mac)
    v1 = accelsim.load_hw("eyeriss_v1")  # gating and only-if-smaller RLC: nothing changes at density 1
    assert model.effective_hardware(v1, Density()) is v1
    assert model.effective_hardware(hw, Density()) is not hw  # CSC costs metadata even when dense


def test_sparse_search_is_no_worse_than_the_dense_mapping_under_the_sparse_cost():
    # the search minimises the sparse energy: the dense optimum, evaluated sparse, cannot beat it
    from dataclasses import replace

    from accelsim.mapping.dataflows import get_dataflow
    from accelsim.mapping.mapper import _result
    from accelsim.sparsity.run import sparse_result

    hw = accelsim.load_hw("eyeriss_v2_like")
    layer = replace(accelsim.load_network("alexnet").layer("conv3"), density=Density(ifmap=0.3, weights=0.4))
    sparse = accelsim.simulate(layer, hw)
    dense = accelsim.simulate(replace(layer, density=None), hw)
    df = get_dataflow("rs")
    as_sparse = sparse_result(_result(layer, layer.nest, hw, df, "energy", dense.mapping, 0, 0.0, ""), layer, hw, df)
    assert sparse.energy_total <= as_sparse.energy_total * (1 + 1e-12)
    assert np.isfinite(sparse.energy_total)
