"""accelsim.simulate: what it returns for a layer, a network and `all`, and the CSV contract columns."""

import pandas as pd
import pytest
from fakehw import hardware

import accelsim
from accelsim.mapping.dataflows import ALL_NAMES
from accelsim.mapping.result import LayerResult, NetworkResult, ResultSet
from accelsim.workload import Layer, NetworkBuilder

HW = hardware(rows=4, cols=4, rf=(32, 16, 8), glb_shared=4096)
CONTRACT = ["network", "layer", "type", "hw", "dataflow", "energy", "energy_unit", "energy_per_mac", "energy_dram",
            "energy_glb", "energy_noc", "energy_rf", "energy_mac", "cycles", "utilization"]


def small_net():
    b = NetworkBuilder("small", (3, 12, 12), batch=1)
    x = b.conv("conv1", b.input, out=8, k=3, pad=1)
    x = b.pool("pool1", x, k=2)
    b.fc("fc", x, out=10)
    return b.build()


def test_simulate_a_layer_returns_a_layer_result():
    res = accelsim.simulate(Layer(name="c", M=4, C=4, H=6, W=6, R=3, S=3), HW, dataflow="ws")
    assert isinstance(res, LayerResult) and res.dataflow == "ws"
    columns = list(res.to_frame().columns)
    assert columns[:13] == ["network", "layer", "type", "N", "G", "M", "C", "H", "W", "R", "S", "E", "F"]
    assert columns[13:20] == ["stride", "pad", "dilation", "params", "macs", "hw", "dataflow"]
    assert res.to_frame().loc[0, "E"] == 4 and res.to_frame().loc[0, "params"] == 4 * 4 * 9 + 4


def test_simulate_all_dataflows_gives_one_row_per_layer_per_dataflow():
    res = accelsim.simulate(small_net(), HW, dataflow="all")
    assert isinstance(res, ResultSet) and [r.dataflow for r in res] == list(ALL_NAMES)
    frame = res.to_frame()
    assert len(frame) == 2 * len(ALL_NAMES)
    assert set(CONTRACT) <= set(frame.columns)
    assert (frame["energy_unit"] == "normalized").all()
    parts = frame[["energy_dram", "energy_glb", "energy_noc", "energy_rf", "energy_mac"]].sum(axis=1)
    assert ((parts - frame["energy"]).abs() <= 1e-9 * frame["energy"]).all()


def test_batch_override_scales_macs():
    one = accelsim.simulate(small_net(), HW, dataflow="rs")
    four = accelsim.simulate(small_net(), HW, dataflow="rs", batch=4)
    assert isinstance(four, NetworkResult) and four.macs == 4 * one.macs
    assert four.energy_per_mac <= one.energy_per_mac  # batching reuses weights


def test_results_are_identical_run_to_run():
    a = accelsim.simulate(small_net(), HW, dataflow="all").to_frame()
    b = accelsim.simulate(small_net(), HW, dataflow="all").to_frame()
    pd.testing.assert_frame_equal(a, b)


def test_unknown_dataflow_and_objective_are_usage_errors():
    with pytest.raises(accelsim.errors.UsageError, match="unknown dataflow 'xyz'"):
        accelsim.simulate(small_net(), HW, dataflow="xyz")
    with pytest.raises(accelsim.errors.UsageError, match="unknown objective 'speed'"):
        accelsim.simulate(small_net(), HW, objective="speed")
