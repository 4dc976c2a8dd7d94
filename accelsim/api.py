"""The Python API. The CLI only calls these functions.

    net = accelsim.load_network("alexnet", batch=4)
    hw = accelsim.load_hw("eyeriss_v1")
    result = accelsim.simulate(net, hw, dataflow="rs", objective="energy")
    result.to_frame()
"""

from __future__ import annotations

from accelsim.errors import UsageError
from accelsim.mapping.dataflows import ALL_NAMES, DATAFLOWS, NAMES, get_dataflow
from accelsim.mapping.mapper import map_layer, map_network
from accelsim.mapping.result import LayerResult, NetworkResult, ResultSet
from accelsim.workload import zoo
from accelsim.workload.layer import Layer
from accelsim.workload.load import load_network
from accelsim.workload.network import Network

__all__ = ["load_network", "load_hw", "list_networks", "list_hw", "list_dataflows", "simulate"]


def load_hw(name_or_path):
    """A shipped accelerator config by name (see `accelsim list hw`) or a YAML path -> Hardware."""
    from accelsim.arch.load import load_hw as _load

    return _load(name_or_path)


def list_hw():
    from accelsim.arch.load import list_hw as _list

    return _list()


def list_networks() -> list[zoo.ZooEntry]:
    """Every zoo entry (name, family, source, notes)."""
    return zoo.entries()


def list_dataflows():
    """Every Dataflow (name, title, constraints, description): the `--dataflow all` set, then free."""
    return [DATAFLOWS[n] for n in NAMES]


def simulate(layer_or_network, hw, dataflow: str = "rs", objective: str = "energy", batch: int | None = None,
             psum_spill: bool = False, max_evaluations: int | None = None):
    """Map a Layer, a Network, or a network name/file onto ``hw`` (a Hardware or a name/path).

    Returns a LayerResult for a Layer, a NetworkResult for a network, and a ResultSet (one
    NetworkResult per dataflow) for ``dataflow="all"``; each has ``.to_frame()``. ``batch``
    overrides N. ``psum_spill`` also allows mappings that send partial sums to DRAM and back (by
    default each ofmap element is written to DRAM exactly once). ``max_evaluations`` bounds the
    search per layer (0 = exhaustive; default: exhaustive except for ``free``); results carry
    ``exhaustive``. A Layer with no legal mapping
    raises NoMappingError; a network collects such layers in ``.failures`` and maps the rest."""
    if not hasattr(hw, "levels"):
        hw = load_hw(hw)
    if batch is not None and (isinstance(batch, bool) or not isinstance(batch, int) or batch <= 0):
        raise UsageError(f"batch must be a positive integer, got {batch!r}")
    if max_evaluations is not None and (isinstance(max_evaluations, bool) or not isinstance(max_evaluations, int)
                                        or max_evaluations < 0):
        raise UsageError(f"max_evaluations must be an integer >= 0 (0 = exhaustive), got {max_evaluations!r}")
    target = layer_or_network
    if isinstance(target, str) or hasattr(target, "__fspath__"):
        target = load_network(target, batch=batch or 1)
    elif batch is not None:
        target = target.with_batch(batch)
    names = ALL_NAMES if str(dataflow).lower() == "all" else (get_dataflow(dataflow).name,)
    if isinstance(target, Layer):
        if len(names) > 1:
            return tuple(map_layer(target, hw, df, objective, psum_spill=psum_spill,
                                   max_evaluations=max_evaluations) for df in names)
        return map_layer(target, hw, names[0], objective, psum_spill=psum_spill, max_evaluations=max_evaluations)
    if not isinstance(target, Network):
        raise UsageError(f"simulate() takes a Layer, a Network or a network name, not {type(target).__name__}")
    if len(names) > 1:
        return ResultSet(tuple(map_network(target, hw, df, objective, psum_spill, max_evaluations) for df in names))
    return map_network(target, hw, names[0], objective, psum_spill, max_evaluations)


__all__ += ["LayerResult", "NetworkResult", "ResultSet"]
