"""A mapping's energy as a sum of per-datatype parts, each affine in how often a tile moves
(numba). ``counts.rf_boundary_counts`` / ``glb_boundary_counts`` define the counts; this module
only reads their slopes off them, so the search can cost every pair of loop orders of a
factorization with a few multiply-adds instead of recounting.

For datatype t at one boundary (RF or GLB), with v visits of its tile, vdiv of them after the
first loop indexing t wrapped and ls that loop (-1: none):

    part(v, vdiv, ls) = K + k_full * vdiv + k_slide[ls] * (v - vdiv)

where k_slide[ls] is the cost of a visit that only slides the ifmap window along ls (and equals
k_full where no halo applies: other datatypes, non-sliding loops, ls = -1 stored at index 8).
Partial-sum parts also carry the DRAM psum reads (s0 + s1 * v) so a spill can be ruled out
while spills are off.

``coef`` float64[3, COEF_LEN] per boundary; ``spill`` int64[3, 2].
"""

from __future__ import annotations

import numpy as np

from accelsim.mapping._jit import JIT, njit
from accelsim.mapping.counts import (
    _SLIDE,
    SZ_FULL_GLB,
    SZ_LEN,
    SZ_OFMAP,
    SZ_SHIFT_GLB,
    glb_boundary_counts,
    rf_boundary_counts,
    tile_words,
)

CO_K, CO_FULL, CO_SLIDE = 0, 1, 2  # K, k_full, k_slide[0..8] (index 8: no indexing loop)
COEF_LEN = 11


@njit(**JIT)
def _probe(rf_side, t, sz, v, vdiv, ls, hold, multicast, e_read, e_write, counts):
    """Energy of datatype t's part at (v, vdiv, ls), and its DRAM psum reads."""
    counts[:] = 0
    if rf_side:
        rf_boundary_counts(t, sz, v, vdiv, ls, hold, multicast, counts)
    else:
        glb_boundary_counts(t, sz, v, vdiv, ls, hold, counts)
    total = 0.0
    for lvl in range(4):
        total += counts[lvl, t, 0] * e_read[lvl, t] + counts[lvl, t, 1] * e_write[lvl, t]
    return total, counts[0, 2, 0]


@njit(**JIT)
def part_coefficients(rf_side, sz, hold, multicast, e_read, e_write, counts, coef, spill):
    """Fill coef[t] and spill[t] for every datatype at one boundary from the prepared sizes sz.
    Counts are linear in (vdiv, v - vdiv), so probes at (0, 0), (1, 1) and (1, 0) give the
    coefficients exactly."""
    for t in range(3):
        k, s0 = _probe(rf_side, t, sz, 0, 0, -1, hold, multicast, e_read, e_write, counts)
        full, s1 = _probe(rf_side, t, sz, 1, 1, -1, hold, multicast, e_read, e_write, counts)
        coef[t, CO_K] = k
        coef[t, CO_FULL] = full - k
        spill[t, 0] = s0
        spill[t, 1] = s1 - s0
        for ls in range(9):
            coef[t, CO_SLIDE + ls] = full - k
            if t == 1 and ls < 8 and _SLIDE[ls] >= 0:
                slide, _ = _probe(rf_side, t, sz, 1, 0, ls, hold, multicast, e_read, e_write, counts)
                coef[t, CO_SLIDE + ls] = slide - k


@njit(**JIT)
def part_energy(coef, spill, t, v, vdiv, ls, no_spill):
    """Energy of datatype t's part (inf when it spills psums while spills are off)."""
    if no_spill and t == 2 and spill[t, 0] + spill[t, 1] * v > 0:
        return np.inf
    slide = coef[t, CO_SLIDE + (ls if ls >= 0 else 8)]
    return coef[t, CO_K] + coef[t, CO_FULL] * vdiv + slide * (v - vdiv)


@njit(**JIT)
def cheapest_visit(coef, t):
    """The smallest slope of datatype t's part per visit (a full load or any one-step slide)."""
    best = coef[t, CO_FULL]
    for ls in range(9):
        best = min(best, coef[t, CO_SLIDE + ls])
    return best


@njit(**JIT)
def glb_unit_coefficients(bounds, sd, hold, multicast, e_read, e_write, coef, spill):
    """The GLB-boundary coefficients of one-word tiles: each datatype's cost per word moved between
    DRAM and the GLB (and the psum spill counts per word)."""
    sz = np.zeros(SZ_LEN, np.int64)
    for t in range(3):
        sz[SZ_FULL_GLB + t] = 1
    for d in range(8):
        sz[SZ_SHIFT_GLB + d] = 1
    sz[SZ_OFMAP] = tile_words(2, bounds, sd)
    part_coefficients(False, sz, hold, multicast, e_read, e_write, np.zeros((4, 3, 2), np.int64), coef, spill)


@njit(**JIT)
def scale_glb_coefficients(unit_coef, unit_spill, sz_tiles, coef, spill):
    """GLB-boundary coefficients for the prepared GLB tile sizes, from those of one-word tiles:
    the part's counts are the words moved (visits x tile), so every slope scales with its tile.
    sz_tiles: the SZ_* vector (full GLB tiles per datatype, one-step ifmap slides per dim)."""
    for t in range(3):
        full = sz_tiles[SZ_FULL_GLB + t]
        coef[t, CO_K] = unit_coef[t, CO_K]
        coef[t, CO_FULL] = unit_coef[t, CO_FULL] * full
        spill[t, 0] = unit_spill[t, 0]
        spill[t, 1] = unit_spill[t, 1] * full
        for ls in range(9):
            words = full
            if t == 1 and ls < 8 and _SLIDE[ls] >= 0:
                words = sz_tiles[SZ_SHIFT_GLB + ls]
            coef[t, CO_SLIDE + ls] = unit_coef[t, CO_FULL] * words
