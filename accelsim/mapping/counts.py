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
  * Strip-mining: spatial factors of N M E F G need not divide what the RF leaves; the last array
    tile is then partial (``prepare_general`` / ``apply_general``, exact; docs/model.md).
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
    (GLB, DRAM; innermost first). hold[2, 3]: RF / GLB hold datatype t. Spatial factors that do
    not divide what the RF leaves are strip-mined (partial array tiles, ``count_general``).
    Returns (macs, MAC steps, peak active PEs); the average active PEs is macs / steps."""
    if is_partial(bounds, f):
        return count_general(bounds, sd, f, orders, hold, multicast, counts)
    sz = np.zeros(SZ_LEN, np.int64)
    ext = np.empty((4, 8), np.int64)
    prepare(bounds, sd, f, sz, ext)
    apply_orders(sz, f, orders, hold, multicast, counts)
    return sz[SZ_MACS], sz[SZ_STEPS], sz[SZ_PES]


# ---- partial tiles (imperfect spatial factors) -----------------------------------------------
# A dimension d may be spread over p_d = rows x cols PE positions that do not divide what the RF
# leaves, q_d = bound / rf (rf always divides the bound). Its array tiles are then strip-mined: the
# temporal loops above the array (GLB x DRAM, an exact split of T_d) run T_d = ceil(q_d / p_d)
# array tiles, the last one with only r_d = q_d - (T_d - 1) p_d positions working (T_d = 1: the
# single tile has q_d positions, the others never exist). Only dimensions that index the psums
# (N M E F G) may be partial; C R S (the ones spatial reduction merges) stay exact.
# Policy (the executor applies it literally): a PE's tile of datatype t exists when its index in
# every dimension that indexes t is in range; at a refill every PE whose tile exists loads it (PEs
# idle only along dimensions that do not index t receive it too: a multicast of weights reaches the
# whole row); a PE does a MAC only with every index in range; a streamed datatype is fetched by
# the PEs that do a MAC in that step.
# Every count is a sum over tile visits; for the dims that index t all tiles are visited alike, so
# a count is (visits / D) x (the sum over one sweep of the partial dims' tiles), D = the product of
# their tile counts.

# Layout of the general size vector ``gz`` (int64[GZ_LEN]) filled by ``prepare_general``.
GZ_MACS, GZ_STEPS, GZ_PEAK = 0, 1, 2
GZ_DV, GZ_PS, GZ_FP, GZ_UF, GZ_STEPU = 3, 6, 9, 12, 15  # + datatype
GZ_SP, GZ_US = 18, 26  # + dim: per-PE ifmap slide words, union slide words per sweep
GZ_SLIDE_OK = 34  # + axis
GZ_OFMAP = 36
GZ_DG, GZ_GF = 37, 40  # + datatype: GLB-boundary divisor, GLB tile words per sweep
GZ_GS = 43  # + dim: GLB ifmap words per sweep when the first indexing DRAM loop (a slide) is d
GZ_PARTIAL = 51  # bit d: dimension d has a partial array tile
GZ_LEN = 52


@njit(**JIT)
def tiling(bounds, f, tl):
    """tl int64[4, 8] = per dim (q, p, T, r): what the RF leaves, PE positions per full array tile,
    array tiles, positions working in the last one (see the comment above)."""
    for d in range(8):
        q = bounds[d] // f[_RF, d]
        t = f[_GLB, d] * f[_DRAM, d]
        p = q if t == 1 else f[_ROWS, d] * f[_COLS, d]
        tl[0, d] = q
        tl[1, d] = p
        tl[2, d] = t
        tl[3, d] = q - (t - 1) * p


@njit(**JIT)
def is_partial(bounds, f):
    """Some dimension's spatial factors do not divide what the RF leaves (a partial array tile)."""
    for d in range(8):
        q = bounds[d] // f[_RF, d]
        if q % (f[_ROWS, d] * f[_COLS, d]) != 0:
            return True
    return False


@njit(**JIT)
def _combo(ntiles, mask, k, a, full, last):
    """The k-th combination of (full, last) tiles over the partial dims in ``mask`` (bit d): sets
    a[d] to full[d] or last[d] (working positions, or extents) and returns how many of a sweep's
    tiles it stands for (ntiles[d] - 1 full ones per dim, one last one); other dims keep a[d]."""
    mult = 1
    bit = 0
    for d in range(8):
        if mask >> d & 1:
            if k >> bit & 1:
                a[d] = last[d]
            else:
                a[d] = full[d]
                mult *= ntiles[d] - 1
            bit += 1
    return mult


@njit(**JIT)
def _npartial(mask):
    n = 0
    for d in range(8):
        n += mask >> d & 1
    return n


@njit(**JIT)
def slide_between(prev, new, d, sd):
    """Ifmap words a tile with extents ``new`` loads when it follows one with extents ``prev``
    that started one tile earlier along sliding dim d (the two differ at most in d): the rows
    (cols) the new tile reads that the previous one did not. Together the two read the rows of one
    tile of prev[d] + new[d] along d (``window`` of the sum), so the new rows are that window minus
    the previous tile's; with prev = new this is ``slide_rows``."""
    rows = window(new[_E], new[_R], sd[0], sd[2])
    cols = window(new[_F], new[_S], sd[1], sd[3])
    if d == _E:
        rows = window(prev[_E] + new[_E], new[_R], sd[0], sd[2]) - window(prev[_E], new[_R], sd[0], sd[2])
    elif d == _R:
        rows = window(new[_E], prev[_R] + new[_R], sd[0], sd[2]) - window(new[_E], prev[_R], sd[0], sd[2])
    elif d == _F:
        cols = window(prev[_F] + new[_F], new[_S], sd[1], sd[3]) - window(prev[_F], new[_S], sd[1], sd[3])
    else:
        cols = window(new[_F], prev[_S] + new[_S], sd[1], sd[3]) - window(new[_F], prev[_S], sd[1], sd[3])
    return new[_G] * new[_N] * new[_C] * rows * cols


@njit(**JIT)
def prepare_general(bounds, sd, f, gz):
    """Everything a mapping's counts need that does not depend on loop order, exact with partial
    array tiles (``tiling``); equals ``prepare`` on perfect factorizations. Returns the bit mask of
    the dimensions with a partial array tile."""
    partial = prepare_general_inner(bounds, sd, f, gz)
    prepare_general_outer(bounds, sd, f, gz)
    return partial


@njit(**JIT)
def prepare_general_inner(bounds, sd, f, gz):
    """The part of ``prepare_general`` that depends only on the RF and spatial factors (and the
    number of array tiles, f[3] x f[4] per dimension), not on how the GLB and DRAM loops split
    them: MACs, steps, peak PEs, the RF-boundary sizes. The search computes it once per RF x
    spatial configuration and ``prepare_general_outer`` once per complete factorization."""
    tl = np.empty((4, 8), np.int64)
    tiling(bounds, f, tl)
    ext_rf = np.empty(8, np.int64)
    ones = np.ones(8, np.int64)
    a = np.empty(8, np.int64)
    pfull = np.empty(8, np.int64)
    plast = np.empty(8, np.int64)
    partial = 0
    steps = 1
    peak = 1
    rf_prod = 1
    for d in range(8):
        ext_rf[d] = f[_RF, d]
        pfull[d] = tl[1, d]
        plast[d] = tl[3, d]
        if tl[3, d] != tl[1, d]:
            partial |= 1 << d
        steps *= f[_RF, d] * tl[2, d]
        peak *= tl[1, d]
        rf_prod *= f[_RF, d]
    macs = 1
    for d in range(8):
        macs *= bounds[d]
    gz[GZ_MACS] = macs
    gz[GZ_STEPS] = steps
    gz[GZ_PEAK] = peak
    gz[GZ_OFMAP] = tile_words(2, bounds, sd)
    for t in range(3):
        rmask = 0
        dv = 1
        ps = 1
        for d in range(8):
            if _REL[t, d] and partial >> d & 1:
                rmask |= 1 << d
                dv *= tl[2, d]
                ps *= tl[0, d]
            else:
                ps *= tl[1, d]
        gz[GZ_DV + t] = dv
        gz[GZ_PS + t] = ps
        gz[GZ_FP + t] = tile_words(t, ext_rf, sd)
        n = 1 << _npartial(rmask)
        uf = 0
        for d in range(8):
            a[d] = tl[1, d]
        for k in range(n):
            mult = _combo(tl[2], rmask, k, a, pfull, plast)
            uf += mult * union_words(t, ext_rf, a, sd)
        gz[GZ_UF + t] = uf
        # MAC steps: the PEs that work in each step
        allmask = partial
        su = 0
        for d in range(8):
            a[d] = tl[1, d]
        for k in range(1 << _npartial(allmask)):
            mult = _combo(tl[2], allmask, k, a, pfull, plast)
            su += mult * union_words(t, ones, a, sd)
        per = rf_prod
        for d in range(8):
            if not (allmask >> d & 1):
                per *= tl[2, d]
        gz[GZ_STEPU + t] = su * per
        if t == 1:
            for d in (_E, _F, _R, _S):
                gz[GZ_SP + d] = shift_words(ext_rf, d, sd)
                us = 0
                for dd in range(8):
                    a[dd] = tl[1, dd]
                for k in range(n):
                    mult = _combo(tl[2], rmask, k, a, pfull, plast)
                    us += mult * shift_union_words(ext_rf, a, d, sd)
                gz[GZ_US + d] = us
    gz[GZ_PARTIAL] = partial
    gz[GZ_SLIDE_OK] = 1 if (f[_ROWS, _E] * f[_COLS, _E] == 1 and f[_ROWS, _R] * f[_COLS, _R] == 1) else 0
    gz[GZ_SLIDE_OK + 1] = 1 if (f[_ROWS, _F] * f[_COLS, _F] == 1 and f[_ROWS, _S] * f[_COLS, _S] == 1) else 0
    return partial


@njit(**JIT)
def prepare_general_outer(bounds, sd, f, gz):
    """The part of ``prepare_general`` that depends on the GLB / DRAM split (f[3], f[4]): the GLB
    tiles (per datatype: the GLB-boundary divisor, the GLB tile words per sweep of the partial
    dimensions, the ifmap's GLB slide words). Needs ``prepare_general_inner``'s GZ_PARTIAL."""
    partial = gz[GZ_PARTIAL]
    g_full = np.empty(8, np.int64)
    g_last = np.empty(8, np.int64)
    g = np.empty(8, np.int64)
    gp = np.empty(8, np.int64)
    for d in range(8):
        q = bounds[d] // f[_RF, d]
        p = q if f[_GLB, d] * f[_DRAM, d] == 1 else f[_ROWS, d] * f[_COLS, d]
        g_full[d] = f[_RF, d] * p * f[_GLB, d]
        g_last[d] = bounds[d] - (f[_DRAM, d] - 1) * g_full[d]
    for t in range(3):
        rmask = 0
        dg = 1
        for d in range(8):
            if _REL[t, d] and partial >> d & 1:
                rmask |= 1 << d
                dg *= f[_DRAM, d]
        gz[GZ_DG + t] = dg
        n = 1 << _npartial(rmask)
        gfw = 0
        for d in range(8):
            g[d] = g_full[d]
        for k in range(n):
            mult = _combo(f[_DRAM], rmask, k, g, g_full, g_last)
            gfw += mult * tile_words(t, g, sd)
        gz[GZ_GF + t] = gfw
        if t == 1:
            for d in (_E, _F, _R, _S):
                # GLB slides along d: words per sweep of the partial dims (wrapped visits of a
                # partial d load its first, full tile; its last slide enters the partial tile)
                gs = 0
                omask = rmask & ~(1 << d)
                for k in range(1 << _npartial(omask)):
                    for dd in range(8):
                        g[dd] = g_full[dd]
                    mult = _combo(f[_DRAM], omask, k, g, g_full, g_last)
                    if rmask >> d & 1:
                        for dd in range(8):
                            gp[dd] = g[dd]
                        gp[d] = g_last[d]
                        words = tile_words(1, g, sd) + (f[_DRAM, d] - 2) * slide_between(g, g, d, sd) \
                            + slide_between(g, gp, d, sd)
                    else:
                        words = slide_between(g, g, d, sd)
                    gs += mult * words
                gz[GZ_GS + d] = gs


@njit(**JIT)
def apply_general(gz, gf, df, hold, multicast, counts):
    """Fill counts[4, 3, 2] (zeroed here) from ``prepare_general``'s sizes and the GLB / DRAM order
    features; equals ``apply_features`` on perfect factorizations."""
    counts[:] = 0
    macs = gz[GZ_MACS]
    for t in range(3):
        v, vdiv, ls = rf_visits(t, gf, df)
        dv = gz[GZ_DV + t]
        ps = gz[GZ_PS + t]
        if t < 2:
            parent = _LG if hold[1, t] else _LD
            if hold[0, t]:
                counts[_LR, t, 0] += macs
                nshift = 0
                if t == 1 and ls >= 0 and _SLIDE[ls] >= 0 and gz[GZ_SLIDE_OK + _SLIDE[ls]] == 1:
                    nshift = v - vdiv
                nfull = v - nshift
                per_pe = (nfull // dv) * gz[GZ_FP + t] * ps
                union = (nfull // dv) * gz[GZ_UF + t]
                if nshift > 0:
                    per_pe += (nshift // dv) * gz[GZ_SP + ls] * ps
                    union += (nshift // dv) * gz[GZ_US + ls]
                counts[_LR, t, 1] += per_pe
                counts[_LN, t, 0] += per_pe
                counts[parent, t, 0] += union if multicast[t] else per_pe
            else:
                counts[_LN, t, 0] += macs
                counts[parent, t, 0] += gz[GZ_STEPU + t] if multicast[t] else macs
        else:
            if hold[0, t]:
                drains = (v // dv) * gz[GZ_FP + t] * ps
                counts[_LR, t, 1] += macs
                counts[_LR, t, 0] += macs - drains
                counts[_LN, t, 0] += drains
                updates = (v // dv) * gz[GZ_UF + t]
            else:
                counts[_LN, t, 0] += macs
                updates = gz[GZ_STEPU + t]
            if hold[1, t]:
                counts[_LG, t, 1] += updates
                counts[_LG, t, 0] += updates
            else:
                counts[_LD, t, 1] += updates
                counts[_LD, t, 0] += updates - gz[GZ_OFMAP]
        # the GLB boundary (DRAM loops)
        if not hold[1, t]:
            continue
        vg = df[FT_V + t]
        vgdiv = df[FT_VDIV + t]
        lsg = df[FT_LSTAR + t]
        dg = gz[GZ_DG + t]
        if t < 2:
            if t == 1 and lsg >= 0 and _SLIDE[lsg] >= 0:
                if gz[GZ_PARTIAL] >> lsg & 1:  # per sweep: its full first tile, then slides
                    words = (vg // dg) * gz[GZ_GS + lsg]
                else:
                    words = (vgdiv // dg) * gz[GZ_GF + t] + ((vg - vgdiv) // dg) * gz[GZ_GS + lsg]
            else:
                words = (vg // dg) * gz[GZ_GF + t]
            counts[_LG, t, 1] += words
            counts[_LD, t, 0] += words
        else:
            drained = (vg // dg) * gz[GZ_GF + t]
            counts[_LG, t, 0] -= drained
            counts[_LD, t, 1] += drained
            counts[_LD, t, 0] += drained - gz[GZ_OFMAP]


@njit(**JIT)
def count_general(bounds, sd, f, orders, hold, multicast, counts):
    """``count_accesses`` through the partial-tile path (whatever the factors; on a perfect
    factorization it gives the same counts). Returns (macs, steps, peak active PEs)."""
    gz = np.zeros(GZ_LEN, np.int64)
    prepare_general(bounds, sd, f, gz)
    gf = np.empty(FEAT_LEN, np.int64)
    df = np.empty(FEAT_LEN, np.int64)
    level_features(f, _GLB, orders[0], gf)
    level_features(f, _DRAM, orders[1], df)
    apply_general(gz, gf, df, hold, multicast, counts)
    return gz[GZ_MACS], gz[GZ_STEPS], gz[GZ_PEAK]
