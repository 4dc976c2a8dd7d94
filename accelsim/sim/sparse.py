"""The sparse reference executor: a mapped loop nest run on actual sparse tensors.

``trace`` runs ``accelsim.sim.executor.Executor`` once (its ``on_event`` hook) and records what
the mapping moves and computes, independently of the values: every MAC step's operand
coordinates on every PE, every transfer out of DRAM (GLB fills; RF fills and bypassed fetches
when the GLB does not hold the datatype: one transfer per multicast union, else one per PE), every
RF fill per PE, and every psum word arriving at DRAM (grouped into one transfer per drain).
``measure`` then counts, on actual zero patterns of the weights, ifmap and ofmap (K samples at
once), exactly:

* MACs full / gated / skipped (``Sparsity.gating`` and ``skipping`` operands; a MAC is skipped
  when a skipped operand is zero, else gated when a gating operand is zero);
* compute cycles with skipping: per RF pass (the steps between two GLB-loop iterations) the
  largest number of unskipped MACs on any PE;
* bits moved in each transfer under a format (``accelsim.sparsity.formats.size_bits`` of the
  transfer's elements in sorted coordinate order): DRAM reads of weights and ifmap, the final
  ofmap words written to DRAM (spilled partial sums stay dense), RF fills.

Tensors are given as nonzero masks: flat bool arrays over the weights [G, M, C, R, S], the padded
ifmap [N, G, C, Hp, Wp] and the ofmap [N, G, M, E, F].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accelsim.mapping.dims import RF
from accelsim.sim.executor import Executor
from accelsim.sparsity import formats


@dataclass
class Trace:
    """What one mapping moves and computes (coordinates as flat indices, see the module doc)."""

    shapes: tuple  # weights, ifmap, ofmap shapes
    w_idx: np.ndarray  # [steps, PEs] weight of each MAC
    x_idx: np.ndarray  # [steps, PEs] ifmap element of each MAC
    pass_len: int  # MAC steps per RF pass
    dram: dict  # t -> list of index arrays (transfers out of DRAM), t in 0 (weights), 1 (ifmap)
    rf: dict  # t -> list of index arrays (fills of one PE's RF)
    ofmap: list  # transfers of final ofmap words written to DRAM (index arrays)
    partial_writes: int  # psum words written to DRAM that are not final
    counts: np.ndarray  # the executor's dense counts


def trace(bounds, sd, f, orders, hold, multicast) -> Trace:
    """Run the mapping once and record its data-independent trace."""
    N, M, C, E, F, R, S, G = (int(b) for b in bounds)
    Uh, Uw, Dh, Dw = (int(v) for v in sd)
    hp, wp = (E - 1) * Uh + (R - 1) * Dh + 1, (F - 1) * Uw + (S - 1) * Dw + 1
    shapes = ((G, M, C, R, S), (N, G, C, hp, wp), (N, G, M, E, F))
    hold = np.asarray(hold, dtype=bool)
    steps_w, steps_x = [], []
    dram = {0: [], 1: []}
    rf = {0: [], 1: []}
    psum_events: list = []  # (burst id, coord)
    burst = [0]

    def flat(t, coords):
        return np.array(sorted(np.ravel_multi_index(c, shapes[t]) for c in coords), dtype=np.int64)

    def on_event(kind, *data):
        if kind != "dram_psum":
            burst[0] += 1
        if kind == "step":
            ex = executor
            steps_w.append([np.ravel_multi_index(ex._point(0, idx), shapes[0]) for idx in data[0]])
            steps_x.append([np.ravel_multi_index(ex._point(1, idx), shapes[1]) for idx in data[0]])
        elif kind == "dram_read":
            dram[data[0]].append(flat(data[0], data[1]))
        elif kind in ("rf_fill", "fetch"):
            t, sets = data
            if kind == "rf_fill":
                rf[t].extend(flat(t, s) for s in sets)
            if not hold[1, t]:  # the parent is DRAM
                if multicast[t]:
                    dram[t].append(flat(t, set().union(*sets)))
                else:
                    dram[t].extend(flat(t, s) for s in sets)
        elif kind == "dram_psum":
            psum_events.append((burst[0], data[0]))

    executor = Executor(bounds, sd, f, orders, hold, multicast, on_event=on_event)
    counts, _ = executor.run(np.zeros(shapes[0]), np.zeros(shapes[1]))
    last = {}
    for i, (_, coord) in enumerate(psum_events):
        last[coord] = i
    groups: dict = {}
    partial = 0
    for i, (b, coord) in enumerate(psum_events):
        if last[coord] == i:
            groups.setdefault(b, []).append(coord)
        else:
            partial += 1
    ofmap = [flat(2, g) for g in groups.values()]
    pass_len = int(np.prod(np.asarray(f)[RF]))
    return Trace(shapes, np.array(steps_w, dtype=np.int64), np.array(steps_x, dtype=np.int64), pass_len,
                 dram, rf, ofmap, partial, counts.copy())


def rlc_pairs_batch(nz: np.ndarray, run_limit: int) -> np.ndarray:
    """``formats.rlc_pair_count`` of every row of the bool matrix nz[K, n] (nonzero masks)."""
    k, n = nz.shape
    z = np.zeros(k, dtype=np.int64)
    pairs = np.zeros(k, dtype=np.int64)
    for j in range(n):
        emit = nz[:, j] | (z >= run_limit)
        pairs += emit
        z = np.where(emit, 0, z + 1)
    return pairs + (z > 0)


def size_bits_batch(nz: np.ndarray, fmt) -> tuple[np.ndarray, np.ndarray]:
    """(data_bits[K], metadata_bits[K]) of every row of nz[K, n] in ``fmt`` (= size_bits)."""
    n = nz.shape[1]
    nnz = nz.sum(axis=1)
    data = nnz * fmt.value_bits
    if fmt.kind == "rlc":
        pairs = rlc_pairs_batch(nz, formats.max_run(fmt))
        return data, -(-pairs // fmt.pairs_per_word) * fmt.word_bits - data
    if fmt.kind == "bitmask":
        return data, np.full(nz.shape[0], n)
    return data, nnz * fmt.index_bits + -(-n // fmt.column_length) * fmt.pointer_bits


@dataclass
class Measured:
    """Exact counts on K actual tensors (arrays of length K)."""

    macs_full: np.ndarray
    macs_gated: np.ndarray
    macs_skipped: np.ndarray
    compute_cycles: np.ndarray
    bits: dict  # (level, t) -> (data_bits[K], metadata_bits[K]) over that level's transfers


def measure(tr: Trace, w_nz: np.ndarray, x_nz: np.ndarray, o_nz: np.ndarray, sparsity) -> Measured:
    """Count on K zero patterns: w_nz[K, weights], x_nz[K, ifmap], o_nz[K, ofmap] (flat bool)."""
    k = w_nz.shape[0]
    wv = w_nz[:, tr.w_idx]  # [K, steps, PEs]
    xv = x_nz[:, tr.x_idx]
    ops = {0: wv, 1: xv}
    effectual = np.ones_like(wv)
    for t in sparsity.skipping:
        effectual &= ops[int(t)]
    ungated = effectual.copy()
    for t in sparsity.gating:
        if t not in sparsity.skipping:
            ungated &= ops[int(t)]
    full = ungated.sum(axis=(1, 2))
    eff = effectual.sum(axis=(1, 2))
    total = wv.shape[1] * wv.shape[2]
    per_pass = effectual.reshape(k, -1, tr.pass_len, wv.shape[2]).sum(axis=2)  # [K, passes, PEs]
    cycles = per_pass.max(axis=2).sum(axis=1) if sparsity.skipping else np.full(k, wv.shape[1])
    bits = {}
    masks = {0: w_nz, 1: x_nz, 2: o_nz}
    for level, t, fmt in sparsity.formats:
        t = int(t)
        if level == "dram":
            transfers = tr.ofmap if t == 2 else tr.dram[t]
        elif level == "rf":
            transfers = tr.rf[t]
        else:
            continue
        data = np.zeros(k, dtype=np.int64)
        meta = np.zeros(k, dtype=np.int64)
        for idx in transfers:
            d, m = size_bits_batch(masks[t][:, idx], fmt)
            data += d
            meta += m
        bits[(level, t)] = (data, meta)
    return Measured(full, eff - full, total - eff, cycles.astype(np.float64), bits)
