"""The analytic access-count model (numba). One function, ``count_accesses``, defines what every
mapping costs; the search and the reports both call it, and ``accelsim.sim`` checks it against a
literal execution.

Model (docs/model.md has the full statement):
  * A level holding datatype t keeps one tile of t. Tile extents: RF = RF factors (per PE);
    array union = RF x spatial factors; GLB = RF x spatial x GLB factors. Ifmap rows/cols use
    the sliding-window projection (e-1)*U + (r-1)*D + 1.
  * A tile is refilled when a loop above the level that indexes t advances. Loops above a level
    are its parent levels' temporal loops, innermost first (GLB order, then DRAM order); the
    innermost run of loops that do not index t costs nothing (t stays put: stationarity), so
    visits V = (product of loops above) / (product of that run).
  * Sliding-window halo: when the innermost loop indexing the ifmap is E, F, R or S and it
    advances by one (no wrap), only the new rows/cols are loaded: min(window, step) instead of the
    window. For RF tiles this needs the axis unspread across PEs (spatial factors of E,R or F,S = 1).
  * Multicast: one parent read per distinct element the PEs load in a fill (rows/cols counted by
    bounding extent); without multicast every PE's load is a separate read. Every word delivered to
    a PE is one NoC transfer.
  * A datatype that bypasses the RF is fetched (inputs) or sent (psums) every MAC step; a step's
    parent reads are the distinct elements all PEs need in that step.
  * Psums: each tile residency starts from zero; when it leaves, its parent adds it in: the first
    update of an element in a parent residency is a write, later ones read-modify-write. Words
    leaving PEs are NoC transfers; spatial reduction merges equal outputs before the parent.
  * DRAM holds everything; ifmaps and weights are never written, ofmap writes happen on drain.
Counts are int64[4, 3, 2] = [level (dram, glb, noc, rf), datatype (weights, ifmap, psum),
(reads, writes)]; NoC transfers are stored as reads.
"""

from __future__ import annotations

import numpy as np

from accelsim.mapping._jit import JIT, njit
from accelsim.mapping.dims import RELEVANT, SLIDING_AXIS

_REL = np.ascontiguousarray(RELEVANT)
_SLIDE = SLIDING_AXIS
# level indices (mapping levels)
_RF, _ROWS, _COLS, _GLB, _DRAM = 0, 1, 2, 3, 4
# storage indices
_LD, _LG, _LN, _LR = 0, 1, 2, 3
# dims
_N, _M, _C, _E, _F, _R, _S, _G = 0, 1, 2, 3, 4, 5, 6, 7


@njit(**JIT)
def window(e, r, u, d):
    """Rows (or cols) of ifmap covered by e output rows and r filter rows: (e-1)*u + (r-1)*d + 1."""
    return (e - 1) * u + (r - 1) * d + 1


@njit(**JIT)
def tile_words(t, ext, sd):
    """Words of datatype t in a tile with extents ext[8]; sd = (Uh, Uw, Dh, Dw)."""
    if t == 0:
        return ext[_G] * ext[_M] * ext[_C] * ext[_R] * ext[_S]
    if t == 1:
        return (ext[_G] * ext[_N] * ext[_C] * window(ext[_E], ext[_R], sd[0], sd[2])
                * window(ext[_F], ext[_S], sd[1], sd[3]))
    return ext[_G] * ext[_N] * ext[_M] * ext[_E] * ext[_F]


@njit(**JIT)
def shift_words(ext, d, sd):
    """Ifmap words newly needed when the loop over sliding dim d advances by one, for a tile with
    extents ext: the tile with that axis cut to min(window, step)."""
    axis = _SLIDE[d]
    rows = window(ext[_E], ext[_R], sd[0], sd[2])
    cols = window(ext[_F], ext[_S], sd[1], sd[3])
    if d == _E or d == _F:
        step = ext[d] * sd[axis]
    else:
        step = ext[d] * sd[2 + axis]
    if axis == 0:
        rows = min(rows, step)
    else:
        cols = min(cols, step)
    return ext[_G] * ext[_N] * ext[_C] * rows * cols


@njit(**JIT)
def visits(t, f, orders, first):
    """Residencies of a t-tile below the temporal levels orders[first:] (0 = GLB, 1 = DRAM).

    Returns (V, lstar, fstar): V = refills; lstar = innermost loop above that indexes t (-1 if
    none), fstar its factor."""
    total = 1
    run = 1
    in_run = True
    lstar = -1
    fstar = 1
    for k in range(first, 2):
        lvl = _GLB if k == 0 else _DRAM
        for j in range(8):
            d = orders[k, j]
            fac = f[lvl, d]
            if fac == 1:
                continue
            total *= fac
            if in_run:
                if _REL[t, d]:
                    in_run = False
                    lstar = d
                    fstar = fac
                else:
                    run *= fac
    return total // run, lstar, fstar


@njit(**JIT)
def count_accesses(bounds, sd, f, orders, hold, multicast, counts):
    """Fill counts[4, 3, 2] (zeroed here) for mapping factors f[5, 8] and temporal loop orders
    orders[2, 8] (GLB, DRAM; innermost first). hold[2, 3]: RF / GLB hold datatype t.
    Returns (macs, steps, active_pes)."""
    counts[:] = 0
    ext_rf = np.empty(8, np.int64)
    sp = np.empty(8, np.int64)
    ext_arr = np.empty(8, np.int64)
    ext_glb = np.empty(8, np.int64)
    steps = 1
    pes = 1
    for d in range(8):
        ext_rf[d] = f[_RF, d]
        sp[d] = f[_ROWS, d] * f[_COLS, d]
        ext_arr[d] = ext_rf[d] * sp[d]
        ext_glb[d] = ext_arr[d] * f[_GLB, d]
        steps *= f[_RF, d] * f[_GLB, d] * f[_DRAM, d]
        pes *= sp[d]
    macs = steps * pes

    for t in range(2):  # weights, ifmap: read-only inputs flowing down
        parent_of_rf = _LG if hold[1, t] else _LD
        if hold[0, t]:
            counts[_LR, t, 0] += macs
            v, ls, fs = visits(t, f, orders, 0)
            nshift = 0
            if t == 1 and ls >= 0 and _SLIDE[ls] >= 0:
                if _SLIDE[ls] == 0:
                    ok = sp[_E] == 1 and sp[_R] == 1
                else:
                    ok = sp[_F] == 1 and sp[_S] == 1
                if ok:
                    nshift = v - v // fs
            nfull = v - nshift
            per_pe = nfull * tile_words(t, ext_rf, sd)
            union = nfull * tile_words(t, ext_arr, sd)
            if nshift > 0:
                per_pe += nshift * shift_words(ext_rf, ls, sd)
                union += nshift * shift_words(ext_arr, ls, sd)
            counts[_LR, t, 1] += per_pe * pes
            counts[_LN, t, 0] += per_pe * pes
            counts[parent_of_rf, t, 0] += union if multicast[t] else per_pe * pes
        else:
            counts[_LN, t, 0] += macs
            counts[parent_of_rf, t, 0] += steps * (tile_words(t, sp, sd) if multicast[t] else pes)
        if hold[1, t]:
            v, ls, fs = visits(t, f, orders, 1)
            nshift = 0
            if t == 1 and ls >= 0 and _SLIDE[ls] >= 0:
                nshift = v - v // fs
            words = (v - nshift) * tile_words(t, ext_glb, sd)
            if nshift > 0:
                words += nshift * shift_words(ext_glb, ls, sd)
            counts[_LG, t, 1] += words
            counts[_LD, t, 0] += words

    # psums / ofmap: updates flow up, each level accumulates on arrival
    t = 2
    if hold[0, t]:
        counts[_LR, t, 1] += macs
        v, ls, fs = visits(t, f, orders, 0)
        counts[_LR, t, 0] += macs - v * tile_words(t, ext_rf, sd) * pes
        counts[_LN, t, 0] += v * tile_words(t, ext_rf, sd) * pes
        updates = v * tile_words(t, ext_arr, sd)
    else:
        counts[_LN, t, 0] += macs
        updates = steps * tile_words(t, sp, sd)
    ofmap = tile_words(t, bounds, sd)
    if hold[1, t]:
        v, ls, fs = visits(t, f, orders, 1)
        glb_tile = tile_words(t, ext_glb, sd)
        counts[_LG, t, 1] += updates
        counts[_LG, t, 0] += updates - v * glb_tile
        updates = v * glb_tile
    counts[_LD, t, 1] += updates
    counts[_LD, t, 0] += updates - ofmap
    return macs, steps, pes
