"""Compressed formats: exact sizes of given tensors (hand-computed), and the expected sizes under a
Bernoulli density against brute force over every zero pattern."""

import itertools

import numpy as np
import pytest

from accelsim.arch.spec import Format
from accelsim.sparsity import formats

EYERISS = Format("rlc", run_bits=5, value_bits=16, pairs_per_word=3, word_bits=64)


def test_rlc_by_hand():
    # pairs: (0, 7) (2, 5) (31 zeros, then the 32nd zero as a value) (run 1 -> trailing (0, 0))
    seq = [7, 0, 0, 5] + [0] * 32 + [0]
    assert formats.rlc_pair_count(seq, 31) == 4
    data, meta = formats.size_bits(seq, EYERISS)
    assert data == 2 * 16 and data + meta == 2 * 64  # 4 pairs -> 2 words of 64 bits
    assert formats.rlc_pair_count([0, 0, 0], 31) == 1
    assert formats.rlc_pair_count([1, 2, 3], 31) == 3
    assert formats.size_bits([], EYERISS) == (0, 0)


def test_bitmask_and_csc_by_hand():
    seq = [0, 3, 0, 0, 1, 0, 0, 0, 0, 2]
    assert formats.size_bits(seq, Format("bitmask", value_bits=8)) == (24, 10)
    # 3 nonzeros x (8 + 4) + ceil(10 / 4) = 3 columns x 6 bits
    assert formats.size_bits(seq, Format("csc", value_bits=8, index_bits=4, pointer_bits=6, column_length=4)) \
        == (24, 12 + 18)


def _brute(n, fmt, p):
    data = meta = 0.0
    for bits in itertools.product((0, 1), repeat=n):
        k = sum(bits)
        w = p ** k * (1 - p) ** (n - k)
        d, m = formats.size_bits(np.array(bits), fmt)
        data += w * d
        meta += w * m
    return data, meta


@pytest.mark.parametrize("fmt", [Format("rlc", run_bits=2, value_bits=8, pairs_per_word=2, word_bits=24),
                                 Format("rlc", run_bits=1, value_bits=4, pairs_per_word=3, word_bits=16),
                                 EYERISS, Format("bitmask"), Format("csc", column_length=3)])
@pytest.mark.parametrize("n", [1, 2, 5, 9, 11])
@pytest.mark.parametrize("p", [0.0, 0.13, 0.5, 0.91, 1.0])
def test_expected_size_is_exact(fmt, n, p):
    want = _brute(n, fmt, p)
    got = formats.expected_size(n, fmt, p)
    assert got == pytest.approx(want, rel=1e-12, abs=1e-9)


@pytest.mark.parametrize("p", [0.05, 0.3, 0.613, 0.99])
def test_long_sequence_rate_is_the_limit_of_the_exact_expectation(p):
    # the rate differs from the exact expectation only by end effects (< one word per sequence)
    n = 3000
    data, meta = formats.expected_size(n, EYERISS, p)
    rd, rm = formats.bits_per_element(EYERISS, p)
    assert data == pytest.approx(n * rd, rel=1e-12)
    assert abs((data + meta) - n * (rd + rm)) <= EYERISS.word_bits


def test_rlc_rates_at_the_extremes():
    # dense: one 21-bit pair per element, 3 per 64-bit word: 64/3 bits per element (4/3 of 16 bits)
    assert formats.word_ratio(EYERISS, 1.0, 16) == pytest.approx((4 / 3, 4 / 3 - 1))
    assert formats.word_ratio(Format("rlc", only_if_smaller=True), 1.0, 16) == (1.0, 0.0)
    # all zeros: one pair per 32 elements
    assert formats.word_ratio(EYERISS, 0.0, 16)[0] == pytest.approx(4 / 3 / 32)


@pytest.mark.parametrize("fmt", [EYERISS, Format("rlc", run_bits=2, value_bits=8, pairs_per_word=2, word_bits=24),
                                 Format("rlc", run_bits=1, value_bits=4, pairs_per_word=1, word_bits=8),
                                 Format("csc", column_length=5), Format("bitmask")])
def test_the_layer_rate_is_within_one_word_of_the_exact_expectation_per_transfer(fmt):
    # the layer model applies the long-sequence rate to every word a level moves; per transfer of n
    # elements it differs from the exact expectation by end effects of less than one format word
    # (rlc: the last, partly filled word and the trailing pair; csc: the last, partial column)
    bound = fmt.word_bits if fmt.kind == "rlc" else fmt.pointer_bits if fmt.kind == "csc" else 0
    for p in (0.0, 0.02, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 1.0):
        rate = sum(formats.bits_per_element(fmt, p))
        for n in list(range(1, 70)) + [150]:
            assert abs(sum(formats.expected_size(n, fmt, p)) - n * rate) <= bound + 1e-9, (p, n)
