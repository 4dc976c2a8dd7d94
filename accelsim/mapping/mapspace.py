"""The constrained mapspace of one layer on one accelerator under one dataflow, as plain arrays
for the search kernel.

A mapping = for every dimension a split of its bound into five factors (RF, rows, cols, GLB,
DRAM; product exact) + a loop order at the GLB and DRAM levels. (The RF loop order never changes
a count: RF tiles hold every RF loop.)

Loop orders: a cost depends on an order only through, per datatype, the innermost run of loops
that do not index it and the first loop that does. Every dimension except G fails to index exactly
one datatype ({N, E, F}: weights; {M}: ifmap; {C, R, S}: psums), so an order is characterised by
its first loop p1, the maximal prefix P of p1's group and the loop q after it — and q only
matters when P is {M} (q is then the ifmap's first loop, which decides the sliding-window halo).
``order_table`` lists one representative permutation per distinct case: searching them is the
same as searching all 8! orders, exactly (checked against brute force in the tests).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cache

import numpy as np

from accelsim.datatypes import Datatype
from accelsim.mapping.dataflows import Dataflow
from accelsim.mapping.dims import DIMS, NDIMS, RELEVANT

# Dimensions that do not index a datatype, grouped by that datatype (G indexes all three).
_GROUP = {"N": 0, "E": 0, "F": 0, "M": 1, "C": 2, "R": 2, "S": 2, "G": 3}


def _emit(reps: list[tuple[int, ...]], head: list[int]) -> None:
    rep = tuple(head + [d for d in range(NDIMS) if d not in head])
    if rep not in reps:
        reps.append(rep)


@cache
def order_table() -> tuple[np.ndarray, np.ndarray]:
    """(perms int64[K, 8], offsets int64[257]): representatives for every active-dim bitmask."""
    perms: list[list[int]] = []
    offsets = [0]
    for mask in range(1 << NDIMS):
        active = [d for d in range(NDIMS) if mask >> d & 1]
        reps: list[tuple[int, ...]] = []
        if not active:
            _emit(reps, [])
        for p1 in active:
            grp = _GROUP[DIMS[p1]]
            if grp == 3:
                _emit(reps, [p1])
                continue
            same = [d for d in active if _GROUP[DIMS[d]] == grp and d != p1]
            others = [d for d in active if _GROUP[DIMS[d]] != grp]
            for k in range(len(same) + 1):
                for extra in itertools.combinations(same, k):
                    prefix = [p1, *extra]
                    if others:
                        # q is the first loop indexing the prefix's datatype; it only matters for the
                        # ifmap (sliding-window halo), i.e. when the prefix is M's group
                        for q in (others if grp == 1 else others[:1]):
                            _emit(reps, prefix + [q] + [d for d in same if d not in extra])
                    elif len(extra) == len(same):
                        _emit(reps, prefix)
        perms.extend(list(r) for r in reps)
        offsets.append(len(perms))
    return np.array(perms, dtype=np.int64), np.array(offsets, dtype=np.int64)


@cache
def order_structure() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For every row of ``order_table``'s perms, what its loop-order features depend on, whatever
    the factor values. The first active loop indexes every datatype but (at most) one, so only
    that one has a non-empty innermost run of loops not indexing it: group[K] = that datatype (-1:
    none), prefix[K, 3] = the loops of its run (-1 padded), lstar[K, 3] = per datatype the first
    active loop that indexes it (-1: none). (The search derives a level's features from these with
    one short product instead of walking the permutation.)"""
    perms, offsets = order_table()
    group = np.full(len(perms), -1, dtype=np.int64)
    prefix = np.full((len(perms), 3), -1, dtype=np.int64)
    lstar = np.full((len(perms), 3), -1, dtype=np.int64)
    for mask in range(1 << NDIMS):
        for row in range(offsets[mask], offsets[mask + 1]):
            for t in range(3):
                run = []
                for d in perms[row]:
                    if not mask >> d & 1:
                        continue
                    if RELEVANT[t, d]:
                        lstar[row, t] = d
                        break
                    run.append(d)
                if run:
                    assert group[row] == -1 and len(run) <= 3, (perms[row], mask)
                    group[row] = t
                    prefix[row, :len(run)] = run
    return group, prefix, lstar


@cache
def divisors(n: int) -> tuple[int, ...]:
    """The divisors of n in increasing order."""
    small, large = [], []
    d = 1
    while d * d <= n:
        if n % d == 0:
            small.append(d)
            if d * d != n:
                large.append(n // d)
        d += 1
    return tuple(small + large[::-1])


def splits_for_dim(bound: int, rf_ok: bool, rows_max: int, cols_max: int, full: str | None,
                   strip: bool = False) -> list[tuple]:
    """Every (rf, rows, cols, glb, dram) with product ``bound`` under the given limits, in
    lexicographic order. ``full`` in {'rf', 'rows', 'cols'} forces the whole bound there.

    ``strip``: the spatial factors may also strip-mine what the RF leaves, q = bound / rf (rf
    still divides the bound): rows x cols = p need not divide q, and glb x dram = T = ceil(q / p)
    array tiles, the last one partial (``counts.tiling``). Of the (rows, cols) giving the same T
    only the non-dominated ones are kept: those where one row or one column fewer would need more
    tiles (a larger array for the same tiles only adds idle PEs). Every exact split is one of
    them, so the exact splits are a subset."""
    out = []
    for rf in divisors(bound) if rf_ok else [1]:
        q = bound // rf
        pairs = []
        for y in divisors(q):
            if y > rows_max:
                continue
            for x in divisors(q // y):
                if x <= cols_max:
                    pairs.append((y, x))
        if strip and full is None:
            pairs = sorted(set(pairs) | set(strip_pairs(q, rows_max, cols_max)))
        for y, x in pairs:
            rem = -(-q // (y * x))
            for glb in divisors(rem):
                split = (rf, y, x, glb, rem // glb)
                if full == "rf" and rf != bound or full == "rows" and y != bound \
                        or full == "cols" and x != bound:
                    continue
                out.append(split)
    return out


def strip_pairs(q: int, rows_max: int, cols_max: int) -> list[tuple[int, int]]:
    """(rows, cols) with rows <= rows_max, cols <= cols_max, rows x cols <= q or the smallest
    array covering q, such that one row fewer and one column fewer both need more array tiles
    ceil(q / (rows x cols))."""
    out = []
    for y in range(1, min(rows_max, q) + 1):
        for x in range(1, min(cols_max, q) + 1):
            t = -(-q // (y * x))
            if y > 1 and -(-q // ((y - 1) * x)) == t:
                continue
            if x > 1 and -(-q // (y * (x - 1))) == t:
                continue
            out.append((y, x))
    return out


# Dimensions that may be strip-mined over the PE array (partial array tiles): those indexing the
# psums. C, R, S (what spatial reduction merges) always split exactly.
STRIP_DIMS = "NMEFG"
# The default mapspace: exact splits only. Strip-mining is opt-in (``strip_mining=True`` in
# simulate / map_*, ``--strip-mining``): it never raises a layer's optimum but costs the search
# 3-4x (docs/performance.md: AlexNet all dataflows 0.22 -> 0.79 CPU s; the README's example sweep
# 23 -> 94 s on one core, measured before equivalent arrangements were searched once), so it is
# asked for where it matters (the JSSC 2017 chip reproduction).
STRIP = False


# Layout of ``HardwareArrays.limits`` (int64[LIM_LEN]), the capacities the search checks; -1 = unbounded.
LIM_RF, LIM_RF_SHARED, LIM_GLB, LIM_GLB_SHARED, LIM_ROWS, LIM_COLS = 0, 3, 4, 7, 8, 9  # LIM_RF, LIM_GLB: + datatype
LIM_LEN = 10


@dataclass(frozen=True)
class HardwareArrays:
    """The numbers of a Hardware spec the kernels need, as plain arrays.

    hold[0|1, t]: RF / GLB hold datatype t; capacities in words (-1 = unbounded; RF per PE);
    e_read/e_write[level, t] per word in energy units (level: dram, glb, noc, rf; NoC transfers
    use e_read); bw[level] words/cycle (0 = unlimited)."""

    pe_rows: int
    pe_cols: int
    hold: np.ndarray
    multicast: np.ndarray
    spatial_reduction: bool
    rf_cap: np.ndarray
    rf_shared: int
    glb_cap: np.ndarray
    glb_shared: int
    e_read: np.ndarray
    e_write: np.ndarray
    mac_energy: float
    bw: np.ndarray

    @property
    def limits(self) -> np.ndarray:
        """Capacities in the kernels' layout (LIM_*): RF per datatype and shared (per PE, words),
        GLB per datatype and shared (words), PE rows and columns."""
        return np.concatenate([self.rf_cap, [self.rf_shared], self.glb_cap, [self.glb_shared],
                               [self.pe_rows, self.pe_cols]]).astype(np.int64)


def _caps(level) -> tuple[np.ndarray, int]:
    if level.shared_capacity_words is not None:
        return np.full(3, -1, dtype=np.int64), int(level.shared_capacity_words)
    if level.capacity_words is None:
        return np.full(3, -1, dtype=np.int64), -1
    return np.array([-1 if c is None else int(c) for c in level.capacity_words], dtype=np.int64), -1


def hardware_arrays(hw, dataflow: Dataflow) -> HardwareArrays:
    """Combine a Hardware spec with a dataflow's RF bypasses into kernel arrays."""
    dram, glb, noc, rf = (hw.level(n) for n in ("dram", "glb", "noc", "rf"))
    rf_cap, rf_shared = _caps(rf)
    glb_cap, glb_shared = _caps(glb)
    hold = np.ones((2, 3), dtype=np.bool_)
    for t in Datatype:
        hold[0, t] = t not in rf.bypass and t not in dataflow.rf_bypass and rf_cap[t] != 0 and rf_shared != 0
        hold[1, t] = t not in glb.bypass and glb_cap[t] != 0 and glb_shared != 0
    e_read = np.zeros((4, 3))
    e_write = np.zeros((4, 3))
    for i, lvl in enumerate((dram, glb, noc, rf)):
        e_read[i] = lvl.read_energy
        e_write[i] = lvl.write_energy if lvl.name != "noc" else (0.0, 0.0, 0.0)
    bw = np.array([0.0 if lvl.bandwidth_words_per_cycle is None else float(lvl.bandwidth_words_per_cycle)
                   for lvl in (dram, glb, noc, rf)])
    bw[3] = 0.0  # RF bandwidth is per PE and matches the MAC by construction
    return HardwareArrays(int(hw.pe_rows), int(hw.pe_cols), hold, np.array(hw.noc.multicast, dtype=np.bool_),
                          bool(hw.noc.spatial_reduction), rf_cap, rf_shared, glb_cap, glb_shared,
                          e_read, e_write, float(hw.mac_energy), bw)


def build_splits(bounds: np.ndarray, dataflow: Dataflow, hwa: HardwareArrays,
                 strip: bool | None = None) -> list[list[tuple]]:
    """Per dimension, the legal (rf, rows, cols, glb, dram) splits; ``strip`` (default ``STRIP``):
    N, M, E, F, G may be strip-mined over the array (``splits_for_dim``)."""
    strip = STRIP if strip is None else strip
    full = {d: lvl for lvl, d in dataflow.full}
    out = []
    for i, name in enumerate(DIMS):
        bound = int(bounds[i])
        rf_ok = name in dataflow.rf and not (not hwa.hold[0, Datatype.IFMAP] and name in "EFRS")
        reduce_ok = hwa.spatial_reduction or name not in "CRS"
        rows = hwa.pe_rows if (name in dataflow.rows and reduce_ok) else 1
        cols = hwa.pe_cols if (name in dataflow.cols and reduce_ok) else 1
        lvl = full.get(name)
        if bound == 1 or (lvl == "rows" and bound > rows) or (lvl == "cols" and bound > cols):
            lvl = None  # a dimension larger than the array folds over several passes (Eyeriss)
        out.append(splits_for_dim(bound, rf_ok, rows, cols, lvl, strip and name in STRIP_DIMS))
    return out
