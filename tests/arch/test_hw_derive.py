"""Hardware variants (``hw.derive``), configs as mappings, and ``hw show --format yaml`` round trips
(issue 14, part 1)."""

import dataclasses
import math

import numpy as np
import pytest
import yaml

import accelsim
from accelsim.arch import area
from accelsim.cli import main
from accelsim.errors import ConfigError
from accelsim.workload.layer import Layer

SHIPPED = sorted(e.name for e in accelsim.list_hw())
SMALL = Layer(name="small", M=8, C=4, H=10, W=10, R=3, S=3)


def _um2(mm2):
    return mm2 * 1e6


def test_derive_recomputes_area_of_a_bigger_array():
    """The replace bug: a 32 x 32 array kept the 12 x 14 chip's 5.93 mm2. By hand (area.py's model at
    65 nm, scale (65/45)^2): each PE adds a 16-bit MAC (2500 um2) and its 260-word spads (3 um2 per
    bit); the 108 KB GLB is unchanged."""
    base = accelsim.load_hw("eyeriss_v1")
    big = base.derive({"pe_array.rows": 32, "pe_array.cols": 32})
    s = (65 / 45) ** 2
    per_pe_um2 = (2500 + 3.0 * 260 * 16) * s
    bits = 55296 * 16
    glb_um2 = 0.346 * bits * (1 + 64 / math.sqrt(bits)) * s
    assert _um2(base.area_mm2) == pytest.approx(168 * per_pe_um2 + glb_um2, rel=1e-12)
    assert _um2(big.area_mm2) == pytest.approx(1024 * per_pe_um2 + glb_um2, rel=1e-12)
    assert big.area_mm2 == pytest.approx(32.687, abs=1e-3)  # the "~32.7"
    assert (big.pe_rows, big.pe_cols, big.num_pes) == (32, 32, 1024)
    assert (base.pe_rows, base.pe_cols) == (12, 14)  # the base is unchanged


def test_replace_cannot_make_a_hardware_whose_area_disagrees():
    hw = accelsim.load_hw("eyeriss_v1")
    with pytest.raises(ConfigError, match=r"pe_rows=32 disagrees .*derive"):
        dataclasses.replace(hw, pe_rows=32)
    with pytest.raises(ConfigError, match="area_mm2"):
        dataclasses.replace(hw, area_mm2=1.0)
    glb = dataclasses.replace(hw.level("glb"), shared_capacity_words=1024)
    with pytest.raises(ConfigError, match="levels"):
        dataclasses.replace(hw, levels=(hw.levels[0], glb, *hw.levels[2:]))
    # a replacement that changes nothing derived is still a valid Hardware
    assert dataclasses.replace(hw, path="elsewhere.yaml") == hw


def test_derive_recomputes_capacity_scaled_energies():
    """horowitz_45nm: a 16-bit read of a 256 KB SRAM interpolates log-log between Horowitz's 32 KB
    (20 pJ / 64 bits) and 1 MB (100 pJ / 64 bits) anchors: 20 * 5^(log 8 / log 32) / 4 pJ."""
    hw = accelsim.load_hw("eyeriss_v1").derive({"energy.table": "horowitz_45nm"})
    big = hw.derive({"levels.glb.shared_capacity_words": 131072})
    assert big.energy_unit == "pJ"
    expect = 20 * 5 ** (math.log(8) / math.log(32)) / 4
    assert big.level("glb").read_energy == pytest.approx((expect,) * 3, rel=1e-12)
    assert big.level("glb").read_energy[0] > hw.level("glb").read_energy[0]
    bits = 131072 * 16
    assert big.level("glb").area_mm2 == pytest.approx(area.sram_area_mm2(bits, 65), rel=1e-15)


def test_derive_nested_and_per_datatype_paths():
    hw = accelsim.load_hw("eyeriss_v1").derive({"levels.rf.capacity_words.weights": 448, "clock_mhz": 250})
    assert hw.level("rf").capacity_words == (448, 12, 24) and hw.clock_mhz == 250
    hw2 = accelsim.load_hw("eyeriss_v1").derive({"levels.glb.bandwidth_words_per_cycle": 16})
    assert hw2.level("glb").bandwidth_words_per_cycle == 16


@pytest.mark.parametrize("path", ["pe_array.rowz", "levels.gbl.shared_capacity_words", "pe_array.rows.x", ""])
def test_unknown_path_is_a_config_error_naming_it(path):
    with pytest.raises(ConfigError, match="unknown hardware parameter|dotted string") as info:
        accelsim.load_hw("eyeriss_v1").derive({path: 3})
    assert repr(path) in str(info.value) or not path


def test_bad_value_names_the_field():
    with pytest.raises(ConfigError, match=r"field pe_array\.rows: .*greater than or equal to 1"):
        accelsim.load_hw("eyeriss_v1").derive({"pe_array.rows": 0})
    with pytest.raises(ConfigError, match="shared_capacity_words.*not both"):
        accelsim.load_hw("eyeriss_v1").derive({"levels.rf.shared_capacity_words": 256})


def test_load_hw_accepts_the_yaml_mapping():
    text = open(accelsim.load_hw("isca16_ws").path).read()
    hw = accelsim.load_hw(yaml.safe_load(text))
    assert hw == accelsim.load_hw("isca16_ws")
    with pytest.raises(ConfigError, match="field pe_array: missing"):
        accelsim.load_hw({"name": "x", "clock_mhz": 1, "energy": {"table": "eyeriss_isca16"}, "levels": {}})


def _same_results(a, b, layer):
    ra = accelsim.simulate(layer, a, dataflow=a.default_dataflow)
    rb = accelsim.simulate(layer, b, dataflow=b.default_dataflow)
    assert ra.energy_total == rb.energy_total and ra.cycles == rb.cycles
    assert np.array_equal(ra.counts, rb.counts) and ra.mapping == rb.mapping


@pytest.mark.parametrize("name", SHIPPED)
def test_hw_show_yaml_round_trips_every_shipped_config(name, tmp_path, capsys):
    assert main(["hw", "show", name, "--format", "yaml"]) == 0
    text = capsys.readouterr().out
    path = tmp_path / f"{name}.yaml"
    path.write_text(text)
    original, back = accelsim.load_hw(name), accelsim.load_hw(str(path))
    assert back == original and back.area_mm2 == original.area_mm2 and back.path == str(path)
    assert back.to_yaml().splitlines()[1:] == text.splitlines()[1:]  # only the header names the file
    _same_results(original, back, SMALL)


def test_derived_config_round_trips_through_yaml(tmp_path):
    hw = accelsim.load_hw("eyeriss_v1").derive({"pe_array.rows": 16, "energy.table": "horowitz_45nm",
                                                "levels.glb.shared_capacity_words": 32768})
    path = tmp_path / "v.yaml"
    path.write_text(hw.to_yaml())
    back = accelsim.load_hw(str(path))
    assert back == hw
    _same_results(hw, back, SMALL)
