"""Shipped hardware configs, the energy tables and the area model (issue 4)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

import accelsim
from accelsim.arch import area, energy
from accelsim.datatypes import Datatype

SHIPPED = ["eyeriss_v1", "isca16_rs", "isca16_ws", "isca16_os_a", "isca16_os_b", "isca16_os_c", "isca16_nlr",
           "tpu_like", "shidiannao_like", "diannao_like"]
ISCA16 = [n for n in SHIPPED if n.startswith("isca16_")]


def test_every_shipped_config_is_listed_and_loads():
    listed = {e.name for e in accelsim.list_hw()}
    assert set(SHIPPED) <= listed
    for name in listed:
        hw = accelsim.load_hw(name)
        assert [lvl.name for lvl in hw.levels] == ["dram", "glb", "noc", "rf"]
        assert hw.source and hw.area_mm2 > 0 and hw.num_pes >= 1


def test_eyeriss_v1_reads_back_the_chip():
    """Chen et al., JSSC 2017: 12 x 14 PEs, 108 KB GLB, spads 224 filter / 12 ifmap / 24 psum
    words, 16-bit, 200 MHz, 65 nm; energies: ISCA 2016 normalized table (MAC 1, RF 1, array 2,
    buffer 6, DRAM 200)."""
    hw = accelsim.load_hw("eyeriss_v1")
    assert (hw.pe_rows, hw.pe_cols, hw.num_pes) == (12, 14, 168)
    glb, rf = hw.level("glb"), hw.level("rf")
    assert glb.shared_capacity_words * hw.word_bits // 8 == 108 * 1024
    assert rf.capacity_words == (224, 12, 24)
    assert (hw.word_bits, hw.clock_mhz, hw.technology_nm) == (16, 200, 65)
    assert hw.energy_unit == "normalized" and hw.mac_energy == 1.0
    assert [hw.level(n).read_energy[0] for n in ("dram", "glb", "noc", "rf")] == [200.0, 6.0, 2.0, 1.0]
    assert Datatype.WEIGHTS in glb.bypass and hw.default_dataflow == "rs"


def test_isca16_setups_have_equal_storage_area():
    """ISCA 2016 Sec. VI-A: every dataflow gets the same total storage area (256 PEs)."""
    areas = {n: accelsim.load_hw(n).storage_area_mm2 for n in ISCA16}
    base = areas["isca16_rs"]
    for name, a in areas.items():
        assert abs(a / base - 1) <= 0.05, (name, a, base)
        assert accelsim.load_hw(name).num_pes == 256


def test_isca16_baseline_is_256_rfs_of_512_bytes_plus_a_128_kb_buffer():
    hw = accelsim.load_hw("isca16_rs")
    baseline = 256 * area.rf_area_mm2(512 * 8, 65) + area.sram_area_mm2(128 * 1024 * 8, 65)
    assert hw.storage_area_mm2 == pytest.approx(baseline, rel=0.02)


@pytest.mark.parametrize("kib, pj", [(8, 10.0), (32, 20.0), (1024, 100.0)])
def test_sram_energy_matches_horowitz_anchor_points(kib, pj):
    """Horowitz, ISSCC 2014: a 64-bit SRAM read costs 10 / 20 / 100 pJ at 8 KB / 32 KB / 1 MB."""
    assert energy.sram_access_pj(kib * 1024, 64) == pytest.approx(pj, rel=1e-12)
    assert energy.sram_access_pj(kib * 1024, 16) == pytest.approx(pj / 4, rel=1e-12)


def test_mac_and_dram_anchor_points():
    """Horowitz, ISSCC 2014: 8-bit add 0.03, 32-bit add 0.1, 8-bit multiply 0.2 pJ, 32-bit
    multiply 3.1 pJ (the quadratic rule gives 3.2); DRAM 1.3 nJ per 64 bits (low end)."""
    assert energy.mac_pj(8) == pytest.approx(0.23)
    assert energy.mac_pj(32) == pytest.approx(3.3, rel=0.05)
    assert energy.dram_access_pj(64) == 1300.0


@given(st.floats(16, 64 * 2**20), st.floats(1.01, 16), st.sampled_from([8, 16, 32]))
def test_sram_energy_grows_with_capacity(capacity, factor, bits):
    assert energy.sram_access_pj(capacity * factor, bits) > energy.sram_access_pj(capacity, bits)


@given(st.floats(1, 2**30))
def test_sram_area_inverse(bits):
    assert area.sram_bits_for_area(area.sram_area_mm2(bits, 65), 65) == pytest.approx(bits, rel=1e-9)


def test_pj_configs_derive_rf_energy_below_glb_energy_below_dram():
    hw = accelsim.load_hw("shidiannao_like")
    assert hw.energy_unit == "pJ"
    assert hw.level("rf").read_energy[2] < hw.level("glb").read_energy[2] < hw.level("dram").read_energy[2]
