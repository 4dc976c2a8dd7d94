"""The mapper on every kind of layer, conservation of counts, and actionable no-mapping errors."""

import numpy as np
import pytest
from conftest import assert_conserves
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
    except NoMappingError as exc:
        assert any(w in str(exc) for w in ("holds", "needs", "array", "PE", "split")), str(exc)
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
