"""The numba search: exhaustive over the constrained mapspace, exact pruning only.

Enumeration (the canonical order that breaks ties): dimensions in ``dim_order``, each over its
split list in order; at a complete factorization, DRAM-order representatives, then GLB-order
representatives. The first mapping with the lowest (primary, secondary) objective wins:
energy -> (energy, cycles); cycles -> (cycles, energy); edp -> (edp, energy).

Pruning (never cuts off a legal mapping): a partial factorization is abandoned as soon as its
spatial products exceed the array or its RF / GLB tiles (unassigned dimensions counted as 1, and
tiles only grow) exceed a capacity, and a complete set of RF and spatial factors is skipped when a
lower bound on its cost exceeds the best found so far in the same slot, and a complete
factorization is skipped when a bound over all its loop orders (``order_free_bound``) does. The
top-level dimension's splits (slots) run in parallel (prange) in fixed waves: every slot of a wave
starts from the best cost of the waves before it (``seed``), prunes only against that and its own
results, and writes its own result; results are reduced in slot order. Waves are fixed (not
thread-dependent), so results and the number of mappings evaluated do not depend on the thread
count or timing. A seed never hides the optimum: pruning is strict (cost > bound), and a slot
whose mappings are all worse than the seed cannot hold the first minimum.
"""

from __future__ import annotations

import numpy as np

from accelsim.mapping._jit import JIT, JIT_PARALLEL, njit, prange
from accelsim.mapping.counts import (
    _REL,
    FEAT_LEN,
    FT_LSTAR,
    FT_TOTAL,
    FT_V,
    FT_VDIV,
    SZ_FULL_GLB,
    SZ_FULL_PE,
    SZ_FULL_UNION,
    SZ_LEN,
    SZ_MACS,
    SZ_SHIFT_GLB,
    SZ_SHIFT_PE,
    SZ_SHIFT_UNION,
    SZ_STEPS,
    apply_features,
    glb_boundary_counts,
    level_features,
    prepare_inner,
    prepare_outer,
    rf_boundary_counts,
    same_features,
    shift_union_words,
    shift_words,
    tile_words,
    union_words,
)

OBJ_ENERGY, OBJ_CYCLES, OBJ_EDP = 0, 1, 2


@njit(**JIT)
def energy_of(counts, macs, e_read, e_write, mac_energy):
    total = macs * mac_energy
    for lvl in range(4):
        for t in range(3):
            total += counts[lvl, t, 0] * e_read[lvl, t] + counts[lvl, t, 1] * e_write[lvl, t]
    return total


@njit(**JIT)
def cycles_of(counts, steps, bw):
    """Cycles: the larger of the compute steps and each level's traffic over its bandwidth."""
    cyc = float(steps)
    for lvl in range(3):
        if bw[lvl] > 0:
            words = 0
            for t in range(3):
                words += counts[lvl, t, 0] + counts[lvl, t, 1]
            c = words / bw[lvl]
            if c > cyc:
                cyc = c
    return cyc


@njit(**JIT)
def _fits(f, bounds, sd, hold, rf_cap, rf_shared, glb_cap, glb_shared, pe_rows, pe_cols, ext):
    rows = 1
    cols = 1
    for d in range(8):
        rows *= f[1, d]
        cols *= f[2, d]
    if rows > pe_rows or cols > pe_cols:
        return False
    for d in range(8):
        ext[d] = f[0, d]
    total = 0
    for t in range(3):
        if hold[0, t]:
            w = tile_words(t, ext, sd)
            if rf_cap[t] >= 0 and w > rf_cap[t]:
                return False
            total += w
    if rf_shared >= 0 and total > rf_shared:
        return False
    return _glb_fits(f, sd, hold, glb_cap, glb_shared, ext)


@njit(**JIT)
def _glb_fits(f, sd, hold, glb_cap, glb_shared, ext):
    """The GLB tiles (RF x spatial x GLB factors) fit the global buffer."""
    for d in range(8):
        ext[d] = f[0, d] * f[1, d] * f[2, d] * f[3, d]
    total = 0
    for t in range(3):
        if hold[1, t]:
            w = tile_words(t, ext, sd)
            if glb_cap[t] >= 0 and w > glb_cap[t]:
                return False
            total += w
    return glb_shared < 0 or total <= glb_shared


@njit(**JIT)
def objective_of(counts, macs, steps, e_read, e_write, mac_energy, bw, objective):
    energy = energy_of(counts, macs, e_read, e_write, mac_energy)
    cycles = cycles_of(counts, steps, bw)
    if objective == 0:
        return energy, cycles
    if objective == 1:
        return cycles, energy
    return energy * cycles, energy


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
        steps *= bounds[d] // ext[1, d]
        pes *= ext[1, d]
        vmax *= bounds[d] // ext[2, d]
    macs = steps * pes
    energy = macs * mac_energy
    dram_words = 0.0
    ones = np.ones(8, np.int64)
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
            if hold[1, t]:
                energy += updates * e_write[1, t] + ofmap * e_write[0, t]
            else:
                energy += updates * e_write[0, t] + max(0, updates - ofmap) * e_read[0, t]
            dram_words += ofmap
    cycles = float(steps)
    if bw[0] > 0 and dram_words / bw[0] > cycles:
        cycles = dram_words / bw[0]
    if objective == 0:
        return energy
    if objective == 1:
        return cycles
    return energy * cycles


@njit(**JIT)
def _part_energy(counts, e_read, e_write, no_spill):
    """Energy of a partial count array; inf if psums are read back from DRAM while spills are off."""
    if no_spill and counts[0, 2, 0] > 0:
        return np.inf
    total = 0.0
    for lvl in range(4):
        for t in range(3):
            total += counts[lvl, t, 0] * e_read[lvl, t] + counts[lvl, t, 1] * e_write[lvl, t]
    return total


@njit(**JIT)
def _ifmap_floor_sizes(sz, szlb):
    """szlb = sz with the ifmap tile sizes replaced by the smallest load any visit can cost (a full
    tile or a one-step slide), so counts computed from szlb without halos are a lower bound."""
    szlb[:] = sz
    pe = sz[SZ_FULL_PE + 1]
    un = sz[SZ_FULL_UNION + 1]
    gl = sz[SZ_FULL_GLB + 1]
    for d in (3, 4, 5, 6):
        pe = min(pe, sz[SZ_SHIFT_PE + d])
        un = min(un, sz[SZ_SHIFT_UNION + d])
        gl = min(gl, sz[SZ_SHIFT_GLB + d])
    szlb[SZ_FULL_PE + 1] = pe
    szlb[SZ_FULL_UNION + 1] = un
    szlb[SZ_FULL_GLB + 1] = gl


@njit(**JIT)
def _part_at(t, rf_side, szlb, v, hold, multicast, e_read, e_write, no_spill, counts):
    """Energy of datatype t's RF- or GLB-boundary counts at v visits (no halo); inf if it spills
    psums to DRAM while spills are off."""
    for lvl in range(4):
        counts[lvl, t, 0] = 0
        counts[lvl, t, 1] = 0
    if rf_side:
        rf_boundary_counts(t, szlb, v, v, -1, hold, multicast, counts)
    else:
        glb_boundary_counts(t, szlb, v, v, -1, hold, counts)
    if no_spill and t == 2 and counts[0, 2, 0] > 0:
        return np.inf
    total = 0.0
    for lvl in range(4):
        total += counts[lvl, t, 0] * e_read[lvl, t] + counts[lvl, t, 1] * e_write[lvl, t]
    return total


@njit(**JIT)
def order_free_bound(f, sz, szlb, hold, multicast, e_read, e_write, mac_energy, no_spill, counts, lo, hi):
    """A lower bound on the energy of every loop order of a complete factorization (sizes sz
    prepared). Visits of a datatype's tile are at least the product of the level's loops that
    index it, and exactly the level's whole trip count for the datatypes the innermost non-trivial
    loop indexes; the DRAM order (innermost loop d*) and the GLB order (innermost loop d') are
    independent, so the bound is const + min over d* + min over d'. Each part is linear in the
    visits, so its minimum over an interval is at an end. lo, hi: scratch float64[2, 3]."""
    tot_g = 1
    tot_d = 1
    for d in range(8):
        tot_g *= f[3, d]
        tot_d *= f[4, d]
    _ifmap_floor_sizes(sz, szlb)
    dist_g = np.ones(3, np.int64)
    for t in range(3):
        dist_d = 1
        for d in range(8):
            if _REL[t, d]:
                dist_g[t] *= f[3, d]
                dist_d *= f[4, d]
        top = _part_at(t, False, szlb, tot_d, hold, multicast, e_read, e_write, no_spill, counts)
        hi[0, t] = top
        lo[0, t] = min(top, _part_at(t, False, szlb, dist_d, hold, multicast, e_read, e_write, no_spill, counts))
        if dist_g[t] > 1:
            top = _part_at(t, True, szlb, tot_g * tot_d, hold, multicast, e_read, e_write, no_spill, counts)
            low = _part_at(t, True, szlb, dist_g[t] * tot_d, hold, multicast, e_read, e_write, no_spill, counts)
        else:
            top = _part_at(t, True, szlb, tot_d, hold, multicast, e_read, e_write, no_spill, counts)
            low = _part_at(t, True, szlb, dist_d, hold, multicast, e_read, e_write, no_spill, counts)
        hi[1, t] = top
        lo[1, t] = min(top, low)
    best_a = np.inf
    best_b = np.inf
    for d in range(9):  # d = 8: the level has no loop > 1
        if (d < 8 and f[4, d] == 1) or (d == 8 and tot_d > 1):
            continue
        a = 0.0
        for t in range(3):
            inner = d < 8 and _REL[t, d]
            a += hi[0, t] if inner else lo[0, t]
            if dist_g[t] == 1:
                a += hi[1, t] if inner else lo[1, t]
        best_a = min(best_a, a)
    for d in range(9):
        if (d < 8 and f[3, d] == 1) or (d == 8 and tot_g > 1):
            continue
        b = 0.0
        for t in range(3):
            if dist_g[t] > 1:
                b += hi[1, t] if (d < 8 and _REL[t, d]) else lo[1, t]
        best_b = min(best_b, b)
    return sz[SZ_MACS] * mac_energy + best_a + best_b


@njit(**JIT)
def _subset(gf):
    """Datatypes (bit mask) no GLB loop indexes: their RF visits depend on the DRAM order."""
    mask = 0
    for t in range(3):
        if gf[FT_LSTAR + t] == -1:
            mask |= 1 << t
    return mask


@njit(**JIT)
def _energy_candidates(sz, feat_d, n_d, feat_g, n_g, hold, multicast, e_read, e_write, mac_energy, best0,
                       counts, q, pd, pg, ms, gval, no_spill):
    """Energy of every (DRAM rep i, GLB rep j) pair is const + Q[i] + sum over datatypes of the RF-
    boundary part, taken from j, or from i for the datatypes no GLB loop indexes. Fills q, pd, pg,
    ms (per-subset minima over i) and gval[j] = const + the parts taken from GLB rep j. Returns
    the threshold a pair's approximate energy must not exceed to be costed exactly (rounding
    slack included), or -1 when no pair can beat best0."""
    for i in range(n_d):
        counts[:] = 0
        for t in range(3):
            glb_boundary_counts(t, sz, feat_d[i, FT_V + t], feat_d[i, FT_VDIV + t], feat_d[i, FT_LSTAR + t], hold,
                                counts)
        q[i] = _part_energy(counts, e_read, e_write, no_spill)
        for t in range(3):
            counts[:] = 0
            rf_boundary_counts(t, sz, feat_d[i, FT_V + t], feat_d[i, FT_VDIV + t], feat_d[i, FT_LSTAR + t], hold,
                               multicast, counts)
            pd[i, t] = _part_energy(counts, e_read, e_write, no_spill)
    for smask in range(8):
        m = np.inf
        for i in range(n_d):
            val = q[i]
            for t in range(3):
                if smask >> t & 1:
                    val += pd[i, t]
            if val < m:
                m = val
        ms[smask] = m
    const = sz[SZ_MACS] * mac_energy
    dtot = feat_d[0, FT_TOTAL]
    gmin = np.inf
    for j in range(n_g):
        val = const
        for t in range(3):
            if feat_g[j, FT_LSTAR + t] != -1:
                counts[:] = 0
                rf_boundary_counts(t, sz, feat_g[j, FT_V + t] * dtot, feat_g[j, FT_VDIV + t] * dtot,
                                   feat_g[j, FT_LSTAR + t], hold, multicast, counts)
                pg[j, t] = _part_energy(counts, e_read, e_write, no_spill)
                val += pg[j, t]
        gval[j] = val
        if val + ms[_subset(feat_g[j])] < gmin:
            gmin = val + ms[_subset(feat_g[j])]
    bound = min(best0, gmin)
    if bound == np.inf:
        return -1.0
    thr = bound + 1e-9 * abs(bound) + 1e-12
    if gmin > thr:
        return -1.0
    return thr


@njit(**JIT)
def _distinct_orders(f, level, perms, perm_off, feat, rep, tmp):
    """Loop-order representatives of one level with pairwise different features (the first of
    each equal-cost class, in table order): fills feat[n, :], rep[n]; returns n."""
    mask = 0
    for d in range(8):
        if f[level, d] > 1:
            mask |= 1 << d
    n = 0
    for a in range(perm_off[mask], perm_off[mask + 1]):
        level_features(f, level, perms[a], tmp)
        dup = False
        for i in range(n):
            if same_features(feat[i], tmp):
                dup = True
                break
        if not dup:
            feat[n, :] = tmp
            rep[n] = a
            n += 1
    return n


@njit(**JIT)
def _inner_fits(f, sd, hold, rf_cap, rf_shared, glb_cap, glb_shared, pe_rows, pe_cols, ext):
    return _fits(f, None, sd, hold, rf_cap, rf_shared, glb_cap, glb_shared, pe_rows, pe_cols, ext)


@njit(**JIT_PARALLEL)
def search(bounds, sd, inner, inner_off, divs, div_off, dim_order, hold, multicast, rf_cap, rf_shared, glb_cap,
           glb_shared, pe_rows, pe_cols, e_read, e_write, mac_energy, bw, perms, perm_off, max_reps, objective,
           no_spill, slot_budget, k_first, k_count, seed, best_cost, best_pick, evaluated, complete):
    """Branch and bound over the mapspace, in two phases per dimension order ``dim_order``:
    phase 1 picks every dimension's (rf, rows, cols) split from ``inner`` (rows of 3, per-dim
    offsets ``inner_off``); a lower bound then prunes the whole subtree if it exceeds the best
    cost found so far in this slot; phase 2 picks every dimension's GLB factor among the
    divisors ``divs`` of what is left (DRAM takes the rest), and every loop-order representative.

    Per top-level inner split k: best_cost[k, 2] (primary, secondary objective; inf = nothing
    legal) and best_pick[k, 18] = inner row per dim (DIMS order) [0:8], DRAM and GLB order
    representative rows [8], [9], GLB factor per dim [10:18]. evaluated[k] counts fully costed
    mappings. Ties go to the first mapping in enumeration order."""
    d0 = dim_order[0]
    for kk in prange(k_count):
        k = k_first + kk
        f = np.ones((5, 8), np.int64)
        counts = np.zeros((4, 3, 2), np.int64)
        ext = np.empty((4, 8), np.int64)
        ext1 = np.empty(8, np.int64)
        sz = np.zeros(SZ_LEN, np.int64)
        szlb = np.zeros(SZ_LEN, np.int64)
        lo = np.zeros((2, 3))
        hi = np.zeros((2, 3))
        feat_d = np.zeros((max_reps, FEAT_LEN), np.int64)
        feat_g = np.zeros((max_reps, FEAT_LEN), np.int64)
        rep_d = np.zeros(max_reps, np.int64)
        rep_g = np.zeros(max_reps, np.int64)
        tmp = np.zeros(FEAT_LEN, np.int64)
        q = np.zeros(max_reps)
        pd = np.zeros((max_reps, 3))
        pg = np.zeros((max_reps, 3))
        ms = np.zeros(8)
        gval = np.zeros(max_reps)
        pos = np.zeros(8, np.int64)
        gpos = np.zeros(8, np.int64)
        rem = np.ones(8, np.int64)
        best0 = seed
        best1 = np.inf
        n_eval = 0
        pos[0] = inner_off[d0] + k
        for lvl in range(3):
            f[lvl, d0] = inner[pos[0], lvl]
        if not _inner_fits(f, sd, hold, rf_cap, rf_shared, glb_cap, glb_shared, pe_rows, pe_cols, ext1):
            best_cost[k, 0] = best0
            best_cost[k, 1] = best1
            evaluated[k] = 0
            complete[k] = True
            continue
        depth = 1
        pos[1] = inner_off[dim_order[1]] - 1
        complete[k] = True
        while depth >= 1:
            if slot_budget > 0 and n_eval >= slot_budget:
                complete[k] = False  # budget spent: this slot's result is the best found so far
                break
            d = dim_order[depth]
            pos[depth] += 1
            if pos[depth] >= inner_off[d + 1]:
                for lvl in range(3):
                    f[lvl, d] = 1
                depth -= 1
                continue
            for lvl in range(3):
                f[lvl, d] = inner[pos[depth], lvl]
            if not _inner_fits(f, sd, hold, rf_cap, rf_shared, glb_cap, glb_shared, pe_rows, pe_cols, ext1):
                continue
            if depth < 7:
                depth += 1
                pos[depth] = inner_off[dim_order[depth]] - 1
                continue
            # ---- a complete inner configuration: bound, then phase 2 ------------------------
            lb = lower_bound(bounds, sd, f, hold, multicast, e_read, e_write, mac_energy, bw, objective, ext)
            if lb > best0:
                continue
            prepare_inner(sd, f, sz, ext)
            for dd in range(8):
                rem[dd] = bounds[dd] // (f[0, dd] * f[1, dd] * f[2, dd])
                f[3, dd] = 1
                f[4, dd] = rem[dd]
            g = 0
            gpos[0] = div_off[dim_order[0]] - 1
            while g >= 0:
                if slot_budget > 0 and n_eval >= slot_budget:
                    break
                dg = dim_order[g]
                gpos[g] += 1
                while gpos[g] < div_off[dg + 1] and rem[dg] % divs[gpos[g]] != 0:
                    gpos[g] += 1
                if gpos[g] >= div_off[dg + 1]:
                    f[3, dg] = 1
                    f[4, dg] = rem[dg]
                    g -= 1
                    continue
                f[3, dg] = divs[gpos[g]]
                f[4, dg] = rem[dg] // divs[gpos[g]]
                if not _glb_fits(f, sd, hold, glb_cap, glb_shared, ext1):
                    # GLB tiles only grow with larger factors of this dim: skip the rest of its divisors
                    gpos[g] = div_off[dg + 1]
                    f[3, dg] = 1
                    f[4, dg] = rem[dg]
                    g -= 1
                    continue
                if g < 7:
                    g += 1
                    gpos[g] = div_off[dim_order[g]] - 1
                    continue
                prepare_outer(bounds, sd, f, sz, ext)
                if objective != 1:
                    lb = order_free_bound(f, sz, szlb, hold, multicast, e_read, e_write, mac_energy, no_spill, counts,
                                          lo, hi)
                    if objective == 2:
                        lb *= sz[SZ_STEPS]
                    if lb > best0 + 1e-9 * abs(best0):
                        continue
                n_d = _distinct_orders(f, 4, perms, perm_off, feat_d, rep_d, tmp)
                n_g = _distinct_orders(f, 3, perms, perm_off, feat_g, rep_g, tmp)
                n_eval += n_d * n_g
                if objective == 0:
                    # cost is additive over the two boundaries: rank the n_d x n_g order pairs from
                    # per-level parts, then cost the few candidates exactly, in enumeration order
                    thr = _energy_candidates(sz, feat_d, n_d, feat_g, n_g, hold, multicast, e_read, e_write,
                                             mac_energy, best0, counts, q, pd, pg, ms, gval, no_spill)
                    if thr < 0:
                        continue
                for i in range(n_d):
                    for j in range(n_g):
                        if objective == 0:
                            smask = _subset(feat_g[j])
                            if gval[j] + ms[smask] > thr:
                                continue
                            approx = gval[j] + q[i]
                            for t in range(3):
                                if smask >> t & 1:
                                    approx += pd[i, t]
                            if approx > thr:
                                continue
                        apply_features(sz, feat_g[j], feat_d[i], hold, multicast, counts)
                        if no_spill and counts[0, 2, 0] > 0:
                            continue
                        if objective == 0:
                            c0 = energy_of(counts, sz[SZ_MACS], e_read, e_write, mac_energy)
                            if c0 > best0:
                                continue
                            c1 = cycles_of(counts, sz[SZ_STEPS], bw)
                        else:
                            c0, c1 = objective_of(counts, sz[SZ_MACS], sz[SZ_STEPS], e_read, e_write, mac_energy,
                                                  bw, objective)
                        if c0 < best0 or (c0 == best0 and c1 < best1):
                            best0 = c0
                            best1 = c1
                            for jj in range(8):
                                best_pick[k, dim_order[jj]] = pos[jj]
                                best_pick[k, 10 + dim_order[jj]] = f[3, dim_order[jj]]
                            best_pick[k, 8] = rep_d[i]
                            best_pick[k, 9] = rep_g[j]
        best_cost[k, 0] = best0
        best_cost[k, 1] = best1
        evaluated[k] = n_eval
