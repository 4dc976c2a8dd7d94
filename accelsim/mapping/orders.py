"""Loop orders at a complete factorization (numba): the distinct representatives of each level's
orders and the energy of every (GLB order, DRAM order) pair from per-datatype parts.

A level's loop order matters only through its features (``counts.level_features``);
``mapspace.order_table`` lists one representative per class of orders, and ``distinct_orders``
keeps those whose features differ for the level's factors, in table order.
"""

from __future__ import annotations

from accelsim.mapping._jit import JIT, njit
from accelsim.mapping.counts import FT_FSTAR, FT_LSTAR, FT_RUN, FT_TOTAL, FT_V, FT_VDIV
from accelsim.mapping.parts import part_energy


@njit(**JIT)
def distinct_orders(f, level, perm_off, rep_group, rep_prefix, rep_lstar, feat, rep):
    """Loop-order representatives of one level with pairwise different features (the first of
    each equal-cost class, in table order): fills feat[n, :] (as ``level_features`` would) and
    rep[n]; returns n. The features of a representative follow from its structure
    (``mapspace.order_structure``): one run product and the first indexing loops."""
    mask = 0
    total = 1
    for d in range(8):
        if f[level, d] > 1:
            mask |= 1 << d
            total *= f[level, d]
    n = 0
    for a in range(perm_off[mask], perm_off[mask + 1]):
        g = rep_group[a]
        run = 1
        for j in range(3):
            d = rep_prefix[a, j]
            if d < 0:
                break
            run *= f[level, d]
        r0 = run if g == 0 else 1
        r1 = run if g == 1 else 1
        r2 = run if g == 2 else 1
        ls1 = rep_lstar[a, 1]
        dup = False
        for i in range(n):  # the features same_features compares (the total is the level's)
            if feat[i, FT_RUN] == r0 and feat[i, FT_RUN + 1] == r1 and feat[i, FT_RUN + 2] == r2 \
                    and feat[i, FT_LSTAR + 1] == ls1:
                dup = True
                break
        if dup:
            continue
        feat[n, FT_TOTAL] = total
        feat[n, FT_RUN] = r0
        feat[n, FT_RUN + 1] = r1
        feat[n, FT_RUN + 2] = r2
        for t in range(3):
            ls = rep_lstar[a, t]
            fstar = f[level, ls] if ls >= 0 else 1
            feat[n, FT_LSTAR + t] = ls
            feat[n, FT_FSTAR + t] = fstar
            feat[n, FT_V + t] = total // feat[n, FT_RUN + t]
            feat[n, FT_VDIV + t] = feat[n, FT_V + t] // fstar
        rep[n] = a
        n += 1
    return n


@njit(**JIT)
def _subset(feat, j):
    """Datatypes (bit mask) no loop of GLB representative j indexes: their RF visits depend on the
    DRAM order."""
    mask = 0
    for t in range(3):
        if feat[j, FT_LSTAR + t] == -1:
            mask |= 1 << t
    return mask


@njit(**JIT)
def pair_parts(coef_rf, spill_rf, coef_glb, spill_glb, feat_d, n_d, feat_g, n_g, mac_total, no_spill, q, pd, gval,
                gmask):
    """Per loop-order representative, the parts of the energy it decides: for DRAM rep i, q[i] (the
    GLB boundary of every datatype) and pd[i, t] (t's RF boundary when no GLB loop indexes t); for
    GLB rep j, gval[j] = MACs + the RF boundaries it decides, gmask[j] = the datatypes left to
    the DRAM order. The energy of the pair (i, j) is gval[j] + q[i] + sum of pd[i, t] over gmask[j]."""
    for i in range(n_d):
        val = 0.0
        for t in range(3):
            v = feat_d[i, FT_V + t]
            vdiv = feat_d[i, FT_VDIV + t]
            ls = feat_d[i, FT_LSTAR + t]
            val += part_energy(coef_glb, spill_glb, t, v, vdiv, ls, no_spill)
            pd[i, t] = part_energy(coef_rf, spill_rf, t, v, vdiv, ls, no_spill)
        q[i] = val
    dtot = feat_d[0, FT_TOTAL]
    for j in range(n_g):
        val = mac_total
        for t in range(3):
            ls = feat_g[j, FT_LSTAR + t]
            if ls != -1:
                val += part_energy(coef_rf, spill_rf, t, feat_g[j, FT_V + t] * dtot, feat_g[j, FT_VDIV + t] * dtot, ls,
                                   no_spill)
        gval[j] = val
        gmask[j] = _subset(feat_g, j)
