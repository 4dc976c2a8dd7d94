"""Results of mapping a layer or a network: counts, energy by level and datatype, cycles,
utilization, reuse, the chosen mapping and how the search went."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from accelsim.datatypes import Datatype
from accelsim.mapping.dims import STORAGE
from accelsim.mapping.mapping import Mapping

if TYPE_CHECKING:  # annotations only: pandas is imported where a frame is made
    import pandas as pd

ENERGY_LEVELS = ("dram", "glb", "noc", "rf", "mac")
DTYPES = tuple(t.short for t in Datatype)


def _level_index(level: str) -> int:
    if level not in STORAGE:
        raise KeyError(f"unknown storage level {level!r}; expected one of {', '.join(STORAGE)}")
    return STORAGE.index(level)


def _dtype_index(datatype) -> int:
    if isinstance(datatype, str):
        if datatype not in DTYPES:
            raise KeyError(f"unknown datatype {datatype!r}; expected one of {', '.join(DTYPES)}")
        return DTYPES.index(datatype)
    return int(datatype)


def energy_breakdown_frame(layers) -> pd.DataFrame:
    """Energy summed over ``layers`` (LayerResults of one energy unit) by storage level (rows: dram,
    glb, noc, rf, then mac, the arithmetic, in the datatype columns' 'mac' column only) x datatype
    (columns weights, ifmap, psum, mac), plus a 'total' row and column. The unit is in
    ``frame.attrs["energy_unit"]`` and the frame's name."""
    import pandas as pd

    units = sorted({r.energy_unit for r in layers})
    grid = np.zeros((len(STORAGE) + 1, len(DTYPES) + 1))
    for r in layers:
        grid[: len(STORAGE), : len(DTYPES)] += r.energy
        grid[len(STORAGE), len(DTYPES)] += r.mac_energy
    frame = pd.DataFrame(grid, index=pd.Index([*STORAGE, "mac"], name="level"),
                         columns=pd.Index([*DTYPES, "mac"], name="datatype"))
    frame["total"] = frame.sum(axis=1)
    frame.loc["total"] = frame.sum(axis=0)
    unit = units[0] if len(units) == 1 else "mixed"
    frame.attrs["energy_unit"] = unit
    frame.name = f"energy ({unit})"
    return frame


@dataclass(frozen=True)
class LayerResult:
    """One layer mapped on one accelerator under one dataflow.

    counts[level, datatype, 0|1]: reads | writes in words, levels (dram, glb, noc, rf); NoC
    transfers (words delivered to or sent from a PE) are the reads of 'noc'.
    energy[level, datatype] in ``energy_unit`` for levels dram, glb, noc, rf; ``mac_energy`` the
    arithmetic. ``macs`` are the MACs the hardware executes (for a transposed conv: of its direct
    equivalent, zeros included); ``useful_macs`` those the layer needs."""

    network: str
    layer: str
    layer_type: str
    hw: str
    dataflow: str
    objective: str
    energy_unit: str
    clock_mhz: float
    pe_total: int
    macs: int
    useful_macs: int
    steps: int
    active_pes: int
    counts: np.ndarray
    energy: np.ndarray
    mac_energy: float
    cycles: int  # a whole number (see kernels.cycles_of)
    mapping: Mapping
    evaluated: int
    seconds: float
    exhaustive: bool = True
    same_as: str = ""  # a layer earlier in the network with the same loop nest, whose search this reuses
    shape: tuple = ()  # the layer's `accelsim layers` columns as (name, value) pairs (N ... dilation, params)
    pe_array: tuple = ()  # (rows, cols) of the hardware's PE array
    bounds: tuple = ()  # the mapped loop nest's bounds, N M C E F R S G (M and C per group)

    @property
    def energy_total(self) -> float:
        return float(self.energy.sum() + self.mac_energy)

    @property
    def energy_per_mac(self) -> float:
        return self.energy_total / self.useful_macs

    def energy_by_level(self) -> dict[str, float]:
        out = {name: float(self.energy[i].sum()) for i, name in enumerate(STORAGE)}
        out["mac"] = float(self.mac_energy)
        return out

    def energy_by_datatype(self) -> dict[str, float]:
        return {name: float(self.energy[:, t].sum()) for t, name in enumerate(DTYPES)}

    def energy_breakdown(self) -> pd.DataFrame:
        """Energy by level (rows) x datatype (columns), with totals; unit in ``.attrs``."""
        return energy_breakdown_frame([self])

    @property
    def mean_active_pes(self) -> float:
        """PEs working per MAC step on average over the passes (MACs / steps); ``active_pes`` is the
        peak (a full array tile; strip-mined dimensions leave PEs idle in their last tile)."""
        return self.macs / self.steps

    @property
    def pe_utilization(self) -> float:
        """Active PEs over all PEs (spatial utilization)."""
        return self.active_pes / self.pe_total

    @property
    def utilization(self) -> float:
        """MACs over (cycles x PEs): spatial utilization times the fraction of cycles not stalled."""
        return self.macs / (self.cycles * self.pe_total)

    @property
    def latency_s(self) -> float:
        return self.cycles / (self.clock_mhz * 1e6)

    @property
    def compute_cycles(self) -> int:
        """Cycles the PEs compute: one per MAC step (the temporal loop iterations)."""
        return int(self.steps)

    @property
    def stall_cycles(self) -> int:
        """Cycles spent waiting for data: ``cycles - compute_cycles`` (a bandwidth-bound level, the
        DRAM fill of the first tile and the drain of the last; 0 with unlimited bandwidth)."""
        return int(self.cycles) - self.compute_cycles

    def accesses(self, level: str, datatype: int | str) -> int:
        """Reads + writes of a datatype (index or name: weights, ifmap, psum) at a storage level
        (dram, glb, noc, rf; NoC: transfers), in words."""
        i = _level_index(level)
        datatype = _dtype_index(datatype)
        return int(self.counts[i, datatype, 0] + self.counts[i, datatype, 1])

    def reuse(self, level: str, datatype: int | str) -> float:
        """MACs per access of a datatype (index or name) at a level (inf when the level is never
        touched): ``reuse("rf", "weights")``."""
        a = self.accesses(level, datatype)
        return self.macs / a if a else float("inf")

    def row(self) -> dict:
        """One CSV row (the `accelsim run` contract columns)."""
        row = {"network": self.network, "layer": self.layer, "type": self.layer_type}
        row.update((k, v) for k, v in self.shape if k not in ("layer", "type", "macs"))
        row.update(macs=self.useful_macs, hw=self.hw, dataflow=self.dataflow, objective=self.objective,
                   energy=self.energy_total, energy_unit=self.energy_unit, energy_per_mac=self.energy_per_mac)
        for name, value in self.energy_by_level().items():
            row[f"energy_{name}"] = value
        for name, value in self.energy_by_datatype().items():
            row[f"energy_{name}"] = value
        row.update({"cycles": int(self.cycles), "compute_cycles": self.compute_cycles,
                    "stall_cycles": self.stall_cycles, "latency_s": self.latency_s,
                    "utilization": self.utilization, "pe_utilization": self.pe_utilization,
                    "active_pes": self.active_pes})
        for i, level in enumerate(STORAGE):
            for t, dname in enumerate(DTYPES):
                if level == "noc":
                    row[f"noc_transfers_{dname}"] = int(self.counts[i, t, 0])
                else:
                    row[f"{level}_reads_{dname}"] = int(self.counts[i, t, 0])
                    row[f"{level}_writes_{dname}"] = int(self.counts[i, t, 1])
        for level in ("dram", "glb", "rf"):
            for t, dname in enumerate(DTYPES):
                r = self.reuse(level, t)
                row[f"reuse_{level}_{dname}"] = r if np.isfinite(r) else None
        # search time is left out on purpose: rows must be byte-identical run to run
        row.update({"mapping": self.mapping.loop_text(), "evaluated": self.evaluated,
                    "exhaustive": self.exhaustive})
        return row

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame([self.row()])


@dataclass(frozen=True)
class LayerFailure:
    """A layer with no legal mapping: the reason names the failing constraint and the sizes."""

    network: str
    layer: str
    hw: str
    dataflow: str
    reason: str


@dataclass(frozen=True)
class NetworkResult:
    """Per-layer results of one network on one accelerator under one dataflow, in layer order."""

    network: str
    hw: str
    dataflow: str
    objective: str
    batch: int
    layers: tuple[LayerResult, ...]
    failures: tuple[LayerFailure, ...] = ()
    seconds: float = 0.0

    @property
    def energy_total(self) -> float:
        return sum(r.energy_total for r in self.layers)

    @property
    def macs(self) -> int:
        return sum(r.useful_macs for r in self.layers)

    @property
    def energy_per_mac(self) -> float:
        return self.energy_total / self.macs if self.macs else float("nan")

    @property
    def cycles(self) -> int:
        return int(sum(r.cycles for r in self.layers))

    @property
    def compute_cycles(self) -> int:
        return sum(r.compute_cycles for r in self.layers)

    @property
    def stall_cycles(self) -> int:
        return sum(r.stall_cycles for r in self.layers)

    @property
    def evaluated(self) -> int:
        return sum(r.evaluated for r in self.layers if not r.same_as)

    def __getitem__(self, name: str) -> LayerResult:
        """``result["conv1"]``: the LayerResult of that layer (KeyError naming the mapped layers)."""
        for r in self.layers:
            if r.layer == name:
                return r
        failed = [f.layer for f in self.failures]
        raise KeyError(f"no mapped layer {name!r} in {self.network} (mapped: {', '.join(r.layer for r in self.layers)}"
                       + (f"; failed: {', '.join(failed)}" if failed else "") + ")")

    def energy_breakdown(self) -> pd.DataFrame:
        """Energy of the mapped layers by level (rows dram, glb, noc, rf, mac, total) x datatype
        (columns weights, ifmap, psum, mac, total), in ``.attrs["energy_unit"]``."""
        return energy_breakdown_frame(self.layers)

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame([r.row() for r in self.layers])


@dataclass(frozen=True)
class ResultSet:
    """Several NetworkResults (e.g. one per dataflow) with one combined frame."""

    results: tuple[NetworkResult, ...]

    def __iter__(self):
        return iter(self.results)

    def __len__(self) -> int:
        return len(self.results)

    @property
    def failures(self) -> tuple[LayerFailure, ...]:
        return tuple(f for r in self.results for f in r.failures)

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        frames = [r.to_frame() for r in self.results]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
