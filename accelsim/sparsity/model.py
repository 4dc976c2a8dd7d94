"""The sparse model: expected accesses, energy and cycles of a mapping from its dense counts.

Every element of a datatype is nonzero independently with the layer's density (a uniform
Bernoulli model). The dense counts (``accelsim.mapping.counts``) say how many words each level
moves; this module scales them (docs/model.md, "Sparsity", states every formula):

* MACs. With skipped operands S and gating operands G (hardware ``sparsity.skipping`` /
  ``gating``), a MAC is *skipped* when a skipped operand is zero (fraction 1 - d_S, d_S = the
  product of their densities), else *gated* when a gating operand is zero (d_S (1 - d_G'), d_G' =
  the product over G minus S), else *full* (d_S d_G'). Skipped MACs cost nothing; gated ones
  ``gated_cost`` of a full one (energy), a full cycle unless skipped.
* RF accesses per MAC (operand reads, psum read and write): full MACs pay them; a gated MAC
  reads its gating operands in full (to see the zero) and pays ``gated_cost`` for the rest.
* Compressed formats: a format of datatype t at level L moves ``word_ratio`` words (data +
  metadata) per dense word of its reads and writes there (rf: the fills and the NoC transfers into
  the PEs); at DRAM the psum format applies to the final ofmap written back (density of the
  ofmap); spilled partial sums are dense.
* Cycles: max(compute, each bandwidth-limited level's expected words / bandwidth); compute =
  steps when nothing is skipped, otherwise per RF pass (the RF loops between two GLB-loop
  iterations, n = their MACs per PE) the expected slowest of the active PEs:
  E[max of P independent Binomial(n, d_S)] (``load_imbalance``), or n d_S without it.

``factors`` gives the per-count multipliers of a (hardware, density); ``evaluate`` applies them
to a dense LayerResult; ``effective_hardware`` is the Hardware whose per-word energies are those
multipliers times the real ones and whose capacities are in expected compressed words: the
mapper's search on it minimises the sparse energy exactly (up to the constant ofmap term).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from accelsim.arch.spec import model_view
from accelsim.datatypes import Datatype
from accelsim.mapping.dims import L_DRAM, L_GLB, L_NOC, L_RF
from accelsim.mapping.kernels import cycles_of
from accelsim.sparsity import formats
from accelsim.sparsity.density import DENSE

_W, _I, _P = 0, 1, 2
_LEVEL_INDEX = {"dram": L_DRAM, "glb": L_GLB, "rf": L_RF}


@dataclass(frozen=True)
class Factors:
    """Multipliers of the dense counts[level, datatype, read|write] of one layer on one hardware.

    words: words moved (data + metadata) per dense word; meta: metadata words per dense word;
    energy: energy per dense access over a dense access's energy; ofmap_words / ofmap_meta: the
    same for the final ofmap words written to DRAM; mac: MAC energy multiplier; full, gated,
    skipped: fractions of the MACs."""

    words: np.ndarray
    meta: np.ndarray
    energy: np.ndarray
    ofmap_words: float
    ofmap_meta: float
    mac: float
    full: float
    gated: float
    skipped: float

    @property
    def is_identity(self) -> bool:
        return (bool(np.all(self.words == 1.0)) and bool(np.all(self.energy == 1.0)) and self.ofmap_words == 1.0
                and self.mac == 1.0 and self.skipped == 0.0 and self.gated == 0.0)


def factors(hw, density) -> Factors:
    """The multipliers of ``hw`` (its ``sparsity`` features; None = dense hardware) at ``density``
    (a Density; None = dense)."""
    d = density or DENSE
    sp = getattr(hw, "sparsity", None)
    words = np.ones((4, 3, 2))
    meta = np.zeros((4, 3, 2))
    energy = np.ones((4, 3, 2))
    if sp is None:
        return Factors(words, meta, energy, 1.0, 0.0, 1.0, 1.0, 0.0, 0.0)
    skip = [t for t in (Datatype.WEIGHTS, Datatype.IFMAP) if t in sp.skipping]
    gate = [t for t in (Datatype.WEIGHTS, Datatype.IFMAP) if t in sp.gating and t not in sp.skipping]
    d_s = math.prod(d.of(t) for t in skip) if skip else 1.0
    d_g = math.prod(d.of(t) for t in gate) if gate else 1.0
    full = d_s * d_g
    gated = d_s - full
    skipped = 1.0 - d_s
    c = sp.gated_cost
    mac = full + gated * c
    for t in (_W, _I):  # operand reads per MAC
        performed = full + (gated if t in gate else 0.0)
        words[L_RF, t, 0] = performed
        energy[L_RF, t, 0] = performed + (0.0 if t in gate else gated * c)
    words[L_RF, _P, :] = full  # psum read and write per MAC
    energy[L_RF, _P, :] = mac
    ofmap_words, ofmap_meta = 1.0, 0.0
    for level, t, fmt in sp.formats:
        ratio, m = formats.word_ratio(fmt, d.of(t), hw.word_bits)
        if t == Datatype.PSUM:  # loader: dram only; the final ofmap
            ofmap_words, ofmap_meta = ratio, m
            continue
        li = _LEVEL_INDEX[level]
        if li == L_RF:
            for lv, rw in ((L_RF, 1), (L_NOC, 0)):
                words[lv, t, rw] = ratio
                meta[lv, t, rw] = m
                energy[lv, t, rw] = ratio
        else:
            words[li, t, :] = ratio
            meta[li, t, :] = m
            energy[li, t, :] = ratio
    return Factors(words, meta, energy, ofmap_words, ofmap_meta, mac, full, gated, skipped)


@dataclass(frozen=True)
class SparseFigures:
    """The sparse model's expectations for one mapped layer. words[level, datatype, r|w]: expected
    words moved (metadata included); meta: expected metadata words; energy[level, datatype] and
    mac_energy in the hardware's unit; cycles; MACs full / gated / skipped (expected)."""

    words: np.ndarray
    meta: np.ndarray
    energy: np.ndarray
    mac_energy: float
    cycles: float
    compute_cycles: float
    macs_full: float
    macs_gated: float
    macs_skipped: float


def expected_max_binomial(n: int, q: float, pes: int) -> float:
    """E[max of ``pes`` independent Binomial(n, q)] = sum_{k=0}^{n-1} (1 - F(k)^pes)."""
    if n <= 0 or q <= 0.0:
        return 0.0
    if q >= 1.0:
        return float(n)
    if pes == 1:
        return n * q
    lq, lp = math.log(q), math.log1p(-q)
    logs = [math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1) + k * lq + (n - k) * lp
            for k in range(n + 1)]
    cdf = np.cumsum(np.exp(np.array(logs)))
    cdf = np.minimum(cdf, 1.0)
    return float(np.sum(1.0 - cdf[:-1] ** pes))


def compute_cycles(steps: int, f, pes: int, fac: Factors, load_imbalance: bool) -> float:
    """Expected compute cycles: ``steps`` when nothing is skipped; else per RF pass (n = the
    product of the RF factors f[0] MACs per PE) the expected slowest active PE."""
    if fac.skipped == 0.0:
        return float(steps)
    n = int(np.prod(f[0]))
    passes = steps // n
    q = 1.0 - fac.skipped
    if not load_imbalance:
        return passes * n * q
    return passes * expected_max_binomial(n, q, pes)


def evaluate(counts, mac_energy_dense: float, e_read, e_write, bw, steps: int, f, pes: int, ofmap_words: int,
             hw, density) -> SparseFigures:
    """The sparse figures of one mapping from its dense ``counts[4, 3, 2]`` (and the hardware
    arrays: per-word energies e_read/e_write[4, 3], bandwidths bw[4] words per cycle, 0 =
    unlimited), its MAC steps, factors f[5, 8], active PEs and the layer's ofmap words."""
    fac = factors(hw, density)
    c = counts.astype(np.float64)
    words = c * fac.words
    meta = c * fac.meta
    emul = c * fac.energy
    o = float(ofmap_words)
    partial = c[L_DRAM, _P, 1] - o  # spilled partial sums: dense
    words[L_DRAM, _P, 1] = o * fac.ofmap_words + partial
    meta[L_DRAM, _P, 1] = o * fac.ofmap_meta
    emul[L_DRAM, _P, 1] = o * fac.ofmap_words + partial
    energy = emul[:, :, 0] * e_read + emul[:, :, 1] * e_write
    sp = getattr(hw, "sparsity", None)
    compute = compute_cycles(steps, f, pes, fac, bool(sp.load_imbalance) if sp is not None else True)
    # the dense cycle model (DRAM fill/drain per tile, bandwidth-bound levels) on the sparse words
    cyc = float(cycles_of(words, compute, np.asarray(bw, dtype=np.float64), f))
    total_macs = steps * pes
    return SparseFigures(words, meta, energy, mac_energy_dense * fac.mac, cyc, compute, total_macs * fac.full,
                         total_macs * fac.gated, total_macs * fac.skipped)


def effective_hardware(hw, density):
    """``hw`` with per-word energies times the sparse multipliers and capacities in expected
    compressed words (floor(capacity / words per dense word) where a format shrinks a tile); the
    mapper searching on it minimises the sparse energy of ``evaluate`` (the DRAM ofmap term is
    the same for every mapping and left out). ``hw`` itself when nothing changes."""
    fac = factors(hw, density)
    if fac.is_identity:
        return hw
    levels = []
    for i, name in enumerate(("dram", "glb", "noc", "rf")):
        lvl = hw.level(name)
        er = tuple(float(lvl.read_energy[t]) * float(fac.energy[i, t, 0]) for t in range(3))
        ew = tuple(float(lvl.write_energy[t]) * float(fac.energy[i, t, 1]) for t in range(3))
        if name == "dram":
            ew = (ew[0], ew[1], float(lvl.write_energy[2]))
        caps, shared = lvl.capacity_words, lvl.shared_capacity_words
        ratio = fac.words[L_GLB, :, 1] if name == "glb" else fac.words[L_RF, :, 1] if name == "rf" else None
        if ratio is not None:
            ratio = [float(r) if t != _P else 1.0 for t, r in enumerate(ratio)]
            if caps is not None:
                caps = tuple(None if cap is None else (cap if ratio[t] >= 1.0 else int(cap / ratio[t]))
                             for t, cap in enumerate(caps))
            if shared is not None:
                held = [ratio[t] for t in range(3) if t not in lvl.bypass]
                worst = max(held) if held else 1.0
                shared = shared if worst >= 1.0 else int(shared / worst)
        levels.append(replace(lvl, read_energy=er, write_energy=ew, capacity_words=caps,
                              shared_capacity_words=shared))
    return model_view(hw, levels=tuple(levels), mac_energy=float(hw.mac_energy) * fac.mac)
