"""The analytic access-count model (numba). One function, ``count_accesses``, defines what every
mapping costs; the search and the reports both call it, and ``accelsim.sim`` checks it against a
literal execution.

Model (docs/model.md has the full statement):
  * A level holding datatype t keeps one tile of t. Tile extents: RF = RF factors (per PE);
    array union = RF x spatial factors; GLB = RF x spatial x GLB factors. An ifmap tile holds the
    rows/cols its MACs read, stored compacted: the distinct e*U + r*D over its E x R (F x S)
    extents (``window``), which is the span (e-1)*U + (r-1)*D + 1 unless the stride skips rows
    (U > (R-1)*D + 1, e.g. a 1x1 stride-2 conv) or dilation leaves holes.
  * A tile is refilled when a loop above the level that indexes t advances. Loops above a level
    are its parent levels' temporal loops, innermost first (GLB order, then DRAM order); the
    innermost run of loops that do not index t costs nothing (t stays put: stationarity), so
    visits V = (product of loops above) / (product of that run).
  * Sliding-window halo: when the innermost loop indexing the ifmap is E, F, R or S and it
    advances by one (no wrap), only the new rows/cols are loaded: those the advanced tile reads and
    the old one did not (``slide_rows``; the step when windows overlap, up to the whole tile when
    the stride skips the rows in between). For RF tiles this needs the axis unspread across PEs
    (spatial factors of E,R or F,S = 1).
  * Multicast: one parent read per distinct element in the union of what the PEs load in a fill
    (for ifmaps: the union of the rows the PEs read); without multicast every PE's load is a separate
    read. Every word delivered to a PE is one NoC transfer.
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
def window_span(e, r, u, d):
    """Rows (or cols) from the first to the last ifmap row that e output rows and r filter rows
    read, holes included: (e-1)*u + (r-1)*d + 1 (>= ``window``; equal unless u > (r-1)*d + 1 or
    dilation holes remain)."""
    return (e - 1) * u + (r - 1) * d + 1


@njit(**JIT)
def window(e, r, u, d):
    """Distinct ifmap rows (or cols) that e output rows and r filter rows read (e, r >= 1): the
    number of values i*u + j*d, 0 <= i < e, 0 <= j < r. With g = gcd(u, d), two index pairs give
    the same row exactly when they differ by a multiple of (d/g, -u/g), so the count is
    e*r - max(0, e - d/g) * max(0, r - u/g). For d = 1: (e-1)*u + r when r >= u (the window),
    e*r when the stride skips rows (u > r: windows do not touch). Example: a 1x1 filter (r = 1),
    stride 2, 4 output rows reads rows 0, 2, 4, 6 of a 7-row input: 4 rows, not 7."""
    if d == 1:
        return e * r - max(0, e - 1) * max(0, r - u)
    a = u
    b = d
    while b:
        a, b = b, a % b
    return e * r - max(0, e - d // a) * max(0, r - u // a)


@njit(**JIT)
def slide_rows(e, r, u, d, along_r):
    """Rows a tile of e output rows x r filter rows newly reads when it advances by one tile along
    E (along_r = 0: by e*u rows) or R (along_r = 1: by r*d rows): the rows of the doubled tile
    minus its own (the tile and its successor together read the rows of a 2e x r, resp. e x 2r,
    tile)."""
    if along_r:
        return window(e, 2 * r, u, d) - window(e, r, u, d)
    return window(2 * e, r, u, d) - window(e, r, u, d)


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
def union_extent(e_rf, r_rf, e_sp, r_sp, u, d):
    """Distinct ifmap rows (or cols) in the union of what e_sp x r_sp PEs read, each PE covering
    e_rf output rows and r_rf filter rows (PE (a, b): output rows a*e_rf.., filter rows b*r_rf..):
    together they cover e_rf*e_sp output rows and r_rf*r_sp filter rows, so the union is the rows
    that tile reads."""
    return window(e_rf * e_sp, r_rf * r_sp, u, d)


@njit(**JIT)
def union_words(t, ext_rf, sp, sd):
    """Distinct words of datatype t in the union of all PEs' tiles (PE tile extents ext_rf,
    spread over sp PEs per dim): what one multicast fill reads from the parent."""
    if t != 1:
        total = 1
        for d in range(8):
            total *= ext_rf[d] * sp[d] if _REL[t, d] else 1
        return total
    return (ext_rf[_G] * sp[_G] * ext_rf[_N] * sp[_N] * ext_rf[_C] * sp[_C]
            * union_extent(ext_rf[_E], ext_rf[_R], sp[_E], sp[_R], sd[0], sd[2])
            * union_extent(ext_rf[_F], ext_rf[_S], sp[_F], sp[_S], sd[1], sd[3]))


@njit(**JIT)
def shift_union_words(ext_rf, sp, d, sd):
    """Distinct ifmap words all PEs newly need when sliding dim d advances by one (the axis of d
    is not spread across PEs; the other axis may be)."""
    rows = union_extent(ext_rf[_E], ext_rf[_R], sp[_E], sp[_R], sd[0], sd[2])
    cols = union_extent(ext_rf[_F], ext_rf[_S], sp[_F], sp[_S], sd[1], sd[3])
    if _SLIDE[d] == 0:
        rows = slide_rows(ext_rf[_E], ext_rf[_R], sd[0], sd[2], d == _R)
    else:
        cols = slide_rows(ext_rf[_F], ext_rf[_S], sd[1], sd[3], d == _S)
    return ext_rf[_G] * sp[_G] * ext_rf[_N] * sp[_N] * ext_rf[_C] * sp[_C] * rows * cols


@njit(**JIT)
def shift_words(ext, d, sd):
    """Ifmap words newly needed when the loop over sliding dim d advances by one, for a tile with
    extents ext: the rows (cols) the advanced tile reads that the tile did not (``slide_rows``)."""
    rows = window(ext[_E], ext[_R], sd[0], sd[2])
    cols = window(ext[_F], ext[_S], sd[1], sd[3])
    if _SLIDE[d] == 0:
        rows = slide_rows(ext[_E], ext[_R], sd[0], sd[2], d == _R)
    else:
        cols = slide_rows(ext[_F], ext[_S], sd[1], sd[3], d == _S)
    return ext[_G] * ext[_N] * ext[_C] * rows * cols


@njit(**JIT)
def compulsory_words(bounds, sd, out):
    """out[t] = the words of datatype t any mapping moves to or from DRAM at least: every weight,
    every ifmap word some MAC uses (strided layers skip some), every ofmap word."""
    ones = np.ones(8, np.int64)
    out[0] = tile_words(0, bounds, sd)
    out[1] = union_words(1, ones, bounds, sd)
    out[2] = tile_words(2, bounds, sd)


# Layout of the per-factorization size vector ``sz`` (int64[SZ_LEN]) filled by ``prepare``.
SZ_MACS, SZ_STEPS, SZ_PES = 0, 1, 2
SZ_FULL_PE, SZ_FULL_UNION, SZ_STEP_UNION, SZ_FULL_GLB = 3, 6, 9, 12  # + datatype
SZ_SHIFT_PE, SZ_SHIFT_UNION, SZ_SHIFT_GLB = 15, 23, 31  # + dim (only E, F, R, S are used)
SZ_RF_SLIDE_OK = 39  # + axis (0 rows, 1 cols): that axis is not spread across PEs
SZ_OFMAP = 41
SZ_LEN = 42


@njit(**JIT)
def prepare_inner(bounds, sd, f, sz, ext):
    """The sizes that depend only on the RF and spatial factors (f[0:3]): per-PE tiles, unions
    across PEs, one-step slides, MAC steps (and the ofmap size). ext is scratch int64[4, 8]."""
    pes = 1
    steps = 1
    for d in range(8):
        ext[0, d] = f[_RF, d]
        ext[1, d] = f[_ROWS, d] * f[_COLS, d]
        ext[2, d] = 1
        pes *= ext[1, d]
        steps *= bounds[d] // ext[1, d]
    ones = ext[2]
    sz[SZ_PES] = pes
    sz[SZ_STEPS] = steps
    sz[SZ_MACS] = steps * pes
    sz[SZ_OFMAP] = tile_words(2, bounds, sd)
    for t in range(3):
        sz[SZ_FULL_PE + t] = tile_words(t, ext[0], sd)
        sz[SZ_STEP_UNION + t] = union_words(t, ones, ext[1], sd)
        sz[SZ_FULL_UNION + t] = union_words(t, ext[0], ext[1], sd)
    for d in (_E, _F, _R, _S):
        sz[SZ_SHIFT_PE + d] = shift_words(ext[0], d, sd)
        sz[SZ_SHIFT_UNION + d] = shift_union_words(ext[0], ext[1], d, sd)
    sz[SZ_RF_SLIDE_OK] = 1 if (ext[1, _E] == 1 and ext[1, _R] == 1) else 0
    sz[SZ_RF_SLIDE_OK + 1] = 1 if (ext[1, _F] == 1 and ext[1, _S] == 1) else 0


@njit(**JIT)
def prepare_outer(sd, f, sz, ext_glb):
    """The sizes that also depend on the GLB and DRAM factors (after ``prepare_inner``); ext_glb
    is scratch int64[8] (the GLB tile extents)."""
    for d in range(8):
        ext_glb[d] = f[_RF, d] * f[_ROWS, d] * f[_COLS, d] * f[_GLB, d]
    for t in range(3):
        sz[SZ_FULL_GLB + t] = tile_words(t, ext_glb, sd)
    for d in (_E, _F, _R, _S):
        sz[SZ_SHIFT_GLB + d] = shift_words(ext_glb, d, sd)


@njit(**JIT)
def prepare(bounds, sd, f, sz, ext):
    """Everything a mapping's counts need that does not depend on loop order, into sz."""
    prepare_inner(bounds, sd, f, sz, ext)
    prepare_outer(sd, f, sz, ext[3])


# Layout of a level's loop-order features ``feat`` (int64[FEAT_LEN]) filled by ``level_features``.
FT_TOTAL = 0          # product of the level's loop factors
FT_RUN = 1            # + datatype: product of the innermost run of loops that do not index it
FT_LSTAR = 4          # + datatype: first loop that indexes it (-1: none)
FT_FSTAR = 7          # + datatype: that loop's factor
FT_V = 10             # + datatype: total // run (visits from this level's loops)
FT_VDIV = 13          # + datatype: FT_V // fstar (visits in which the first indexing loop wrapped)
FEAT_LEN = 16


@njit(**JIT)
def level_features(f, level, order, feat):
    """Features of one temporal level's loop order (the only things a count depends on)."""
    total = 1
    for t in range(3):
        feat[FT_RUN + t] = 1
        feat[FT_LSTAR + t] = -1
        feat[FT_FSTAR + t] = 1
    for j in range(8):
        d = order[j]
        fac = f[level, d]
        if fac == 1:
            continue
        total *= fac
        for t in range(3):
            if feat[FT_LSTAR + t] == -1:
                if _REL[t, d]:
                    feat[FT_LSTAR + t] = d
                    feat[FT_FSTAR + t] = fac
                else:
                    feat[FT_RUN + t] *= fac
    feat[FT_TOTAL] = total
    for t in range(3):
        feat[FT_V + t] = total // feat[FT_RUN + t]
        feat[FT_VDIV + t] = feat[FT_V + t] // feat[FT_FSTAR + t]


@njit(**JIT)
def same_features(a, b):
    """Two levels' features give equal counts in every combination (ifmap is the only datatype
    whose first indexing loop matters: for the sliding-window halo)."""
    return (a[FT_TOTAL] == b[FT_TOTAL] and a[FT_RUN] == b[FT_RUN] and a[FT_RUN + 1] == b[FT_RUN + 1]
            and a[FT_RUN + 2] == b[FT_RUN + 2] and a[FT_LSTAR + 1] == b[FT_LSTAR + 1]
            and a[FT_FSTAR + 1] == b[FT_FSTAR + 1])


@njit(**JIT)
def rf_boundary_counts(t, sz, v, vdiv, ls, hold, multicast, counts):
    """Add the counts of datatype t that depend on how often its RF tile moves: RF fills / MAC
    operand traffic, NoC transfers, the parent's reads for fills and the psum updates arriving at
    the parent. v = RF-tile visits, vdiv = visits in which the first indexing loop (ls) wrapped."""
    macs = sz[SZ_MACS]
    steps = sz[SZ_STEPS]
    pes = sz[SZ_PES]
    if t < 2:  # weights, ifmap: read-only inputs flowing down
        parent_of_rf = _LG if hold[1, t] else _LD
        if hold[0, t]:
            counts[_LR, t, 0] += macs
            nshift = 0
            if t == 1 and ls >= 0 and _SLIDE[ls] >= 0 and sz[SZ_RF_SLIDE_OK + _SLIDE[ls]] == 1:
                nshift = v - vdiv
            per_pe = (v - nshift) * sz[SZ_FULL_PE + t]
            union = (v - nshift) * sz[SZ_FULL_UNION + t]
            if nshift > 0:
                per_pe += nshift * sz[SZ_SHIFT_PE + ls]
                union += nshift * sz[SZ_SHIFT_UNION + ls]
            counts[_LR, t, 1] += per_pe * pes
            counts[_LN, t, 0] += per_pe * pes
            counts[parent_of_rf, t, 0] += union if multicast[t] else per_pe * pes
        else:
            counts[_LN, t, 0] += macs
            counts[parent_of_rf, t, 0] += steps * (sz[SZ_STEP_UNION + t] if multicast[t] else pes)
    else:  # psums / ofmap: updates flow up, the parent accumulates on arrival
        if hold[0, t]:
            counts[_LR, t, 1] += macs
            counts[_LR, t, 0] += macs - v * sz[SZ_FULL_PE + t] * pes
            counts[_LN, t, 0] += v * sz[SZ_FULL_PE + t] * pes
            updates = v * sz[SZ_FULL_UNION + t]
        else:
            counts[_LN, t, 0] += macs
            updates = steps * sz[SZ_STEP_UNION + t]
        if hold[1, t]:  # each update is a GLB write, and a read unless it is the element's first
            counts[_LG, t, 1] += updates
            counts[_LG, t, 0] += updates
        else:
            counts[_LD, t, 1] += updates
            counts[_LD, t, 0] += updates - sz[SZ_OFMAP]


@njit(**JIT)
def glb_boundary_counts(t, sz, v, vdiv, ls, hold, counts):
    """Add the counts of datatype t that depend on how often its GLB tile moves (DRAM loops)."""
    if not hold[1, t]:
        return
    if t < 2:
        nshift = 0
        if t == 1 and ls >= 0 and _SLIDE[ls] >= 0:
            nshift = v - vdiv
        words = (v - nshift) * sz[SZ_FULL_GLB + t]
        if nshift > 0:
            words += nshift * sz[SZ_SHIFT_GLB + ls]
        counts[_LG, t, 1] += words
        counts[_LD, t, 0] += words
    else:
        glb_tile = sz[SZ_FULL_GLB + t]
        counts[_LG, t, 0] -= v * glb_tile  # the first update of each element in a residency is not read
        counts[_LD, t, 1] += v * glb_tile
        counts[_LD, t, 0] += v * glb_tile - sz[SZ_OFMAP]


@njit(**JIT)
def rf_visits(t, gf, df):
    """(visits, wrapped visits, first indexing loop) of datatype t's RF tile from the GLB and DRAM
    order features: the innermost irrelevant run spans the GLB loops and, when no GLB loop indexes
    t, continues into the DRAM loops."""
    if gf[FT_LSTAR + t] == -1:
        return df[FT_V + t], df[FT_VDIV + t], df[FT_LSTAR + t]
    return gf[FT_V + t] * df[FT_TOTAL], gf[FT_VDIV + t] * df[FT_TOTAL], gf[FT_LSTAR + t]


@njit(**JIT)
def apply_features(sz, gf, df, hold, multicast, counts):
    """Fill counts[4, 3, 2] (zeroed here) from the prepared sizes and the GLB / DRAM order features."""
    counts[:] = 0
    for t in range(3):
        v, vdiv, ls = rf_visits(t, gf, df)
        rf_boundary_counts(t, sz, v, vdiv, ls, hold, multicast, counts)
        glb_boundary_counts(t, sz, df[FT_V + t], df[FT_VDIV + t], df[FT_LSTAR + t], hold, counts)


@njit(**JIT)
def apply_orders(sz, f, orders, hold, multicast, counts):
    """Fill counts[4, 3, 2] from the prepared sizes and the GLB / DRAM loop orders (orders[2, 8])."""
    gf = np.empty(FEAT_LEN, np.int64)
    df = np.empty(FEAT_LEN, np.int64)
    level_features(f, _GLB, orders[0], gf)
    level_features(f, _DRAM, orders[1], df)
    apply_features(sz, gf, df, hold, multicast, counts)


@njit(**JIT)
def count_accesses(bounds, sd, f, orders, hold, multicast, counts):
    """Fill counts[4, 3, 2] for mapping factors f[5, 8] and temporal loop orders orders[2, 8]
    (GLB, DRAM; innermost first). hold[2, 3]: RF / GLB hold datatype t.
    Returns (macs, steps, active_pes)."""
    sz = np.zeros(SZ_LEN, np.int64)
    ext = np.empty((4, 8), np.int64)
    prepare(bounds, sd, f, sz, ext)
    apply_orders(sz, f, orders, hold, multicast, counts)
    return sz[SZ_MACS], sz[SZ_STEPS], sz[SZ_PES]
