"""Property tests (hypothesis) of the mapper over random layers x every dataflow x every shipped
hardware config (issue 7): the mapper returns a mapping, or a NoMappingError whose one line names
the failing constraint, and never anything else; and every mapping it returns obeys the
invariants below, checked from first principles (not from the mapper's own totals):

- the hardware executes exactly the layer's MACs;
- every weight and every ifmap element some MAC uses is read from DRAM at least once, and the
  ofmap is written to DRAM exactly once per element (psum spills are off by default);
- the energy is the sum of its parts: every access count times the config's energy per access,
  plus MACs times the MAC energy, and the by-level and by-datatype breakdowns add up to it;
- utilization lies in (0, 1] and cycles are at least MACs / PEs.

The layers cover grouped, depthwise, strided, dilated, padded, transposed, FC and batch > 1.

A NoMappingError is accepted only where an independent search (``legal_mapping_exists``: the
dataflow's splits, capacities checked with this file's own tile sizes, the spill rule with the
counts the executor tests verify) finds no legal mapping either: a mapper that always raised
NoMappingError fails these tests."""

import math

import pytest
from conftest import assert_conserves, legal_mapping_exists
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import accelsim
from accelsim.errors import NoMappingError
from accelsim.mapping.dims import STORAGE
from accelsim.mapping.mapper import map_layer
from accelsim.workload.layer import Layer

HW = {e.name: accelsim.load_hw(e.name) for e in accelsim.list_hw()}
DATAFLOWS = [d.name for d in accelsim.list_dataflows()]
BUDGET = 2000  # evaluations per search: the invariants hold for any legal mapping, optimal or not
CONSTRAINT_WORDS = ("holds", "needs", "array", "PE", "split", "fit", "capacity", "words")


@st.composite
def layers(draw):
    """A small valid layer of a random kind; sizes are drawn so the shape is always legal."""
    kind = draw(st.sampled_from(["conv", "grouped", "depthwise", "fc", "transposed"]))
    n = draw(st.integers(1, 4))
    if kind == "fc":
        c, h = draw(st.integers(1, 24)), draw(st.integers(1, 4))
        return Layer(name="fc", kind="fc", N=n, G=1, M=draw(st.integers(1, 32)), C=c, H=h, W=h, R=h, S=h)
    g = {"conv": 1, "transposed": 1}.get(kind) or draw(st.integers(2, 6))
    c = 1 if kind == "depthwise" else draw(st.integers(1, 8))
    m = draw(st.integers(1, 3)) if kind == "depthwise" else draw(st.integers(1, 12))
    r, s = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    u = draw(st.integers(1, 3))
    if kind == "transposed":
        pad = draw(st.integers(0, (min(r, s) - 1) // 2))
        return Layer(name="tconv", kind="conv", N=n, G=1, M=m, C=c, H=draw(st.integers(1, 8)),
                     W=draw(st.integers(1, 8)), R=r, S=s, stride=u, padding=pad, transposed=True,
                     output_padding=draw(st.integers(0, u - 1)))
    d = draw(st.integers(1, 2))
    pad = draw(st.integers(0, 2))
    h = draw(st.integers(max(1, d * (r - 1) + 1 - 2 * pad), 16))
    w = draw(st.integers(max(1, d * (s - 1) + 1 - 2 * pad), 16))
    return Layer(name=kind, kind="conv", N=n, G=g, M=m, C=c, H=h, W=w, R=r, S=s, stride=u, padding=pad,
                 dilation=d)


def _energy_from_counts(res, hw) -> float:
    total = res.macs * hw.mac_energy
    for i, name in enumerate(STORAGE):
        level = next((lv for lv in hw.levels if lv.name == name), None)
        if level is None:
            assert not res.counts[i].any(), f"counts at a level {hw.name} does not have: {name}"
            continue
        for t in range(3):
            total += res.counts[i, t, 0] * level.read_energy[t] + res.counts[i, t, 1] * level.write_energy[t]
    return total


def _check(layer, hw_name, dataflow):
    hw = HW[hw_name]
    where = f"{layer} on {hw_name} under {dataflow}"
    try:
        res = map_layer(layer, hw, dataflow, max_evaluations=BUDGET)
    except NoMappingError as exc:
        message = str(exc)
        assert "\n" not in message and any(w in message for w in CONSTRAINT_WORDS), (where, message)
        assert legal_mapping_exists(layer, hw, dataflow) is not True, f"{where}: a legal mapping exists: {message}"
        return None
    assert_conserves(res, layer, where)
    assert res.useful_macs == layer.macs and (res.counts >= 0).all(), where
    assert math.isclose(res.energy_total, _energy_from_counts(res, hw), rel_tol=1e-9), where
    assert math.isclose(sum(res.energy_by_level().values()), res.energy_total, rel_tol=1e-9), where
    assert math.isclose(sum(res.energy_by_datatype().values()) + res.mac_energy, res.energy_total,
                        rel_tol=1e-9), where
    assert 0 < res.utilization <= 1 and 0 < res.pe_utilization <= 1, where
    assert res.cycles >= res.macs / hw.num_pes, where
    return res


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layer=layers(), hw_name=st.sampled_from(sorted(HW)), dataflow=st.sampled_from(DATAFLOWS))
def test_any_layer_on_any_config_under_any_dataflow(layer, hw_name, dataflow):
    _check(layer, hw_name, dataflow)


@pytest.mark.parametrize("hw_name", sorted(HW))
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layer=layers())
def test_every_dataflow_on_every_config(hw_name, layer):
    mapped = [_check(layer, hw_name, df) for df in DATAFLOWS]
    # free is the unconstrained space: on every shipped config some mapping of these small layers is legal
    assert mapped[DATAFLOWS.index("free")] is not None, (layer, hw_name)


def test_the_independent_search_finds_mappings_and_their_absence():
    hw = HW["eyeriss_v1"]
    conv = Layer(name="c", M=4, C=3, H=8, W=8, R=3, S=3)
    assert legal_mapping_exists(conv, hw, "rs") is True
    wide = Layer(name="w", M=2, C=2, H=16, W=300, R=3, S=300)  # RS keeps a whole filter row (S=300) in a PE
    assert legal_mapping_exists(wide, hw, "rs") is False
    with pytest.raises(NoMappingError):
        map_layer(wide, hw, "rs")
