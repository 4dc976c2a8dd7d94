"""Optima that need every PE row and column: the search must accept a spatial product equal to the
array (a check ``rows >= limit`` instead of ``rows > limit`` would lose them, and the brute force,
with its own legality check, would disagree)."""

import numpy as np
import pytest
from fakehw import hardware
from test_search_brute_force import brute_force

import accelsim
from accelsim.mapping import mapspace
from accelsim.mapping.dataflows import DATAFLOWS
from accelsim.mapping.mapper import map_layer, search_nest
from accelsim.workload import Layer

HW = hardware(rows=3, cols=4, rf=(12, 8, 4), glb_shared=64)


@pytest.mark.parametrize("objective", ["cycles", "edp"])
def test_the_fastest_mapping_of_a_small_fc_layer_fills_the_array(objective):
    # 12 filters x 3 channels = 36 MACs: 3 steps on all 12 PEs, and no other mapping takes 3 steps
    layer = Layer(name="fc", kind="fc", M=12, C=3, H=1, W=1, R=1, S=1)
    best = brute_force(layer, HW, DATAFLOWS["free"], objective)
    mapping, _, _, exhaustive = search_nest(layer.nest, HW, DATAFLOWS["free"], objective)
    assert exhaustive and np.array_equal(mapping.f, best[2])
    f = mapping.f
    assert np.prod(f[1]) == 3 and np.prod(f[2]) == 4


def test_strip_mining_fills_the_array_where_no_divisor_does(monkeypatch):
    # M = 11 filters on 4 columns: only strip-mining (3 array tiles of 4, 4, 3) uses every column
    monkeypatch.setattr(mapspace, "STRIP", True)  # opt-in: the search and the brute force strip-mine
    layer = Layer(name="fc11", kind="fc", M=11, C=3, H=1, W=1, R=1, S=1)
    best = brute_force(layer, HW, DATAFLOWS["free"], "cycles")
    mapping, _, _, _ = search_nest(layer.nest, HW, DATAFLOWS["free"], "cycles")
    assert np.array_equal(mapping.f, best[2])
    assert np.prod(mapping.f[1]) * np.prod(mapping.f[2]) == 12


@pytest.fixture(scope="module")
def alexnet_rs_edp():
    hw = accelsim.load_hw("eyeriss_v1")
    net = accelsim.load_network("alexnet", batch=4)
    return {layer.name: map_layer(layer, hw, "rs", "edp", strip_mining=True) for layer in net.mapped_layers[:5]}


def test_eyeriss_v1_alexnet_rs_active_pes(alexnet_rs_edp):
    """AlexNet CONV at batch 4 under RS on the 12 x 14 chip (the jssc17 reproduction's search):
    strip-mining E = 55 over 14 columns gives conv1 JSSC 2017 Table V's 154 PEs (11 filter rows x
    14); conv3-5 use every row and column (12 x 14 = 168 at the peak) where the chip used 12 x 13 =
    156; on average over the passes conv2, conv4 and conv5 keep exactly Table V's 135, 156, 156."""
    peak = {name: r.active_pes for name, r in alexnet_rs_edp.items()}
    mean = {name: r.macs / r.steps for name, r in alexnet_rs_edp.items()}
    assert peak == {"conv1": 154, "conv2": 140, "conv3": 168, "conv4": 168, "conv5": 168}
    assert mean["conv2"] == 135 and mean["conv4"] == 156 and mean["conv5"] == 156
    for name in ("conv3", "conv4", "conv5"):
        f = alexnet_rs_edp[name].mapping.f
        assert np.prod(f[1]) == 12 and np.prod(f[2]) == 14, name
