"""The reference executor: runs a mapped loop nest literally, step by step, on a small layer.

Every buffer is an explicit dictionary from element coordinates to values:
DRAM (numpy arrays), one GLB buffer per datatype, and one RF buffer per datatype per PE. The
executor walks the DRAM loops, the GLB loops and the RF loops in the mapping's order, with all
active PEs working in lockstep, and applies the buffer policy literally:

  * a buffer is tagged with the loop indices (above it) of the dimensions that index its
    datatype; when the tag changes, an input buffer is refilled from its parent, a psum buffer
    is drained to its parent (which adds it in) and restarts empty;
  * an ifmap tile holds the rows and cols its MACs read (e*U + r*D over its E x R extents, and
    likewise for cols): rows a stride skips and dilation holes are never fetched nor stored;
  * a refill keeps the overlap of the old ifmap tile when the only index that changed is one
    sliding dimension advancing by one (for a PE buffer: with that axis not spread across PEs);
  * a fill of all PEs at once costs the parent one read per distinct element of the union of the
    PEs' requests when the NoC can multicast that datatype, one read per PE-word otherwise;
  * a datatype not held in the RF is fetched (or, for psums, sent) at every MAC step by the PEs
    that do a MAC in it;
  * strip-mining: a dimension's spatial factor need not divide what the RF leaves; its last array
    tile is then partial. A PE does a MAC only when all its indices are inside the layer; at a
    refill, a PE loads its tile of t when its indices in the dimensions indexing t are (a PE idle
    only along other dimensions still receives it); the GLB tiles are clipped to the layer.

It counts every read, write and NoC transfer, computes the ofmap through the buffers (a value
missing from a buffer is an error), and is the ground truth the analytic model
(``accelsim.mapping.counts``) must equal exactly. It is slow on purpose: use layers of a few
thousand MACs.
"""

from __future__ import annotations

import itertools

import numpy as np

from accelsim.mapping.dims import (
    COLS,
    DRAM,
    GLB,
    L_DRAM,
    L_GLB,
    L_NOC,
    L_RF,
    RELEVANT,
    RF,
    ROWS,
    SLIDING_AXIS,
)

_N, _M, _C, _E, _F, _R, _S, _G = range(8)
_WEIGHTS, _IFMAP, _PSUM = 0, 1, 2


class Executor:
    """Literal execution of one mapping. ``run(weights, ifmap)`` returns (counts, ofmap).

    bounds: int[8] loop bounds (N M C E F R S G); sd: (Uh, Uw, Dh, Dw); f: int[5, 8] factors per
    mapping level (rf, rows, cols, glb, dram); orders: int[2, 8] GLB and DRAM loop orders,
    innermost first; hold: bool[2, 3] whether the RF / GLB hold each datatype; multicast: bool[3];
    rf_capacity: per-PE capacity in words per datatype (None = unchecked). on_event: an optional
    callback ``on_event(kind, *data)`` told of every transfer and MAC step (``accelsim.sim.sparse``
    uses it to count on actual sparse tensors): ("dram_read", t, set) a GLB fill from DRAM;
    ("rf_fill", t, [set per PE]) an RF fill; ("fetch", t, [set per PE]) a bypassed operand fetch;
    ("step", [index tuple per PE]) one MAC on every PE; ("dram_psum", coord) a psum arriving at DRAM."""

    def __init__(self, bounds, sd, f, orders, hold, multicast, rf_capacity=None, glb_capacity=None, on_event=None):
        self.bounds = [int(b) for b in bounds]
        self.Uh, self.Uw, self.Dh, self.Dw = (int(v) for v in sd)
        self.f = np.asarray(f, dtype=np.int64)
        self.orders = np.asarray(orders, dtype=np.int64)
        self.hold = np.asarray(hold, dtype=bool)
        self.multicast = [bool(m) for m in multicast]
        self.rf_capacity = rf_capacity
        self.glb_capacity = glb_capacity
        self.on_event = on_event
        self.counts = np.zeros((4, 3, 2), dtype=np.int64)
        self.macs = 0  # MACs done, MAC steps (each PE one MAC per step), most PEs working in a step
        self.steps = 0
        self.peak_pes = 0
        f = self.f
        self.sp = [int(f[ROWS, d] * f[COLS, d]) for d in range(8)]
        # strip-mining: what the RF leaves (q), cut into ceil(q / sp) array tiles, the last partial
        self.q = [self.bounds[d] // int(f[RF, d]) for d in range(8)]
        for d in range(8):
            assert self.bounds[d] % int(f[RF, d]) == 0, "RF factors divide the bound"
            assert int(f[GLB, d] * f[DRAM, d]) == -(-self.q[d] // self.sp[d]), "GLB x DRAM = ceil(q / spatial)"
        # every PE: its spatial index per dimension (rows-major composition with the cols index);
        # positions at or beyond q never have work and do not exist
        ranges = [range(int(f[ROWS, d])) for d in range(8)] + [range(int(f[COLS, d])) for d in range(8)]
        self.pes = [pe for pe in (tuple(int(idx[d] * f[COLS, d] + idx[8 + d]) for d in range(8))
                                  for idx in itertools.product(*ranges))
                    if all(pe[d] < self.q[d] for d in range(8))]

    # ---- coordinates -------------------------------------------------------------------------
    def _global(self, d, dram_i, glb_i, sp_i, rf_i):
        f = self.f
        return ((dram_i * f[GLB, d] + glb_i) * self.sp[d] + sp_i) * f[RF, d] + rf_i

    def _in_range(self, t, dram_i, glb_i, pe):
        """The PE's tile of datatype t exists in this array tile (t = None: the PE works): its
        index in every dimension indexing t (every dimension) is inside the layer."""
        for d in range(8):
            if t is not None and not RELEVANT[t, d]:
                continue
            j = dram_i[d] * int(self.f[GLB, d]) + glb_i[d]
            if j * self.sp[d] + pe[d] >= self.q[d]:
                return False
        return True

    def _region(self, t, base, ext):
        """The set of element coordinates of a datatype-t tile with per-dim base and extent
        (clipped to the layer: the last tile of a strip-mined dimension is partial)."""
        ext = [min(ext[d], self.bounds[d] - base[d]) for d in range(8)]
        rng = [range(base[d], base[d] + ext[d]) for d in range(8)]
        if t == _WEIGHTS:
            return set(itertools.product(rng[_G], rng[_M], rng[_C], rng[_R], rng[_S]))
        if t == _PSUM:
            return set(itertools.product(rng[_N], rng[_G], rng[_M], rng[_E], rng[_F]))
        # the rows and cols some MAC of the tile reads (rows a stride skips or dilation holes are
        # not part of the tile: tiles are stored compacted)
        rows = {e * self.Uh + r * self.Dh for e in rng[_E] for r in rng[_R]}
        cols = {f * self.Uw + s * self.Dw for f in rng[_F] for s in rng[_S]}
        return set(itertools.product(rng[_N], rng[_G], rng[_C], sorted(rows), sorted(cols)))

    def _point(self, t, idx):
        n, m, c, e, f, r, s, g = idx
        if t == _WEIGHTS:
            return (g, m, c, r, s)
        if t == _IFMAP:
            return (n, g, c, e * self.Uh + r * self.Dh, f * self.Uw + s * self.Dw)
        return (n, g, m, e, f)

    def _parent_reads(self, t, sets):
        """Parent reads to serve the per-PE request sets of one event."""
        if not self.multicast[t]:
            return sum(len(s) for s in sets)
        return len(set().union(*sets))

    # ---- data --------------------------------------------------------------------------------
    def _fetch(self, t, coord):
        if t == _WEIGHTS:
            return self.weights[coord]
        return self.ifmap[coord]

    def run(self, weights, ifmap):
        """weights: [G, M, C, R, S]; ifmap: padded [N, G, C, Hp, Wp] (Hp, Wp >= the window).
        Returns (counts int64[4,3,2], ofmap [N, G, M, E, F])."""
        self.weights = weights
        self.ifmap = ifmap
        N, M, C, E, F, R, S, G = self.bounds
        self.ofmap = np.zeros((N, G, M, E, F), dtype=np.float64)
        self.written = np.zeros((N, G, M, E, F), dtype=bool)
        f = self.f
        glb_buf = [dict(), dict(), dict()]
        glb_tag = [None, None, None]
        rf_buf = [[dict() for _ in self.pes] for _ in range(3)]
        rf_tag = [None, None, None]

        def level_iter(level, order):
            loops = [int(d) for d in order[::-1]]  # outermost first
            for vals in itertools.product(*[range(int(f[level, d])) for d in loops]):
                idx = [0] * 8
                for d, v in zip(loops, vals, strict=True):
                    idx[d] = v
                yield idx

        ext_rf = [int(f[RF, d]) for d in range(8)]
        ext_glb = [int(f[RF, d] * self.sp[d] * f[GLB, d]) for d in range(8)]
        rf_points = list(level_iter(RF, list(range(8))))

        for dram_i in level_iter(DRAM, self.orders[1]):
            for glb_i in level_iter(GLB, self.orders[0]):
                tags_rf = [self._tag(t, dram_i, glb_i) for t in range(3)]
                tags_glb = [self._tag(t, dram_i, None) for t in range(3)]
                # 1. drain RF psums, 2. drain GLB psums (inner before outer)
                if self.hold[0, _PSUM] and rf_tag[_PSUM] is not None and tags_rf[_PSUM] != rf_tag[_PSUM]:
                    self._drain_rf(rf_buf[_PSUM], glb_buf)
                if self.hold[1, _PSUM] and glb_tag[_PSUM] is not None and tags_glb[_PSUM] != glb_tag[_PSUM]:
                    self._drain_glb(glb_buf[_PSUM])
                rf_tag[_PSUM], glb_tag[_PSUM] = tags_rf[_PSUM], tags_glb[_PSUM]
                # 3. GLB input refills, 4. RF input refills
                for t in (_WEIGHTS, _IFMAP):
                    if self.hold[1, t] and tags_glb[t] != glb_tag[t]:
                        base = [dram_i[d] * ext_glb[d] for d in range(8)]
                        new = self._region(t, base, ext_glb)
                        load = self._loaded(t, glb_tag[t], tags_glb[t], glb_buf[t], new, spread_ok=True)
                        self.counts[L_DRAM, t, 0] += len(load)
                        self.on_event and self.on_event("dram_read", t, load)
                        self.counts[L_GLB, t, 1] += len(load)
                        glb_buf[t] = {c: (glb_buf[t][c] if c not in load else self._fetch(t, c)) for c in new}
                        glb_tag[t] = tags_glb[t]
                        self._check_capacity(self.glb_capacity, t, len(glb_buf[t]), "GLB")
                for t in (_WEIGHTS, _IFMAP):
                    if self.hold[0, t] and tags_rf[t] != rf_tag[t]:
                        loads = []
                        for p, pe in enumerate(self.pes):
                            if not self._in_range(t, dram_i, glb_i, pe):
                                continue  # no tile of t for this PE here: nothing to load
                            base = [self._global(d, dram_i[d], glb_i[d], pe[d], 0) for d in range(8)]
                            new = self._region(t, base, ext_rf)
                            load = self._loaded(t, rf_tag[t], tags_rf[t], rf_buf[t][p], new,
                                                spread_ok=self._axis_unspread(t, rf_tag[t], tags_rf[t]))
                            src = glb_buf[t] if self.hold[1, t] else None
                            rf_buf[t][p] = {c: (rf_buf[t][p][c] if c not in load else
                                                (src[c] if src is not None else self._fetch(t, c))) for c in new}
                            self._check_capacity(self.rf_capacity, t, len(rf_buf[t][p]), "RF")
                            loads.append(load)
                        words = sum(len(s) for s in loads)
                        self.counts[L_RF, t, 1] += words
                        self.counts[L_NOC, t, 0] += words
                        self.counts[L_GLB if self.hold[1, t] else L_DRAM, t, 0] += self._parent_reads(t, loads)
                        self.on_event and self.on_event("rf_fill", t, loads)
                        rf_tag[t] = tags_rf[t]
                # 5. the MAC steps
                for rf_i in rf_points:
                    self._step(dram_i, glb_i, rf_i, rf_buf, glb_buf)
        if self.hold[0, _PSUM]:
            self._drain_rf(rf_buf[_PSUM], glb_buf)
        if self.hold[1, _PSUM]:
            self._drain_glb(glb_buf[_PSUM])
        return self.counts, self.ofmap

    # ---- policy pieces -----------------------------------------------------------------------
    def _tag(self, t, dram_i, glb_i):
        tag = [("dram", d, dram_i[d]) for d in range(8) if RELEVANT[t, d] and self.f[DRAM, d] > 1]
        if glb_i is not None:
            tag += [("glb", d, glb_i[d]) for d in range(8) if RELEVANT[t, d] and self.f[GLB, d] > 1]
        return tuple(tag)

    def _single_step(self, old, new):
        """The dimension whose index alone advanced by one between two tags, else None."""
        if old is None:
            return None
        diffs = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
        if len(diffs) == 1 and diffs[0][1][2] == diffs[0][0][2] + 1:
            return diffs[0][0][1]
        return None

    def _axis_unspread(self, t, old, new):
        d = self._single_step(old, new)
        if d is None or SLIDING_AXIS[d] < 0:
            return False
        pair = (_E, _R) if SLIDING_AXIS[d] == 0 else (_F, _S)
        return all(self.sp[x] == 1 for x in pair)

    def _loaded(self, t, old_tag, new_tag, buf, new_region, spread_ok):
        """Elements a refill must bring in: the overlap of a one-step ifmap slide is kept."""
        d = self._single_step(old_tag, new_tag)
        if t == _IFMAP and d is not None and SLIDING_AXIS[d] >= 0 and spread_ok:
            return new_region - set(buf)
        return new_region

    @staticmethod
    def _check_capacity(cap, t, words, where):
        if cap is not None and cap[t] is not None and words > cap[t]:
            raise AssertionError(f"{where} holds {words} words of datatype {t}, capacity {cap[t]}")

    def _accumulate(self, level, glb_psum, coord, value):
        """Psum update arriving at GLB (level 1) or DRAM (level 0): write, or read-modify-write."""
        if level == 1:
            if coord in glb_psum:
                self.counts[L_GLB, _PSUM, 0] += 1
                glb_psum[coord] += value
            else:
                glb_psum[coord] = value
            self.counts[L_GLB, _PSUM, 1] += 1
        else:
            self.on_event and self.on_event("dram_psum", coord)
            if self.written[coord]:
                self.counts[L_DRAM, _PSUM, 0] += 1
            self.ofmap[coord] += value
            self.written[coord] = True
            self.counts[L_DRAM, _PSUM, 1] += 1

    def _drain_rf(self, bufs, glb_buf):
        merged: dict = {}
        for buf in bufs:
            self.counts[L_NOC, _PSUM, 0] += len(buf)
            for coord, v in buf.items():
                merged[coord] = merged.get(coord, 0.0) + v  # spatial reduction
            buf.clear()
        level = 1 if self.hold[1, _PSUM] else 0
        for coord in sorted(merged):
            self._accumulate(level, glb_buf[_PSUM], coord, merged[coord])

    def _drain_glb(self, buf):
        for coord in sorted(buf):
            self._accumulate(0, None, coord, buf[coord])
        buf.clear()

    def _step(self, dram_i, glb_i, rf_i, rf_buf, glb_buf):
        """One MAC on every active PE."""
        operands = [[], []]
        requests = [[], []]
        products = []
        step_idx = []
        working = 0
        for p, pe in enumerate(self.pes):
            if not self._in_range(None, dram_i, glb_i, pe):
                continue  # an idle PE in the last (partial) array tile
            working += 1
            idx = tuple(self._global(d, dram_i[d], glb_i[d], pe[d], rf_i[d]) for d in range(8))
            for t in (_WEIGHTS, _IFMAP):
                coord = self._point(t, idx)
                if self.hold[0, t]:
                    self.counts[L_RF, t, 0] += 1
                    operands[t].append(rf_buf[t][p][coord])
                else:
                    requests[t].append({coord})
                    src = glb_buf[t] if self.hold[1, t] else None
                    operands[t].append(src[coord] if src is not None else self._fetch(t, coord))
            products.append((self._point(_PSUM, idx), operands[0][-1] * operands[1][-1], p))
            step_idx.append(idx)
        self.on_event and self.on_event("step", step_idx)
        self.steps += 1
        self.macs += working
        self.peak_pes = max(self.peak_pes, working)
        for t in (_WEIGHTS, _IFMAP):
            if not self.hold[0, t]:
                self.counts[L_NOC, t, 0] += len(requests[t])
                self.counts[L_GLB if self.hold[1, t] else L_DRAM, t, 0] += self._parent_reads(t, requests[t])
                self.on_event and self.on_event("fetch", t, requests[t])
        if self.hold[0, _PSUM]:
            for coord, value, p in products:
                buf = rf_buf[_PSUM][p]
                if coord in buf:
                    self.counts[L_RF, _PSUM, 0] += 1
                    buf[coord] += value
                else:
                    buf[coord] = value
                self.counts[L_RF, _PSUM, 1] += 1
                self._check_capacity(self.rf_capacity, _PSUM, len(buf), "RF")
        else:
            merged: dict = {}
            for coord, value, _ in products:
                self.counts[L_NOC, _PSUM, 0] += 1
                merged[coord] = merged.get(coord, 0.0) + value
            level = 1 if self.hold[1, _PSUM] else 0
            for coord in sorted(merged):
                self._accumulate(level, glb_buf[_PSUM], coord, merged[coord])


def direct_conv(weights, ifmap, bounds, sd):
    """Plain convolution on the padded ifmap: ofmap[n, g, m, e, f] (the executor's oracle)."""
    N, M, C, E, F, R, S, G = bounds
    Uh, Uw, Dh, Dw = sd
    out = np.zeros((N, G, M, E, F))
    for r in range(R):
        for s in range(S):
            patch = ifmap[:, :, :, r * Dh: r * Dh + (E - 1) * Uh + 1: Uh, s * Dw: s * Dw + (F - 1) * Uw + 1: Uw]
            out += np.einsum("ngchw,gmc->ngmhw", patch, weights[:, :, :, r, s])
    return out
