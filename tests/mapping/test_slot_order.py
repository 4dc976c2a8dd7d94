"""The search's slot order (``mapper.slot_order``, largest top-dimension factors first) is a speed
choice only: searching the slots in the canonical order, or reversed, or shuffled, gives the same
mapping, cost and secondary objective, because every bound test keeps a slack above its rounding
and ties between slots go to the lowest slot index.

The first case is the one that showed the need for the slack: with the lower bound compared
without it, a lower-index slot seeded with a tying cost cut its own optimum (rounding made the
bound a hair above it) and the search returned a different mapping of the same energy.
"""

from __future__ import annotations

import random

import pytest

from accelsim.api import load_hw
from accelsim.mapping import mapper
from accelsim.mapping.dataflows import get_dataflow
from accelsim.workload.layer import Layer

HORO = {"energy.table": "horowitz_45nm"}  # non-integer pJ energies: exact sums are off, rounding matters

CASES = [
    # (hardware changes, layer, dataflows, objective)
    ({**HORO, "pe_array.rows": 16, "pe_array.cols": 16, "levels.glb.shared_capacity_words": 55296},
     Layer(name="pw", M=128, C=64, H=56, W=56, R=1, S=1), ("rs",), "energy"),
    (HORO, Layer(name="conv", M=32, C=16, H=15, W=15, R=3, S=3), ("rs", "ws", "os-a", "nlr", "is"), "energy"),
    (HORO, Layer(name="strided", M=24, C=12, H=23, W=23, R=3, S=3, stride=(2, 2)), ("rs", "os-b", "os-c"), "edp"),
    ({}, Layer(name="alexnet-ish", M=48, C=32, H=13, W=13, R=3, S=3, padding=(1, 1, 1, 1)),
     ("rs", "ws", "nlr"), "energy"),
    ({}, Layer(name="fc", kind="fc", M=100, C=256, H=1, W=1, R=1, S=1), ("rs", "is"), "cycles"),
]


def _search(nest, hw, df, objective, order, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(mapper, "slot_order", order)
        mapping, _, _, exhaustive = mapper.search_nest(nest, hw, get_dataflow(df), objective, parallel=False)
    _, energy, mac_e, cycles, *_ = mapper.evaluate(nest, hw, mapping, get_dataflow(df))
    assert exhaustive
    return mapping, float(energy.sum() + mac_e), cycles


@pytest.mark.parametrize("changes, layer, dataflows, objective", CASES, ids=[c[1].name for c in CASES])
def test_the_slot_order_does_not_change_the_result(changes, layer, dataflows, objective, monkeypatch):
    hw = load_hw("eyeriss_v1")
    hw = hw.derive(changes) if changes else hw
    rng = random.Random(layer.name)

    def shuffled(k):
        ks = list(range(k))
        rng.shuffle(ks)
        return ks

    for df in dataflows:
        default = _search(layer.nest, hw, df, objective, mapper.slot_order, monkeypatch)
        canonical = _search(layer.nest, hw, df, objective, lambda k: list(range(k)), monkeypatch)
        mixed = _search(layer.nest, hw, df, objective, shuffled, monkeypatch)
        assert default == canonical == mixed, df


def test_slot_order_is_every_slot_once_largest_first():
    assert mapper.slot_order(5) == [4, 3, 2, 1, 0]
    assert sorted(mapper.slot_order(37)) == list(range(37))
