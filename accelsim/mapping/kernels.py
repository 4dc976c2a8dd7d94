"""The numba search: exhaustive over the constrained mapspace, exact pruning only.

Enumeration (the canonical order that breaks ties): dimensions in ``dim_order``, each over its
split list in order; at a complete factorization, DRAM-order representatives, then GLB-order
representatives. The first mapping with the lowest (primary, secondary) objective wins:
energy -> (energy, cycles); cycles -> (cycles, energy); edp -> (edp, energy).

Mapspace (``mapspace.build_splits``): per dimension an RF divisor of the bound, spatial factors
(rows, cols) that either divide what the RF leaves or strip-mine it (N M E F G only; the
non-dominated (rows, cols) per tile count ceil(q / (rows x cols)), see ``mapspace.splits_for_dim``),
and a GLB divisor of the array tiles left (DRAM takes the rest). The search is exhaustive and
optimal under the model over exactly that set. A configuration with a partial array tile is
bounded by ``bounds.lower_bound_partial`` and the box bound (no capacity coupling), and each of its
loop-order pairs is counted exactly (``counts.apply_general``).

Equivalent arrangements: the model counts a dimension's spatial factor rows x cols, not the axis
it lies on, so configurations that differ only in that arrangement cost the same mapping for
mapping; each set is searched once, as its first member in enumeration order that fits the array
(the one a tie goes to: ``earlier_arrangement``), so the optimum and the mapping reported are
those of the whole mapspace.

Pruning (never cuts off a legal mapping; ``bounds`` has the bounds and why they hold): a partial
factorization is abandoned as soon as its spatial products exceed the array or its RF / GLB tiles
(unassigned dimensions counted as 1, and tiles only grow) exceed a capacity; a complete set of
RF and spatial factors is skipped when ``lower_bound`` or the box bound over all its GLB factors
exceeds the best cost found so far in the same slot; and each GLB factor assigned narrows the box,
whose bound then prunes the rest of that subtree. At a complete factorization every pair of
loop-order representatives is costed from per-datatype affine parts (``parts``; a few
multiply-adds a pair) and the pairs that can beat the best are recounted exactly.

The top-level dimension's splits (slots) are searched one by one (``search_slot``) in a fixed
order (``mapper.slot_order``: largest factors first), one after another or in parallel on threads
in fixed waves (``mapper.run_slots``): a slot starts from the best cost found before it
(``seed``), prunes only against that and its own results, and writes its own result; results
are reduced in slot index order. The order and the waves do not depend on the thread count or
timing, so neither do the results and the number of mappings evaluated. A seed never hides the
optimum: every bound test is strict with a relative slack of 1e-9 (cost > bound + slack; far above
a bound's rounding), so an exact tie is never cut, and a slot whose mappings are all worse than
the seed cannot hold the first minimum.
"""

from __future__ import annotations

import numpy as np

from accelsim.mapping._jit import JIT, njit
from accelsim.mapping.bounds import (
    BOX_A,
    BOX_LEN,
    BOX_Q,
    SCRATCH_LEN,
    affine_bound,
    box_bound,
    glb_factor_caps,
    lower_bound,
    lower_bound_partial,
    rf_affine_partial,
    set_box,
)
from accelsim.mapping.counts import (
    FEAT_LEN,
    GZ_LEN,
    GZ_MACS,
    GZ_STEPS,
    SZ_LEN,
    SZ_MACS,
    SZ_STEPS,
    apply_features,
    apply_general,
    compulsory_words,
    is_partial,
    prepare_general_inner,
    prepare_general_outer,
    prepare_inner,
    prepare_outer,
    tile_words,
)
from accelsim.mapping.mapspace import LIM_COLS, LIM_GLB, LIM_GLB_SHARED, LIM_LEN, LIM_RF, LIM_RF_SHARED, LIM_ROWS
from accelsim.mapping.orders import distinct_orders, pair_parts
from accelsim.mapping.parts import (
    COEF_LEN,
    glb_unit_coefficients,
    part_coefficients,
    scale_glb_coefficients,
)

OBJ_ENERGY, OBJ_CYCLES, OBJ_EDP = 0, 1, 2

# The mapper's constraints, packed after the capacities in the ``limits`` array ``search`` takes:
# the fewest active PEs a mapping may use on average over its MAC steps (MACs >= that x steps; 0 =
# any; ``min_utilization`` x PEs, rounded up; with strip-mining the idle PEs of partial array tiles
# do not count) and the
# most cycles it may take (-1 = unbounded). Checked where a complete spatial configuration is
# formed (active PEs; cycles >= MAC steps) and where a complete mapping is costed (cycles), so the
# search is exact over the mappings that meet them: a bound prunes only against costs of mappings
# that met them.
LIM_MIN_PES, LIM_MAX_CYCLES = LIM_LEN, LIM_LEN + 1
SEARCH_LIM_LEN = LIM_LEN + 2


@njit(**JIT)
def energy_of(counts, macs, e_read, e_write, mac_energy):
    total = macs * mac_energy
    for lvl in range(4):
        for t in range(3):
            total += counts[lvl, t, 0] * e_read[lvl, t] + counts[lvl, t, 1] * e_write[lvl, t]
    return total


@njit(**JIT)
def cycles_of(counts, steps, bw, f):
    """Cycles of a mapping with factors ``f`` (int64[5, 8]; f[4] the DRAM loop bounds): the larger
    of the compute time and each level's transfers over its bandwidth ``bw`` (words/cycle, 0 =
    unlimited). DRAM is double-buffered per DRAM tile (one iteration of the DRAM loops; there are
    n = prod(f[4]) of them, each moving words / n on average): a tile's fill overlaps the previous
    tile's compute and drain, except that the first tile's fill and the last tile's compute (or
    drain) have nothing to overlap. With steps MAC steps and D = DRAM words / bandwidth:
    max(steps + D / n, D + steps / n), i.e. steps + D when n = 1 (nothing overlaps), and
    max(steps, D) as n grows. The GLB and NoC overlap compute over the whole layer:
    max(cycles, words / bandwidth). A whole number: moving W words at B words per cycle takes
    ceil(W / B) cycles, and the DRAM expression is rounded up likewise."""
    cyc = float(steps)
    if bw[0] > 0:
        n = 1
        for d in range(8):
            n *= f[4, d]
        words = 0
        for t in range(3):
            words += counts[0, t, 0] + counts[0, t, 1]
        dram = words / bw[0]
        cyc = np.ceil(max(steps + dram / n, dram + steps / n))
    for lvl in range(1, 3):
        if bw[lvl] > 0:
            words = 0
            for t in range(3):
                words += counts[lvl, t, 0] + counts[lvl, t, 1]
            c = np.ceil(words / bw[lvl])
            if c > cyc:
                cyc = c
    return cyc


@njit(**JIT)
def _inner_fits(f, sd, hold, limits, ext, bounds):
    """The spatial factors fit the array and the RF tiles (RF factors) and GLB tiles (RF x spatial
    x GLB factors, clipped to the layer ``bounds``) fit their capacities (``limits``:
    ``mapspace.LIM_*``)."""
    rows = 1
    cols = 1
    for d in range(8):
        rows *= f[1, d]
        cols *= f[2, d]
    if rows > limits[LIM_ROWS] or cols > limits[LIM_COLS]:
        return False
    for d in range(8):
        ext[d] = f[0, d]
    total = 0
    for t in range(3):
        if hold[0, t]:
            w = tile_words(t, ext, sd)
            if limits[LIM_RF + t] >= 0 and w > limits[LIM_RF + t]:
                return False
            total += w
    if limits[LIM_RF_SHARED] >= 0 and total > limits[LIM_RF_SHARED]:
        return False
    return _glb_fits(f, sd, hold, limits, ext, bounds)


@njit(**JIT)
def _glb_fits(f, sd, hold, limits, ext, bounds):
    """The GLB tiles (RF x spatial x GLB factors; a strip-mined dimension's tile clipped to the
    layer ``bounds``) fit the global buffer."""
    for d in range(8):
        ext[d] = min(f[0, d] * f[1, d] * f[2, d] * f[3, d], bounds[d])
    total = 0
    for t in range(3):
        if hold[1, t]:
            w = tile_words(t, ext, sd)
            if limits[LIM_GLB + t] >= 0 and w > limits[LIM_GLB + t]:
                return False
            total += w
    return limits[LIM_GLB_SHARED] < 0 or total <= limits[LIM_GLB_SHARED]


@njit(**JIT)
def objective_of(counts, macs, steps, e_read, e_write, mac_energy, bw, f, objective):
    energy = energy_of(counts, macs, e_read, e_write, mac_energy)
    cycles = cycles_of(counts, steps, bw, f)
    if objective == 0:
        return energy, cycles
    if objective == 1:
        return cycles, energy
    return energy * cycles, energy


@njit(**JIT)
def _glb_max_factors(f, rem, divs, row_divs, pos, dim_order, sd, hold, limits, ext, out, bounds):
    """out[d] = the largest GLB factor of dimension d (a divisor of rem[d]: divs[row_divs[row]] for
    its split row pos[j], d = dim_order[j]) whose GLB tiles fit with every other GLB factor at 1
    (f[3] is all ones on entry and on return)."""
    for j in range(8):
        d = dim_order[j]
        out[d] = 1
        for k in range(row_divs[pos[j], 0], row_divs[pos[j], 1]):
            g = divs[k]
            f[3, d] = g
            f[4, d] = rem[d] // g
            fits = _glb_fits(f, sd, hold, limits, ext, bounds)
            if not fits:
                break
            out[d] = g
        f[3, d] = 1
        f[4, d] = rem[d]


@njit(**JIT)
def earlier_arrangement(pos, dim_order, inner, same, limits, reach, nxt):
    """Whether a complete inner configuration (split row pos[j] for dimension dim_order[j]) is
    enumerated after another with the same costs that fits the array: one whose rows are the same
    up to some depth j, an earlier row of the same arrangement class at j (``same`` =
    ``mapper.arrangement_classes``: same rf and rows x cols) and any rows of the same classes
    after j. The model counts each dimension's spatial factor rows x cols, not its axis, so such
    configurations have equal costs mapping for mapping, and the first in enumeration order (the
    one a tie goes to) is the only one searched. reach, nxt: bool[pe_rows + 1] scratch."""
    fr = 1
    fc = 1
    for j in range(8):
        cur = pos[j]
        a = same[cur, 0]
        while a != cur:
            if _arrangement_fits(j, a, fr, fc, pos, inner, same, limits, reach, nxt):
                return True
            a = same[a, 1]
        fr *= inner[cur, 1]
        fc *= inner[cur, 2]
    return False


@njit(**JIT)
def _arrangement_fits(j, a, fr, fc, pos, inner, same, limits, reach, nxt):
    """Rows before depth j give fr x fc PEs, row a is taken at j: can the classes of pos[j+1:] be
    arranged so the whole fits the array? The rows product v of the dimensions after j fixes
    their cols product (their rows x cols products are fixed), so it is a reachability over v."""
    n_rows = limits[LIM_ROWS]
    r0 = fr * inner[a, 1]
    c0 = fc * inner[a, 2]
    if r0 > n_rows or c0 > limits[LIM_COLS]:
        return False
    reach[:] = False
    reach[r0] = True
    p_free = 1
    for i in range(j + 1, 8):
        h = same[pos[i], 0]
        p_free *= inner[h, 1] * inner[h, 2]
        if same[h, 1] == -1:  # one arrangement only: shift
            y = inner[h, 1]
            nxt[:] = False
            for v in range(1, n_rows // y + 1):
                if reach[v]:
                    nxt[v * y] = True
        else:
            nxt[:] = False
            for v in range(1, n_rows + 1):
                if reach[v]:
                    m = h
                    while m != -1:
                        w = v * inner[m, 1]
                        if w <= n_rows:
                            nxt[w] = True
                        m = same[m, 1]
        reach[:] = nxt
    for v in range(1, n_rows + 1):  # cols: c0 x p_free / (v / r0)
        if reach[v] and c0 * p_free * r0 <= limits[LIM_COLS] * v:
            return True
    return False


@njit(**JIT)
def _record(best_pick, k, dim_order, pos, f, rep_dram, rep_glb):
    """Slot k's best so far: inner split row and GLB factor per dim, DRAM and GLB order reps."""
    for jj in range(8):
        best_pick[k, dim_order[jj]] = pos[jj]
        best_pick[k, 10 + dim_order[jj]] = f[3, dim_order[jj]]
    best_pick[k, 8] = rep_dram
    best_pick[k, 9] = rep_glb


@njit(**JIT)
def search_prepare(bounds, sd, hwx, no_spill):
    """What every slot of a search shares: (compulsory words per datatype int64[3], the GLB
    boundary's affine bound float64[3, 3], its per-word coefficients float64[3, COEF_LEN] and
    spill terms int64[3, 2]) -- ``pre`` of ``search_slot``."""
    hold, multicast, limits, e_read, e_write, bw, mac_energy = hwx
    tensors = np.zeros(3, np.int64)
    compulsory_words(bounds, sd, tensors)
    glb_unit = np.zeros((3, COEF_LEN))  # the GLB boundary per word moved: exact costs and the bound
    glb_unit_spill = np.zeros((3, 2), np.int64)
    glb_unit_coefficients(bounds, sd, hold, multicast, e_read, e_write, glb_unit, glb_unit_spill)
    glb_aff = np.zeros((3, 3))
    affine_bound(glb_unit, glb_unit_spill, no_spill, glb_aff)
    return tensors, glb_aff, glb_unit, glb_unit_spill


@njit(**JIT)
def search_slot(bounds, sd, space, hwx, orders, options, pre, k, seed, out):
    """Branch and bound over the mapspace, in two phases per dimension order ``dim_order``:
    phase 1 picks every dimension's (rf, rows, cols) split from ``inner`` (rows of 3, per-dim
    offsets ``inner_off``); lower bounds then prune the whole subtree if they exceed the best
    cost found so far in this slot; phase 2 picks every dimension's GLB factor among the
    divisors of what is left (DRAM takes the rest; split row i's are divs[row_divs[i, 0]:
    row_divs[i, 1]], ``mapper.glb_factor_table``), bounding each partial assignment, and every
    loop-order representative.

    pre = ``search_prepare``. Inputs, grouped: space = (inner, inner_off, divs, row_divs,
    dim_order, same); hwx = (hold, multicast, limits, e_read, e_write, bw, mac_energy)
    (``mapspace.HardwareArrays``); orders =
    (perm_off, rep_group, rep_prefix, rep_lstar, max_reps) (``mapspace.order_table``,
    ``order_structure``);
    options = (objective, no_spill, slot_budget, wave, exact_sums): exact_sums when every energy
    is an integer small enough that sums of counts x energies are exact in float64, so the
    energy of a pair of loop orders from its parts is its exact energy (no recount needed).

    This kernel searches slot k = the k-th (rf, rows, cols) split of the top dimension
    dim_order[0], pruning against ``seed`` (the best cost found before it) and its own results;
    ``mapper.run_slots`` runs a search's slots one after another, each seeded with the best so far
    (the most pruning), or in parallel on Python threads (the kernel releases the GIL) in waves of
    ``wave`` slots, each wave seeded with the best cost of the waves before it.
    Per slot: best_cost[k, 2] (primary, secondary objective; inf = nothing legal) and
    best_pick[k, 18] = inner row per dim (DIMS order) [0:8], DRAM and GLB order representative
    rows [8], [9], GLB factor per dim [10:18]; evaluated[k] counts the mappings whose objective
    was computed (each distinct-cost pair of loop orders at each factorization the bounds did not
    rule out); complete[k] is False if the budget cut the slot short or stop[0] was set (by another
    thread: the caller abandons the search). Ties go to the first mapping in enumeration order."""
    inner, inner_off, divs, row_divs, dim_order, same = space
    hold, multicast, limits, e_read, e_write, bw, mac_energy = hwx
    perm_off, rep_group, rep_prefix, rep_lstar, max_reps = orders
    objective, no_spill, slot_budget, _, exact_sums = options
    cycles_fixed = bw[0] <= 0 and bw[1] <= 0 and bw[2] <= 0  # no bandwidth limit: cycles = MAC steps
    # exact energies: a box whose bound only ties the best cannot win the cycles tie-break either
    # when its MAC steps (a floor of its cycles) are no fewer; without this, a zero energy (ties
    # everywhere) made the search visit every tied box (WS on a zero-energy GLB: 29x the work)
    tie_cut = exact_sums and objective == 0
    tensors, glb_aff, glb_unit, glb_unit_spill = pre
    best_cost, best_pick, evaluated, complete, stop = out
    d0 = dim_order[0]
    f = np.ones((5, 8), np.int64)
    counts = np.zeros((4, 3, 2), np.int64)
    ext = np.empty((4, 8), np.int64)
    ext1 = np.empty(8, np.int64)
    sz = np.zeros(SZ_LEN, np.int64)
    gz = np.zeros(GZ_LEN, np.int64)
    box = np.ones((BOX_LEN, 8), np.int64)
    gh0 = np.ones(8, np.int64)
    coef_rf = np.zeros((3, COEF_LEN))
    coef_glb = np.zeros((3, COEF_LEN))
    spill_rf = np.zeros((3, 2), np.int64)
    spill_glb = np.zeros((3, 2), np.int64)
    rf_aff = np.zeros((3, 3))
    bscratch = np.zeros((SCRATCH_LEN, 5), np.int64)
    gcap = np.zeros((2, 4), np.int64)
    bpart = np.zeros((6, 3))
    feat_d = np.zeros((max_reps, FEAT_LEN), np.int64)
    feat_g = np.zeros((max_reps, FEAT_LEN), np.int64)
    rep_d = np.zeros(max_reps, np.int64)
    rep_g = np.zeros(max_reps, np.int64)
    q = np.zeros(max_reps)
    pd = np.zeros((max_reps, 3))
    gval = np.zeros(max_reps)
    gmask = np.zeros(max_reps, np.int64)
    pos = np.zeros(8, np.int64)
    gpos = np.zeros(8, np.int64)
    reach = np.zeros(limits[LIM_ROWS] + 1, np.bool_)
    nxt = np.zeros(limits[LIM_ROWS] + 1, np.bool_)
    rem = np.ones(8, np.int64)
    best0 = seed
    best1 = np.inf
    n_eval = 0
    pos[0] = inner_off[d0] + k
    for lvl in range(3):
        f[lvl, d0] = inner[pos[0], lvl]
    if not _inner_fits(f, sd, hold, limits, ext1, bounds):
        best_cost[k, 0] = best0
        best_cost[k, 1] = best1
        evaluated[k] = 0
        complete[k] = True
        return
    depth = 1
    pos[1] = inner_off[dim_order[1]] - 1
    complete[k] = True
    while depth >= 1:
        if (slot_budget > 0 and n_eval >= slot_budget) or stop[0]:
            complete[k] = False  # budget spent or stopped: this slot's result is the best found so far
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
        if not _inner_fits(f, sd, hold, limits, ext1, bounds):
            continue
        if depth < 7:
            depth += 1
            pos[depth] = inner_off[dim_order[depth]] - 1
            continue
        # ---- a complete inner configuration: bound, then phase 2 ------------------------
        if earlier_arrangement(pos, dim_order, inner, same, limits, reach, nxt):
            continue  # the same costs were (or will be, in an earlier slot) searched
        for dd in range(8):  # array tiles left for the GLB and DRAM loops (strip-mined: ceil)
            rem[dd] = -(-(bounds[dd] // f[0, dd]) // (f[1, dd] * f[2, dd]))
            f[3, dd] = 1
            f[4, dd] = rem[dd]
        partial = is_partial(bounds, f)
        if partial:  # partial array tiles: the general counts, exact evaluation of every pair
            prepare_general_inner(bounds, sd, f, gz)  # its GLB part waits for the GLB factors
            lb = lower_bound_partial(bounds, sd, f, gz, hold, multicast, e_read, e_write, mac_energy, bw,
                                     objective)
        else:
            lb = lower_bound(bounds, sd, f, hold, multicast, e_read, e_write, mac_energy, bw, objective, ext)
        if lb > best0 + 1e-9 * abs(best0):  # the slack of every bound test: a tie is never cut
            continue
        if partial:
            steps = gz[GZ_STEPS]
            n_macs = gz[GZ_MACS]
        else:
            prepare_inner(bounds, sd, f, sz, ext)
            steps = sz[SZ_STEPS]
            n_macs = sz[SZ_MACS]
        mac_total = n_macs * mac_energy
        # min_utilization: the mean active PEs (MACs / steps; the peak's idle PEs in partial array
        # tiles do not count) / max_cycles: every completion has these MACs and steps, >= these cycles
        if n_macs < limits[LIM_MIN_PES] * steps or (limits[LIM_MAX_CYCLES] >= 0 and steps > limits[LIM_MAX_CYCLES]):
            continue
        _glb_max_factors(f, rem, divs, row_divs, pos, dim_order, sd, hold, limits, ext1, gh0, bounds)
        for dd in range(8):
            box[BOX_Q, dd] = rem[dd]
            box[BOX_A, dd] = f[0, dd] * f[1, dd] * f[2, dd]
            set_box(box, dd, 1, gh0[dd])
        glb_factor_caps(box, hold, limits, gcap)
        if partial:  # the GLB capacity coupling assumes unclipped tiles: left out (a weaker bound)
            for tt in range(3):
                gcap[1, tt] = 0
        scale = 1.0 if objective == 0 else float(steps)  # EDP: energy x cycles, cycles >= steps
        if objective != 1:
            if partial:
                rf_affine_partial(gz, hold, multicast, e_read, e_write, no_spill, rf_aff)
            else:
                part_coefficients(True, sz, hold, multicast, e_read, e_write, counts, coef_rf, spill_rf)
                affine_bound(coef_rf, spill_rf, no_spill, rf_aff)
            bb = box_bound(box, bounds, sd, hold, glb_aff, rf_aff, tensors, gcap, mac_total, bscratch, bpart)
            if bb * scale > best0 + 1e-9 * abs(best0) or (tie_cut and bb >= best0 and steps >= best1):
                continue
        g = 0
        gpos[0] = row_divs[pos[0], 0] - 1
        while g >= 0:
            if (slot_budget > 0 and n_eval >= slot_budget) or stop[0]:
                break
            dg = dim_order[g]
            gpos[g] += 1
            if gpos[g] >= row_divs[pos[g], 1] or divs[gpos[g]] > gh0[dg]:
                # done with this dim (factors above gh0 cannot fit): back up
                f[3, dg] = 1
                f[4, dg] = rem[dg]
                set_box(box, dg, 1, gh0[dg])
                g -= 1
                continue
            f[3, dg] = divs[gpos[g]]
            f[4, dg] = rem[dg] // divs[gpos[g]]
            if f[3, dg] > 1 and not _glb_fits(f, sd, hold, limits, ext1, bounds):
                # (a factor of 1 leaves the tiles of the parent, which fit)
                # GLB tiles only grow with larger factors of this dim: skip the rest of its divisors
                gpos[g] = row_divs[pos[g], 1]
                continue
            if objective != 1 and rem[dg] > 1:
                set_box(box, dg, f[3, dg], f[3, dg])
                bb = box_bound(box, bounds, sd, hold, glb_aff, rf_aff, tensors, gcap, mac_total, bscratch, bpart)
                if bb * scale > best0 + 1e-9 * abs(best0) or (tie_cut and bb >= best0 and steps >= best1):
                    continue
            if g < 7:
                g += 1
                gpos[g] = row_divs[pos[g], 0] - 1
                continue
            # ---- a complete factorization: every pair of loop orders -----------------------
            n_d = distinct_orders(f, 4, perm_off, rep_group, rep_prefix, rep_lstar, feat_d, rep_d)
            n_g = distinct_orders(f, 3, perm_off, rep_group, rep_prefix, rep_lstar, feat_g, rep_g)
            if partial:  # every pair counted exactly (counts.apply_general)
                prepare_general_outer(bounds, sd, f, gz)  # the RF side is this configuration's (above)
                for i in range(n_d):
                    for j in range(n_g):
                        n_eval += 1
                        apply_general(gz, feat_g[j], feat_d[i], hold, multicast, counts)
                        if no_spill and counts[0, 2, 0] > 0:
                            continue
                        if objective == 0:  # the energy first: most pairs lose on it, without their cycles
                            c0 = energy_of(counts, gz[GZ_MACS], e_read, e_write, mac_energy)
                            if c0 > best0:
                                continue
                        if limits[LIM_MAX_CYCLES] >= 0 and not cycles_fixed \
                                and cycles_of(counts, gz[GZ_STEPS], bw, f) > limits[LIM_MAX_CYCLES]:
                            continue
                        if objective == 0:
                            c1 = cycles_of(counts, gz[GZ_STEPS], bw, f)
                        else:
                            c0, c1 = objective_of(counts, gz[GZ_MACS], gz[GZ_STEPS], e_read, e_write, mac_energy,
                                                  bw, f, objective)
                        if c0 < best0 or (c0 == best0 and c1 < best1):
                            best0 = c0
                            best1 = c1
                            _record(best_pick, k, dim_order, pos, f, rep_d[i], rep_g[j])
                continue
            prepare_outer(sd, f, sz, ext1)
            if objective == 0:
                scale_glb_coefficients(glb_unit, glb_unit_spill, sz, coef_glb, spill_glb)
                pair_parts(coef_rf, spill_rf, coef_glb, spill_glb, feat_d, n_d, feat_g, n_g, mac_total, no_spill,
                            q, pd, gval, gmask)
            thr = best0 + 1e-9 * abs(best0) + 1e-12
            for i in range(n_d):
                for j in range(n_g):
                    n_eval += 1
                    if objective == 0:
                        approx = gval[j] + q[i]
                        m = gmask[j]
                        if m & 1:
                            approx += pd[i, 0]
                        if m & 2:
                            approx += pd[i, 1]
                        if m & 4:
                            approx += pd[i, 2]
                        if approx > thr:
                            continue
                        if exact_sums and cycles_fixed:  # the parts' sum is the energy, cycles are the steps
                            if approx == np.inf or not (approx < best0 or (approx == best0 and steps < best1)):
                                continue
                            best0 = approx
                            best1 = float(steps)
                            thr = best0 + 1e-9 * abs(best0) + 1e-12
                            _record(best_pick, k, dim_order, pos, f, rep_d[i], rep_g[j])
                            continue
                    apply_features(sz, feat_g[j], feat_d[i], hold, multicast, counts)
                    if no_spill and counts[0, 2, 0] > 0:
                        continue
                    if limits[LIM_MAX_CYCLES] >= 0 and not cycles_fixed \
                            and cycles_of(counts, sz[SZ_STEPS], bw, f) > limits[LIM_MAX_CYCLES]:
                        continue
                    if objective == 0:
                        c0 = energy_of(counts, sz[SZ_MACS], e_read, e_write, mac_energy)
                        if c0 > best0:
                            continue
                        c1 = cycles_of(counts, sz[SZ_STEPS], bw, f)
                    else:
                        c0, c1 = objective_of(counts, sz[SZ_MACS], sz[SZ_STEPS], e_read, e_write, mac_energy,
                                              bw, f, objective)
                    if c0 < best0 or (c0 == best0 and c1 < best1):
                        best0 = c0
                        best1 = c1
                        thr = best0 + 1e-9 * abs(best0) + 1e-12
                        _record(best_pick, k, dim_order, pos, f, rep_d[i], rep_g[j])
    best_cost[k, 0] = best0
    best_cost[k, 1] = best1
    evaluated[k] = n_eval
