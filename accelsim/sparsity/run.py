"""Map layers and networks under the sparse model and report dense and sparse side by side.

What is optimised: the mapper searches the Hardware of ``model.effective_hardware`` (per-word
energies times the sparse multipliers, capacities in expected compressed words), so for the
energy objective the search minimises the sparse energy of ``model.evaluate`` exactly (the DRAM
ofmap term is the same for every mapping), over the tiles that fit in expectation once
compressed. For the cycles and edp objectives the search's cycles are the dense ones (compute
steps, uncompressed words); the reported cycles are the sparse model's.

Results are ``SparseLayerResult``s (LayerResults whose energy, MAC energy and cycles are the
sparse expectations, ``counts`` the dense counts) in ordinary NetworkResults.

Strip-mining: with skipping, the sparse model's compute cycles take every MAC step on the same
active PEs (``model.compute_cycles``), which strip-mined mappings (partial array tiles,
docs/model.md) do not have, so on hardware that skips the sparse searches use exact splits only
(``_strip``); without skipping compute cycles are the MAC steps and, with ``strip_mining``, the
searches strip-mine as the dense ones do (so density 1 stays the dense model bit for bit). The
sparse executor check
(tests/sim/test_sparse_vs_model.py) draws exact splits only.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np

from accelsim.errors import NoMappingError
from accelsim.mapping.counts import tile_words
from accelsim.mapping.dataflows import get_dataflow
from accelsim.mapping.dims import nest_bounds
from accelsim.mapping.mapper import _objective_code, _result, _sd, network_results, run_searches
from accelsim.mapping.mapspace import hardware_arrays
from accelsim.mapping.result import LayerResult, NetworkResult
from accelsim.sparsity import model
from accelsim.sparsity.density import DENSE, KEYS, Density


def _strip(hw, strip_mining: bool) -> bool:
    """Whether the sparse searches on ``hw`` may strip-mine: as asked (``strip_mining``), but never
    when it skips operands."""
    sp = getattr(hw, "sparsity", None)
    return False if sp is not None and sp.skipping else bool(strip_mining)


@dataclass(frozen=True)
class SparseLayerResult(LayerResult):
    """A LayerResult under the sparse model: ``energy``, ``mac_energy`` and ``cycles`` are the
    expected sparse figures; ``counts`` stay the dense counts (words). Extra: the dense energy
    and cycles, expected words moved per level (``words[4, 3, 2]``, metadata included) and
    metadata words, MACs full / gated / skipped, the layer's densities."""

    density: Density = DENSE
    energy_dense: float = 0.0
    cycles_dense: float = 0.0
    words: np.ndarray | None = None
    meta: np.ndarray | None = None
    macs_full: float = 0.0
    macs_gated: float = 0.0
    macs_skipped: float = 0.0

    @property
    def dram_words(self) -> float:
        return float(self.words[0].sum())

    @property
    def dram_words_dense(self) -> int:
        return int(self.counts[0].sum())

    def row(self) -> dict:
        row = super().row()
        extra = {f"{k}_density": v for k, v in self.density.as_dict().items()}
        extra.update(energy_dense=self.energy_dense, cycles_dense=int(np.ceil(self.cycles_dense)),
                     dram_words_dense=self.dram_words_dense, dram_words=self.dram_words,
                     dram_metadata_words=float(self.meta[0].sum()), metadata_words=float(self.meta.sum()),
                     macs_full=self.macs_full, macs_gated=self.macs_gated, macs_skipped=self.macs_skipped)
        out = {}
        for k, v in row.items():  # the sparse columns go right after the dense ones they pair with
            out[k] = v
            if k == "energy_per_mac":
                out.update((c, extra.pop(c)) for c in ("energy_dense",))
            if k == "cycles":
                out.update((c, extra.pop(c)) for c in ("cycles_dense",))
        out.update(extra)
        return out


def sparse_result(dense: LayerResult, layer, hw, dataflow) -> SparseLayerResult:
    """The sparse figures of a dense LayerResult's mapping (``layer.density``; None = dense)."""
    nest = layer.nest
    density = layer.density or DENSE
    hwa = hardware_arrays(hw, dataflow)
    o = int(tile_words(2, nest_bounds(nest), _sd(nest)))
    fig = model.evaluate(dense.counts, dense.mac_energy, hwa.e_read, hwa.e_write, hwa.bw, dense.steps,
                         dense.mapping.f, dense.active_pes, o, hw, density)
    fields = {k: getattr(dense, k) for k in LayerResult.__dataclass_fields__}
    fields.update(energy=fig.energy, mac_energy=float(fig.mac_energy), cycles=float(fig.cycles))
    return SparseLayerResult(**fields, density=density, energy_dense=dense.energy_total, cycles_dense=dense.cycles,
                             words=fig.words, meta=fig.meta, macs_full=fig.macs_full, macs_gated=fig.macs_gated,
                             macs_skipped=fig.macs_skipped)


def with_density(net, density: Density | dict | None):
    """``net`` (a Network or Layer) with every mapped layer's density set: a dict of keys
    overrides those keys of each layer's own density; None leaves the layers as they are."""
    if density is None:
        return net
    values = density.as_dict() if isinstance(density, Density) else dict(density)
    for k in values:
        if k not in KEYS:
            from accelsim.sparsity.density import check_value

            check_value(k, 0.0)

    def one(layer):
        return replace(layer, density=(layer.density or DENSE).with_values(values)) if layer.is_mapped else layer

    if hasattr(net, "layers"):
        return replace(net, layers=tuple(one(layer) for layer in net.layers))
    return one(net)


def has_density(target) -> bool:
    layers = target.layers if hasattr(target, "layers") else (target,)
    return any(getattr(layer, "density", None) is not None for layer in layers)


def map_networks_sparse(net, hw, dataflows, objective: str = "energy", psum_spill: bool = False,
                        max_evaluations: int | None = None, strip_mining: bool = False) -> tuple[NetworkResult, ...]:
    """``mapper.map_networks`` under the sparse model: each distinct (loop nest, density) is
    searched once per dataflow on the effective hardware of its density."""
    dfs = [get_dataflow(d) for d in dataflows]
    _objective_code(objective)
    t0 = time.perf_counter()
    keys = list(dict.fromkeys((layer.nest, layer.density or DENSE) for layer in net.mapped_layers))
    found = {}
    for density in dict.fromkeys(k[1] for k in keys):
        eff = model.effective_hardware(hw, density)
        jobs = [(df, nest) for df in dfs for nest, dens in keys if dens == density]
        outcomes = run_searches(jobs, eff, objective, psum_spill, max_evaluations,
                                strip=_strip(hw, strip_mining))
        for job, outcome in zip(jobs, outcomes, strict=True):
            found[(job[0], (job[1], density))] = outcome
    return network_results(net, hw, dfs, objective, found, time.perf_counter() - t0,
                           key=lambda layer: (layer.nest, layer.density or DENSE),
                           finish=lambda dense, layer, df: sparse_result(dense, layer, hw, df))


def map_layer_sparse(layer, hw, dataflow="rs", objective: str = "energy", network: str = "",
                     psum_spill: bool = False, max_evaluations: int | None = None,
                     strip_mining: bool = False) -> SparseLayerResult:
    df = get_dataflow(dataflow)
    eff = model.effective_hardware(hw, layer.density or DENSE)
    outcome = run_searches([(df, layer.nest)], eff, objective, psum_spill, max_evaluations,
                           strip=_strip(hw, strip_mining))[0]
    if isinstance(outcome, str):
        raise NoMappingError(outcome)
    mapping, n_eval, seconds, exhaustive = outcome
    dense = _result(layer, layer.nest, hw, df, objective, mapping, n_eval, seconds, network, exhaustive=exhaustive)
    return sparse_result(dense, layer, hw, df)
