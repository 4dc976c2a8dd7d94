"""Dataflows as data: each is a set of constraints on the mapspace (Chen, Emer, Sze, "Eyeriss: A
Spatial Architecture for Energy-Efficient Dataflow for Convolutional Neural Networks", ISCA 2016,
Section V taxonomy). The cost model never asks which dataflow it is evaluating.

Fields:
  rows / cols   dimensions that may be spread across PE-array rows / columns (others: factor 1)
  rf            dimensions that may have temporal loops inside a PE (others: factor 1)
  full          (level, dim) pairs where the whole dimension must sit at that level (on PE rows or
                columns: if it fits; a larger dimension folds over several passes, as Eyeriss
                does with filters taller than the array)
  rf_bypass     datatypes the dataflow keeps out of the PE register files (streamed instead)

Stationarity itself (which datatype stays put while others stream) is not a constraint here:
the mapper picks loop orders, and a datatype whose irrelevant loops are innermost is reused in
place. The dataflows constrain *where* each dimension may be unrolled, as the paper defines them.
"""

from __future__ import annotations

from dataclasses import dataclass

from accelsim.datatypes import Datatype
from accelsim.errors import UsageError
from accelsim.mapping.dims import DIMS


@dataclass(frozen=True)
class Dataflow:
    name: str
    title: str
    rows: tuple[str, ...]
    cols: tuple[str, ...]
    rf: tuple[str, ...]
    full: tuple[tuple[str, str], ...] = ()
    rf_bypass: tuple[Datatype, ...] = ()
    description: str = ""

    def __post_init__(self) -> None:
        for dims in (self.rows, self.cols, self.rf):
            for d in dims:
                assert d in DIMS, d
        for level, d in self.full:
            assert level in ("rf", "rows", "cols") and d in DIMS, (level, d)


_ALL = DIMS

DATAFLOWS: dict[str, Dataflow] = {df.name: df for df in (
    Dataflow("rs", "row stationary",
             rows=("R", "C", "M"), cols=("E", "N", "M"), rf=("S", "C", "M", "F", "N"),
             full=(("rows", "R"), ("rf", "S")),
             description="Eyeriss: a PE runs a 1-D row convolution (filter row S, sliding over F) with "
                         "filter rows along PE rows and ofmap rows along PE columns; ifmap rows reach PEs "
                         "diagonally; psums accumulate vertically. PE sets replicate over C, M (rows) and "
                         "N, M (columns); a PE may hold several channels and filters (q, p)."),
    Dataflow("ws", "weight stationary (ISCA 2016)",
             rows=("R", "S", "M"), cols=("R", "S", "M"), rf=(),
             rf_bypass=(Datatype.IFMAP, Datatype.PSUM),
             description="The ISCA 2016 WS baseline (Sec. VI-A): each PE holds a single weight in its RF "
                         "at a time and reuses it over N, E, F; ifmaps are broadcast; a psum is passed to "
                         "a neighbour PE only to accumulate over the filter window (R x S on the array), "
                         "otherwise stored back to the global buffer (channels C are reduced there). "
                         "Filters M fill the rest of the array."),
    Dataflow("ws-systolic", "weight stationary, systolic (TPU-like)",
             rows=("C", "R", "S"), cols=("M",), rf=("M", "C"),
             rf_bypass=(Datatype.IFMAP, Datatype.PSUM),
             description="Not the ISCA 2016 WS: a TPU-like systolic weight-stationary array. Each PE keeps "
                         "weights in its RF and reuses them over N, E, F; ifmaps stream along the rows, "
                         "psums are accumulated down the columns across C, R and S (channels reduced "
                         "inside the array)."),
    Dataflow("os-a", "output stationary, single channel (ShiDianNao)",
             rows=("E",), cols=("F",), rf=(),
             rf_bypass=(Datatype.WEIGHTS, Datatype.IFMAP),
             description="Each PE accumulates one ofmap pixel of one channel; the array covers an E x F "
                         "patch; weights broadcast, ifmaps multicast."),
    Dataflow("os-b", "output stationary, multiple channels and pixels",
             rows=("M",), cols=("E", "F"), rf=(),
             rf_bypass=(Datatype.WEIGHTS, Datatype.IFMAP)),
    Dataflow("os-c", "output stationary, multiple channels, single pixel",
             rows=("M",), cols=("M",), rf=(),
             rf_bypass=(Datatype.WEIGHTS, Datatype.IFMAP)),
    Dataflow("nlr", "no local reuse (DianNao)",
             rows=("C",), cols=("M",), rf=(),
             rf_bypass=(Datatype.WEIGHTS, Datatype.IFMAP, Datatype.PSUM),
             description="No PE register files: every operand comes from the global buffer; psums are "
                         "reduced across C by the array (adder tree)."),
    Dataflow("is", "input stationary",
             rows=("C",), cols=("E", "F", "N"), rf=("C", "E", "F", "R", "S", "N"),
             rf_bypass=(Datatype.WEIGHTS, Datatype.PSUM),
             description="Each PE keeps an ifmap tile in its RF and reuses it over M; weights are "
                         "broadcast, psums reduced across C."),
    Dataflow("free", "unconstrained",
             rows=_ALL, cols=_ALL, rf=_ALL,
             description="Any factorization the hardware allows."),
)}

ALIASES = {"os": "os-a", "osa": "os-a", "osb": "os-b", "osc": "os-c", "row-stationary": "rs",
           "weight-stationary": "ws", "input-stationary": "is", "unconstrained": "free",
           "systolic": "ws-systolic", "ws-tpu": "ws-systolic"}

# `--dataflow all`: the ISCA 2016 taxonomy plus input stationary, in this order. `ws-systolic` (a
# TPU-like WS, not one of the paper's) and `free` (everything the hardware allows: an upper bound on
# what any dataflow can reach, with a far larger mapspace) are run only when asked for by name.
ALL_NAMES = ("rs", "ws", "os-a", "os-b", "os-c", "nlr", "is")
NAMES = ALL_NAMES + ("ws-systolic", "free")


def get_dataflow(name: str | Dataflow) -> Dataflow:
    if isinstance(name, Dataflow):
        return name
    key = str(name).strip().lower().replace("_", "-")
    key = ALIASES.get(key, key)
    if key not in DATAFLOWS:
        raise UsageError(f"unknown dataflow {name!r}; expected one of {', '.join(NAMES)} or all")
    return DATAFLOWS[key]
