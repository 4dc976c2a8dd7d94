"""Conservation on every layer of every zoo network (issue 5): whatever mapping the mapper picks,
the hardware executes the layer's MACs, every weight and every ifmap element some MAC uses leaves
DRAM at least once, and the ofmap is written to DRAM exactly once per element and never read back
(psum spills are off by default).

Each distinct loop nest of the zoo is mapped once, under a dataflow chosen round-robin over the
ISCA 2016 taxonomy + IS (so every dataflow meets every kind of layer somewhere), with a small
deterministic evaluation budget: conservation must hold for any legal mapping, optimal or not."""

import pytest
from conftest import assert_conserves, legal_mapping_exists

import accelsim
from accelsim.errors import NoMappingError
from accelsim.mapping.dataflows import ALL_NAMES
from accelsim.mapping.mapper import map_layer

HW = accelsim.load_hw("eyeriss_v1")
BUDGET = 3000


def _zoo_nests():
    seen = {}
    for entry in accelsim.list_networks():
        for layer in accelsim.load_network(entry.name).mapped_layers:
            seen.setdefault(layer.nest, (entry.name, layer))
    return list(seen.values())


NESTS = _zoo_nests()


def test_the_zoo_has_many_distinct_layers():
    assert len(NESTS) > 500


@pytest.mark.parametrize("chunk", range(8))
def test_every_zoo_layer_conserves(chunk):
    checked = 0
    for i, (network, layer) in enumerate(NESTS):
        if i % 8 != chunk:
            continue
        dataflow = ALL_NAMES[i % len(ALL_NAMES)]
        where = f"{network}/{layer.name} under {dataflow}"
        try:
            res = map_layer(layer, HW, dataflow, max_evaluations=BUDGET)
        except NoMappingError as exc:  # a dataflow may not fit a layer: an independent search agrees
            found = legal_mapping_exists(layer, HW, dataflow, limit=3000)
            assert "\n" not in str(exc) and found is not True, (where, str(exc))
            continue
        assert_conserves(res, layer, where)
        checked += 1
    assert checked > 0
