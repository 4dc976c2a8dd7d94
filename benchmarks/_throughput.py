"""The benchmark's costing loop: every (GLB order, DRAM order) pair of each factorization, costed
exactly as the search costs a candidate. Single-threaded on purpose (a per-core figure)."""

import numpy as np
from numba import njit

from accelsim.mapping.counts import FEAT_LEN, SZ_LEN, SZ_MACS, SZ_STEPS, apply_features, level_features, prepare
from accelsim.mapping.kernels import cycles_of, energy_of


@njit(cache=True)
def cost_all_orders(bounds, sd, fs, perms, perm_off, hold, multicast, e_read, e_write, mac_energy, bw):
    """Number of mappings costed (the energies are summed so nothing is optimised away)."""
    sz = np.zeros(SZ_LEN, np.int64)
    ext = np.empty((4, 8), np.int64)
    gf = np.zeros(FEAT_LEN, np.int64)
    df = np.zeros((perms.shape[0], FEAT_LEN), np.int64)
    counts = np.zeros((4, 3, 2), np.int64)
    done = 0
    sink = 0.0
    for k in range(fs.shape[0]):
        f = fs[k]
        prepare(bounds, sd, f, sz, ext)
        gmask = 0
        dmask = 0
        for d in range(8):
            if f[3, d] > 1:
                gmask |= 1 << d
            if f[4, d] > 1:
                dmask |= 1 << d
        nb = perm_off[dmask + 1] - perm_off[dmask]
        for b in range(nb):  # each level's order features once, as the search does
            level_features(f, 4, perms[perm_off[dmask] + b], df[b])
        for a in range(perm_off[gmask], perm_off[gmask + 1]):
            level_features(f, 3, perms[a], gf)
            for b in range(nb):
                apply_features(sz, gf, df[b], hold, multicast, counts)
                sink += energy_of(counts, sz[SZ_MACS], e_read, e_write, mac_energy)
                sink += cycles_of(counts, sz[SZ_STEPS], bw, f)
                done += 1
    return done if sink >= 0 else -done
