"""The sparse model's expectations against the sparse reference executor (accelsim.sim.sparse) on
actual random sparse tensors: 320 cases = 40 random small layers x 8 dataflows, each mapped by a
random legal mapping of its dataflow's mapspace (exact splits: the sparse searches do not
strip-mine, accelsim.sparsity.run), with one format (rlc with short runs, bitmask or
csc) at DRAM for weights / ifmap / ofmap and in the RF for weights / ifmap, and either ifmap
gating or weight + ifmap skipping; K = 32 zero patterns per case with random densities.

Tolerances (derived, not tuned). Every measured count X is a function of independent Bernoulli
elements in which flipping element e changes X by at most c_e; by the Efron-Stein inequality
Var X <= sum_e c_e^2 p_e (1 - p_e), so the mean of K samples lies within 5 sqrt(Var / K) of E[X]
(Chebyshev: probability >= 0.96 in the worst case; far more for these sums of many small terms).
c_e: MAC counts: the MACs using e; format bits: per transfer containing e, value_bits (+
index_bits for csc) or, for rlc, 2 pairs' worth of words (flipping one element changes the pair
count by at most 2): 2 * word_bits. Exactness: the executor's mean is compared with the exact
per-transfer expectation (formats.expected_size); the layer model (a rate per dense word) is
within one format word per transfer of that (tests/sparsity/test_formats.py), so that slack is
added for the model. Cycles with skipping: E[max] over PEs is at least the mean PE load (the
model's lower end) and, when each PE does one MAC per RF pass (Bernoulli loads, positively
associated through shared operands), at most the independent-PE expectation the model uses."""

import math

import numpy as np
import pytest
from randmap import random_layer
from test_dataflows_vs_executor import HW, legal_mapping

from accelsim.arch.spec import Format, Sparsity
from accelsim.datatypes import Datatype
from accelsim.mapping.counts import count_accesses, tile_words
from accelsim.mapping.dataflows import DATAFLOWS, NAMES
from accelsim.mapping.mapspace import hardware_arrays
from accelsim.sim.sparse import measure, trace
from accelsim.sparsity import formats, model
from accelsim.sparsity.density import Density

K = 32
Z = 5.0
FORMATS = [Format("rlc", run_bits=2, value_bits=16, pairs_per_word=3, word_bits=64),
           Format("bitmask", value_bits=16),
           Format("csc", value_bits=16, index_bits=4, pointer_bits=8, column_length=4)]
W_, I_, P_ = Datatype.WEIGHTS, Datatype.IFMAP, Datatype.PSUM


def _hw(sparsity):
    from types import SimpleNamespace
    return SimpleNamespace(sparsity=sparsity, word_bits=16)


def _uses(idx, size):
    return np.bincount(idx.ravel(), minlength=size).astype(np.float64)


def _occurrences(transfers, size):
    occ = np.zeros(size)
    for idx in transfers:
        occ[idx] += 1
    return occ


@pytest.mark.parametrize("df", NAMES)
@pytest.mark.parametrize("seed", range(40))
def test_sparse_model_matches_the_sparse_executor(df, seed):
    rng = np.random.default_rng([seed, NAMES.index(df), 13])
    dataflow = DATAFLOWS[df]
    hwa = hardware_arrays(HW, dataflow)
    for _ in range(20):
        bounds, sd = random_layer(rng)
        f = legal_mapping(rng, bounds, sd, dataflow, hwa, strip=False)  # the sparse model: exact splits
        if f is not None:
            break
    else:
        pytest.skip("no mappable layer drawn")
    orders = np.array([rng.permutation(8), rng.permutation(8)], dtype=np.int64)
    fmt = FORMATS[seed % 3]
    skip = seed % 2 == 1
    sp = Sparsity(gating=frozenset() if skip else frozenset({I_}), gated_cost=0.25,
                  skipping=frozenset({W_, I_}) if skip else frozenset(), load_imbalance=True,
                  formats=(("dram", W_, fmt), ("dram", I_, fmt), ("dram", P_, fmt), ("rf", W_, fmt), ("rf", I_, fmt)))
    dens = Density(ifmap=float(rng.uniform(0.1, 0.95)), weights=float(rng.uniform(0.1, 0.95)),
                   ofmap=float(rng.uniform(0.1, 0.95)))
    tr = trace(bounds, sd, f, orders, hwa.hold, hwa.multicast)
    counts = np.zeros((4, 3, 2), dtype=np.int64)
    macs, steps, pes = count_accesses(bounds, sd, f, orders, hwa.hold, hwa.multicast, counts)
    assert np.array_equal(counts, tr.counts)
    sizes = [int(np.prod(s)) for s in tr.shapes]
    p = [dens.weights, dens.ifmap, dens.ofmap]
    nz = [rng.random((K, sizes[t])) < p[t] for t in range(3)]
    got = measure(tr, nz[0], nz[1], nz[2], sp)
    fac = model.factors(_hw(sp), dens)

    # MACs full / gated / skipped
    operands = [W_, I_] if skip else [I_]
    var = sum(float((_uses(tr.w_idx if t == W_ else tr.x_idx, sizes[t]) ** 2).sum()) * p[t] * (1 - p[t])
              for t in operands)
    tol = Z * math.sqrt(var / K) + 1e-9
    for name, frac in (("macs_full", fac.full), ("macs_gated", fac.gated), ("macs_skipped", fac.skipped)):
        assert abs(getattr(got, name).mean() - macs * frac) <= tol, (name, getattr(got, name).mean(), macs * frac)

    # compressed traffic: executor mean == exact per-transfer expectation; the model within one word
    # per transfer of it
    per_flip = {"rlc": 2 * fmt.word_bits, "bitmask": fmt.value_bits, "csc": fmt.value_bits + fmt.index_bits}[fmt.kind]
    slack = {"rlc": fmt.word_bits, "bitmask": 0, "csc": fmt.pointer_bits}[fmt.kind]
    o_words = int(tile_words(2, bounds, sd))
    for (level, t), (data, meta) in got.bits.items():
        if level == "dram":
            transfers = tr.ofmap if t == 2 else tr.dram[t]
            dense_words = o_words if t == 2 else counts[0, t, 0]
            ratio = fac.ofmap_words if t == 2 else fac.words[0, t, 0]
        else:
            transfers = tr.rf[t]
            dense_words = counts[3, t, 1]
            ratio = fac.words[3, t, 1]
        assert sum(len(x) for x in transfers) == dense_words
        exact = sum(sum(formats.expected_size(len(x), fmt, p[t])) for x in transfers)
        var = float((_occurrences(transfers, sizes[t]) ** 2).sum()) * per_flip ** 2 * p[t] * (1 - p[t])
        tol = Z * math.sqrt(var / K) + 1e-6
        mean = float((data + meta).mean())
        assert abs(mean - exact) <= tol, (level, t, mean, exact, tol)
        modelled = dense_words * ratio * 16
        assert abs(modelled - exact) <= slack * len(transfers) + 1e-6, (level, t, modelled, exact)
    assert tr.partial_writes == counts[0, 2, 1] - o_words

    # compute cycles
    n = tr.pass_len
    passes = steps // n
    if skip:
        q = 1 - fac.skipped
        var = sum(float((_uses(tr.w_idx if t == W_ else tr.x_idx, sizes[t]) ** 2).sum()) * p[t] * (1 - p[t])
                  for t in operands)
        tol = Z * math.sqrt(var / K) + 1e-9
        mean = got.compute_cycles.mean()
        assert mean >= passes * n * q - tol
        assert mean <= passes * n + 1e-9
        m = model.compute_cycles(steps, f, pes, fac, True)
        assert passes * n * q - 1e-9 <= m <= passes * n + 1e-9
        if n == 1:
            assert mean <= m + tol
    else:
        assert np.all(got.compute_cycles == steps)
