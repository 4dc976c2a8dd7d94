"""The Python API. The CLI only calls these functions.

    net = accelsim.load_network("alexnet", batch=4)
    hw = accelsim.load_hw("eyeriss_v1")
    result = accelsim.simulate(net, hw, dataflow="rs", objective="energy")
    result.to_frame()
"""

from __future__ import annotations

from accelsim.arch.accounting import with_fill_writes
from accelsim.errors import UsageError
from accelsim.mapping.dataflows import ALL_NAMES, DATAFLOWS, NAMES, get_dataflow
from accelsim.mapping.mapper import check_constraints, map_layer, map_network, map_networks
from accelsim.mapping.result import LayerResult, NetworkResult, ResultSet
from accelsim.workload import zoo
from accelsim.workload.layer import Layer
from accelsim.workload.load import load_network
from accelsim.workload.network import Network

__all__ = ["load_network", "load_hw", "list_networks", "list_hw", "list_dataflows", "simulate", "plot"]


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


def _check_batch(batch) -> None:
    if batch is not None and (isinstance(batch, bool) or not isinstance(batch, int) or batch <= 0):
        raise UsageError(f"batch must be a positive integer, got {batch!r}")


def simulate(layer_or_network, hw, dataflow: str = "rs", objective: str = "energy", batch: int | None = None,
             psum_spill: bool = False, max_evaluations: int | None = None, min_utilization: float = 0.0,
             max_cycles: int | None = None, fill_writes: str = "charged"):
    """Map a Layer, a Network, or a network name/file onto ``hw`` (a Hardware or a name/path).

    Returns a LayerResult for a Layer, a NetworkResult for a network, and a ResultSet (one
    NetworkResult per dataflow) for ``dataflow="all"``; each has ``.to_frame()``. ``batch``
    overrides N. ``psum_spill`` also allows mappings that send partial sums to DRAM and back (by
    default each ofmap element is written to DRAM exactly once). ``max_evaluations`` bounds the
    search per layer (0 = exhaustive; default: exhaustive except for ``free``); results carry
    ``exhaustive``. ``min_utilization`` (a fraction of the PEs, 0-1) and ``max_cycles`` restrict
    every layer's search to mappings with at least that share of the PE array active and at most that
    many cycles; the search stays exact under them. ``fill_writes``: "charged" (default: a weight or
    ifmap word written into the GLB or an RF costs a write) or "free" (ISCA 2016 Eq. (3): only reads
    are charged for them; see accelsim.arch.accounting). A Layer with no legal mapping
    raises NoMappingError; a network collects such layers in ``.failures`` and maps the rest."""
    if not hasattr(hw, "levels"):
        hw = load_hw(hw)
    hw = with_fill_writes(hw, fill_writes)
    _check_batch(batch)
    if max_evaluations is not None and (isinstance(max_evaluations, bool) or not isinstance(max_evaluations, int)
                                        or max_evaluations < 0):
        raise UsageError(f"max_evaluations must be an integer >= 0 (0 = exhaustive), got {max_evaluations!r}")
    check_constraints(min_utilization, max_cycles)
    limits = {"min_utilization": min_utilization, "max_cycles": max_cycles}
    target = layer_or_network
    if isinstance(target, str) or hasattr(target, "__fspath__"):
        target = load_network(target, batch=batch or 1)
    elif batch is not None:
        target = target.with_batch(batch)
    names = ALL_NAMES if str(dataflow).lower() == "all" else (get_dataflow(dataflow).name,)
    if isinstance(target, Layer):
        if len(names) > 1:
            return tuple(map_layer(target, hw, df, objective, psum_spill=psum_spill,
                                   max_evaluations=max_evaluations, **limits) for df in names)
        return map_layer(target, hw, names[0], objective, psum_spill=psum_spill, max_evaluations=max_evaluations,
                         **limits)
    if not isinstance(target, Network):
        raise UsageError(f"simulate() takes a Layer, a Network or a network name, not {type(target).__name__}")
    if len(names) > 1:
        return ResultSet(map_networks(target, hw, names, objective, psum_spill, max_evaluations, **limits))
    return map_network(target, hw, names[0], objective, psum_spill, max_evaluations, **limits)


STUDY_PLOTS = ("isca16", "jssc17")  # plots of a paper's study; the other kinds plot a network's results


def plot(kind: str, data=None, out=None, *, hw=None, dataflow: str | None = None, objective: str | None = None,
         batch: int | None = None, psum_spill: bool = False, max_evaluations: int | None = None, **options):
    """Draw plot ``kind`` and return the matplotlib Figure; with ``out`` also write it there
    (PNG, PDF or SVG by the suffix, atomically, byte-identical run to run).

    ``energy`` (options ``by="level"|"datatype"``, ``per_mac``), ``dataflows`` (``per_layer``) and
    ``reuse`` take a result of simulate() or its ``.to_frame()``, or a network (a Network, zoo name
    or file) that is simulated first with ``hw`` (default eyeriss_v1), ``dataflow`` (default rs;
    all for ``dataflows``), ``objective``, ``batch``, ``psum_spill`` and ``max_evaluations``.
    ``isca16`` and ``jssc17`` take the frame of ``accelsim.papers.eyeriss.isca16()`` /
    ``jssc17()``, or run the study when ``data`` is None (``batch`` restricts isca16 to one batch
    size). See accelsim/report/plots.py for what each kind draws."""
    from accelsim.report import plots

    plots.check_options(kind, options)  # all checks before a long mapping run, not after it
    _check_batch(batch)
    if out is not None:
        plots.check_path(out)
    sim = {"hw": hw, "dataflow": dataflow, "objective": objective, "psum_spill": psum_spill or None,
           "max_evaluations": max_evaluations}
    given = [k for k, v in sim.items() if v is not None]
    if kind in STUDY_PLOTS:
        if given or (batch is not None and kind == "jssc17"):
            raise UsageError(f"plot {kind} reruns a fixed study; it takes no {plots.option_names(given or ['batch'])}")
        if data is None:
            from accelsim.papers import eyeriss

            data = eyeriss.isca16(batches=[batch] if batch else None) if kind == "isca16" else eyeriss.jssc17()
    elif data is None:
        raise UsageError(f"plot {kind} needs a network (a Network, zoo name or file) or a result of simulate()")
    elif isinstance(data, (Layer, Network, str)) or hasattr(data, "__fspath__"):
        data = simulate(data, hw or "eyeriss_v1", dataflow=dataflow or ("all" if kind == "dataflows" else "rs"),
                        objective=objective or "energy", batch=batch, psum_spill=psum_spill,
                        max_evaluations=max_evaluations)
    elif given or batch is not None:
        raise UsageError(f"plot {kind} of a result takes no {plots.option_names(given or ['batch'])}: "
                         "those apply when it simulates a network")
    if isinstance(data, tuple):  # simulate(layer, dataflow="all"): one LayerResult per dataflow
        import pandas as pd

        data = pd.concat([r.to_frame() for r in data], ignore_index=True) if data else pd.DataFrame()
    fig = plots.figure(kind, data, **options)
    if out is not None:
        plots.save(fig, out)
    return fig


__all__ += ["LayerResult", "NetworkResult", "ResultSet"]
