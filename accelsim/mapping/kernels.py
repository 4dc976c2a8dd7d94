"""The numba search: exhaustive over the constrained mapspace, exact pruning only.

Enumeration (the canonical order that breaks ties): dimensions in ``dim_order``, each over its
split list in order; at a complete factorization, DRAM-order representatives, then GLB-order
representatives. The first mapping with the lowest (primary, secondary) objective wins:
energy -> (energy, cycles); cycles -> (cycles, energy); edp -> (edp, energy).

Pruning (never cuts off a legal mapping): a partial factorization is abandoned as soon as its
spatial products exceed the array or its RF / GLB tiles (unassigned dimensions counted as 1, and
tiles only grow) exceed a capacity. The top-level dimension's splits run in parallel (prange);
each writes its own result slot, reduced afterwards in slot order, so results do not depend on
the thread count.
"""

from __future__ import annotations

import numpy as np

from accelsim.mapping._jit import JIT, JIT_PARALLEL, njit, prange
from accelsim.mapping.counts import count_accesses, tile_words

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
    for d in range(8):
        ext[d] = f[0, d] * f[1, d] * f[2, d] * f[3, d]
    total = 0
    for t in range(3):
        if hold[1, t]:
            w = tile_words(t, ext, sd)
            if glb_cap[t] >= 0 and w > glb_cap[t]:
                return False
            total += w
    if glb_shared >= 0 and total > glb_shared:
        return False
    return True


@njit(**JIT)
def objective_of(counts, macs, steps, e_read, e_write, mac_energy, bw, objective):
    energy = energy_of(counts, macs, e_read, e_write, mac_energy)
    cycles = cycles_of(counts, steps, bw)
    if objective == 0:
        return energy, cycles
    if objective == 1:
        return cycles, energy
    return energy * cycles, energy


@njit(**JIT_PARALLEL)
def search(bounds, sd, splits, split_off, dim_order, hold, multicast, rf_cap, rf_shared, glb_cap,
           glb_shared, pe_rows, pe_cols, e_read, e_write, mac_energy, bw, perms, perm_off, objective,
           best_cost, best_pick, evaluated):
    """Fill, per top-level split k: best_cost[k, 2], best_pick[k, 10] (split row per dim in DIMS
    order, then DRAM and GLB representative rows), evaluated[k]. best_cost = inf: nothing legal."""
    d0 = dim_order[0]
    k_top = split_off[d0 + 1] - split_off[d0]
    for k in prange(k_top):
        f = np.ones((5, 8), np.int64)
        orders = np.zeros((2, 8), np.int64)
        counts = np.zeros((4, 3, 2), np.int64)
        ext = np.empty(8, np.int64)
        pos = np.zeros(8, np.int64)
        best0 = np.inf
        best1 = np.inf
        n_eval = 0
        row0 = split_off[d0] + k
        for lvl in range(5):
            f[lvl, d0] = splits[row0, lvl]
        pos[0] = row0
        if _fits(f, bounds, sd, hold, rf_cap, rf_shared, glb_cap, glb_shared, pe_rows, pe_cols, ext):
            depth = 1
            pos[1] = split_off[dim_order[1]] - 1
            while depth >= 1:
                d = dim_order[depth]
                pos[depth] += 1
                if pos[depth] >= split_off[d + 1]:
                    for lvl in range(5):
                        f[lvl, d] = 1
                    depth -= 1
                    continue
                for lvl in range(5):
                    f[lvl, d] = splits[pos[depth], lvl]
                if not _fits(f, bounds, sd, hold, rf_cap, rf_shared, glb_cap, glb_shared, pe_rows, pe_cols, ext):
                    continue
                if depth < 7:
                    depth += 1
                    pos[depth] = split_off[dim_order[depth]] - 1
                    continue
                mask_g = 0
                mask_d = 0
                for dd in range(8):
                    if f[3, dd] > 1:
                        mask_g |= 1 << dd
                    if f[4, dd] > 1:
                        mask_d |= 1 << dd
                for a in range(perm_off[mask_d], perm_off[mask_d + 1]):
                    for j in range(8):
                        orders[1, j] = perms[a, j]
                    for b in range(perm_off[mask_g], perm_off[mask_g + 1]):
                        for j in range(8):
                            orders[0, j] = perms[b, j]
                        macs, steps, pes = count_accesses(bounds, sd, f, orders, hold, multicast, counts)
                        c0, c1 = objective_of(counts, macs, steps, e_read, e_write, mac_energy, bw, objective)
                        n_eval += 1
                        if c0 < best0 or (c0 == best0 and c1 < best1):
                            best0 = c0
                            best1 = c1
                            for j in range(8):
                                best_pick[k, dim_order[j]] = pos[j]
                            best_pick[k, 8] = a
                            best_pick[k, 9] = b
        best_cost[k, 0] = best0
        best_cost[k, 1] = best1
        evaluated[k] = n_eval
