"""The mapper on every kind of layer, conservation of counts, and actionable no-mapping errors."""

import numpy as np
import pytest
from conftest import assert_conserves, legal_mapping_exists
from fakehw import hardware

from accelsim.errors import NoMappingError
from accelsim.mapping.dataflows import ALL_NAMES, NAMES
from accelsim.mapping.mapper import map_layer, map_network
from accelsim.workload import Layer, NetworkBuilder

HW = hardware(rows=4, cols=4, rf=(32, 16, 8), glb_shared=4096)
KINDS = {
    "conv": Layer(name="conv", M=8, C=4, H=10, W=10, R=3, S=3, padding=1),
    "strided": Layer(name="strided", M=4, C=3, H=11, W=11, R=3, S=3, stride=2),
    "dilated": Layer(name="dilated", M=4, C=2, H=9, W=9, R=3, S=3, dilation=2, padding=2),
    "grouped": Layer(name="grouped", G=2, M=4, C=2, H=6, W=6, R=3, S=3, padding=1),
    "depthwise": Layer(name="dw", G=8, M=1, C=1, H=8, W=8, R=3, S=3, padding=1),
    "fc": Layer(name="fc", kind="fc", M=16, C=8, H=2, W=2, R=2, S=2),
    "batch": Layer(name="batch", N=4, M=4, C=4, H=6, W=6, R=1, S=1),
    "transposed": Layer(name="tconv", M=2, C=4, H=3, W=3, R=3, S=3, stride=2, padding=1, transposed=True,
                        output_padding=1),
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("dataflow", NAMES)
def test_every_layer_kind_maps_and_conserves(kind, dataflow):
    layer = KINDS[kind]
    try:
        res = map_layer(layer, HW, dataflow)
    except NoMappingError as exc:  # only where an independent search finds no legal mapping either
        assert legal_mapping_exists(layer, HW, dataflow, limit=10**6) is False, str(exc)
        return
    assert_conserves(res, layer)
    assert np.isclose(res.energy_total, sum(res.energy_by_level().values()))
    assert 0 < res.utilization <= 1 and res.cycles >= res.macs / (HW.pe_rows * HW.pe_cols)


def test_transposed_conv_executes_zero_products_and_reports_both():
    res = map_layer(KINDS["transposed"], HW, "free")
    layer = KINDS["transposed"]
    assert res.useful_macs == layer.macs == 2 * 4 * 3 * 3 * 9
    assert res.macs == layer.direct_equivalent().macs > res.useful_macs


def test_rs_folds_filters_taller_than_the_array():
    tall = Layer(name="tall", M=2, C=2, H=16, W=16, R=13, S=3)
    res = map_layer(tall, HW, "rs")
    rows = res.mapping.level_factors("rows")
    assert rows.get("R", 1) <= HW.pe_rows and 13 % rows.get("R", 1) == 0
    short = map_layer(Layer(name="short", M=2, C=2, H=8, W=8, R=3, S=3), HW, "rs")
    assert short.mapping.level_factors("rows")["R"] == 3  # fits: the whole filter height on rows


def test_a_register_file_too_small_names_the_spad_and_the_sizes():
    tiny = hardware(rows=4, cols=4, rf=(2, 16, 8), glb_shared=4096)
    with pytest.raises(NoMappingError, match="weights spad holds 2 words; the smallest rs tile needs 3"):
        map_layer(KINDS["conv"], tiny, "rs")


def test_network_maps_distinct_shapes_once_and_reports_failures():
    b = NetworkBuilder("twins", (4, 10, 10))
    x = b.conv("a", b.input, out=4, k=3, pad=1)
    x = b.conv("b", x, out=4, k=3, pad=1)
    b.conv("wide", x, out=2, k=(3, 40), pad=(1, 20))  # RS keeps whole filter rows (S=40) in a PE
    res = map_network(b.build(), HW, "rs")
    assert [r.layer for r in res.layers] == ["a", "b"]
    assert res.layers[1].same_as == "a" and res.layers[1].evaluated == 0
    assert res.layers[0].energy_total == res.layers[1].energy_total
    assert [f.layer for f in res.failures] == ["wide"]
    assert "weights spad holds 32 words; the smallest rs tile needs 40" in res.failures[0].reason


def test_all_dataflow_set_is_the_taxonomy():
    assert ALL_NAMES == ("rs", "ws", "os-a", "os-b", "os-c", "nlr", "is")


def test_an_evaluation_budget_is_deterministic_and_reported():
    layer = KINDS["conv"]
    full = map_layer(layer, HW, "free", max_evaluations=0)
    cut = [map_layer(layer, HW, "free", max_evaluations=20_000) for _ in range(2)]
    assert full.exhaustive and not cut[0].exhaustive
    assert cut[0].mapping == cut[1].mapping and cut[0].evaluated == cut[1].evaluated < full.evaluated
    assert cut[0].energy_total >= full.energy_total  # the exhaustive optimum is never worse


def test_a_tile_that_fills_a_spad_exactly_is_legal():
    # RS keeps a whole filter row in a PE: the conv's smallest weight tile is S = 3 words (R=3 rows
    # go across PE rows), so a 3-word weight spad fits it exactly and a 2-word one does not
    exact = hardware(rows=4, cols=4, rf=(3, 16, 8), glb_shared=4096)
    res = map_layer(KINDS["conv"], exact, "rs")
    rf = res.mapping.level_factors("rf")
    weights_tile = rf.get("G", 1) * rf.get("M", 1) * rf.get("C", 1) * rf.get("R", 1) * rf.get("S", 1)
    assert weights_tile == 3
    assert_conserves(res, KINDS["conv"])
    with pytest.raises(NoMappingError, match="weights spad holds 2 words; the smallest rs tile needs 3"):
        map_layer(KINDS["conv"], hardware(rows=4, cols=4, rf=(2, 16, 8), glb_shared=4096), "rs")


def test_a_mapping_may_use_every_pe_row():
    # a 4-row array and a filter of R = 4 rows: RS puts the 4 rows on the 4 PE rows (rows <= pe_rows)
    layer = Layer(name="r4", M=2, C=2, H=8, W=8, R=4, S=3)
    res = map_layer(layer, HW, "rs")
    assert res.mapping.level_factors("rows").get("R", 1) == 4 and res.active_pes % 4 == 0


@pytest.mark.parametrize("name", ["conv3", "conv4", "conv5"])
def test_eyeriss_v1_alexnet_conv3_to_5_use_exactly_156_pes(name):
    # JSSC 2017 Table V: 156 of the 168 PEs active in conv3-5 (batch 4, the chip's EDP-like mapping):
    # under the chip's placement of RS PE sets (E = 13 ofmap rows whole on the columns) the mapping
    # fills 12 x 13 of the 12 x 14 array, and only if all 12 PE rows may be used. (Plain ``rs``,
    # which does not require E on the columns, fills 12 x 14 with strip-mining: test_full_array.py.)
    import accelsim
    from accelsim.papers.eyeriss import chip_rs

    layer = next(lay for lay in accelsim.load_network("alexnet", batch=4).mapped_layers if lay.name == name)
    res = map_layer(layer, accelsim.load_hw("eyeriss_v1"), chip_rs(), objective="edp")  # as the reproduction maps it
    assert res.active_pes == 156, res.mapping.loop_text()
    assert res.mapping.level_factors("cols") == {"E": 13}, res.mapping.loop_text()
