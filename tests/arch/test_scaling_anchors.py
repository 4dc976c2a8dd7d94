"""The area and energy scaling rules pinned to their cited anchor points, with values computed by
hand from the sources quoted in accelsim/arch/area.py and accelsim/arch/energy.py (issue 14).

Each rule is checked where it is anchored (45 nm, 64-bit) AND away from the anchor (another node,
another word width), so a changed exponent cannot pass."""

import math

import pytest

import accelsim
from accelsim.arch import area, energy


# ---- area: constants at 45 nm, scaled by (node / 45 nm)^2 (area goes with feature size squared) ----
def test_sram_area_at_45nm_is_the_intel_cell_plus_periphery():
    """Mistry et al., IEDM 2007: a 0.346 um2 6T cell; periphery ~ 64 sqrt(bits) cells. 1 Mbit:
    0.346 * 2^20 * (1 + 64/1024) um2 = 0.385482752 mm2."""
    bits = 2 ** 20
    assert area.sram_area_mm2(bits, 45) == pytest.approx(0.346 * bits * (1 + 1 / 16) * 1e-6, rel=1e-12)
    assert area.sram_area_mm2(bits, 45) == pytest.approx(0.385482752, rel=1e-9)


@pytest.mark.parametrize("node, factor", [(90, 4.0), (65, (65 / 45) ** 2), (22.5, 0.25)])
def test_area_scales_with_the_square_of_the_node(node, factor):
    """Every area constant is a 45 nm figure; at 90 nm a cell is twice as long and twice as wide: 4x."""
    for bits in (16 * 8, 108 * 1024 * 8):
        assert area.sram_area_mm2(bits, node) == pytest.approx(factor * area.sram_area_mm2(bits, 45), rel=1e-12)
        assert area.rf_area_mm2(bits, node) == pytest.approx(factor * area.rf_area_mm2(bits, 45), rel=1e-12)
    assert area.mac_area_mm2(16, node) == pytest.approx(factor * 2500e-6, rel=1e-12)


def test_rf_and_mac_area_anchors_at_45nm():
    """3.0 um2 per RF bit; 2500 um2 per 16-bit MAC, quadratic in the width (an 8-bit MAC: 625 um2)."""
    assert area.rf_area_mm2(512 * 8, 45) == pytest.approx(512 * 8 * 3.0e-6, rel=1e-12)
    assert area.mac_area_mm2(16, 45) == pytest.approx(2500e-6, rel=1e-12)
    assert area.mac_area_mm2(8, 45) == pytest.approx(625e-6, rel=1e-12)


def test_eyeriss_v1_area_by_hand():
    """65 nm: 168 PEs x (MAC 2500 + spads 260 words x 16 bits x 3 um2) + a 55296-word SRAM, all at
    (65/45)^2; = 5.9329 mm2 (the figure the issue quotes as 5.93)."""
    s = (65 / 45) ** 2
    bits = 55296 * 16
    by_hand = (168 * (2500 + 260 * 16 * 3.0) + 0.346 * bits * (1 + 64 / math.sqrt(bits))) * s * 1e-6
    assert accelsim.load_hw("eyeriss_v1").area_mm2 == pytest.approx(by_hand, rel=1e-12)
    assert by_hand == pytest.approx(5.9329, abs=1e-4)


# ---- energy: Horowitz ISSCC 2014 (45 nm) ----------------------------------------------------
@pytest.mark.parametrize("bits, pj", [(64, 1300.0), (32, 650.0), (16, 325.0), (8, 162.5)])
def test_dram_energy_is_per_bit(bits, pj):
    """Horowitz: 1.3 nJ per 64-bit DRAM access = 20.3125 pJ per bit: a w-bit word costs w x that
    (linear in the width: half the bits, half the energy)."""
    assert energy.dram_access_pj(bits) == pytest.approx(pj, rel=1e-12)
    assert energy.dram_access_pj(bits) / bits == pytest.approx(1300 / 64, rel=1e-12)


def test_dram_energy_reaches_a_config():
    """tpu_like is 8-bit on the horowitz_45nm table: DRAM reads cost 1300 * 8 / 64 = 162.5 pJ."""
    hw = accelsim.load_hw("tpu_like")
    assert hw.word_bits == 8
    assert hw.level("dram").read_energy == (162.5, 162.5, 162.5)


@pytest.mark.parametrize("kib, bits, pj", [
    (8, 64, 10.0), (32, 64, 20.0), (1024, 64, 100.0),            # the three published anchors
    (8, 16, 2.5), (32, 8, 2.5), (1024, 32, 50.0),                # a word of w bits costs w/64 of a 64-bit read
    (16, 64, 10.0 * 2 ** 0.5),                                   # log-log midpoint of 8 KB and 32 KB
    (2, 64, 10.0 / 2),                                           # below 8 KB: sqrt of capacity (slope 1/2)
    (4096, 64, 100.0 * 5 ** (2 / 5)),                            # beyond 1 MB: the last segment's slope
])
def test_sram_energy_anchors_and_interpolation(kib, bits, pj):
    assert energy.sram_access_pj(kib * 1024, bits) == pytest.approx(pj, rel=1e-12)


def test_mac_energy_by_hand():
    """16-bit MAC: multiply 0.2 (16/8)^2 = 0.8 pJ + add 0.03 + (0.1 - 0.03) * 8/24 pJ."""
    assert energy.mac_pj(16) == pytest.approx(0.8 + 0.03 + 0.07 / 3, rel=1e-12)
