"""Decide "no legal mapping" before the search, from the legal splits alone (no enumeration).

The search rejects a candidate when a tile does not fit its store or the spatial factors do not
fit the array (``kernels._inner_fits`` / ``_glb_fits``), and, with psum spills off, when partial
sums would be read back from DRAM. Each of these only gets harder as a factor grows, so each has a
smallest case that can be checked at once:

- capacities: a tile's words grow with every extent (``counts.tile_words``, restated here), so if the tile built
  from each dimension's smallest legal factor at that level does not fit (RF per datatype or
  shared; GLB likewise, with the RF x spatial x GLB extents), no tile does;
- the array: the product of the smallest row (column) factors must fit the PE rows (columns);
- partial sums (spills off): when neither the RF nor the GLB holds psums, every update of an
  ofmap element goes to DRAM, so a reduction loop (C, R or S) with a temporal factor > 1 at any
  level would read psums back from DRAM. Each reduction dimension must then be split over the
  array alone (factor 1 in the RF, the GLB and DRAM), and those spatial factors must fit the
  array together with the other dimensions' smallest ones.

``infeasible`` returns a one-line reason naming the constraint and the sizes, or None when these
checks cannot rule the layer out (the search then decides). It never rules out a layer that has a
legal mapping: every check compares a lower bound with a limit.

Without this, a layer with no legal mapping was searched to exhaustion before the answer: 39 s
for one AlexNet layer and 699 s for VGG-16 on a config whose GLB holds nothing, where the
pruning bound had no incumbent to prune against.
"""

from __future__ import annotations

import math

import numpy as np

from accelsim.datatypes import Datatype
from accelsim.mapping.dims import DIMS

_NAMES = ("weights", "ifmap", "psum")
_REDUCTION = tuple(DIMS.index(d) for d in ("C", "R", "S"))


def smallest_factors(splits) -> np.ndarray:
    """int64[5, 8]: per level (rf, rows, cols, glb, dram) and dimension, the smallest factor of the
    dimension's legal splits (rows of 5; none empty)."""
    return np.stack([np.asarray(s, dtype=np.int64).min(axis=0) for s in splits], axis=1)


def _window(e: int, r: int, u: int, d: int) -> int:
    """Distinct ifmap rows e output rows x r filter rows read (``counts.window``)."""
    g = math.gcd(u, d)
    return e * r - max(0, e - d // g) * max(0, r - u // g)


def _tiles(ext: np.ndarray, sd: np.ndarray) -> list[int]:
    """Words of (weights, ifmap, psum) in a tile with extents ext[N M C E F R S G]: the definition of
    ``counts.tile_words``, in Python so this check compiles nothing before the search."""
    n, m, c, e, f, r, s, g = (int(v) for v in ext)
    uh, uw, dh, dw = (int(v) for v in sd)
    return [g * m * c * r * s, g * n * c * _window(e, r, uh, dh) * _window(f, s, uw, dw), g * n * m * e * f]


def capacity_reason(where: str, df_name: str, lo: np.ndarray, sd, hwa, bounds=None) -> str | None:
    """The first capacity the smallest tiles (``lo`` = ``smallest_factors``) exceed: a spad, the PE
    register file, the PE array, a GLB share or the whole GLB; None if all fit. ``bounds``: the
    loop bounds, to which the GLB tile is clipped as the search clips it (a strip-mined dimension's
    rf x rows x cols x glb may exceed its bound)."""
    rf = _tiles(lo[0].copy(), sd)
    for t in Datatype:
        cap = int(hwa.rf_cap[t])
        if hwa.hold[0, t] and cap >= 0 and rf[t] > cap:
            return f"{where}: {_NAMES[t]} spad holds {cap} words; the smallest {df_name} tile needs {rf[t]}"
    if hwa.rf_shared >= 0:
        need = sum(rf[t] for t in Datatype if hwa.hold[0, t])
        if need > hwa.rf_shared:
            return f"{where}: the PE register file holds {hwa.rf_shared} words; the smallest tiles need {need}"
    rows_need, cols_need = int(np.prod(lo[1])), int(np.prod(lo[2]))
    if rows_need > hwa.pe_rows or cols_need > hwa.pe_cols:
        return (f"{where}: the dataflow needs at least {rows_need} x {cols_need} PEs; "
                f"the array is {hwa.pe_rows} x {hwa.pe_cols}")
    ext = lo[0] * lo[1] * lo[2] * lo[3]
    glb = _tiles(ext if bounds is None else np.minimum(ext, np.asarray(bounds, dtype=np.int64)), sd)
    for t in Datatype:
        cap = int(hwa.glb_cap[t])
        if hwa.hold[1, t] and cap >= 0 and glb[t] > cap:
            return f"{where}: the global buffer holds {cap} words of {_NAMES[t]}; the smallest tile needs {glb[t]}"
    if hwa.glb_shared >= 0:
        need = sum(glb[t] for t in Datatype if hwa.hold[1, t])
        if need > hwa.glb_shared:
            return f"{where}: the global buffer holds {hwa.glb_shared} words; the smallest tiles need {need}"
    return None


def _psum_reason(where: str, bounds, splits, hwa) -> str | None:
    """Spills off and psums held nowhere on chip: C, R, S must be reduced across the array alone."""
    if hwa.hold[0, Datatype.PSUM] or hwa.hold[1, Datatype.PSUM]:
        return None
    rows = [min(row[1] for row in s) for s in splits]
    cols = [min(row[2] for row in s) for s in splits]
    for d in _REDUCTION:
        spatial = [row for row in splits[d] if row[0] == 1 and row[3] == 1 and row[4] == 1]
        if not spatial:
            return (f"{where}: no on-chip store holds psums (RF and GLB bypass them) and psum spills are off, "
                    f"so {DIMS[d]}={int(bounds[d])} must be reduced across the PE array alone; the array "
                    f"({hwa.pe_rows} x {hwa.pe_cols}) cannot take it (use --psum-spill or a store for psums)")
        best = min(spatial, key=lambda row: (row[1] * row[2], row[1]))
        rows[d], cols[d] = best[1], best[2]
    need_r, need_c = int(np.prod(rows)), int(np.prod(cols))
    if need_r > hwa.pe_rows or need_c > hwa.pe_cols:
        red = " x ".join(f"{DIMS[d]}={int(bounds[d])}" for d in _REDUCTION if bounds[d] > 1) or "the reduction"
        return (f"{where}: no on-chip store holds psums (RF and GLB bypass them) and psum spills are off, so "
                f"{red} must be reduced across the PE array alone, which needs at least {need_r} x {need_c} PEs; "
                f"the array is {hwa.pe_rows} x {hwa.pe_cols} (use --psum-spill or a store for psums)")
    return None


def infeasible(bounds, sd, splits, hwa, df_name: str, hw_name: str, psum_spill: bool) -> str | None:
    """A one-line reason no mapping of this nest can be legal, or None (see the module doc).
    ``splits``: per dimension the legal (rf, rows, cols, glb, dram) splits, none empty."""
    where = f"{df_name} on {hw_name}"
    lo = smallest_factors(splits)
    reason = capacity_reason(where, df_name, lo, np.asarray(sd, dtype=np.int64), hwa, bounds)
    if reason is None and not psum_spill:
        reason = _psum_reason(where, bounds, splits, hwa)
    return reason
