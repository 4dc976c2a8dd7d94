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
  source        where each constraint comes from: the paper's sentence (quoted where the wording
                is the paper's, otherwise marked as a paraphrase of the section named)

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
    source: str = ""

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
                         "N, M (columns); a PE may hold several channels and filters (q, p).",
             source="ISCA 2016 Sec. IV-A (paraphrase): each PE runs the 1-D convolution of one filter "
                    "row and one ifmap row (full rf S); a PE set is R filter rows x E ofmap rows: filter "
                    "rows are reused across a PE row, ifmap rows diagonally, psum rows accumulated "
                    "vertically (full rows R; rows R, cols E). Sec. IV-B (paraphrase): PE sets are "
                    "replicated and a PE interleaves p filters, q channels and n images in its RF "
                    "(rows C, M; cols N, M; rf C, M, N, F)."),
    Dataflow("ws", "weight stationary (ISCA 2016)",
             rows=("R", "S", "M"), cols=("R", "S", "M"), rf=(),
             rf_bypass=(Datatype.IFMAP, Datatype.PSUM),
             description="The ISCA 2016 WS baseline (Sec. VI-A): each PE holds a single weight in its RF "
                         "at a time and reuses it over N, E, F; ifmaps are broadcast; a psum is passed to "
                         "a neighbour PE only to accumulate over the filter window (R x S on the array), "
                         "otherwise stored back to the global buffer (channels C are reduced there). "
                         "Filters M fill the rest of the array.",
             source="ISCA 2016 Sec. VI-A: \"Each PE holds a single weight in the RF at a time\" (rf: no "
                    "loops, a weight tile of one word). \"The psum generated in a PE at each cycle is "
                    "either passed to its neighbor PE or stored back to the global buffer\" (psums "
                    "bypass the RF; spatial reduction only over the filter window R x S, so C is never "
                    "spread over PEs: channel psums go through the GLB). Sec. IV-A (paraphrase): psums "
                    "that cannot be reduced at once are stored in the global buffer. Ifmaps bypass the "
                    "RF (streamed, no local ifmap storage in WS)."),
    Dataflow("ws-systolic", "weight stationary, systolic (TPU-like)",
             rows=("C", "R", "S"), cols=("M",), rf=("M", "C"),
             rf_bypass=(Datatype.IFMAP, Datatype.PSUM),
             description="Not the ISCA 2016 WS: a TPU-like systolic weight-stationary array. Each PE keeps "
                         "weights in its RF and reuses them over N, E, F; ifmaps stream along the rows, "
                         "psums are accumulated down the columns across C, R and S (channels reduced "
                         "inside the array).",
             source="Not from ISCA 2016: Jouppi et al., ISCA 2017 (TPU v1): weights preloaded into the "
                    "matrix unit, activations flow right, partial sums flow down the columns."),
    Dataflow("os-a", "output stationary, single channel (ShiDianNao)",
             rows=("E",), cols=("F",), rf=(),
             rf_bypass=(Datatype.WEIGHTS, Datatype.IFMAP),
             description="Each PE accumulates one ofmap pixel of one channel; the array covers an E x F "
                         "patch; weights broadcast, ifmaps multicast.",
             source="ISCA 2016 Sec. V-B (paraphrase): in OS the accumulation of each ofmap pixel stays "
                    "in a PE's RF (psums held, weights and ifmaps streamed; C, R, S never spread over "
                    "PEs); OS-A processes a single ofmap channel and multiple ofmap pixels (rows E, "
                    "cols F), targeting CONV layers (ShiDianNao)."),
    Dataflow("os-b", "output stationary, multiple channels and pixels",
             rows=("M",), cols=("E", "F"), rf=(),
             rf_bypass=(Datatype.WEIGHTS, Datatype.IFMAP),
             source="ISCA 2016 Sec. V-B (paraphrase): OS-B processes multiple ofmap channels and "
                    "multiple ofmap pixels per channel (rows M, cols E, F), between OS-A and OS-C; "
                    "psums stay in the PE as in every OS variant."),
    Dataflow("os-c", "output stationary, multiple channels, single pixel",
             rows=("M",), cols=("M",), rf=(),
             rf_bypass=(Datatype.WEIGHTS, Datatype.IFMAP),
             source="ISCA 2016 Sec. V-B (paraphrase): OS-C processes multiple ofmap channels and a "
                    "single ofmap pixel (M over the whole array), targeting FC layers; psums stay in "
                    "the PE."),
    Dataflow("nlr", "no local reuse (DianNao)",
             rows=("C",), cols=("M",), rf=(),
             rf_bypass=(Datatype.WEIGHTS, Datatype.IFMAP, Datatype.PSUM),
             description="No PE register files: every operand comes from the global buffer; psums are "
                         "reduced across C by the array (adder tree).",
             source="ISCA 2016 Sec. V-C (paraphrase): NLR keeps no data in the PEs (no RF: every datatype "
                    "bypasses it) and gives that area to the global buffer; ifmaps are multicast, "
                    "weights unicast, psums accumulated spatially across the array (rows C: DianNao's "
                    "adder tree over input channels; cols M)."),
    Dataflow("is", "input stationary",
             rows=("C",), cols=("E", "F", "N"), rf=("C", "E", "F", "R", "S", "N"),
             rf_bypass=(Datatype.WEIGHTS, Datatype.PSUM),
             description="Each PE keeps an ifmap tile in its RF and reuses it over M; weights are "
                         "broadcast, psums reduced across C.",
             source="Not in the ISCA 2016 taxonomy (Sec. V names WS, OS and NLR besides RS); the "
                    "input-stationary pattern of Sze et al., Proc. IEEE 2017, kept for comparison."),
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
