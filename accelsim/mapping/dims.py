"""Loop dimensions, mapping levels and which datatype each dimension indexes.

Dimension order (the canonical order used for arrays and for tie-breaking):
    N M C E F R S G   (batch, filters, channels, ofmap rows, ofmap cols, filter rows, filter cols, groups)
Mapping levels (innermost first): RF (temporal, inside a PE), ROWS and COLS (spatial across
the PE array), GLB (temporal, between GLB and the array), DRAM (temporal, outermost).
"""

from __future__ import annotations

import numpy as np

from accelsim.datatypes import Datatype

DIMS = ("N", "M", "C", "E", "F", "R", "S", "G")
N, M, C, E, F, R, S, G = range(8)
NDIMS = 8

LEVELS = ("rf", "rows", "cols", "glb", "dram")
RF, ROWS, COLS, GLB, DRAM = range(5)
NLEVELS = 5

# Storage levels of the hardware, outermost first (the order of count and energy arrays).
STORAGE = ("dram", "glb", "noc", "rf")
L_DRAM, L_GLB, L_NOC, L_RF = range(4)

# RELEVANT[t, d]: dimension d indexes datatype t. Ifmap rows are indexed by E and R jointly
# (row = e*U + r*D), columns by F and S.
RELEVANT = np.zeros((3, NDIMS), dtype=np.bool_)
for _t, _dims in ((Datatype.WEIGHTS, "MCRSG"), (Datatype.IFMAP, "NCEFRSG"), (Datatype.PSUM, "NMEFG")):
    for _d in _dims:
        RELEVANT[_t, DIMS.index(_d)] = True
RELEVANT.setflags(write=False)

# Dimensions whose ifmap footprint is a sliding window (axis 0 = rows: E, R; axis 1 = cols: F, S).
SLIDING_AXIS = np.array([-1, -1, -1, 0, 1, 0, 1, -1], dtype=np.int64)


def dim_index(name: str) -> int:
    key = name.strip().upper()
    if key not in DIMS:
        raise ValueError(f"unknown loop dimension {name!r}; expected one of {' '.join(DIMS)}")
    return DIMS.index(key)


def nest_bounds(nest) -> np.ndarray:
    """LoopNest -> int64[8] bounds in DIMS order."""
    return np.array([nest.N, nest.M, nest.C, nest.E, nest.F, nest.R, nest.S, nest.G], dtype=np.int64)
