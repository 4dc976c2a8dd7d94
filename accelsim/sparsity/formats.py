"""Compressed formats: the exact size of a given tensor, and the expected size under a density.

A format (``accelsim.arch.spec.Format``) encodes a sequence of elements (a tensor flattened in
the order it is sent):

* **rlc** (run-length coding, Eyeriss v1, JSSC 2017 Sec. V): pairs of a ``run_bits`` run (the
  zeros before a value, at most L = 2^run_bits - 1) and a ``value_bits`` value, ``pairs_per_word``
  pairs packed into one ``word_bits`` word (Eyeriss: 5 + 16 bits, 3 pairs per 64-bit word).
  Encoder: count zeros; a nonzero, or a zero arriving after L zeros, ends a pair (run, value); a
  run of trailing zeros ends as (run - 1, 0). Size = ceil(pairs / pairs_per_word) words.
* **bitmask**: one bit per element + ``value_bits`` per nonzero.
* **csc** (compressed sparse column, Eyeriss v2, JSSC 2019): ``value_bits`` + ``index_bits`` per
  nonzero, ``pointer_bits`` per column of ``column_length`` elements (ceil(n / column_length)
  columns).

Sizes are (data_bits, metadata_bits): data = ``value_bits`` per nonzero; metadata = everything
else (runs, zero placeholders and word padding for rlc; the mask; indices and pointers).

Expected sizes treat each element as nonzero independently with probability p (Bernoulli):
``expected_size(n, fmt, p)`` is the exact expectation for one sequence of n elements;
``bits_per_element(fmt, p)`` the long-sequence rate the layer model uses (for rlc: one pair per
renewal block of mean length sum_{j=0..L} (1-p)^j = (1 - (1-p)^(L+1)) / p elements, word padding
spread over the pairs).
"""

from __future__ import annotations

import numpy as np

KINDS = ("rlc", "bitmask", "csc")


def max_run(fmt) -> int:
    return (1 << fmt.run_bits) - 1


# ---- exact sizes of a given sequence -------------------------------------------------------
def rlc_pair_count(values, run_limit: int) -> int:
    """Pairs the rlc encoder emits for ``values`` with runs of at most ``run_limit`` zeros."""
    z = 0
    pairs = 0
    for x in np.asarray(values).ravel():
        if x == 0 and z < run_limit:
            z += 1
        else:
            pairs += 1
            z = 0
    return pairs + (1 if z > 0 else 0)


def size_bits(values, fmt) -> tuple[int, int]:
    """(data_bits, metadata_bits) of ``values`` (1-D, in sending order) in format ``fmt``."""
    v = np.asarray(values).ravel()
    n = int(v.size)
    nnz = int(np.count_nonzero(v))
    data = nnz * fmt.value_bits
    if fmt.kind == "rlc":
        pairs = rlc_pair_count(v, max_run(fmt))
        total = -(-pairs // fmt.pairs_per_word) * fmt.word_bits
        return data, total - data
    if fmt.kind == "bitmask":
        return data, n
    if fmt.kind == "csc":
        return data, nnz * fmt.index_bits + -(-n // fmt.column_length) * fmt.pointer_bits
    raise ValueError(f"unknown format {fmt.kind!r}")


# ---- expectations under a Bernoulli density -----------------------------------------------
def rlc_expected(n: int, fmt, p: float) -> tuple[float, float]:
    """(E[pairs], E[words]) of n iid elements, each nonzero with probability p: exact, by
    dynamic programming over (current run, pairs mod pairs_per_word)."""
    L, k = max_run(fmt), fmt.pairs_per_word
    q = 1.0 - p
    dist = np.zeros((L + 1, k))
    dist[0, 0] = 1.0
    pairs = 0.0
    words = 0.0
    for _ in range(n):
        new = np.zeros_like(dist)
        emit = dist * p  # a nonzero ends a pair
        emit[L] = dist[L]  # after L zeros any element ends a pair
        pairs += emit.sum()
        words += emit[:, 0].sum()  # a pair starting a new word
        new[0] = np.roll(emit.sum(axis=0), 1)
        new[1:] += dist[:L] * q
        dist = new
    tail = dist[1:]
    pairs += tail.sum()
    words += tail[:, 0].sum()
    return pairs, words


def expected_size(n: int, fmt, p: float) -> tuple[float, float]:
    """Exact (E[data_bits], E[metadata_bits]) of n iid elements of density p in ``fmt``."""
    data = n * p * fmt.value_bits
    if fmt.kind == "rlc":
        _, words = rlc_expected(n, fmt, p)
        return data, words * fmt.word_bits - data
    if fmt.kind == "bitmask":
        return data, float(n)
    if fmt.kind == "csc":
        return data, n * p * fmt.index_bits + -(-n // fmt.column_length) * fmt.pointer_bits
    raise ValueError(f"unknown format {fmt.kind!r}")


def rlc_block(fmt, p: float) -> float:
    """Mean elements per rlc pair in a long sequence: sum_{j=0..L} (1-p)^j."""
    L = max_run(fmt)
    q = 1.0 - p
    return float(L + 1) if p == 0.0 else (1.0 - q ** (L + 1)) / p


def bits_per_element(fmt, p: float) -> tuple[float, float]:
    """Long-sequence (data, metadata) bits per element at density p (the layer model's rate)."""
    data = p * fmt.value_bits
    if fmt.kind == "rlc":
        total = fmt.word_bits / fmt.pairs_per_word / rlc_block(fmt, p)
        return data, total - data
    if fmt.kind == "bitmask":
        return data, 1.0
    if fmt.kind == "csc":
        return data, p * fmt.index_bits + fmt.pointer_bits / fmt.column_length
    raise ValueError(f"unknown format {fmt.kind!r}")


def word_ratio(fmt, p: float, word_bits: int) -> tuple[float, float]:
    """(words, metadata words) moved per dense ``word_bits`` word at density p; a format with
    ``only_if_smaller`` that would not shrink the data is not used: (1, 0)."""
    data, meta = bits_per_element(fmt, p)
    total = (data + meta) / word_bits
    if fmt.only_if_smaller and total >= 1.0:
        return 1.0, 0.0
    return total, meta / word_bits


def check_format(fmt) -> None:
    if fmt.kind not in KINDS:
        raise ValueError(f"unknown format {fmt.kind!r}")
    if fmt.kind == "rlc" and fmt.pairs_per_word * (fmt.run_bits + fmt.value_bits) > fmt.word_bits:
        raise ValueError(f"rlc: {fmt.pairs_per_word} pairs of {fmt.run_bits} + {fmt.value_bits} bits do not fit "
                         f"a {fmt.word_bits}-bit word")
