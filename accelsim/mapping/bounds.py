"""Exact pruning bounds for the search (numba). Each returns a value that no mapping in the
pruned part of the mapspace can beat, so cutting on ``bound > best`` never loses the optimum
(property tests compare them with real costs).

* ``lower_bound``: given the RF and spatial factors, over everything else (any objective).
* ``box_bound``: given the RF and spatial factors and, per dimension, an interval of GLB factors
  ``[gl, gh]`` (a point once the dimension is assigned; the DRAM takes the rest), over every
  GLB/DRAM split in the box and every pair of GLB and DRAM loop orders (energy).

How ``box_bound`` works. Energy = MACs + the sum over datatypes ``t`` of an RF-boundary part,
affine in the visits of ``t``'s RF tile, and a GLB-boundary part, affine in the words ``t`` moves
between DRAM and the GLB (visits of its GLB tile x the tile). Visits of a tile lie between the
product of the level's loops that index ``t`` (all others innermost) and the product of all of
them, and equal the latter when the innermost loop of the order indexes ``t``. One loop is
innermost per level, so the bound is ``MACs + min over the innermost DRAM loop + min over the
innermost GLB loop`` of per-datatype lower ends. Over a box every such quantity is a product of
per-dimension terms, monotone in each GLB factor (for the ifmap's rows read: bounded by constants
and terms bilinear in the reciprocals, ``_axis_brackets``), so its extremes are at the box
corners. Ifmap tiles are taken at their smallest load (a full tile or a one-step slide), and DRAM
ifmap traffic at least the compulsory words. The GLB capacity couples the dimensions: every GLB
tile must fit, which caps the product of the GLB factors of the loops that index it
(``glb_factor_caps``); the loops that do not index a datatype index both others, so their DRAM
trips are at least their remaining bound over that cap.
"""

from __future__ import annotations

import numpy as np

from accelsim.mapping._jit import JIT, njit
from accelsim.mapping.counts import (
    _REL,
    _SLIDE,
    GZ_DV,
    GZ_FP,
    GZ_MACS,
    GZ_OFMAP,
    GZ_PARTIAL,
    GZ_PS,
    GZ_SLIDE_OK,
    GZ_SP,
    GZ_STEPS,
    GZ_STEPU,
    GZ_UF,
    GZ_US,
    shift_union_words,
    shift_words,
    tile_words,
    union_words,
)
from accelsim.mapping.mapspace import LIM_GLB, LIM_GLB_SHARED
from accelsim.mapping.parts import CO_K, cheapest_visit

_N, _M, _C, _E, _F, _R, _S, _G = 0, 1, 2, 3, 4, 5, 6, 7
NEVER = np.int64(1) << 62  # an unreachable count: "no spill limit"


@njit(**JIT)
def _psum_drain(updates, ofmap, hold, e_read, e_write):
    """Energy of ``updates`` psum words leaving the array and the ``ofmap`` words reaching DRAM:
    through the GLB if it holds psums (each update a GLB write, each ofmap word one DRAM write),
    else straight to DRAM (a write per update, a read-back for all but the first of each word)."""
    if hold[1, 2]:
        return updates * e_write[1, 2] + ofmap * e_write[0, 2]
    return updates * e_write[0, 2] + max(0, updates - ofmap) * e_read[0, 2]


@njit(**JIT)
def _objective_bound(energy, steps, dram_words, bw, objective):
    """The objective's bound from an energy bound, the MAC steps and the DRAM words that must move
    (cycles >= steps and >= words / DRAM bandwidth): energy, cycles or their product."""
    cycles = float(steps)
    if bw[0] > 0 and dram_words / bw[0] > cycles:
        cycles = dram_words / bw[0]
    if objective == 0:
        return energy
    if objective == 1:
        return cycles
    return energy * cycles


@njit(**JIT)
def lower_bound(bounds, sd, f, hold, multicast, e_read, e_write, mac_energy, bw, objective, ext):
    """A bound no mapping with these RF and spatial factors (f[0:3]) can beat, whatever its GLB
    and DRAM factors and loop orders: every tile is loaded at least once per distinct position
    (visits >= distinct tiles), an ifmap load is at least its smallest one-step slide, every
    input element leaves DRAM at least once and every ofmap element is written once."""
    steps = 1
    pes = 1
    vmax = 1
    for d in range(8):
        ext[0, d] = f[0, d]
        ext[1, d] = f[1, d] * f[2, d]
        ext[2, d] = ext[0, d] * ext[1, d]
        ext[3, d] = 1
        steps *= bounds[d] // ext[1, d]
        pes *= ext[1, d]
        vmax *= bounds[d] // ext[2, d]
    macs = steps * pes
    energy = macs * mac_energy
    dram_words = 0.0
    ones = ext[3]
    for t in range(3):
        distinct = 1
        for d in range(8):
            if _REL[t, d]:
                distinct *= bounds[d] // ext[2, d]
        full_pe = tile_words(t, ext[0], sd)
        full_union = union_words(t, ext[0], ext[1], sd)
        step_union = union_words(t, ones, ext[1], sd)
        parent = 1 if hold[1, t] else 0
        if t < 2:
            smin_pe = full_pe
            smin_union = full_union
            if t == 1:
                for d in (3, 4, 5, 6):
                    smin_pe = min(smin_pe, shift_words(ext[0], d, sd))
                    smin_union = min(smin_union, shift_union_words(ext[0], ext[1], d, sd))
            if hold[0, t]:
                fill_pe = distinct * smin_pe
                energy += macs * e_read[3, t] + fill_pe * pes * (e_write[3, t] + e_read[2, t])
                reads = distinct * smin_union if multicast[t] else fill_pe * pes
            else:
                energy += macs * e_read[2, t]
                reads = steps * (step_union if multicast[t] else pes)
            energy += reads * e_read[parent, t]
            # every element some MAC uses leaves DRAM at least once (strided layers skip some)
            compulsory = union_words(t, ones, bounds, sd)
            if hold[1, t]:
                energy += compulsory * (e_write[1, t] + e_read[0, t])
                dram_words += compulsory
            else:
                dram_words += max(reads, compulsory)
        else:
            if hold[0, t]:
                energy += macs * e_write[3, t] + max(0, macs - vmax * full_pe * pes) * e_read[3, t]
                energy += distinct * full_pe * pes * e_read[2, t]
                updates = distinct * full_union
            else:
                energy += macs * e_read[2, t]
                updates = steps * step_union
            ofmap = tile_words(t, bounds, sd)
            energy += _psum_drain(updates, ofmap, hold, e_read, e_write)
            dram_words += ofmap
    return _objective_bound(energy, steps, dram_words, bw, objective)


@njit(**JIT)
def lower_bound_partial(bounds, sd, f, gz, hold, multicast, e_read, e_write, mac_energy, bw, objective):
    """``lower_bound`` for RF and spatial factors with partial array tiles (strip-mined; gz from
    ``counts.prepare_general`` with the GLB and DRAM loops still open, f[4] = the array tiles
    left): every distinct tile position of the dimensions indexing t is visited at least once, a
    visit loads at least its cheapest load (a full tile or a one-step slide along an axis the
    model lets slide), every used input element leaves DRAM at least once, every ofmap element is
    written once; RF psum reads are at least the MACs minus the most drains (every temporal loop
    above the RF refilling)."""
    macs = gz[GZ_MACS]
    steps = gz[GZ_STEPS]
    energy = macs * mac_energy
    dram_words = 0.0
    ones = np.ones(8, np.int64)
    all_t = 1
    for d in range(8):
        all_t *= f[3, d] * f[4, d]
    for t in range(3):
        sweeps = 1  # distinct tile positions / the partial dims' sweep
        for d in range(8):
            if _REL[t, d] and not (gz[GZ_PARTIAL] >> d & 1):
                sweeps *= f[3, d] * f[4, d]
        per_sweep_pe = gz[GZ_FP + t] * gz[GZ_PS + t]
        parent = 1 if hold[1, t] else 0
        if t < 2:
            if hold[0, t]:
                min_pe = gz[GZ_FP + t]
                min_union = gz[GZ_UF + t]
                if t == 1:
                    for d in (3, 4, 5, 6):
                        if gz[GZ_SLIDE_OK + _SLIDE[d]] == 1:
                            min_pe = min(min_pe, gz[GZ_SP + d])
                            min_union = min(min_union, gz[GZ_US + d])
                fill = sweeps * min_pe * gz[GZ_PS + t]
                energy += macs * e_read[3, t] + fill * (e_write[3, t] + e_read[2, t])
                reads = sweeps * min_union if multicast[t] else fill
            else:
                energy += macs * e_read[2, t]
                reads = gz[GZ_STEPU + t] if multicast[t] else macs
            energy += reads * e_read[parent, t]
            compulsory = union_words(t, ones, bounds, sd)
            if hold[1, t]:
                energy += compulsory * (e_write[1, t] + e_read[0, t])
                dram_words += compulsory
            else:
                dram_words += max(reads, compulsory)
        else:
            if hold[0, t]:
                most = (all_t // gz[GZ_DV + t]) * per_sweep_pe
                energy += macs * e_write[3, t] + max(0, macs - most) * e_read[3, t]
                energy += sweeps * per_sweep_pe * e_read[2, t]
                updates = sweeps * gz[GZ_UF + t]
            else:
                energy += macs * e_read[2, t]
                updates = gz[GZ_STEPU + t]
            ofmap = tile_words(t, bounds, sd)
            energy += _psum_drain(updates, ofmap, hold, e_read, e_write)
            dram_words += ofmap
    return _objective_bound(energy, steps, dram_words, bw, objective)


# ---- the box bound ---------------------------------------------------------------------------
# ``glb_aff`` (per search) and ``rf_aff`` (per RF x spatial configuration), float64[3, 3]: row t =
# (c0, c1, xmax): the part costs at least c0 + c1 * x for 0 <= x <= xmax and is infinite (a psum
# spill while spills are off) above; x = words moved between DRAM and the GLB, or RF-tile visits.
# ``box`` int64[BOX_LEN, 8] holds the per-dimension inputs of ``box_bound``: the bound left after the
# RF and spatial factors (q), their product (a), the GLB factor range [gl, gh] and the DRAM factor
# range it leaves, [q / gh, q / gl] (kept here so the bound does no divisions; ``set_box``).
# Row BOX_STALE, columns 0 / 1: the ifmap rows (E, R) / cols (F, S) changed since box_bound last
# computed their brackets (cached in its scratch).
BOX_Q, BOX_A, BOX_GL, BOX_GH, BOX_MLO, BOX_MHI, BOX_STALE = 0, 1, 2, 3, 4, 5, 6
BOX_LEN = 7


@njit(**JIT)
def set_box(box, d, gl, gh):
    """Open dimension d's GLB factor over [gl, gh] (a point once assigned)."""
    box[BOX_GL, d] = gl
    box[BOX_GH, d] = gh
    box[BOX_MLO, d] = box[BOX_Q, d] // gh
    box[BOX_MHI, d] = box[BOX_Q, d] // gl
    axis = _SLIDE[d]
    if axis >= 0:
        box[BOX_STALE, axis] = 1  # that axis' ifmap brackets must be recomputed


@njit(**JIT)
def _affine_min(x_lo, x_hi, aff, t):
    """min of c0 + c1 * x over x in [x_lo, x_hi] (infinite above xmax)."""
    c0 = aff[t, 0]
    c1 = aff[t, 1]
    xmax = aff[t, 2]
    if x_lo > xmax:
        return np.inf
    if c1 >= 0:
        return c0 + c1 * x_lo
    return c0 + c1 * min(x_hi, xmax)


@njit(**JIT)
def affine_bound(coef, spill, no_spill, aff):
    """aff[t] = (c0, c1, xmax) from a boundary's part coefficients: the cheapest cost per visit
    (a full load or a one-step slide) and, with spills off, the most visits before psums would be
    read back from DRAM (-1: always)."""
    for t in range(3):
        aff[t, 0] = coef[t, CO_K]
        aff[t, 1] = cheapest_visit(coef, t)
        aff[t, 2] = NEVER
        if no_spill and t == 2:
            s0 = spill[t, 0]
            s1 = spill[t, 1]
            if s1 > 0:
                aff[t, 2] = max(-1, (-s0) // s1)
            elif s0 > 0:
                aff[t, 2] = -1


@njit(**JIT)
def rf_affine_partial(gz, hold, multicast, e_read, e_write, no_spill, aff):
    """``affine_bound`` of the RF boundary for RF and spatial factors with partial array tiles,
    from ``counts.prepare_general``'s sizes: datatype t's part is K + (per-sweep cost / D) x visits
    (D = the partial dims' tile count, ``counts.apply_general``), so aff[t] = (K, the cheapest
    such slope, the most visits before psums would be read back from DRAM)."""
    macs = gz[GZ_MACS]
    for t in range(3):
        dv = float(gz[GZ_DV + t])
        ps = gz[GZ_PS + t]
        aff[t, 2] = NEVER
        parent = 1 if hold[1, t] else 0
        if t < 2:
            if hold[0, t]:
                aff[t, 0] = macs * e_read[3, t]
                pe = gz[GZ_FP + t] * ps
                par = gz[GZ_UF + t] if multicast[t] else pe
                slope = pe * (e_write[3, t] + e_read[2, t]) + par * e_read[parent, t]
                if t == 1:
                    for d in (3, 4, 5, 6):
                        if gz[GZ_SLIDE_OK + _SLIDE[d]] == 1:
                            pe_s = gz[GZ_SP + d] * ps
                            par_s = gz[GZ_US + d] if multicast[t] else pe_s
                            slope = min(slope, pe_s * (e_write[3, t] + e_read[2, t]) + par_s * e_read[parent, t])
                aff[t, 1] = slope / dv
            else:
                aff[t, 0] = macs * e_read[2, t] + (gz[GZ_STEPU + t] if multicast[t] else macs) * e_read[parent, t]
                aff[t, 1] = 0.0
        else:
            ofmap = gz[GZ_OFMAP]
            if hold[0, t]:
                aff[t, 0] = macs * (e_write[3, t] + e_read[3, t])
                pe = gz[GZ_FP + t] * ps
                upd = gz[GZ_UF + t]
                slope = pe * (e_read[2, t] - e_read[3, t])
                if hold[1, t]:
                    slope += upd * (e_write[1, t] + e_read[1, t])
                else:
                    slope += upd * (e_write[0, t] + e_read[0, t])
                    aff[t, 0] -= ofmap * e_read[0, t]
                    if no_spill:
                        aff[t, 2] = (ofmap * gz[GZ_DV + t]) // upd  # updates <= ofmap
                aff[t, 1] = slope / dv
            else:
                upd = gz[GZ_STEPU + t]
                aff[t, 0] = macs * e_read[2, t]
                if hold[1, t]:
                    aff[t, 0] += upd * (e_write[1, t] + e_read[1, t])
                else:
                    aff[t, 0] += upd * e_write[0, t] + (upd - ofmap) * e_read[0, t]
                    if no_spill and upd > ofmap:
                        aff[t, 2] = -1
                aff[t, 1] = 0.0


@njit(**JIT)
def glb_factor_caps(box, hold, limits, gcap):
    """What the GLB capacity allows, for ``box_bound``: gcap[0, t] = words datatype t's tile may
    take (its own capacity or the shared one; NEVER: no limit), gcap[0, 3] = the shared capacity
    (NEVER: none), gcap[1, t] = t's tile per unit product of its GLB factors (0: t is not held):
    the RF x spatial extents over the dimensions indexing t; for the ifmap over N, C, E, F, G only
    (its rows >= E, cols >= F, so the tile is at least that). ``limits``: ``mapspace.LIM_*``."""
    shared = limits[LIM_GLB_SHARED]
    gcap[0, 3] = shared if shared >= 0 else NEVER
    for t in range(3):
        cap = limits[LIM_GLB + t]
        if shared >= 0 and (cap < 0 or shared < cap):
            cap = shared
        gcap[0, t] = cap if (hold[1, t] and cap >= 0) else NEVER
        gcap[1, t] = 0
        if not hold[1, t]:
            continue
        extent = 1
        for d in range(8):
            if _REL[t, d] and not (t == 1 and (d == _R or d == _S)):
                extent *= box[BOX_A, d]
        gcap[1, t] = extent


@njit(**JIT)
def _axis_brackets(box, de, dr, u, dl, out, row, be, br):
    """For one ifmap axis (output dim de, filter dim dr, stride u, dilation dl, bounds be, br):
    bounds over the box on the rows the GLB tiles load over all DRAM visits along de and dr, for
    full tiles and for one-step slides along de and along dr: out[row + variant, 0 lower | 1 upper].

    With g = gcd(u, dl), u' = u / g, d' = dl / g, a tile of e x r reads ``window`` = e*r -
    max(0, e - d') * max(0, r - u') rows. Over m_e x m_r visits whose extents e_i, r_j sum to be, br
    (also when the last tile of a strip-mined de is partial; dr is never strip-mined, r_j = br /
    m_r) the full tiles read be*br - A*B rows, A = sum_i max(0, e_i - d'), B = max(0, br - m_r*u'):
    A = max(0, be - m_e*d') for an exact split; for a strip-mined de, A lies between that (the
    sum of a convex function) and max(0, be - m_e) (e_i >= 1), equal when d' = 1. A slide along de
    reads >= e_i * min(r_j, u') new rows (sum: min(be*br, be*m_r*u')), one along dr >= r_j *
    min(e_i, d') (sum: min(be*br, br*m_e*d'), with one partial tile br*min(be, (m_e-1)*d' + 1));
    every variant reads at most the full tiles' rows and at most their spans, (e-1)*u + (r-1)*dl
    + 1 each: u*be*m_r + dl*br*m_e + m_e*m_r*(1 - u - dl). Each term is monotone in m_e and m_r,
    so its extremes over the box are at its corners."""
    for v in range(3):
        out[row + v, 0] = NEVER
        out[row + v, 1] = 0
    g = u
    b = dl
    while b:
        g, b = b, g % b
    ur = u // g
    dr_ = dl // g
    whole = be * br
    exact_e = box[BOX_A, de] * box[BOX_Q, de] == be  # no partial tile along de
    for ce in range(1 if box[BOX_GL, de] == box[BOX_GH, de] else 2):
        m_e = box[BOX_MHI - ce, de]
        a_lo = max(0, be - m_e * dr_)
        a_hi = a_lo if exact_e else max(0, be - m_e)
        lo_r = min(whole, br * m_e * dr_ if exact_e else br * min(be, (m_e - 1) * dr_ + 1))
        for cr in range(1 if box[BOX_GL, dr] == box[BOX_GH, dr] else 2):
            m_r = box[BOX_MHI - cr, dr]
            b_r = max(0, br - m_r * ur)
            span = u * be * m_r + dl * br * m_e + m_e * m_r * (1 - u - dl)
            hi = min(whole - a_lo * b_r, span)
            lo_full = whole - a_hi * b_r
            lo_e = min(whole, be * m_r * ur)
            for v in range(3):
                lo = lo_full if v == 0 else (lo_e if v == 1 else lo_r)
                out[row + v, 0] = min(out[row + v, 0], lo)
                out[row + v, 1] = max(out[row + v, 1], hi)


@njit(**JIT)
def _ifmap_words(box, sd, bounds, scratch):
    """(min, max) over the box of (ifmap GLB-tile visits counting only loops that index the ifmap)
    x (smallest ifmap GLB load): the words the ifmap moves into the GLB with every irrelevant DRAM
    loop outside. Each factor is a separate product over disjoint dimensions (rows: E, R in
    scratch[S_ROWS:], cols: F, S in scratch[S_COLS:], recomputed only when stale)."""
    if box[BOX_STALE, 0]:
        _axis_brackets(box, _E, _R, sd[0], sd[2], scratch, S_ROWS, bounds[_E], bounds[_R])
        box[BOX_STALE, 0] = 0
    if box[BOX_STALE, 1]:
        _axis_brackets(box, _F, _S, sd[1], sd[3], scratch, S_COLS, bounds[_F], bounds[_S])
        box[BOX_STALE, 1] = 0
    base = bounds[_N] * bounds[_C] * bounds[_G]
    lo = NEVER
    hi = NEVER
    for k in range(5):  # full tile, slide along E, R (rows), F, S (cols)
        rv = S_ROWS + (k if k < 3 else 0)
        cv = S_COLS + (k - 2 if k >= 3 else 0)
        lo = min(lo, scratch[rv, 0] * scratch[cv, 0])
        hi = min(hi, scratch[rv, 1] * scratch[cv, 1])
    return base * lo, base * hi


# Loop dimensions by the one datatype they do not index (N, E, F: weights; M: ifmap; C, R, S: psums)
# or none (G): datatype t is indexed by every class but class t. The bound only depends on which
# class the innermost loop of a level belongs to.
_CLASS = np.array([0, 1, 2, 0, 0, 2, 2, 3], dtype=np.int64)
NCLASS = 4
# rows of box_bound's int64 scratch (NCLASS + 1 columns): per-class products, flags, the ifmap brackets
S_GL, S_GH, S_MLO, S_MHI, S_Q, S_IN_DRAM, S_IN_GLB, S_MODE, S_ROWS, S_COLS = 0, 1, 2, 3, 4, 5, 6, 7, 8, 11
SCRATCH_LEN = 14


@njit(**JIT)
def box_bound(box, bounds, sd, hold, glb_aff, rf_aff, tensors, gcap, mac_total, scratch, part):
    """Lower bound on the energy of every mapping whose GLB factors lie in the box (see the module
    docstring). tensors int64[3] = (weights, compulsory ifmap words, ofmap); gcap int64[2, 4] = what
    the GLB capacity allows (``glb_factor_caps``); scratch
    int64[SCRATCH_LEN, 5] and part float64[6, 3] are scratch."""
    # per class: products of the GLB factor range, the DRAM factor range and q; can a loop of the
    # class be innermost at the DRAM level (a DRAM factor > 1) / at the GLB level (a GLB factor > 1)
    for c in range(NCLASS + 1):
        for r in range(S_MODE):
            scratch[r, c] = 1 if r < S_IN_DRAM else 0
    for d in range(8):
        c = _CLASS[d]
        scratch[S_GL, c] *= box[BOX_GL, d]
        scratch[S_GH, c] *= box[BOX_GH, d]
        scratch[S_MLO, c] *= box[BOX_MLO, d]
        scratch[S_MHI, c] *= box[BOX_MHI, d]
        scratch[S_Q, c] *= box[BOX_Q, d]
        if box[BOX_MHI, d] > 1:
            scratch[S_IN_DRAM, c] = 1
        if box[BOX_GH, d] > 1:
            scratch[S_IN_GLB, c] = 1
    totd_lo = scratch[S_MLO, 0] * scratch[S_MLO, 1] * scratch[S_MLO, 2] * scratch[S_MLO, 3]
    totq = scratch[S_Q, 0] * scratch[S_Q, 1] * scratch[S_Q, 2] * scratch[S_Q, 3]
    scratch[S_IN_DRAM, NCLASS] = 1 if totd_lo == 1 else 0  # no DRAM loop at all
    scratch[S_IN_GLB, NCLASS] = 1 if scratch[S_GL, 0] * scratch[S_GL, 1] * scratch[S_GL, 2] * scratch[S_GL, 3] == 1 \
        else 0  # no GLB loop at all
    x0_lo, x0_hi = _ifmap_words(box, sd, bounds, scratch)
    any_open = False
    for t in range(3):
        # the loops that do not index t (class t) index both other datatypes, whose GLB tiles must
        # fit (each its own capacity, all held ones together the shared one): that caps the
        # product of their GLB factors, so their DRAM trips are at least q / cap (for the ifmap's
        # tile only N, C, E, F, G are counted: rows >= E, cols >= F)
        gmax = scratch[S_GH, t]
        together = 0  # the held tiles' words per unit of class t's GLB factor product
        for u in range(3):
            if u == t or gcap[1, u] == 0:
                continue
            if u == 1:
                if t != 0:
                    continue
                per_unit = gcap[1, u] * box[BOX_GL, _C] * scratch[S_GL, 3]
            else:
                per_unit = gcap[1, u] * scratch[S_GL, 3 - t - u] * scratch[S_GL, 3]
            together += per_unit
            if gcap[0, u] < NEVER:
                gmax = min(gmax, gcap[0, u] // per_unit)
        if gcap[0, 3] < NEVER and together > 0:
            gmax = min(gmax, gcap[0, 3] // together)
        if gmax < 1:
            return np.inf  # nothing in the box fits the GLB
        irr_lo = max(scratch[S_MLO, t], -(-scratch[S_Q, t] // gmax))
        irr_hi = scratch[S_MHI, t]
        qrel = totq // scratch[S_Q, t]
        rel_lo = 1
        rel_hi = 1
        for c in range(NCLASS):
            if c != t:
                rel_lo *= scratch[S_GL, c]
                rel_hi *= scratch[S_GH, c]
        # GLB part: part[0, t] when the innermost DRAM loop indexes t, part[1, t] otherwise
        if hold[1, t]:
            if t == 1:
                lo0 = max(x0_lo, tensors[1])
                hi0 = max(x0_hi, tensors[1])
                lo1 = max(x0_lo * irr_lo, tensors[1])
                hi1 = max(x0_hi * box[BOX_MHI, _M], tensors[1])
            else:
                lo0 = tensors[t]
                hi0 = tensors[t]
                lo1 = tensors[t] * irr_lo
                hi1 = tensors[t] * irr_hi
            part[0, t] = _affine_min(lo1, hi1, glb_aff, t)
            part[1, t] = min(part[0, t], _affine_min(lo0, hi0, glb_aff, t))
        else:
            part[0, t] = 0.0
            part[1, t] = 0.0
        # RF part, [2|3, t]: some GLB loop indexes t (visits tot_g x tot_d when the innermost GLB
        # loop does, else at least qrel x the irrelevant DRAM loops); [4|5, t]: none does (the
        # DRAM order decides: tot_d when its innermost loop indexes t, else at least qrel)
        low = _affine_min(qrel * irr_lo, qrel * irr_hi, rf_aff, t)
        mode = (1 if rel_lo == 1 else 0) + (2 if rel_hi > 1 else 0)  # 1: none can; 2: some must; 3: either
        scratch[S_MODE, t] = mode
        part[2, t] = _affine_min(totq, totq, rf_aff, t)
        part[3, t] = min(part[2, t], low)
        part[4, t] = low
        part[5, t] = min(low, _affine_min(qrel, qrel, rf_aff, t))
        if mode == 3:
            any_open = True
    if not any_open:  # separable: the DRAM order decides the "none" types, the GLB order the others
        best_a = np.inf
        for cd in range(NCLASS + 1):  # class of the innermost DRAM loop; NCLASS: no DRAM loop
            if scratch[S_IN_DRAM, cd] == 0:
                continue
            a = 0.0
            for t in range(3):
                inner = cd != t and cd < NCLASS
                a += part[0, t] if inner else part[1, t]
                if scratch[S_MODE, t] == 1:
                    a += part[4, t] if inner else part[5, t]
            best_a = min(best_a, a)
        best_b = np.inf
        for cg in range(NCLASS + 1):  # class of the innermost GLB loop; NCLASS: no GLB loop
            if scratch[S_IN_GLB, cg] == 0:
                continue
            b = 0.0
            for t in range(3):
                if scratch[S_MODE, t] == 2:
                    b += part[2, t] if (cg != t and cg < NCLASS) else part[3, t]
            best_b = min(best_b, b)
        return mac_total + best_a + best_b
    # some datatype may or may not have a GLB loop indexing it: it pays the cheaper of its two
    # cases for each (innermost DRAM loop, innermost GLB loop) pair
    best = np.inf
    for cd in range(NCLASS + 1):
        if scratch[S_IN_DRAM, cd] == 0:
            continue
        for cg in range(NCLASS + 1):
            if scratch[S_IN_GLB, cg] == 0:
                continue
            c = 0.0
            for t in range(3):
                in_d = cd != t and cd < NCLASS
                in_g = cg != t and cg < NCLASS
                c += part[0, t] if in_d else part[1, t]
                none = part[4, t] if in_d else part[5, t]
                some = part[2, t] if in_g else part[3, t]
                if scratch[S_MODE, t] == 1 or (scratch[S_MODE, t] == 3 and cg == NCLASS):
                    c += none
                elif scratch[S_MODE, t] == 2:
                    c += some
                else:
                    c += min(none, some)
            best = min(best, c)
    return mac_total + best
