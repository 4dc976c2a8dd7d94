"""The Python API. The CLI only calls these functions.

    net = accelsim.load_network("alexnet", batch=4)
    hw = accelsim.load_hw("eyeriss_v1")
    result = accelsim.simulate(net, hw, dataflow="rs", objective="energy")
    result.to_frame()
"""

from __future__ import annotations

import os

from accelsim.arch.accounting import with_fill_writes
from accelsim.errors import UsageError
from accelsim.mapping.dataflows import ALL_NAMES, DATAFLOWS, NAMES, get_dataflow
from accelsim.mapping.mapper import check_constraints, map_layer, map_network, map_networks
from accelsim.mapping.result import LayerResult, NetworkResult, ResultSet
from accelsim.sparsity import run as _sparse
from accelsim.workload import zoo
from accelsim.workload.layer import Layer
from accelsim.workload.load import load_network
from accelsim.workload.network import Network
from accelsim.workload.onnx_extract import from_onnx
from accelsim.workload.torch_extract import from_torch

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


MAX_EVALUATIONS = 10**15  # a search budget per layer (days of search); keeps every count in int64


def _check_batch(batch) -> None:
    if batch is not None and (isinstance(batch, bool) or not isinstance(batch, int) or batch <= 0):
        raise UsageError(f"batch must be a positive integer, got {batch!r}")


def simulate(layer_or_network, hw, dataflow: str | None = None, objective: str = "energy", batch: int | None = None,
             psum_spill: bool = False, max_evaluations: int | None = None, density=None,
             min_utilization: float = 0.0, max_cycles: int | None = None, fill_writes: str = "charged",
             strip_mining: bool = False):
    """Map a Layer, a Network, or a network name/file onto ``hw`` (a Hardware or a name/path).

    ``dataflow`` None: the config's ``default_dataflow`` (rs for eyeriss_v1). Returns a
    LayerResult for a Layer, a NetworkResult for a network, and a ResultSet (one NetworkResult
    per dataflow) for ``dataflow="all"``; each has ``.to_frame()``. ``batch`` overrides N.
    ``psum_spill`` also allows mappings that send partial sums to DRAM and back (by default each
    ofmap element is written to DRAM exactly once). ``max_evaluations`` bounds the search per
    layer (0 = exhaustive; default: exhaustive except for ``free``); results carry
    ``exhaustive``. A Layer with no legal mapping raises NoMappingError; a network collects such
    layers in ``.failures`` and maps the rest.
    ``density`` ('ifmap=0.4,weights=0.3', a dict or a Density) sets those densities on every
    layer; layers with densities are mapped under the sparse model (accelsim.sparsity.run) and
    give SparseLayerResults (dense and sparse figures side by side). ``min_utilization`` (a
    fraction of the PEs, 0-1) and ``max_cycles`` restrict every layer's search to mappings with at
    least that share of the PE array active and at most that many cycles; the search stays exact
    under them (dense model only). ``fill_writes``: "charged" (default: a weight or ifmap word
    written into the GLB or an RF costs a write) or "free" (ISCA 2016 Eq. (3): only reads are
    charged for them; see accelsim.arch.accounting). ``strip_mining``: also search spatial factors
    of N M E F G that leave a partial array tile, as the Eyeriss chip maps AlexNet (docs/model.md;
    never a higher optimum, 3-4x the search time; dense model only)."""
    if not hasattr(hw, "levels"):
        hw = load_hw(hw)
    hw = with_fill_writes(hw, fill_writes)
    _check_batch(batch)
    if max_evaluations is not None and (isinstance(max_evaluations, bool) or not isinstance(max_evaluations, int)
                                        or max_evaluations < 0):
        raise UsageError(f"max_evaluations must be an integer >= 0 (0 = exhaustive), got {max_evaluations!r}")
    if max_evaluations is not None and max_evaluations > MAX_EVALUATIONS:
        raise UsageError(f"max_evaluations {max_evaluations:.3g} is more than accelsim's limit of "
                         f"{MAX_EVALUATIONS:.0e} (0 = exhaustive)")
    check_constraints(min_utilization, max_cycles)
    limits = {"min_utilization": min_utilization, "max_cycles": max_cycles, "strip_mining": bool(strip_mining)}
    target = layer_or_network
    if isinstance(target, str) or hasattr(target, "__fspath__"):
        target = load_network(target, batch=batch or 1)
    elif batch is not None:
        target = target.with_batch(batch)
    if dataflow is None:
        dataflow = hw.default_dataflow
    names = ALL_NAMES if str(dataflow).lower() == "all" else (get_dataflow(dataflow).name,)
    if density is not None or (isinstance(target, (Layer, Network)) and _sparse.has_density(target)):
        return _simulate_sparse(target, hw, names, objective, psum_spill, max_evaluations, density, strip_mining)
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


def _simulate_sparse(target, hw, names, objective, psum_spill, max_evaluations, density, strip_mining=False):
    """simulate() for layers with densities: the sparse model (accelsim.sparsity.run)."""
    from accelsim.sparsity.density import as_density

    if density is not None and not isinstance(density, dict):
        density = as_density(density).as_dict()
    if not isinstance(target, (Layer, Network)):
        raise UsageError(f"simulate() takes a Layer, a Network or a network name, not {type(target).__name__}")
    target = _sparse.with_density(target, density)
    if isinstance(target, Layer):
        out = tuple(_sparse.map_layer_sparse(target, hw, df, objective, psum_spill=psum_spill,
                                             max_evaluations=max_evaluations, strip_mining=strip_mining)
                    for df in names)
        return out if len(names) > 1 else out[0]
    results = _sparse.map_networks_sparse(target, hw, names, objective, psum_spill, max_evaluations, strip_mining)
    return ResultSet(results) if len(names) > 1 else results[0]


STUDY_PLOTS = ("isca16", "jssc17")  # plots of a paper's study; the other kinds plot a network's results


def plot(kind: str, data=None, out=None, *, hw=None, dataflow: str | None = None, objective: str | None = None,
         batch: int | None = None, psum_spill: bool = False, max_evaluations: int | None = None, density=None,
         **options):
    """Draw plot ``kind`` and return the matplotlib Figure; with ``out`` also write it there
    (PNG, PDF or SVG by the suffix, atomically, byte-identical run to run).

    ``energy`` (options ``by="level"|"datatype"``, ``per_mac``), ``dataflows`` (``per_layer``) and
    ``reuse`` (each also ``layers="conv"|"fc"|"conv1,fc6"`` and ``log=True``) take a result of
    simulate() or its ``.to_frame()``, or a network (a Network, zoo name or file) that is simulated
    first with ``hw`` (default eyeriss_v1), ``dataflow`` (default: the config's default_dataflow;
    all for ``dataflows``), ``objective``, ``batch``, ``psum_spill`` and ``max_evaluations``.
    ``isca16`` and ``jssc17`` take the frame of ``accelsim.papers.eyeriss.isca16()`` /
    ``jssc17()``, or run the study when ``data`` is None (``batch`` restricts isca16 to one batch
    size). ``sparsity`` draws dense vs sparse: give ``density`` (as simulate's) when it
    simulates a network. ``mapping`` (option ``layer``) takes a LayerResult, or a result or
    network and the name of the layer to draw (only that layer is simulated). See
    accelsim/report/plots.py for what each kind draws."""
    from accelsim.report import plots

    plots.check_options(kind, options)  # all checks before a long mapping run, not after it
    _check_batch(batch)
    if out is not None:
        plots.check_path(out)
    sim = {"hw": hw, "dataflow": dataflow, "objective": objective, "psum_spill": psum_spill or None,
           "max_evaluations": max_evaluations, "density": density}
    given = [k for k, v in sim.items() if v is not None]
    if kind in STUDY_PLOTS:
        if given or (batch is not None and kind == "jssc17"):
            raise UsageError(f"plot {kind} reruns a fixed study; it takes no {plots.option_names(given or ['batch'])}")
        if data is None:
            from accelsim.papers import eyeriss

            data = eyeriss.isca16(batches=[batch] if batch else None) if kind == "isca16" else eyeriss.jssc17()
    elif kind == "pareto":  # a sweep table, or the database of a finished sweep
        if given or batch is not None:
            raise UsageError(f"plot pareto takes no {plots.option_names(given or ['batch'])}")
        if data is None:
            raise UsageError("plot pareto needs a sweep table (accelsim.sweep) or a sweep database path")
        if isinstance(data, (str, os.PathLike)):
            from accelsim.dse.sweep import load_table

            data = load_table(data)
    elif data is None:
        raise UsageError(f"plot {kind} needs a network (a Network, zoo name or file) or a result of simulate()")
    elif isinstance(data, (Layer, Network, str)) or hasattr(data, "__fspath__"):
        if kind == "mapping" and options.get("layer") is None and not isinstance(data, Layer):
            raise UsageError("plot mapping of a network needs layer= (--layer): the layer whose mapping is drawn")
        if kind == "mapping" and not isinstance(data, Layer):
            net = data if isinstance(data, Network) else load_network(data, batch=batch or 1)
            try:
                layer = net[options["layer"]]  # map only the layer drawn
            except KeyError as exc:
                raise UsageError(exc.args[0]) from None
            result = simulate(layer, hw or "eyeriss_v1", dataflow=dataflow, objective=objective or "energy",
                              psum_spill=psum_spill, max_evaluations=max_evaluations)
            import dataclasses

            rename = lambda r: dataclasses.replace(r, network=net.name)  # noqa: E731
            data = tuple(map(rename, result)) if isinstance(result, tuple) else rename(result)
        else:
            data = simulate(data, hw or "eyeriss_v1", dataflow=dataflow or ("all" if kind == "dataflows" else None),
                            objective=objective or "energy", batch=batch, psum_spill=psum_spill,
                            max_evaluations=max_evaluations, density=density)
    elif given or batch is not None:
        raise UsageError(f"plot {kind} of a result takes no {plots.option_names(given or ['batch'])}: "
                         "those apply when it simulates a network")
    if isinstance(data, tuple) and kind != "mapping":  # simulate(layer, dataflow="all"): one per dataflow
        import pandas as pd

        data = pd.concat([r.to_frame() for r in data], ignore_index=True) if data else pd.DataFrame()
    fig = plots.figure(kind, data, **options)
    if out is not None:
        plots.save(fig, out)
    return fig


def sweep(spec_or_path, db, executor: str = "local", workers: int | None = None, scheduler: str | None = None,
          quiet: bool = False):
    """Run a design-space sweep (a YAML spec path or the same mapping) with results stored in the
    SQLite file ``db`` (reused on rerun, so an interrupted sweep resumes) and return its table as
    a DataFrame: one row per (hardware point, network, batch, dataflow). See docs/dse.md and
    ``accelsim.dse.sweep.sweep``; ``accelsim.dse.pareto(frame, ...)`` extracts Pareto fronts."""
    from accelsim.dse.sweep import sweep as _sweep

    return _sweep(spec_or_path, db=db, executor=executor, workers=workers, scheduler=scheduler, quiet=quiet)


__all__ += ["LayerResult", "NetworkResult", "ResultSet", "sweep"]
__all__ += ["from_torch", "from_onnx"]  # nn.Module / ONNX file -> Network (need the torch / onnx extras)
